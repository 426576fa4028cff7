"""schemathesis over the whole OpenAPI of a live `crmflow api` (issue 13, "Done when").

Every operation is called with generated requests (a bounded number of examples each) as a manager and as an
admin; no answer may be a server error, and every status, content type and body must be what the schema
documents. CRMFLOW_SCHEMATHESIS_EXAMPLES raises the count for a deeper run by hand.
"""

from __future__ import annotations

import asyncio
import os

import hypothesis
import hypothesis.errors
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from crmflow.ports import free_port
from tests.factories import Factory
from tests.test_api_server import _wait_healthy

EXAMPLES = int(os.environ.get("CRMFLOW_SCHEMATHESIS_EXAMPLES", "6"))
# Invalid requests (wrong types, out-of-range values, missing fields): every one must be a documented 4xx.
NEGATIVE_EXAMPLES = int(os.environ.get("CRMFLOW_SCHEMATHESIS_NEGATIVE_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def fuzz(base_url: str, headers: dict[str, str], examples: int, mode: GenerationMode) -> list[str]:
    """Run every operation with generated requests; one line per operation that failed a check."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis.settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failure is enough
            suppress_health_check=list(HealthCheck),
        )
        def call(case) -> None:
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=30)

        try:
            call()
        except hypothesis.errors.Unsatisfiable:
            pass  # negative mode on an operation without inputs (e.g. /healthz): nothing invalid can be sent
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected: one run reports every failure
            failures.append(f"{operation.label} ({mode.value}): {str(exc).strip()[:1500]}")
    return failures


async def live_api(crmflow_process) -> str:
    """`crmflow api` as an OS process on a free port, healthy."""
    port = free_port()
    process = crmflow_process("api", "--port", str(port))
    base_url = f"http://127.0.0.1:{port}"
    await _wait_healthy(base_url, process)
    return base_url


@pytest.mark.timeout(600)
async def test_every_operation_answers_as_documented_for_a_manager_and_an_admin(
    local_env, run_worker, factory: Factory, crmflow_process
) -> None:
    org = await factory.org()
    await factory.customer(owner=org.l2)
    failures = []
    # A worker runs the processes the requests start (the fuzzing runs in a thread, off this event loop).
    async with run_worker(local_env.client):
        base_url = await live_api(crmflow_process)
        # The manager first: the admin's run may deactivate that manager (their token then answers 401, documented).
        for who in ("l2", "admin"):
            for mode, examples in ((GenerationMode.POSITIVE, EXAMPLES), (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES)):
                failures += [
                    f"[{who}] {line}"
                    for line in await asyncio.to_thread(fuzz, base_url, org.headers(who), examples, mode)
                ]
    assert not failures, "\n\n".join(failures)
