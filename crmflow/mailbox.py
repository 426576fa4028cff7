"""The local SMTP sink of `crmflow dev`: every message it receives is stored as one .eml file in ./var/mailbox/."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import structlog
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class MailboxMessage:
    """One stored message, as a mailbox page lists it."""

    id: str  # the file name without .eml
    path: Path
    received_at: datetime
    sender: str
    recipients: list[str]
    subject: str
    message_id: str | None


class MailboxHandler:
    """aiosmtpd handler: accepts every message and writes it (envelope headers prepended) to `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        received = datetime.now(UTC)
        # Time first, so sorting file names sorts by arrival; the uuid keeps two messages in one microsecond apart.
        name = f"{received.strftime('%Y%m%dT%H%M%S%fZ')}-{uuid.uuid4().hex[:8]}"
        content = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        headers = (f"X-Mailbox-From: {envelope.mail_from}\r\nX-Mailbox-To: {', '.join(envelope.rcpt_tos)}\r\n").encode()
        self.directory.mkdir(parents=True, exist_ok=True)
        # Write then rename: a reader listing the folder never sees half a message.
        partial = self.directory / f".{name}.part"
        partial.write_bytes(headers + content)
        os.replace(partial, self.directory / f"{name}.eml")
        log.info("mailbox.received", id=name, sender=envelope.mail_from, recipients=envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def start_smtp_sink(directory: Path, *, host: str = "127.0.0.1", port: int = 1025) -> Controller:
    """Start the SMTP sink in its own thread (stop it with `.stop()`)."""
    controller = Controller(MailboxHandler(directory), hostname=host, port=port)
    controller.start()
    return controller


def list_messages(directory: Path, *, limit: int | None = None) -> list[MailboxMessage]:
    """The stored messages, newest first (headers only are parsed)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    paths = sorted(directory.glob("*.eml"), reverse=True)
    return [read_message(path) for path in paths[:limit]]


def read_message(path: Path) -> MailboxMessage:
    """One stored message's envelope and headers."""
    message = message_from_bytes(Path(path).read_bytes(), policy=policy.default)
    received = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    if message["Date"]:
        try:
            received = parsedate_to_datetime(str(message["Date"]))
        except (TypeError, ValueError):
            pass  # a malformed Date header: the file's time is the best we know
    recipients = [r.strip() for r in str(message.get("X-Mailbox-To", "")).split(",") if r.strip()]
    return MailboxMessage(
        id=path.stem,
        path=path,
        received_at=received,
        sender=str(message.get("X-Mailbox-From") or message.get("From") or ""),
        recipients=recipients or [str(message.get("To") or "")],
        subject=str(message.get("Subject") or ""),
        message_id=message.get("Message-ID"),
    )
