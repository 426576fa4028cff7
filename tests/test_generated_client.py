"""The integrators' generated client (clients/python) against a live API, and that it matches today's OpenAPI."""

from __future__ import annotations

import json
import sys
from http import HTTPStatus
from pathlib import Path

import pytest

from api.openapi import openapi_document
from tests.factories import Factory
from tests.test_schemathesis import live_api

CLIENTS = Path(__file__).resolve().parent.parent / "clients"
# Imported from the repository, not installed: the test needs nothing the dev environment lacks.
sys.path.insert(0, str(CLIENTS / "python"))

from crmflow_client import AuthenticatedClient  # noqa: E402
from crmflow_client.api.complaints import (  # noqa: E402
    complaints_acknowledge,
    complaints_create_complaint,
    complaints_customer_response,
    complaints_get_one,
    complaints_list_all,
    complaints_resolve,
)
from crmflow_client.api.reviews import reviews_list_reviews  # noqa: E402
from crmflow_client.models import (  # noqa: E402
    AcknowledgeBody,
    ComplaintCreate,
    ComplaintCreateSeverity,
    ComplaintList,
    ComplaintOut,
    ComplaintOutStatus,
    CustomerResponseBody,
    ErrorBody,
    ResolveBody,
    ReviewList,
)


def test_the_committed_openapi_is_the_apps() -> None:
    """clients/openapi.json is what the app serves: a route or schema changed without `make client` fails here."""
    committed = json.loads((CLIENTS / "openapi.json").read_text(encoding="utf-8"))
    assert committed == openapi_document(), "the API changed: run `make client` and commit clients/"


def test_the_committed_client_has_every_operation_and_model() -> None:
    """Every operation of the document has its module in the client and every schema its model (and no extras)."""
    spec = openapi_document()
    package = CLIENTS / "python" / "crmflow_client"
    operations = {(op["tags"][0], op["operationId"]) for path in spec["paths"].values() for op in path.values()}
    generated = {
        (module.parent.name, module.stem) for module in (package / "api").glob("*/*.py") if module.stem != "__init__"
    }
    assert generated == operations
    import crmflow_client.models as models

    titles = {schema.get("title", name) for name, schema in spec["components"]["schemas"].items()}
    missing = {title for title in titles if not hasattr(models, title.replace(" ", "").replace("-", ""))}
    assert not missing, f"schemas without a generated model: {sorted(missing)}"


@pytest.mark.timeout(300)
async def test_an_integrator_files_and_follows_a_complaint_through_the_client(
    local_env, run_worker, factory: Factory, crmflow_process
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with run_worker(local_env.client):
        base_url = await live_api(crmflow_process)
        service = AuthenticatedClient(base_url=base_url, token=org.tokens["service"], timeout=60)
        owner = AuthenticatedClient(base_url=base_url, token=org.tokens["l2"], timeout=60)
        async with service, owner:
            filed = await complaints_create_complaint.asyncio_detailed(
                client=service,
                idempotency_key="generated-client-1",
                body=ComplaintCreate(
                    customer_id=customer.id,
                    severity=ComplaintCreateSeverity.HIGH,
                    category="delivery",
                    description="Arrived two weeks late.",
                    channel="phone",
                ),
            )
            assert filed.status_code == HTTPStatus.CREATED, filed.content
            complaint = filed.parsed
            assert isinstance(complaint, ComplaintOut)
            assert (complaint.status, complaint.customer_id, complaint.owner_id) == (
                ComplaintOutStatus.OPEN,
                customer.id,
                org.l2.id,
            )

            # The same key again names the same complaint (200, typed as the complaint too).
            again = await complaints_create_complaint.asyncio_detailed(
                client=service,
                idempotency_key="generated-client-1",
                body=ComplaintCreate(
                    customer_id=customer.id,
                    severity=ComplaintCreateSeverity.HIGH,
                    category="delivery",
                    description="Arrived two weeks late.",
                    channel="phone",
                ),
            )
            assert again.status_code == HTTPStatus.OK and again.parsed.id == complaint.id

            # A service token files complaints but does not handle them: the typed error says why.
            # (An optional body is always passed: the generator would send its UNSET marker as JSON.)
            denied = await complaints_acknowledge.asyncio_detailed(complaint.id, client=service, body=AcknowledgeBody())
            assert denied.status_code == HTTPStatus.FORBIDDEN and isinstance(denied.parsed, ErrorBody)
            assert denied.parsed.error.code == "forbidden"

            acknowledged = await complaints_acknowledge.asyncio(
                complaint.id, client=owner, body=AcknowledgeBody(note="Checking with logistics.")
            )
            assert isinstance(acknowledged, ComplaintOut) and acknowledged.status == ComplaintOutStatus.IN_PROGRESS

            resolved = await complaints_resolve.asyncio(
                complaint.id, client=owner, body=ResolveBody(resolution="Expedited the next order.")
            )
            assert isinstance(resolved, ComplaintOut) and resolved.status == ComplaintOutStatus.RESOLVED
            assert resolved.resolution == "Expedited the next order."

            accepted = await complaints_customer_response.asyncio(
                complaint.id, client=service, body=CustomerResponseBody(accepted=True, satisfaction=5)
            )
            assert isinstance(accepted, ComplaintOut) and accepted.status == ComplaintOutStatus.CLOSED

            fetched = await complaints_get_one.asyncio(complaint.id, client=owner)
            assert isinstance(fetched, ComplaintOut) and fetched.status == ComplaintOutStatus.CLOSED
            listed = await complaints_list_all.asyncio(client=owner, customer_id=customer.id)
            assert isinstance(listed, ComplaintList) and [c.id for c in listed.items] == [complaint.id]
            assert (listed.total, listed.limit, listed.offset) == (1, 50, 0)
            # Every list is a page: items plus its total or cursor (here: no reviews, a total of zero).
            reviews = await reviews_list_reviews.asyncio(client=owner, period="1971Q1")
            assert isinstance(reviews, ReviewList) and (reviews.items, reviews.total, reviews.limit) == ([], 0, 100)
