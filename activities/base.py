"""What every activity class shares: one transaction per activity and run-once semantics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from db.engine import SessionFactory
from db.repositories.audit import find_operation


def operation_key(suffix: str = "") -> str:
    """A key stable across retries of this activity execution (workflow run + activity id)."""
    info = activity.info()
    return f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}{suffix}"


# The failure type of an activity that bad data stopped (no retry can help).
DATA_ERROR = "DataError"

RowT = TypeVar("RowT")


def staff_actor(staff_id: int | None, system_actor: str) -> str:
    """Who an audit event names: the deciding staff member, else the process itself."""
    return f"staff:{staff_id}" if staff_id is not None else system_actor


async def require_row(session: AsyncSession, model: type[RowT], ident: Any) -> RowT:
    """The row, or a non-retryable failure: a row a process relies on does not appear by retrying."""
    row = await session.get(model, ident)
    if row is None:
        name = model.__name__
        raise ApplicationError(f"{name.lower()} {ident} does not exist", type=f"{name}Missing", non_retryable=True)
    return row


class ActivitiesBase:
    """Holds the session factory; activities are its methods."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self.sessions = session_factory

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One transaction, committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def once(self, key: str) -> AsyncIterator[tuple[AsyncSession, bool]]:
        """A transaction plus whether `key` was already applied; the caller audits with `key`.

        A retried activity finds its own audit row and writes nothing again. Two attempts
        racing are stopped by the unique operation_key: the loser fails, and its retry
        then sees the winner's row.
        """
        async with self.transaction() as session:
            yield session, await find_operation(session, key) is not None


def permanent_data_error(exc: BaseException) -> str | None:
    """Why a retry cannot fix `exc` (a value the database refuses), or None for errors worth retrying."""
    from sqlalchemy.exc import DataError, IntegrityError, StatementError

    if isinstance(exc, DataError):
        return "value refused by the database"
    if isinstance(exc, IntegrityError):
        # A lost race on a unique key (e.g. the operation key) is settled by the retry; other constraints are not.
        text = str(exc.orig).lower()
        sqlstate = getattr(exc.orig, "sqlstate", None)
        if sqlstate == "23505" or "unique" in text:
            return None
        return "constraint violated"
    if isinstance(exc, StatementError) and isinstance(exc.orig, ValueError | OverflowError):
        return "value cannot be stored"
    if isinstance(exc, OverflowError | UnicodeError):
        return "value cannot be stored"
    return None


class DataErrorInterceptor(Interceptor):
    """Marks activity failures caused by bad data as non-retryable, so a process never retries them forever."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _NonRetryableDataErrors(next)


class _NonRetryableDataErrors(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        try:
            return await super().execute_activity(input)
        except Exception as exc:
            reason = permanent_data_error(exc)
            if reason is None:
                raise
            first_line = (str(getattr(exc, "orig", None) or exc).splitlines() or [""])[0][:300]
            # The message is logged and shown to ops; it never echoes the offending value's bytes.
            raise ApplicationError(f"{reason}: {first_line.replace(chr(0), '')}", type=DATA_ERROR,
                                   non_retryable=True) from exc
