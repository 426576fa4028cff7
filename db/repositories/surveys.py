"""Surveys (DESIGN §3.9): picking a wave set-based, each customer's results, team figures, the mail context."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, case, cast, exists, func, insert, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from crmflow.notify.render import format_when, zone
from crmflow.settings import Settings
from crmflow.survey_links import survey_link
from db.models import (
    Complaint,
    Customer,
    CustomerContact,
    CustomerStatus,
    Notification,
    Staff,
    SurveyInvitation,
    utcnow,
)
from db.repositories.kpis import KpiWindow, compute_metrics, roll_up
from definitions.survey import SurveyDefinition

WORKFLOW_PREFIX = "survey"
_WHEN = SurveyInvitation.__table__.c.created_at.type  # timestamps written by INSERT … SELECT keep the UTC type


def survey_workflow_id(customer_id: int, wave_id: str) -> str:
    """One survey per customer and wave: a second start (a retried activity, a re-run wave) is refused."""
    return f"{WORKFLOW_PREFIX}-{customer_id}-{wave_id}"


def _blocking(now: datetime, since: Any):
    """An invitation of this customer created after `since` still counts against the N-days rule and the cadence,
    unless its recovery closed and the definition's resurvey time has passed (the customer may be asked again)."""
    return exists().where(
        SurveyInvitation.customer_id == Customer.id,
        SurveyInvitation.created_at > since,
        or_(SurveyInvitation.resurvey_after.is_(None), SurveyInvitation.resurvey_after > now),
    )


async def select_wave(
    session: AsyncSession,
    *,
    definition: SurveyDefinition,
    wave_id: str,
    now: datetime,
    customer_ids: list[int] | None = None,
    trigger: str = "cadence",
) -> list[int]:
    """Insert one invitation per due customer in one INSERT … SELECT; the wave's invitation ids.

    Due: active, held by an owner, with a contact address, not surveyed within `min_days_between` days, and either
    the tier's cadence has passed since the last survey or (when the definition says so) a complaint closed since.
    A hand-picked wave (`customer_ids`) skips the cadence but never the N-days rule. Re-running the same wave
    inserts nothing again (its own invitations block) and returns the same ids.
    """
    rule_since = now - timedelta(days=definition.min_days_between)
    conditions = [
        Customer.status == CustomerStatus.ACTIVE.value,
        Customer.owner_id.is_not(None),
        CustomerContact.email.is_not(None),
        CustomerContact.email != "",
        ~_blocking(now, rule_since),
    ]
    if customer_ids is not None:
        conditions.append(Customer.id.in_(sorted(set(customer_ids))))
        kind = literal(trigger)
    else:
        cadence_since = case(
            *[
                (Customer.tier == tier, literal(now - timedelta(days=days), _WHEN))
                for tier, days in sorted(definition.cadence.every_days.items())
            ],
            else_=None,
        )
        by_cadence = and_(cadence_since.is_not(None), ~_blocking(now, cadence_since))
        if definition.cadence.after_complaint:
            # A complaint closed since the customer's last survey (the N-days rule above still applies).
            last_survey = (
                select(func.max(SurveyInvitation.created_at))
                .where(SurveyInvitation.customer_id == Customer.id)
                .scalar_subquery()
            )
            after_complaint = exists().where(
                Complaint.customer_id == Customer.id,
                Complaint.closed_at.is_not(None),
                Complaint.closed_at > func.coalesce(last_survey, rule_since),
                Complaint.closed_at <= now,
            )
            conditions.append(or_(by_cadence, after_complaint))
            kind = case((by_cadence, literal("cadence")), else_=literal("complaint"))
        else:
            conditions.append(by_cadence)
            kind = literal("cadence")
    picked = (
        select(
            Customer.id,
            literal(wave_id),
            kind,
            literal(f"{WORKFLOW_PREFIX}-") + cast(Customer.id, String) + literal(f"-{wave_id}"),
            Customer.owner_id,
            literal("pending"),
            func.coalesce(CustomerContact.language, literal("zh-CN")),
            CustomerContact.email,
            literal(definition.version),
            literal(definition.content_hash),
            literal(0),
            literal(now, _WHEN),
            literal(now, _WHEN),
        )
        .select_from(Customer)
        .join(CustomerContact, CustomerContact.customer_id == Customer.id)
        .where(*conditions)
        .order_by(Customer.id)
        .limit(definition.max_per_wave)
    )
    await session.execute(
        insert(SurveyInvitation).from_select(
            [
                "customer_id",
                "wave_id",
                "trigger",
                "workflow_id",
                "owner_id",
                "status",
                "language",
                "email",
                "definition_version",
                "definition_hash",
                "reminders_sent",
                "created_at",
                "updated_at",
            ],
            picked,
        )
    )
    return list(
        await session.scalars(
            select(SurveyInvitation.id).where(SurveyInvitation.wave_id == wave_id).order_by(SurveyInvitation.id)
        )
    )


async def set_contact(
    session: AsyncSession,
    *,
    customer_id: int,
    name: str,
    email: str | None,
    language: str,
) -> CustomerContact:
    """Create or replace a customer's survey contact."""
    contact = await session.get(CustomerContact, customer_id)
    if contact is None:
        contact = CustomerContact(customer_id=customer_id)
        session.add(contact)
    contact.name, contact.email, contact.language = name, email, language
    await session.flush()
    return contact


async def customer_invitations(session: AsyncSession, customer_id: int, limit: int = 50) -> list[SurveyInvitation]:
    return list(
        await session.scalars(
            select(SurveyInvitation)
            .where(SurveyInvitation.customer_id == customer_id)
            .order_by(SurveyInvitation.created_at.desc(), SurveyInvitation.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class SurveyFigures:
    """One period's survey figures of a set of owners, read from the KPI catalogue (the metrics are defined there)."""

    period: str  # "2026-11"; "" for all periods together
    invited: int  # surveys sent in the period
    answered: int  # of those, answered (so far)
    response_rate: float | None  # answered / invited (0..1)
    csat: float | None  # average CSAT 1–5 of the answers given in the period
    nps: float | None  # promoters % − detractors %, −100..100, of the answers given in the period


SURVEY_METRICS = ("survey_csat", "survey_nps", "survey_response_rate")


def _month_starts(now: datetime, months: int, timezone: str) -> list[datetime]:
    """The first instants of the last `months` calendar months, this one included (in the company's zone), and of
    the next month (the end of the last window)."""
    local = now.astimezone(ZoneInfo(timezone))
    year, month = local.year, local.month
    starts = []
    for _ in range(months):
        starts.append(datetime(year, month, 1, tzinfo=ZoneInfo(timezone)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(starts) + [_next_month(max(starts))]


def _next_month(moment: datetime) -> datetime:
    return moment.replace(year=moment.year + moment.month // 12, month=moment.month % 12 + 1)


async def _figures(
    session: AsyncSession, staff: Any, start: datetime, end: datetime, timezone: str, period: str
) -> SurveyFigures:
    values = await compute_metrics(session, SURVEY_METRICS, staff, KpiWindow.between(start, end, timezone))
    team = roll_up(values, {"team": list(values)})["team"]
    rate = team.get("survey_response_rate")
    csat, nps = team.get("survey_csat"), team.get("survey_nps")
    return SurveyFigures(
        period=period,
        invited=int(rate.denominator or 0) if rate else 0,
        answered=int(rate.numerator) if rate else 0,
        response_rate=rate.value if rate else None,
        csat=csat.value if csat else None,
        nps=nps.value if nps else None,
    )


async def team_figures(
    session: AsyncSession,
    *,
    owner_ids: Collection[int] | None,
    months: int,
    timezone: str,
    now: datetime | None = None,
) -> tuple[list[SurveyFigures], SurveyFigures]:
    """Per calendar month and for all of them: sent, answered, response rate, CSAT and NPS of these owners' surveys."""
    staff: Any = sorted(owner_ids) if owner_ids is not None else select(Staff.id)
    starts = _month_starts(now or utcnow(), months, timezone)
    monthly = []
    for start, end in zip(starts, starts[1:]):
        figures = await _figures(session, staff, start, end, timezone, f"{start:%Y-%m}")
        if figures.invited or figures.csat is not None or figures.nps is not None:
            monthly.append(figures)
    return monthly, await _figures(session, staff, starts[0], starts[-1], timezone, "")


async def external_context(
    session: AsyncSession,
    *,
    notification: Notification,
    settings: Settings,
) -> dict[str, Any] | None:
    """What a survey mail to the customer's contact names: contact, customer, the signed link, the expiry."""
    if notification.entity_type != "survey" or not notification.entity_id.isdigit():
        return None
    invitation = await session.get(SurveyInvitation, int(notification.entity_id))
    if invitation is None or invitation.expires_at is None:
        return None
    customer = await session.get(Customer, invitation.customer_id)
    contact = await session.get(CustomerContact, invitation.customer_id)
    language = invitation.language if invitation.language in ("zh-CN", "en") else "en"
    customer_name = customer.name if customer else ""
    greeting = (contact.name if contact and contact.name else None) or ("客户" if language == "zh-CN" else "customer")
    return {
        "language": language,
        "recipient": greeting,
        "customer": customer_name,
        "deadline": format_when(invitation.expires_at, zone(None, settings.timezone), language),
        "link": survey_link(settings, invitation.id, invitation.expires_at),
        "subject": notification.subject,
    }
