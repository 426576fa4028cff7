"""/v1/targets over HTTP with a real worker: open, negotiate, read, roll up, ask for a change — and who may not."""

from __future__ import annotations

import asyncio
import uuid

from tests.factories import Factory


def unique_period() -> str:
    return f"{1000 + uuid.uuid4().int % 8000}Q{1 + uuid.uuid4().int % 4}"


async def until(check, timeout: float = 30):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        assert asyncio.get_running_loop().time() < deadline, "condition never became true"
        await asyncio.sleep(0.1)


async def open_target(api, org, period: str) -> dict:
    """The admin opens the L2's targets; the answer once the process wrote the row."""
    opened = await api.post("/v1/targets", json={"period": period, "staff_id": org.l2.id}, headers=org.headers("admin"))
    assert opened.status_code == 202, opened.text

    async def listed():
        items = (
            await api.get("/v1/targets", params={"scope": "all", "period": period}, headers=org.headers("admin"))
        ).json()["items"]
        return items[0] if items else None

    return await until(listed)


async def test_negotiate_read_roll_up_and_change_with_every_denial(api, factory: Factory) -> None:
    org = await factory.org()
    other_director = await factory.staff("director")
    stranger = await factory.staff("account_manager_l1", supervisor_id=other_director.id)
    stranger_token = {"Authorization": f"Bearer {await factory.token('manager', stranger)}"}
    period = unique_period()

    # Opening: only for someone below you (the L2 cannot open their own; the stranger's boss cannot open ours).
    assert (
        await api.post("/v1/targets", json={"period": period, "staff_id": org.l2.id}, headers=org.headers("l2"))
    ).status_code == 403
    assert (
        await api.post("/v1/targets", json={"period": period, "staff_id": org.l2.id}, headers=stranger_token)
    ).status_code == 422
    for who in ("ops", "service"):
        assert (
            await api.post("/v1/targets", json={"period": period, "staff_id": org.l2.id}, headers=org.headers(who))
        ).status_code == 403, who
    assert (
        await api.post("/v1/targets", json={"period": "2026Q9", "staff_id": org.l2.id}, headers=org.headers("admin"))
    ).status_code == 422
    target = await open_target(api, org, period)
    again = await api.post("/v1/targets", json={"period": period, "staff_id": org.l2.id}, headers=org.headers("l1"))
    assert again.status_code == 200 and again.json()["started"] is False
    url = f"/v1/targets/{target['id']}"
    assert target["supervisor_id"] == org.l1.id and target["status"] == "negotiating"

    # Reading: the manager, the chain above, ops and admin; not a stranger (404), not the service (403), not anonymous.
    for who in ("l2", "l1", "director", "ops", "admin"):
        assert (await api.get(url, headers=org.headers(who))).status_code == 200, who
    assert (await api.get(url, headers=stranger_token)).status_code == 404
    assert (await api.get(url, headers=org.headers("service"))).status_code == 403
    assert (await api.get(url)).status_code == 401

    values = {"new_customers": 20, "revenue": 50000, "retention": 0.9, "avg_satisfaction": 4.5}
    # Proposing: the supervisor only.
    for who, code in (("l2", 403), ("director", 403), ("ops", 403), ("service", 403)):
        assert (await api.post(f"{url}/propose", json={"values": values}, headers=org.headers(who))).status_code == code
    assert (await api.post(f"{url}/propose", json={"values": values}, headers=stranger_token)).status_code == 404
    bad = await api.post(
        f"{url}/propose", json={"values": {**values, "retention": 1.5, "revenue": -1}}, headers=org.headers("l1")
    )
    assert bad.status_code == 422 and {d["field"] for d in bad.json()["error"]["details"]} == {
        "values.retention",
        "values.revenue",
    }
    missing = await api.post(f"{url}/propose", json={"values": {"revenue": 1}}, headers=org.headers("l1"))
    assert missing.status_code == 422
    assert (await api.post(f"{url}/accept", headers=org.headers("l2"))).status_code == 409  # nothing proposed yet
    proposed = await api.post(f"{url}/propose", json={"values": values, "reason": "growth"}, headers=org.headers("l1"))
    assert proposed.status_code == 200, proposed.text
    body = proposed.json()
    assert body["turn"] == "manager" and body["values"] == values and body["versions"][0]["reason"] == "growth"

    # Counter-proposing: the manager only, with a reason.
    lower = {**values, "new_customers": 12}
    assert (
        await api.post(f"{url}/counter", json={"values": lower, "reason": "region"}, headers=org.headers("l1"))
    ).status_code == 403
    assert (await api.post(f"{url}/counter", json={"values": lower}, headers=org.headers("l2"))).status_code == 422
    assert (
        await api.post(f"{url}/propose", json={"values": values}, headers=org.headers("l1"))
    ).status_code == 409  # the manager's turn
    countered = await api.post(
        f"{url}/counter", json={"values": lower, "reason": "smaller region"}, headers=org.headers("l2")
    )
    assert countered.status_code == 200 and countered.json()["counter_rounds"] == 1
    assert countered.json()["may"] == []  # the viewer is the L2: their turn is over
    seen_by_l1 = (await api.get(url, headers=org.headers("l1"))).json()
    assert set(seen_by_l1["may"]) == {"propose", "accept"}
    assert (
        await api.post(f"{url}/decide", json={"values": values}, headers=org.headers("director"))
    ).status_code == 409
    accepted = await api.post(f"{url}/accept", json={"reason": "fair"}, headers=org.headers("l1"))
    assert accepted.status_code == 200, accepted.text
    agreed = accepted.json()
    assert agreed["status"] == "agreed" and agreed["agreed_version"] == 2 and agreed["agreed_values"] == lower
    assert [v["status"] for v in agreed["versions"]] == ["superseded", "agreed"]

    # Lists: mine, my team's (not my own), everyone's only for ops and admin.
    mine = (await api.get("/v1/targets", params={"period": period}, headers=org.headers("l2"))).json()
    assert [t["id"] for t in mine["items"]] == [target["id"]]
    team = (
        await api.get("/v1/targets", params={"scope": "team", "period": period}, headers=org.headers("director"))
    ).json()
    assert [t["staff_name"] for t in team["items"]] == ["L2"]
    assert (await api.get("/v1/targets", params={"scope": "team", "period": period}, headers=stranger_token)).json()[
        "items"
    ] == []
    assert (await api.get("/v1/targets", params={"scope": "all"}, headers=org.headers("director"))).status_code == 403
    assert (await api.get("/v1/targets", headers=org.headers("service"))).status_code == 403

    # The director's roll-up: every account manager below, the team line from the members with targets.
    rolled = await api.get("/v1/targets/team", params={"period": period}, headers=org.headers("director"))
    assert rolled.status_code == 200, rolled.text
    members = {m["staff_id"]: m for m in rolled.json()["members"]}
    assert set(members) == {org.l1.id, org.l2.id} and members[org.l1.id]["target_id"] is None
    team_line = {line["metric"]: line for line in rolled.json()["team"]}
    assert team_line["new_customers"]["target"] == 12 and team_line["retention"]["target"] == 0.9
    assert (
        await api.get("/v1/targets/team", params={"period": period, "root": org.director.id}, headers=stranger_token)
    ).status_code == 404

    # A change: the manager asks, with a reason; the supervisor cannot ask for them; one at a time.
    change = {"metric": "revenue", "value": 30000, "reason": "a key account left"}
    assert (await api.post(f"{url}/change", json=change, headers=org.headers("l1"))).status_code == 403
    assert (
        await api.post(f"{url}/change", json={**change, "metric": "nps"}, headers=org.headers("l2"))
    ).status_code == 422
    asked = await api.post(f"{url}/change", json=change, headers=org.headers("l2"))
    assert asked.status_code == 202, asked.text
    approval_id = asked.json()["approval_id"]
    assert asked.json()["target"]["pending_change"] == approval_id
    assert (await api.post(f"{url}/change", json=change, headers=org.headers("l2"))).status_code == 409
    approval = await _approval_once_written(api, approval_id, org.headers("l2"))
    assert approval["flow"] == "target-change" and approval["fields"]["change_pct"] == 40.0

    async def supervisor_step_open():
        detail = (await api.get(f"/v1/approvals/{approval_id}", headers=org.headers("l1"))).json()
        return detail if any(t["status"] == "open" for t in detail.get("tasks", [])) else None

    await until(supervisor_step_open)
    decided = await api.post(
        f"/v1/approvals/{approval_id}/decision", json={"decision": "reject", "comment": "no"}, headers=org.headers("l1")
    )
    assert decided.status_code == 200, decided.text

    async def settled():
        detail = (await api.get(url, headers=org.headers("l2"))).json()
        return detail if detail["pending_change"] is None else None

    final = await until(settled)
    assert final["agreed_values"]["revenue"] == 50000
    assert [v["status"] for v in final["versions"]] == ["superseded", "agreed", "rejected"]


async def test_the_director_decides_over_http_after_the_deadline(
    api, factory: Factory, settings, tmp_path, monkeypatch
) -> None:
    # A copy of the definitions whose negotiation deadline passes in seconds (the real server keeps real time).
    import shutil

    from crmflow.settings import PACKAGED_DEFINITIONS_DIR

    shutil.copytree(PACKAGED_DEFINITIONS_DIR, tmp_path / "definitions")
    path = tmp_path / "definitions" / "targets.yaml"
    path.write_text(
        path.read_text()
        .replace("negotiation_due: 10d", "negotiation_due: 3s")
        .replace("reminders_before: [1d]", "reminders_before: []")
    )
    monkeypatch.setattr(settings, "definitions_dir", tmp_path / "definitions")
    org = await factory.org()
    target = await open_target(api, org, unique_period())
    url = f"/v1/targets/{target['id']}"
    values = {"new_customers": 10, "revenue": 20000, "retention": 0.9, "avg_satisfaction": 4}

    async def waiting_for_director():
        detail = (await api.get(url, headers=org.headers("director"))).json()
        return detail if "decide" in detail["may"] else None

    detail = await until(waiting_for_director)
    assert detail["status"] == "director"
    for who in ("l1", "l2", "ops"):
        assert (await api.post(f"{url}/decide", json={"values": values}, headers=org.headers(who))).status_code == 403
    assert (
        await api.post(
            f"{url}/decide", json={"values": {**values, "avg_satisfaction": 7}}, headers=org.headers("director")
        )
    ).status_code == 422
    decided = await api.post(
        f"{url}/decide", json={"values": values, "comment": "set from last year"}, headers=org.headers("director")
    )
    assert decided.status_code == 200, decided.text
    body = decided.json()
    assert body["status"] == "agreed" and body["agreed_values"] == values
    assert body["versions"][-1]["kind"] == "director" and body["versions"][-1]["reason"] == "set from last year"


async def _approval_once_written(api, approval_id: int, headers: dict[str, str]) -> dict:
    """The change's approval request: its process writes the row a moment after the target's update answers."""
    deadline = asyncio.get_running_loop().time() + 30
    while (response := await api.get(f"/v1/approvals/{approval_id}", headers=headers)).status_code == 404:
        assert asyncio.get_running_loop().time() < deadline, response.text
        await asyncio.sleep(0.1)
    assert response.status_code == 200, response.text
    return response.json()
