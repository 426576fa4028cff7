"""Sending starts and updates to Temporal within a deadline, with Idempotency-Key as the update id."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.auth import Actor
from api.errors import ApiError, conflict
from definitions.tasks import ERR_CONFLICT, ERR_FORBIDDEN, ERR_INVALID, ERR_NOT_FOUND, ERR_NOT_READY

T = TypeVar("T")

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Retry-safe: a retry with the same key returns the first answer, never a conflict",
    ),
]
# What a Temporal call cut off by our deadline raises (the SDK turns the cancelled wait into its own error).
DEADLINE_ERRORS = (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError)
# How long a client should wait before retrying what the engine could not take in time.
RETRY_AFTER_SECONDS = 5


def update_id_for(actor: Actor, action: str, target: object, key: str | None) -> str | None:
    """The Temporal update id of a keyed request: the same caller, action, target and key name one update."""
    if key is None:
        return None
    digest = hashlib.sha256(f"{actor.principal_id}:{key}".encode()).hexdigest()[:32]
    return f"{action}:{target}:{digest}"


# How the workflows' update validators refuse (definitions/tasks.py) maps onto HTTP.
REFUSAL_STATUS = {ERR_FORBIDDEN: 403, ERR_CONFLICT: 409, ERR_NOT_READY: 409, ERR_INVALID: 422, ERR_NOT_FOUND: 409}


def refused(
    exc: WorkflowUpdateFailedError, update: str, what: str, field: Callable[[str], str] = lambda name: name
) -> ApiError:
    """A process's refusal of an update as 403/409/422; per-field problems name the request's fields via `field`."""
    cause = exc.cause
    if isinstance(cause, ApplicationError) and cause.type in REFUSAL_STATUS:
        details: Any = cause.details[0] if cause.details else None
        if isinstance(details, dict) and cause.type == ERR_INVALID:
            details = [{"field": field(name), "message": message} for name, message in details.items()]
        return ApiError(REFUSAL_STATUS[cause.type], cause.message, details=details)
    return ApiError(409, f"{what} refused the {update}: {cause or exc}")


def not_reached(exc: RPCError, gone: str) -> ApiError:
    """409 when the process no longer runs (`gone` says what), else 503: Temporal itself did not answer."""
    if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
        return conflict(gone)
    return unavailable(f"Temporal is unavailable: {exc.message}")


def unavailable(message: str) -> ApiError:
    """503 with Retry-After: nothing was lost, the same request (same key) may be sent again."""
    return ApiError(503, message, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


async def within(deadline: float, call: Awaitable[T], what: str) -> T:
    """Await a Temporal call for at most `deadline` seconds; 503 with Retry-After when it does not answer."""
    try:
        return await asyncio.wait_for(call, deadline)
    except DEADLINE_ERRORS:
        raise unavailable(f"{what} did not answer within {deadline:g}s; retry with the same Idempotency-Key") from None


async def answered_before(handle: WorkflowHandle, update_id: str | None, deadline: float) -> bool:
    """Whether an update with this id already completed (a retry of a request that went through)."""
    if update_id is None:
        return False
    try:
        await asyncio.wait_for(handle.get_update_handle(update_id).result(), deadline)
    except (RPCError, *DEADLINE_ERRORS):
        return False
    except Exception:  # noqa: BLE001 - it completed, with a refusal: still the first answer's update
        return True
    return True


def update_kwargs(update_id: str | None) -> dict[str, Any]:
    return {"id": update_id} if update_id else {}


class UpdateOptions:
    """What an update endpoint needs beyond its body: the caller's Idempotency-Key and the deadline."""

    def __init__(self, key: str | None, deadline: float) -> None:
        self.key = key
        self.deadline = deadline


def update_options(request: Request, key: IdempotencyKey = None) -> UpdateOptions:
    return UpdateOptions(key, request.app.state.settings.temporal_deadline_seconds)


UpdateOpts = Annotated[UpdateOptions, Depends(update_options)]
