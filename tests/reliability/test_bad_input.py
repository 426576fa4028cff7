"""Bad data never loops or 500s (issue 13 point 3): NUL, out-of-range ints and dates, size and content type."""

from __future__ import annotations

import pytest

BIG = [2**31, 2**63]
BAD_DATES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]
COMPLAINT = {"severity": "high", "category": "billing", "description": "charged twice", "channel": "email"}


def _invalid(response, status: int = 422) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] and error["message"]


async def test_nul_and_lone_surrogates_are_refused_in_bodies_paths_and_queries(api, factory) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    for text in ("charged\u0000twice", "bad \ud800 text"):
        body = {**COMPLAINT, "customer_id": customer.id, "description": text}
        # json= cannot encode a lone surrogate; the escaped JSON text is what a client sends on the wire.
        import json

        raw = json.dumps(body)
        response = await api.post(
            "/v1/complaints", content=raw, headers={**org.headers("service"), "content-type": "application/json"}
        )
        _invalid(response)
        assert "description" in response.json()["error"]["message"]
    _invalid(
        await api.post(
            f"/v1/customers/{customer.id}/follow-ups",
            json={"channel": "phone", "note": "a\x00b"},
            headers=org.headers("l2"),
        )
    )
    _invalid(await api.post("/v1/customers", json={"name": "x\x00", "region": "east"}, headers=org.headers("service")))
    _invalid(await api.get("/v1/complaints/abc%00def", headers=org.headers("ops")))
    _invalid(await api.get("/v1/pool", params={"region": "ea\x00st"}, headers=org.headers("ops")))


@pytest.mark.parametrize("big", BIG)
async def test_integers_beyond_the_columns_are_422_in_paths_queries_and_bodies(api, factory, big) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    admin, ops = org.headers("admin"), org.headers("ops")
    for path in (
        f"/v1/customers/{big}",
        f"/v1/tasks/{big}",
        f"/v1/staff/{big}",
        f"/v1/customers/{big}/timeline",
        f"/v1/customers/{big}/follow-ups",
    ):
        _invalid(await api.get(path, headers=admin))
    for path, params in (
        ("/v1/customers", {"owner_id": big}),
        ("/v1/customers", {"offset": big}),
        ("/v1/complaints", {"customer_id": big}),
        ("/v1/tasks", {"assignee_id": big}),
        ("/v1/staff", {"supervisor_id": big}),
        ("/v1/reviews", {"manager_id": big}),
        ("/v1/pool", {"offset": big}),
        ("/v1/processes", {"customer_id": big}),
    ):
        _invalid(await api.get(path, params=params, headers=ops))
    _invalid(await api.post("/v1/complaints", json={**COMPLAINT, "customer_id": big}, headers=org.headers("service")))
    _invalid(
        await api.post(
            "/v1/staff",
            json={"name": "N", "email": "n@example.test", "role": "director", "supervisor_id": big},
            headers=admin,
        )
    )
    _invalid(await api.patch(f"/v1/staff/{org.l2.id}", json={"delegate_id": big}, headers=admin))
    _invalid(await api.post(f"/v1/pool/{customer.id}/claim", json={"staff_id": big}, headers=admin))
    _invalid(await api.post(f"/v1/tasks/{big}/delegate", json={"to_staff_id": 1}, headers=admin))


@pytest.mark.parametrize("when", BAD_DATES)
async def test_dates_beyond_what_the_database_stores_are_422(api, factory, when) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    _invalid(
        await api.post(
            f"/v1/customers/{customer.id}/follow-ups",
            json={"channel": "phone", "occurred_at": when},
            headers=org.headers("l2"),
        )
    )
    _invalid(
        await api.patch(f"/v1/staff/{org.l2.id}", json={"out_of_office_until": when}, headers=org.headers("admin"))
    )
    _invalid(
        await api.post(
            f"/v1/customers/{customer.id}/transactions",
            json={"amount": "10.00", "occurred_on": "0001-01-01"},
            headers=org.headers("service"),
        )
    )


async def test_oversized_bodies_get_413_and_other_content_types_415(api, factory) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    huge = {**COMPLAINT, "customer_id": customer.id, "description": "x" * 1_100_000}
    _invalid(await api.post("/v1/complaints", json=huge, headers=org.headers("service")), 413)

    async def chunked():
        for _ in range(12):
            yield b"x" * 100_000

    _invalid(
        await api.post(
            "/v1/complaints", content=chunked(), headers={**org.headers("service"), "content-type": "application/json"}
        ),
        413,
    )
    _invalid(
        await api.post("/v1/complaints", data={"customer_id": str(customer.id)}, headers=org.headers("service")), 415
    )
    _invalid(
        await api.post(
            "/v1/complaints",
            content=b'{"customer_id": 1}',
            headers={**org.headers("service"), "content-type": "text/plain"},
        ),
        415,
    )
    # An action without a body needs no content type.
    response = await api.post("/v1/complaints/nope/acknowledge", headers=org.headers("l2"))
    assert response.status_code == 404, response.text
