"""What schemathesis found (tests/test_schemathesis.py), pinned one by one: bounded ids and documented statuses."""

from __future__ import annotations

import pytest

from tests.factories import Factory, Org

HUGE = 2**70  # beyond every integer column: a 422, never a database overflow (500)


@pytest.fixture
async def org(factory: Factory) -> Org:
    return await factory.org()


@pytest.mark.parametrize(
    ("method", "path", "who"),
    [
        ("GET", f"/v1/approvals?offset={HUGE}", "l2"),
        ("GET", f"/v1/approvals?customer_id={HUGE}", "admin"),
        ("GET", f"/v1/staff/{HUGE}/preferences", "admin"),
        ("PUT", f"/v1/staff/{HUGE}/preferences", "admin"),
        ("GET", f"/v1/notifications/{HUGE}", "l2"),
        ("POST", f"/v1/notifications/{HUGE}/read", "l2"),
        ("GET", f"/v1/notifications/deliveries?notification_id={HUGE}", "ops"),
        ("POST", f"/v1/notifications/deliveries/{HUGE}/retry", "ops"),
        ("POST", "/v1/approvals", "l2"),  # body: customer_id=HUGE
    ],
)
async def test_ids_and_offsets_beyond_the_columns_are_422(api, org: Org, method: str, path: str, who: str) -> None:
    body = {"PUT": {}, "POST": {"flow": "discount", "title": "x", "customer_id": HUGE}}.get(method)
    if method == "POST" and path != "/v1/approvals":
        body = None
    response = await api.request(method, path, headers=org.headers(who), json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"]


async def test_statuses_the_routes_answer_are_documented(api) -> None:
    paths = (await api.get("/openapi.json")).json()["paths"]
    # A second start of the same period answers 200 with started=false (tests/api/test_reviews.py).
    assert "200" in paths["/v1/review-cycles"]["post"]["responses"]
    # A deactivation whose hand-over is still running answers 202 (tests/api/test_staff_handover.py).
    assert "202" in paths["/v1/staff/{staff_id}"]["patch"]["responses"]


async def test_operation_ids_are_tag_and_function_names(api) -> None:
    """Stable operationIds (issue 14, 7): a path or method change keeps every generated client method name."""
    operations = [op for item in (await api.get("/openapi.json")).json()["paths"].values() for op in item.values()]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))
    assert not [i for i in ids if "_v1_" in i or i.endswith(("_get", "_post", "_patch", "_put"))], ids
    assert {
        "complaints_create_complaint",
        "staff_update_staff_member",
        "tasks_decide_task",
        "customers_onboard_customer",
        "approvals_create_approval",
        "list_my_notifications",
    } <= set(ids)


async def test_main_request_bodies_carry_examples_that_validate() -> None:
    """Examples on the main requests (issue 14, 7), each one a body the API accepts as valid."""
    from api.schemas import approvals, complaint, customer, staff, tasks

    models = [
        complaint.ComplaintCreate,
        complaint.AcknowledgeBody,
        complaint.ResolveBody,
        complaint.CustomerResponseBody,
        complaint.ReassignBody,
        customer.CustomerCreate,
        customer.FollowUpCreate,
        customer.TransactionCreate,
        staff.StaffCreate,
        staff.StaffUpdate,
        approvals.ApprovalCreate,
        approvals.ApprovalDecisionBody,
        tasks.DecisionBody,
        tasks.CompleteBody,
        tasks.DelegateBody,
    ]
    for model in models:
        examples = model.model_json_schema()["examples"]
        assert examples, model.__name__
        for example in examples:
            model.model_validate(example)
