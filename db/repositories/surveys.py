"""Surveys (DESIGN §3.9): picking a wave set-based, each customer's results, team figures, the mail context."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, func, insert, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from crmflow.notify.render import format_when, zone
from crmflow.settings import Settings
from crmflow.survey_links import survey_link
from db.models import Complaint, Customer, CustomerContact, CustomerStatus, Notification, SurveyInvitation, utcnow
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
    session: AsyncSession, *, definition: SurveyDefinition, wave_id: str, now: datetime,
    customer_ids: list[int] | None = None, trigger: str = "cadence",
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
            *[(Customer.tier == tier, literal(now - timedelta(days=days), _WHEN))
              for tier, days in sorted(definition.cadence.every_days.items())],
            else_=None,
        )
        by_cadence = and_(cadence_since.is_not(None), ~_blocking(now, cadence_since))
        if definition.cadence.after_complaint:
            # A complaint closed since the customer's last survey (the N-days rule above still applies).
            last_survey = (select(func.max(SurveyInvitation.created_at))
                           .where(SurveyInvitation.customer_id == Customer.id).scalar_subquery())
            after_complaint = exists().where(
                Complaint.customer_id == Customer.id, Complaint.closed_at.is_not(None),
                Complaint.closed_at > func.coalesce(last_survey, rule_since), Complaint.closed_at <= now)
            conditions.append(or_(by_cadence, after_complaint))
            kind = case((by_cadence, literal("cadence")), else_=literal("complaint"))
        else:
            conditions.append(by_cadence)
            kind = literal("cadence")
    picked = (
        select(
            Customer.id, literal(wave_id), kind, literal(f"{WORKFLOW_PREFIX}-") + cast(Customer.id, String)
            + literal(f"-{wave_id}"), Customer.owner_id, literal("pending"),
            func.coalesce(CustomerContact.language, literal("zh-CN")), CustomerContact.email,
            literal(definition.version), literal(definition.content_hash), literal(0), literal(now, _WHEN), literal(now, _WHEN),
        )
        .select_from(Customer)
        .join(CustomerContact, CustomerContact.customer_id == Customer.id)
        .where(*conditions)
        .order_by(Customer.id)
        .limit(definition.max_per_wave)
    )
    await session.execute(insert(SurveyInvitation).from_select(
        ["customer_id", "wave_id", "trigger", "workflow_id", "owner_id", "status", "language", "email",
         "definition_version", "definition_hash", "reminders_sent", "created_at", "updated_at"], picked))
    return list(await session.scalars(
        select(SurveyInvitation.id).where(SurveyInvitation.wave_id == wave_id).order_by(SurveyInvitation.id)))


async def set_contact(
    session: AsyncSession, *, customer_id: int, name: str, email: str | None, language: str,
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
    return list(await session.scalars(
        select(SurveyInvitation).where(SurveyInvitation.customer_id == customer_id)
        .order_by(SurveyInvitation.created_at.desc(), SurveyInvitation.id.desc()).limit(limit)))


@dataclass(frozen=True)
class SurveyFigures:
    """One period's survey figures of a set of owners."""

    period: str  # "2026-11"
    invited: int
    answered: int
    response_rate: float | None  # answered / invited (0..1)
    csat: float | None  # average CSAT 1–5
    nps: float | None  # promoters % − detractors %, −100..100


async def team_figures(
    session: AsyncSession, *, owner_ids: Collection[int] | None, since: datetime, until: datetime | None = None,
) -> list[SurveyFigures]:
    """Per month of invitation: invited, answered, response rate, average CSAT and NPS — one grouped SELECT."""
    until = until or utcnow()
    month = func.substr(cast(SurveyInvitation.created_at, String), 1, 7)
    answered = SurveyInvitation.answered_at.is_not(None)
    stmt = (
        select(
            month.label("period"),
            func.count(SurveyInvitation.id),
            func.sum(case((answered, 1), else_=0)),
            func.avg(SurveyInvitation.csat),
            func.sum(case((SurveyInvitation.nps >= 9, 1), else_=0)),
            func.sum(case((SurveyInvitation.nps <= 6, 1), else_=0)),
            func.count(SurveyInvitation.nps),
        )
        .where(SurveyInvitation.created_at >= since, SurveyInvitation.created_at < until,
               SurveyInvitation.status != "not_sent")
        .group_by(month).order_by(month)
    )
    if owner_ids is not None:
        stmt = stmt.where(SurveyInvitation.owner_id.in_(sorted(owner_ids)))
    figures = []
    for period, invited, got, csat, promoters, detractors, rated in (await session.execute(stmt)).all():
        got = int(got or 0)
        figures.append(SurveyFigures(
            period=str(period), invited=int(invited), answered=got,
            response_rate=(got / invited) if invited else None,
            csat=round(float(csat), 2) if csat is not None else None,
            nps=round(100.0 * (int(promoters or 0) - int(detractors or 0)) / rated, 1) if rated else None,
        ))
    return figures


def totals(figures: list[SurveyFigures]) -> SurveyFigures | None:
    """All periods together (CSAT and NPS weighted by answers)."""
    invited = sum(f.invited for f in figures)
    if not invited:
        return None
    answered = sum(f.answered for f in figures)
    rated = [f for f in figures if f.csat is not None]
    csat = sum(f.csat * f.answered for f in rated) / sum(f.answered for f in rated) if rated else None  # type: ignore[operator]
    nps_rows = [f for f in figures if f.nps is not None]
    nps = sum(f.nps * f.answered for f in nps_rows) / sum(f.answered for f in nps_rows) if nps_rows else None  # type: ignore[operator]
    return SurveyFigures(period="", invited=invited, answered=answered, response_rate=answered / invited,
                         csat=round(csat, 2) if csat is not None else None,
                         nps=round(nps, 1) if nps is not None else None)


async def external_context(session: AsyncSession, *, notification: Notification, settings: Settings,
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
        "language": language, "recipient": greeting, "customer": customer_name,
        "deadline": format_when(invitation.expires_at, zone(None, settings.timezone), language),
        "link": survey_link(settings, invitation.id, invitation.expires_at), "subject": notification.subject,
    }
