"""The demo's approval requests: filed through the API, signed up to the step the demo promises, once."""

from __future__ import annotations

from crmflow.demo import APPROVALS, DemoApi, seed_approval
from crmflow.seed import seed_demo
from worker import build_worker


async def test_the_demo_leaves_a_discount_with_the_director_and_a_contract_with_finance(
    settings, sessions, local_env, tmp_path
) -> None:
    settings = settings.model_copy(update={"var_dir": tmp_path / "var"})
    org = await seed_demo(settings)
    async with build_worker(local_env.client, sessions, settings.task_queue):
        api = DemoApi(settings, sessions, local_env.client, org)
        try:
            first = [await seed_approval(api, plan) for plan in APPROVALS]
            again = [await seed_approval(api, plan) for plan in APPROVALS]  # a second start changes nothing
        finally:
            await api.aclose()
    assert [r["id"] for r in again] == [r["id"] for r in first]
    discount, contract = first
    director = org.staff_ids["director"]
    assert (discount["flow"], discount["status"], discount["current_step"]) == ("discount", "pending", "director")
    assert [(t["assignee_id"], t["status"]) for t in discount["tasks"]] == [
        (org.staff_ids["manager_l1"], "approved"),
        (director, "open"),
    ]
    assert (contract["flow"], contract["status"], contract["current_step"]) == ("contract", "pending", "finance")
    assert sorted(t["assignee_id"] for t in contract["tasks"] if t["status"] == "open") == sorted(
        [org.staff_ids["manager_l1"], org.staff_ids["manager_l1_north"]]
    )  # 会签: both finance signers at once
    assert len(again[0]["tasks"]) == 2  # nobody signed twice
