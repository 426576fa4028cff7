"""Upcoming and overdue contacts (DESIGN §3.9): mine, or my team's, with a quick "record follow-up"."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.errors import ApiError
from api.routers import contacts as contact_routes
from api.routers import customers as customer_routes
from api.schemas.customer import FollowUpCreate
from db.models import PrincipalRole
from web.core import DB, CurrentViewer, Form, WebRoute, call, int_or_none, redirect, render
from web.pages.customers import FOLLOW_UP_CHANNELS

router = APIRouter(route_class=WebRoute, include_in_schema=False)

STATUSES = ("overdue", "upcoming")
WINDOWS = (7, 14, 30)


def _status(value: str) -> str:
    return value if value in STATUSES else "overdue"


async def overdue_for_inbox(session, actor) -> dict | None:
    """The inbox's overdue-contacts card: my own, and how many my team has (None for principals without staff)."""
    if actor.staff_id is None:
        return None
    mine = await call(
        contact_routes.list_contacts_route,
        actor,
        session=session,
        status="overdue",
        within_days=7,
        owner_id=actor.staff_id,
        limit=10,
        offset=0,
    )
    team = await call(
        contact_routes.list_contacts_route,
        actor,
        session=session,
        status="overdue",
        within_days=7,
        owner_id=None,
        limit=1,
        offset=0,
    )
    return {"mine": mine.items, "total": mine.total, "team_total": team.total}


@router.get("/contacts")
async def contacts(
    request: Request, session: DB, viewer: CurrentViewer, status: str = "overdue", within: str = "7", owner: str = ""
):
    """Contacts overdue or coming due, the viewer's own or their team's (the API's subtree scope)."""
    actor = viewer.actor
    chosen = _status(status)
    within_days = int_or_none(within) or 7
    if within_days not in WINDOWS:
        within_days = 7
    owner_id = int_or_none(owner)
    page = await call(
        contact_routes.list_contacts_route,
        actor,
        session=session,
        status=chosen,
        within_days=within_days,
        owner_id=owner_id,
        limit=200,
        offset=0,
    )
    may_record = actor.role in (PrincipalRole.MANAGER, PrincipalRole.DIRECTOR, PrincipalRole.ADMIN)
    # A supervisor, director or reader sees a team: show the owner column and the "only mine" switch.
    has_team = actor.visible_staff_ids is None or len(actor.visible_staff_ids) > 1
    return render(
        request,
        "contacts.html",
        page=page,
        status=chosen,
        within=within_days,
        windows=WINDOWS,
        owner_id=owner_id,
        may_record=may_record,
        has_team=has_team,
        channels=FOLLOW_UP_CHANNELS,
    )


@router.post("/contacts/{customer_id}/follow-up")
async def record(request: Request, customer_id: int, session: DB, viewer: CurrentViewer, form: Form):
    """The quick "record follow-up": the very route the API and the customer page use."""
    channel = form.get("channel") or "phone"
    if channel not in FOLLOW_UP_CHANNELS:
        raise ApiError(422, viewer.i18n.gettext("Choose a channel."))
    body = FollowUpCreate(channel=channel, note=(form.get("note") or "").strip()[:2000])
    await call(
        customer_routes.record_follow_up,
        viewer.actor,
        customer_id=customer_id,
        body=body,
        session=session,
        request=request,
    )
    customer = await call(customer_routes.get_customer, viewer.actor, customer_id=customer_id, session=session)
    back = f"/contacts?status={_status(form.get('status') or '')}"
    return redirect(
        request,
        back,
        message=viewer.i18n.gettext(
            "Follow-up recorded for {name}. Next contact: {date}.",
            name=customer.name,
            date=viewer.i18n.datetime(customer.next_contact_at),
        ),
    )
