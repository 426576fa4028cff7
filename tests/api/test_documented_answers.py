"""What schemathesis found (tests/test_schemathesis.py), pinned one by one: bounded ids and documented statuses."""

from __future__ import annotations

import pytest

from tests.factories import Factory, Org

HUGE = 2**70  # beyond every integer column: a 422, never a database overflow (500)


@pytest.fixture
async def org(factory: Factory) -> Org:
    return await factory.org()


@pytest.mark.parametrize(("method", "path", "who"), [
    ("GET", f"/v1/approvals?offset={HUGE}", "l2"),
    ("GET", f"/v1/approvals?customer_id={HUGE}", "admin"),
    ("GET", f"/v1/staff/{HUGE}/preferences", "admin"),
    ("PUT", f"/v1/staff/{HUGE}/preferences", "admin"),
    ("GET", f"/v1/notifications/{HUGE}", "l2"),
    ("POST", f"/v1/notifications/{HUGE}/read", "l2"),
    ("GET", f"/v1/notifications/deliveries?notification_id={HUGE}", "ops"),
    ("POST", f"/v1/notifications/deliveries/{HUGE}/retry", "ops"),
])
async def test_ids_and_offsets_beyond_the_columns_are_422(api, org: Org, method: str, path: str, who: str) -> None:
    response = await api.request(method, path, headers=org.headers(who), json={} if method == "PUT" else None)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"]


async def test_statuses_the_routes_answer_are_documented(api) -> None:
    paths = (await api.get("/openapi.json")).json()["paths"]
    # A second start of the same period answers 200 with started=false (tests/api/test_reviews.py).
    assert "200" in paths["/v1/review-cycles"]["post"]["responses"]
    # A deactivation whose hand-over is still running answers 202 (tests/api/test_staff_handover.py).
    assert "202" in paths["/v1/staff/{staff_id}"]["patch"]["responses"]
