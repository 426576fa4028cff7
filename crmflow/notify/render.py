"""Render a notification from its kind's template (zh-CN / en) into subject, text, HTML and chat markdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, TemplateError, TemplateNotFound
from markupsafe import Markup, escape

# Kinds that share one template (the outcome word is in the context).
_FAMILIES = {
    "complaint.compensation_": "complaint.compensation",
    "task.": "task.decided",
}
_OWN = {
    "complaint.assigned",
    "complaint.sla_warning",
    "complaint.escalated",
    "complaint.sla_breached",
    "complaint.director_alert",
    "complaint.escalation_reminder",
    "complaint.reopened",
    "complaint.customer_replied",
    "task.assigned",
    "task.reminder",
    "task.escalated",
    "task.escalated_away",
    "task.delegated",
    "contact.reminder",
    # To a customer's contact (DESIGN §3.9), not to staff: so not among the KNOWN_KINDS of staff preferences.
    "survey.invitation",
    "survey.reminder",
}

# Every kind crmflow writes today (preferences list them; unknown kinds still render with the general one).
KNOWN_KINDS = sorted(
    _OWN
    | {
        "complaint.compensation_rejected",
        "complaint.compensation_expired",
        "complaint.compensation_recalled",
        "task.approved",
        "task.rejected",
        "task.completed",
        "task.expired",
        "task.recalled",
        "customer.assigned",
        "customer.handed_over",
        "customer.active",
        "review.overdue",
        "tier_change.completed",
        "reclaim.warning",
    }
)
EXTERNAL_KINDS = ("survey.invitation", "survey.reminder")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    markdown: str


def template_name(kind: str) -> str:
    """The template a kind renders with: its own, its family's, or the general one."""
    if kind in _OWN:
        return kind
    for prefix, name in _FAMILIES.items():
        if kind.startswith(prefix):
            return name
    return "_general"


def zone(name: str | None, fallback: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


def format_when(value: datetime | None, tz: ZoneInfo, language: str) -> str:
    """A deadline in the recipient's timezone, named with the zone."""
    if value is None:
        return ""
    local = value.astimezone(tz)
    if language == "zh-CN":
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}（{tz.key}）"
    return f"{local:%a %d %b %Y, %H:%M} ({tz.key})"


@lru_cache(maxsize=2)
def _env(html: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("crmflow.notify", "templates"),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


def _block(template: Template, name: str, context: dict[str, Any]) -> str:
    return "".join(template.blocks[name](template.new_context(context))).strip()


def _load(env: Environment, name: str, language: str) -> Template:
    try:
        return env.get_template(f"{name}.{language}.j2")
    except TemplateNotFound:
        return env.get_template(f"_general.{language}.j2")


def render(kind: str, language: str, context: dict[str, Any]) -> Rendered:
    """Subject, plain text, HTML (escaped) and chat markdown of one notification or digest."""
    name = template_name(kind) if kind != "digest" else "digest"
    try:
        return _render(name, language, context)
    except TemplateError:
        # The subject it names is gone (e.g. a deleted task): still tell the person, with the stored subject.
        return _render("_general", language, context)


def _render(name: str, language: str, context: dict[str, Any]) -> Rendered:
    text_template = _load(_env(False), name, language)
    html_template = _load(_env(True), name, language)
    subject = " ".join(_block(text_template, "subject", context).split())
    body = _block(text_template, "body", context)
    action = _block(text_template, "action", context)
    link = context.get("link") or ""
    link_label = _link_label(name, language)
    text = "\n\n".join(part for part in (body, action, f"{link_label}: {link}" if link else "") if part)
    html_body = Markup(_block(html_template, "body", context))
    html_action = Markup(_block(html_template, "action", context))
    paragraphs = "".join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape_lines(p))) for p in html_body.split("\n\n") if p.strip()
    )
    html = (
        _env(True)
        .get_template("_email.html.j2")
        .render(
            subject=subject,
            paragraphs=Markup(paragraphs),
            action=html_action,
            link=link,
            link_label=link_label,
            language=language,
        )
    )
    markdown = "\n\n".join(
        part for part in (f"**{subject}**", body, action, f"[{link_label}]({link})" if link else "") if part
    )
    return Rendered(subject=subject, text=text, html=html, markdown=markdown)


def _link_label(name: str, language: str) -> str:
    """What the button says: customers answer a survey, staff open crmflow."""
    if name.startswith("survey."):
        return "填写问卷" if language == "zh-CN" else "Answer the survey"
    return "打开页面" if language == "zh-CN" else "Open in crmflow"


def escape_lines(paragraph: str) -> list[Markup]:
    """The lines of an already escaped paragraph (kept as Markup so they are not escaped twice)."""
    return [Markup(line) for line in paragraph.split("\n")]


__all__ = ["Rendered", "escape", "format_when", "render", "template_name", "zone"]
