"""Customers: list with filters, a customer's page, follow-ups, tier re-evaluation, onboarding and the public pool."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from api.deps import current_definition
from api.errors import ApiError
from api.routers import customers as customer_routes
from api.routers import pool as pool_routes
from api.routers import surveys as survey_routes
from api.routers import tiering as tiering_routes
from api.routers import timeline as timeline_routes
from api.schemas.customer import CustomerCreate, CustomerOut, FollowUpCreate
from api.schemas.pool import ClaimRequest
from db.models import AuditEvent, Complaint, Customer, CustomerContact, PrincipalRole, Staff, Task, TierProposal, utcnow
from db.repositories.pool import claim_standing
from definitions.reclaim import ReclaimDefinition
from web.core import active_staff, DB, CurrentViewer, Form, WebRoute, call, int_or_none, redirect, render
from web.i18n import N_
from web.labels import label

router = APIRouter(route_class=WebRoute, include_in_schema=False)

OUTCOMES = {
    "tier_change_started": N_("a tier change has started"),
    "already_pending": N_("a tier change is pending"),
    "cooldown": N_("the tier is cooling down"),
    "no_change": N_("the tier stays"),
}
STATUSES = ("pending", "active", "rejected", "pool")
FOLLOW_UP_CHANNELS = ("phone", "visit", "email", "wechat", "meeting", "message", "other")


async def _staff_names(session, ids) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict((await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(wanted)))).all())


async def _team(session, actor):
    if actor.is_service:
        return []
    return await active_staff(actor, session)


@router.get("/customers")
async def customers(
    request: Request,
    session: DB,
    viewer: CurrentViewer,
    tier: str = "",
    owner_id: str = "",
    status: str = "",
    region: str = "",
    q: str = "",
    offset: str = "0",
):
    """Customers in my view, with filters (tier, owner, status, region, name or external ref)."""
    start = max(int_or_none(offset) or 0, 0)
    tier_value = int_or_none(tier)
    page = await call(
        customer_routes.list_customers_route,
        viewer.actor,
        session=session,
        tier=tier_value if tier_value in (1, 2) else None,
        owner_id=int_or_none(owner_id),
        status_=status if status in STATUSES else None,
        region=region.strip()[:64] or None,
        q=q.strip()[:200] or None,
        limit=50,
        offset=start,
    )
    owners = await _staff_names(session, [c.owner_id for c in page.items])
    return render(
        request,
        "customers.html",
        page=page,
        owners=owners,
        team=await _team(session, viewer.actor),
        f={"tier": tier, "owner_id": owner_id, "status": status, "region": region, "q": q},
        statuses=STATUSES,
        start=start,
    )


@router.get("/customers/new")
async def onboard_form(request: Request, viewer: CurrentViewer):
    return render(request, "onboard.html", values={}, duplicate=None, error=None)


@router.post("/customers/new")
async def onboard(request: Request, session: DB, viewer: CurrentViewer, form: Form):
    """Onboard a customer (starts its onboarding process); a duplicate is shown with a link."""
    values = {k: form.get(k, "") for k in ("name", "region", "industry", "declared_annual_value", "external_ref")}
    i18n = viewer.i18n
    try:
        body = CustomerCreate(
            name=values["name"].strip(),
            region=values["region"].strip(),
            industry=values["industry"].strip(),
            declared_annual_value=values["declared_annual_value"].strip() or "0",
            external_ref=values["external_ref"].strip() or None,
        )
    except ValueError as exc:
        error = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())  # type: ignore[attr-defined]
        return render(request, "onboard.html", status_code=422, values=values, duplicate=None, error=error)
    try:
        created = await call(
            customer_routes.onboard_customer,
            viewer.actor,
            body=body,
            session=session,
            request=request,
            response=Response(),
        )
    except ApiError as exc:
        if exc.status == 409 and isinstance(exc.details, dict) and exc.details.get("existing_customer_id"):
            return render(
                request,
                "onboard.html",
                status_code=409,
                values=values,
                duplicate=exc.details["existing_customer_id"],
                error=i18n.gettext("This customer already exists."),
            )
        raise
    if not isinstance(created, CustomerOut):
        # 202: the onboarding is started but has not created the row yet (the engine is slow or down).
        return redirect(
            request,
            "/customers",
            message=i18n.gettext("Onboarding has started; the customer appears once the process has created it."),
        )
    target = f"/customers/{created.id}" if not viewer.actor.is_service else "/customers/new"
    return redirect(request, target, message=i18n.gettext("Customer created; onboarding has started."))


@router.get("/customers/{customer_id}")
async def customer_page(request: Request, customer_id: int, session: DB, viewer: CurrentViewer):
    """Tier, score, owner, follow-ups, open processes and the "why" timeline."""
    actor = viewer.actor
    customer = await call(customer_routes.get_customer, actor, customer_id=customer_id, session=session)
    follow_ups = await call(
        customer_routes.get_follow_ups, actor, customer_id=customer_id, session=session, limit=20, offset=0
    )
    timeline = []
    if not actor.is_service:
        timeline = (
            await call(
                timeline_routes.get_timeline, actor, customer_id=customer_id, session=session, limit=500, offset=0
            )
        ).items
    open_tasks = (
        await session.scalars(
            select(Task).where(Task.customer_id == customer_id, Task.status == "open").order_by(Task.due_at)
        )
    ).all()
    open_complaints = (
        await session.scalars(
            select(Complaint).where(Complaint.customer_id == customer_id, Complaint.status != "closed")
        )
    ).all()
    proposal = await session.scalar(
        select(TierProposal).where(TierProposal.customer_id == customer_id).order_by(TierProposal.id.desc()).limit(1)
    )
    score = (await session.get(Customer, customer_id)).score
    names = await _staff_names(
        session,
        [customer.owner_id, customer.previous_owner_id]
        + [f.staff_id for f in follow_ups.items]
        + [e.who_staff_id for e in timeline],
    )
    may_act = actor.role in (PrincipalRole.MANAGER, PrincipalRole.DIRECTOR, PrincipalRole.ADMIN)
    surveys = (
        []
        if actor.is_service
        else (await call(survey_routes.get_customer_surveys, actor, customer_id=customer_id, session=session)).items
    )
    return render(
        request,
        "customer.html",
        c=customer,
        follow_ups=follow_ups.items,
        timeline=timeline,
        surveys=surveys,
        contact=await session.get(CustomerContact, customer_id),
        open_tasks=open_tasks,
        open_complaints=open_complaints,
        proposal=proposal,
        score=score,
        staff_names=names,
        names=names,
        may_act=may_act,
        channels=FOLLOW_UP_CHANNELS,
    )


@router.post("/customers/{customer_id}/follow-ups")
async def follow_up(request: Request, customer_id: int, session: DB, viewer: CurrentViewer, form: Form):
    channel = form.get("channel") or "phone"
    body = FollowUpCreate(channel=channel, note=(form.get("note") or "").strip()[:2000] or None)
    await call(
        customer_routes.record_follow_up,
        viewer.actor,
        customer_id=customer_id,
        body=body,
        session=session,
        request=request,
    )
    return redirect(request, f"/customers/{customer_id}", message=viewer.i18n.gettext("Follow-up recorded."))


@router.post("/customers/{customer_id}/tier-reevaluation")
async def reevaluate(request: Request, customer_id: int, session: DB, viewer: CurrentViewer, form: Form):
    response = await call(
        tiering_routes.reevaluate_tier, viewer.actor, customer_id=customer_id, session=session, request=request
    )
    result = json.loads(response.body)
    i18n = viewer.i18n
    outcome = label(i18n, OUTCOMES, result.get("outcome"))
    message = i18n.gettext(
        "Tier re-evaluated: score {score}, {outcome}.",
        score=i18n.number(round(result.get("score") or 0, 3)),
        outcome=outcome,
    )
    return redirect(request, f"/customers/{customer_id}", message=message)


async def reclaim_reasons(session, customer_ids: list[int]) -> dict[int, str]:
    """Why each customer went to the pool: the reason audited when it was reclaimed (latest wins)."""
    if not customer_ids:
        return {}
    rows = await session.execute(
        select(AuditEvent.customer_id, AuditEvent.reason)
        .where(AuditEvent.action == "customer.reclaimed", AuditEvent.customer_id.in_(customer_ids))
        .order_by(AuditEvent.id)
    )
    return {customer_id: reason for customer_id, reason in rows.all() if reason}


@router.get("/pool")
async def pool(request: Request, session: DB, viewer: CurrentViewer, tier: str = "", region: str = ""):
    """The public pool (客户公海): why each customer is there, and my caps before I claim."""
    actor = viewer.actor
    tier_value = int_or_none(tier)
    page = await call(
        pool_routes.list_pool_customers,
        actor,
        session=session,
        tier=tier_value if tier_value and tier_value >= 1 else None,
        region=region.strip()[:64] or None,
        limit=200,
        offset=0,
    )
    rules = (await current_definition(request, ReclaimDefinition)).pool
    standing = None
    me = await session.get(Staff, actor.staff_id) if actor.staff_id else None
    if me is not None:
        now = utcnow()
        standing = await claim_standing(
            session, staff=me, rules=rules, day_start=pool_routes.claim_day_start(request, now)
        )
    rows = []
    for c in page.items:
        cooldown_until = None
        if me is not None and c.previous_owner_id == me.id and c.reclaimed_at and rules.former_owner_cooldown_days:
            until = c.reclaimed_at + timedelta(days=rules.former_owner_cooldown_days)
            cooldown_until = until if until > utcnow() else None
        rows.append({"c": c, "cooldown_until": cooldown_until})
    names = await _staff_names(session, [c.previous_owner_id for c in page.items])
    reasons = await reclaim_reasons(session, [c.id for c in page.items])
    may_claim = actor.role in (PrincipalRole.MANAGER, PrincipalRole.DIRECTOR, PrincipalRole.ADMIN)
    team = (
        [s for s in await _team(session, actor) if s.role.startswith("account_manager")]
        if actor.role != PrincipalRole.MANAGER
        else []
    )
    return render(
        request,
        "pool.html",
        rows=rows,
        standing=standing,
        names=names,
        may_claim=may_claim,
        team=team,
        f={"tier": tier, "region": region},
        me=me,
        reasons=reasons,
    )


@router.post("/pool/{customer_id}/claim")
async def claim(request: Request, customer_id: int, session: DB, viewer: CurrentViewer, form: Form):
    staff_id = int_or_none(form.get("staff_id"))
    body = ClaimRequest(staff_id=staff_id) if staff_id is not None else None
    claimed = await call(
        pool_routes.claim_customer, viewer.actor, customer_id=customer_id, session=session, request=request, body=body
    )
    return redirect(
        request,
        f"/customers/{customer_id}" if viewer.actor.can_see_staff(claimed.owner_id) else "/pool",
        message=viewer.i18n.gettext("Claimed: {name} is now in your book.", name=claimed.name),
    )
