"""The error contract (issue 13 point 10): documented statuses, one shape, honest ?format=temporal, 401 challenge."""

from __future__ import annotations

from api.app import create_app

STATUSES = {"400", "401", "403", "404", "409", "413", "415", "422", "503"}


def test_openapi_documents_every_error_status_with_the_one_error_shape(settings) -> None:
    spec = create_app(settings).openapi()
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # the body the API never sends
    error = spec["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["error"]
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert STATUSES <= set(responses), (method, path, sorted(responses))
            for status in STATUSES:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
            assert "WWW-Authenticate" in responses["401"]["headers"]
    history = spec["paths"]["/v1/processes/{workflow_id}/history"]["get"]["responses"]["200"]
    refs = {option["$ref"] for option in history["content"]["application/json"]["schema"]["anyOf"]}
    assert refs == {"#/components/schemas/ProcessHistory", "#/components/schemas/TemporalHistoryJson"}
    assert spec["components"]["schemas"]["TemporalHistoryJson"]["required"] == ["events"]


async def test_401_answers_carry_www_authenticate(api, factory) -> None:
    org = await factory.org()
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = await api.get("/v1/customers", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Bearer realm="crmflow"'
        assert response.json()["error"]["code"] == "unauthorized"
    assert "www-authenticate" not in (await api.get("/v1/customers", headers=org.headers("ops"))).headers


async def test_format_temporal_returns_what_it_declares(api, factory, local_env) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    created = await api.post(
        "/v1/complaints",
        json={"customer_id": customer.id, "severity": "low", "category": "x", "description": "y", "channel": "email"},
        headers=org.headers("service"),
    )
    assert created.status_code == 201, created.text
    process_id = created.json()["process_id"]
    raw = await api.get(
        f"/v1/processes/{process_id}/history", params={"format": "temporal"}, headers=org.headers("ops")
    )
    assert raw.status_code == 200 and isinstance(raw.json()["events"], list) and raw.json()["events"]
    assert raw.json()["events"][0]["eventType"] in ("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED", "WorkflowExecutionStarted")
    await local_env.client.get_workflow_handle(process_id).terminate("test finished")
