"""A worker SIGKILLed in the middle of a delivery burst: every notification arrives, none is sent twice unseen."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from activities.base import DELIVERY_WORKFLOW, delivery_workflow_id
from db.models import Notification, NotificationDelivery, StaffRole
from db.repositories.audit import record_notification
from definitions.notifications import DeliveryStart
from tests.notifications.conftest import eventually, write_definitions
from tests.notify_servers import SmtpSink

# 100 notifications, 100 emails: a burst long enough to be killed in the middle of, short enough for 2 cores.
RECIPIENTS = 10
PER_RECIPIENT = 10


@pytest.fixture
def worker_env(monkeypatch: pytest.MonkeyPatch, smtp: SmtpSink, tmp_path: Path) -> None:
    """The worker process reads these (its environment is taken when `crmflow_process` is set up)."""
    monkeypatch.setenv("CRMFLOW_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CRMFLOW_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("CRMFLOW_DEFINITIONS_DIR", str(write_definitions(
        tmp_path / "definitions", retry={"initial_interval": "0.2s", "maximum_interval": "1s",
                                          "give_up_after": "5m", "send_timeout": "30s"})))
    monkeypatch.setenv("CRMFLOW_WEBHOOK_DEFAULT", "")


@pytest.fixture
def start_worker(worker_env: None, crmflow_process) -> Callable:
    return lambda: crmflow_process("worker")


@pytest.mark.timeout(600)
async def test_a_killed_worker_leaves_exactly_one_email_per_notification(
        local_env, factory, sessions, settings, smtp, start_worker) -> None:
    staff = [await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, name=f"Manager {i}") for i in range(RECIPIENTS)]
    async with sessions() as session, session.begin():
        notes = [record_notification(session, recipient_id=s.id, kind="task.reminder",
                                     subject=f"Reminder {n} for {s.name}", entity_type="task", entity_id="0")
                 for s in staff for n in range(PER_RECIPIENT)]
    for note in notes:  # what the writing activity does after its commit
        await local_env.client.start_workflow(DELIVERY_WORKFLOW, DeliveryStart(notification_id=note.id),
                                              id=delivery_workflow_id(note), task_queue=settings.task_queue)
    first = start_worker()
    await eventually(lambda: len(smtp.all()) >= 25, timeout=240, what="25 emails before the kill")
    first.send_signal(signal.SIGKILL)
    first.wait()
    start_worker()

    async def by_status() -> dict[str, int]:
        async with sessions() as session:
            return dict((s, c) for s, c in await session.execute(
                select(NotificationDelivery.status, func.count()).where(NotificationDelivery.channel == "email")
                .group_by(NotificationDelivery.status)))

    async def all_delivered() -> bool:
        return (await by_status()).get("delivered") == len(notes)

    try:
        await eventually(all_delivered, timeout=300, what="every email delivered")
    except AssertionError:
        raise AssertionError(f"not all delivered: {await by_status()}, {len(smtp.all())} received") from None
    received = smtp.all()
    ids = Counter(message["Message-ID"] for _, message in received)
    async with sessions() as session:
        deliveries = {d.message_id: d for d in await session.scalars(
            select(NotificationDelivery).where(NotificationDelivery.channel == "email"))}
        recipients = {n.id: n.recipient_id for n in await session.scalars(select(Notification))}
    # One Message-ID per notification, each at its recipient's address.
    assert set(ids) == {f"<{key}>" for key in deliveries}
    emails = {s.id: s.email for s in staff}
    for rcpts, message in received:
        delivery = deliveries[message["Message-ID"].strip("<>")]
        assert rcpts == [emails[recipients[delivery.notification_id]]]
    # A second copy exists only where crmflow recorded that it resent while unsure whether the server had
    # the first (same Message-ID, so a mailbox shows one email): the kill landed between the server's
    # "250" and our commit. Nothing is ever sent twice without that record.
    duplicates = {key: count - 1 for key, count in ids.items() if count > 1}
    for key, extra in duplicates.items():
        assert extra <= deliveries[key.strip("<>")].uncertain_resends, (key, extra)
