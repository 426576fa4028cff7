"""Every kind renders in zh-CN and en, names the customer and the subject, and escapes what it shows in HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from crmflow.notify.render import KNOWN_KINDS, format_when, render

CUSTOMER = "Acme <script>alert(1)</script> 贸易"


def _context(kind: str, language: str) -> dict:
    deadline = format_when(datetime(2026, 3, 2, 1, 30, tzinfo=UTC), ZoneInfo("Asia/Shanghai"), language)
    return {
        "recipient": "王经理",
        "customer": CUSTOMER,
        "complaint": {
            "severity": "critical",
            "severity_label": "紧急" if language == "zh-CN" else "critical",
            "category": "billing",
            "description": "charged twice",
            "status": "open",
        },
        "task": {"title": "Approve compensation of 500", "kind": "approval", "status": "open"},
        "deadline": deadline,
        "deadline_at": None,
        "phase": "respond",
        "phase_label": "respond to",
        "phase_done": "acknowledged",
        "level": 2,
        "fraction": 75,
        "other": "李主管",
        "outcome": "approved",
        "outcome_label": "approved",
        "amount": "500",
        "subject": f"Something about {kind}",
        "subject_zh": None,
        "link": "https://crm.example.test/complaints/abc",
        "items": [],
    }


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("kind", KNOWN_KINDS)
def test_every_kind_renders_with_customer_deadline_and_link(kind: str, language: str) -> None:
    rendered = render(kind, language, _context(kind, language))
    assert rendered.subject and "None" not in rendered.subject and "\n" not in rendered.subject
    assert "https://crm.example.test/complaints/abc" in rendered.text
    if kind.startswith(("complaint.", "task.")):
        assert CUSTOMER in rendered.text, rendered.text
    if kind in ("complaint.assigned", "complaint.escalated", "task.assigned", "task.reminder"):
        # The deadline in the recipient's timezone (09:30 in Shanghai for 01:30 UTC).
        assert "09:30" in rendered.text and "Asia/Shanghai" in rendered.text
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert CUSTOMER in rendered.markdown or kind not in ("complaint.escalated",)


def test_languages_differ_and_digest_lists_items() -> None:
    zh = render("complaint.escalated", "zh-CN", _context("complaint.escalated", "zh-CN"))
    en = render("complaint.escalated", "en", _context("complaint.escalated", "en"))
    assert "升级" in zh.subject and "Escalated to you" in en.subject
    context = {
        **_context("digest", "en"),
        "items": [
            {"subject": "New complaint from Acme", "deadline": "Mon 02 Mar 2026, 09:30 (Asia/Shanghai)", "link": "L1"},
            {"subject": "Reminder: kickoff", "deadline": "", "link": "L2"},
        ],
    }
    digest = render("digest", "en", context)
    assert digest.subject == "2 notifications while you were away"
    assert "New complaint from Acme" in digest.text and "L2" in digest.text
