"""What every activity class shares: one transaction per activity and run-once semantics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from db.engine import SessionFactory
from db.repositories.audit import find_operation


def operation_key(suffix: str = "") -> str:
    """A key stable across retries of this activity execution (workflow run + activity id)."""
    info = activity.info()
    return f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}{suffix}"


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
