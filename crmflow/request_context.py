"""The request id of the HTTP call that starts or updates a process travels with it: client → workflow → activity.

A Temporal header carries it (like the SDK's context-propagation sample); activity log lines bind it, so one
grep for a request id finds the API's access line, its workflow's activities and their SQL errors.
"""

from __future__ import annotations

from typing import Any, NoReturn

import structlog
import temporalio.client
import temporalio.worker
from temporalio import workflow
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadConverter

HEADER = "crmflow-request-id"
_converter = PayloadConverter.default


def _current() -> str | None:
    value = structlog.contextvars.get_contextvars().get("request_id")
    return value if isinstance(value, str) else None


def _with_request_id(headers: dict[str, Payload], request_id: str | None) -> dict[str, Payload]:
    if request_id is None or HEADER in headers:
        return headers
    return {**headers, HEADER: _converter.to_payload(request_id)}


def _read(headers: Any) -> str | None:
    payload = headers.get(HEADER) if headers else None
    if payload is None:
        return None
    value = _converter.from_payload(payload, str)
    return value if isinstance(value, str) else None


class _ClientOutbound(temporalio.client.OutboundInterceptor):
    async def start_workflow(self, input: temporalio.client.StartWorkflowInput) -> Any:
        input.headers = _with_request_id(dict(input.headers), _current())
        return await super().start_workflow(input)

    async def signal_workflow(self, input: temporalio.client.SignalWorkflowInput) -> None:
        input.headers = _with_request_id(dict(input.headers), _current())
        await super().signal_workflow(input)

    async def start_workflow_update(self, input: temporalio.client.StartWorkflowUpdateInput) -> Any:
        input.headers = _with_request_id(dict(input.headers), _current())
        return await super().start_workflow_update(input)

    async def start_update_with_start_workflow(self, input: temporalio.client.StartWorkflowUpdateWithStartInput) -> Any:
        request_id = _current()
        start, update = input.start_workflow_input, input.update_workflow_input
        start.headers = _with_request_id(dict(start.headers), request_id)
        update.headers = _with_request_id(dict(update.headers), request_id)
        return await super().start_update_with_start_workflow(input)


class _WorkflowOutbound(temporalio.worker.WorkflowOutboundInterceptor):
    def __init__(self, next: temporalio.worker.WorkflowOutboundInterceptor, inbound: _WorkflowInbound) -> None:
        super().__init__(next)
        self._inbound = inbound

    def start_activity(self, input: temporalio.worker.StartActivityInput) -> workflow.ActivityHandle[Any]:
        input.headers = _with_request_id(dict(input.headers), self._inbound.request_id)
        return super().start_activity(input)

    async def start_child_workflow(self, input: temporalio.worker.StartChildWorkflowInput) -> Any:
        input.headers = _with_request_id(dict(input.headers), self._inbound.request_id)
        return await super().start_child_workflow(input)

    def continue_as_new(self, input: temporalio.worker.ContinueAsNewInput) -> NoReturn:
        input.headers = _with_request_id(dict(input.headers), self._inbound.request_id)
        super().continue_as_new(input)


class _WorkflowInbound(temporalio.worker.WorkflowInboundInterceptor):
    """Remembers the latest request id that reached the run (start, update, signal): the one activities carry."""

    request_id: str | None = None

    def init(self, outbound: temporalio.worker.WorkflowOutboundInterceptor) -> None:
        super().init(_WorkflowOutbound(outbound, self))

    async def execute_workflow(self, input: temporalio.worker.ExecuteWorkflowInput) -> Any:
        self.request_id = _read(input.headers) or self.request_id
        return await super().execute_workflow(input)

    async def handle_signal(self, input: temporalio.worker.HandleSignalInput) -> None:
        self.request_id = _read(input.headers) or self.request_id
        await super().handle_signal(input)

    async def handle_update_handler(self, input: temporalio.worker.HandleUpdateInput) -> Any:
        self.request_id = _read(input.headers) or self.request_id
        return await super().handle_update_handler(input)


class _ActivityInbound(temporalio.worker.ActivityInboundInterceptor):
    async def execute_activity(self, input: temporalio.worker.ExecuteActivityInput) -> Any:
        request_id = _read(input.headers)
        if request_id is None:
            return await super().execute_activity(input)
        # Each activity runs in its own task (own contextvars), so the binding cannot leak into another one.
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            return await super().execute_activity(input)


class RequestContextInterceptor(temporalio.client.Interceptor, temporalio.worker.Interceptor):
    """On the client: stamps the bound request id on starts, updates and signals; workers of that client inherit it."""

    def intercept_client(self, next: temporalio.client.OutboundInterceptor) -> temporalio.client.OutboundInterceptor:
        return _ClientOutbound(next)

    def intercept_activity(
        self, next: temporalio.worker.ActivityInboundInterceptor
    ) -> temporalio.worker.ActivityInboundInterceptor:
        return _ActivityInbound(next)

    def workflow_interceptor_class(
        self, input: temporalio.worker.WorkflowInterceptorClassInput
    ) -> type[temporalio.worker.WorkflowInboundInterceptor]:
        return _WorkflowInbound
