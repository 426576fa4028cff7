"""The dev SMTP sink stores what it receives as .eml files and lists them."""

from __future__ import annotations

import asyncio
import smtplib
from email import message_from_bytes, policy
from email.message import EmailMessage

from crmflow.mailbox import list_messages, start_smtp_sink
from crmflow.ports import free_port


def _send(port: int, subject: str, to: str) -> None:
    message = EmailMessage()
    message["From"] = "crmflow@crmflow-demo.cn"
    message["To"] = to
    message["Subject"] = subject
    message.set_content("投诉 C-1 已升级，请处理。")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(message)


async def test_the_sink_stores_each_message_as_one_eml_file(tmp_path) -> None:
    port = free_port()
    sink = start_smtp_sink(tmp_path / "mailbox", port=port)
    try:
        await asyncio.to_thread(_send, port, "投诉升级通知", "li.wei@crmflow-demo.cn")
        await asyncio.to_thread(_send, port, "second", "zhao.min@crmflow-demo.cn")
    finally:
        sink.stop()
    files = sorted((tmp_path / "mailbox").glob("*.eml"))
    assert len(files) == 2 and not list((tmp_path / "mailbox").glob(".*"))
    messages = list_messages(tmp_path / "mailbox")
    assert [m.subject for m in messages] == ["second", "投诉升级通知"]  # newest first
    first = messages[1]
    assert first.recipients == ["li.wei@crmflow-demo.cn"] and first.sender == "crmflow@crmflow-demo.cn"
    stored = message_from_bytes(first.path.read_bytes(), policy=policy.default)
    assert stored.get_body().get_content().strip() == "投诉 C-1 已升级，请处理。"


def test_an_empty_or_missing_mailbox_lists_nothing(tmp_path) -> None:
    assert list_messages(tmp_path / "nothing-here") == []
