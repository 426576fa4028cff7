"""What every activity class shares: one transaction per activity and run-once semantics."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from typing import Any, TypeVar

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from crmflow.settings import Settings, get_settings
from db.engine import SessionFactory
from db.models import Notification
from db.repositories.audit import BULK_NOTIFICATIONS, NEW_NOTIFICATIONS, find_operation
from db.repositories.contacts import schedule_next_contacts
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition
from definitions.notifications import DeliveryStart

log = structlog.get_logger(__name__)

# Registered by workflows/notifications.py; named here so activities import no workflow module.
DELIVERY_WORKFLOW = "NotificationDeliveryWorkflow"


def delivery_workflow_id(notification: Notification) -> str:
    """One delivery workflow per notification: a second start (a retried activity) is refused by Temporal.

    The creation time (milliseconds) is part of it so a database rebuilt from scratch (ids counted anew)
    never meets the workflows of its predecessor.
    """
    return f"notification-{notification.id}-{int(notification.created_at.timestamp() * 1000)}"


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


def _in_activity() -> bool:
    try:
        activity.info()
    except RuntimeError:
        return False
    return True


def _first_attempt() -> bool:
    """Whether this is an activity's first attempt (outside an activity: no, so the key is read)."""
    return _in_activity() and activity.info().attempt == 1


def _activity_key() -> str:
    info = activity.info()
    return f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}"


async def start_deliveries(notifications: list[Notification]) -> None:
    """Start the delivery workflow of each notification (outbox → Temporal), once per notification.

    Runs after the outbox rows committed: a start that fails fails the activity, whose retry finds the
    rows by their source key and starts them again; Temporal refuses a second start of the same id.
    """
    try:
        client = activity.client()
        task_queue = activity.info().task_queue
    except RuntimeError:
        # An activity run without a Temporal client (ActivityEnvironment in unit tests): nothing to start.
        log.warning(
            "notifications.not_started", notification_ids=[n.id for n in notifications], reason="no Temporal client"
        )
        return
    await start_delivery_workflows(client, task_queue, notifications)


async def start_delivery_workflows(client: Client, task_queue: str, notifications: list[Notification]) -> None:
    """Start each notification's delivery workflow; one that already exists is left alone."""
    for notification in notifications:
        try:
            await client.start_workflow(
                DELIVERY_WORKFLOW,
                DeliveryStart(notification_id=notification.id),
                id=delivery_workflow_id(notification),
                task_queue=task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            pass


class ActivitiesBase:
    """Holds the session factory; activities are its methods."""

    def __init__(self, session_factory: SessionFactory, settings: Settings | None = None) -> None:
        self.sessions = session_factory
        self._settings = settings

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    async def move_next_contact(self, session: AsyncSession, customer_id: int) -> None:
        """Re-derive the customer's next-contact date after its owner, tier or status changed (DESIGN §3.9).

        The contact rhythm is the reclaim definition's in force (this change is not that process's run);
        the daily reclaim run re-derives every date from its pinned snapshot anyway.
        """
        definition = await asyncio.to_thread(load_as, self.settings.definitions_dir, ReclaimDefinition)
        await schedule_next_contacts(session, definition=definition, customer_ids=[customer_id])

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One transaction, committed on success, rolled back on error; then the delivery of its notifications."""
        async with self.sessions() as session:
            async with session.begin():
                yield session
            written = {n.id: n for n in session.info.pop(NEW_NOTIFICATIONS, [])}
            bulk = session.info.pop(BULK_NOTIFICATIONS, False)
            if _in_activity() and (bulk or activity.info().attempt > 1):
                # Set-based inserts, or an earlier attempt that committed and died before starting the deliveries.
                key = _activity_key()
                for note in await session.scalars(select(Notification).where(Notification.source_key == key)):
                    written.setdefault(note.id, note)
        if written and self.settings.notifications_deliver:
            await start_deliveries([written[i] for i in sorted(written)])

    @asynccontextmanager
    async def once(self, key: str, *, read_first: bool = True) -> AsyncIterator[tuple[AsyncSession, bool]]:
        """A transaction plus whether `key` was already applied; the caller audits with `key`.

        A retried activity finds its own audit row and writes nothing again. Two attempts
        racing are stopped by the unique operation_key: the loser fails, and its retry
        then sees the winner's row.

        `read_first=False` skips the look-up on an activity's first attempt (one statement less on the hot
        path): the key names this run's activity, so only a retry can find it applied; a duplicate insert of
        the key fails on the unique index like a lost race, and its retry reads first.
        """
        async with self.transaction() as session:
            if not read_first and _first_attempt():
                yield session, False
            else:
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
            raise ApplicationError(
                f"{reason}: {first_line.replace(chr(0), '')}", type=DATA_ERROR, non_retryable=True
            ) from exc
