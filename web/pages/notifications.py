"""My notifications (the bell's list, read / read-all), notification preferences, failed deliveries for ops."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy import select

from api.deps import get_temporal
from api.errors import ApiError
from api.routers import notifications as notification_routes
from api.schemas.notifications import PreferencesIn
from crmflow.notify.render import KNOWN_KINDS
from db.models import NotificationPreference, Staff
from definitions.notifications import CHANNELS
from web.core import DB, CurrentViewer, Form, WebRoute, call, redirect, render
from web.i18n import N_

router = APIRouter(route_class=WebRoute, include_in_schema=False)

PAGE_SIZE = 25
# The filter offers each family of kinds ("complaint" matches every complaint.* kind, as the API does).
FAMILIES = {
    "complaint": N_("Complaints"),
    "task": N_("Tasks"),
    "customer": N_("Customers"),
    "review": N_("Reviews"),
    "tier_change": N_("Tier changes"),
    "reclaim": N_("Reclaim"),
    "contact": N_("Contacts"),
}
CHANNEL_NAMES = {"in_app": N_("In the workspace"), "email": N_("Email"), "webhook": N_("Chat webhook")}
DELIVERY_STATUSES = ("failed", "held", "pending", "sending", "delivered")


def _local(link: str) -> str:
    """The subject's page as a local path (the API's link carries the public URL)."""
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _back(form: dict[str, str]) -> str:
    back = form.get("back") or ""
    return back if back.startswith("/notifications") and not back.startswith("//") else "/notifications"


@router.get("/notifications")
async def notifications(request: Request, session: DB, viewer: CurrentViewer, kind: str = "", cursor: str = ""):
    """My notifications, unread first, by family of kind; 25 a page, the next page by cursor."""
    family = kind if kind in FAMILIES or kind in KNOWN_KINDS else None
    page = await call(
        notification_routes.my_notifications,
        viewer.actor,
        request=request,
        session=session,
        kind=family,
        unread=False,
        cursor=cursor[:200] or None,
        limit=PAGE_SIZE,
    )
    items = [(n, _local(n.link)) for n in page.items]
    return render(
        request,
        "notifications.html",
        items=items,
        next_cursor=page.next_cursor,
        unread=page.unread,
        first_page=not cursor,
        kind=family or "",
        families=FAMILIES,
    )


@router.post("/notifications/read-all")
async def read_all(request: Request, session: DB, viewer: CurrentViewer, form: Form):
    result = await call(notification_routes.read_all, viewer.actor, session=session)
    return redirect(request, _back(form), message=viewer.i18n.gettext("{n} marked read.", n=result.marked))


@router.post("/notifications/{notification_id}/read")
async def read_one(request: Request, notification_id: int, session: DB, viewer: CurrentViewer, form: Form):
    """Mark one of mine read; someone else's is refused as the API refuses it."""
    await call(
        notification_routes.read, viewer.actor, notification_id=notification_id, request=request, session=session
    )
    return redirect(request, _back(form), message=viewer.i18n.gettext("Marked read."))


# ---- preferences ----------------------------------------------------------------------------------------


def _kinds_of(prefs) -> list[str]:
    return sorted(k for k in prefs.effective_channels if k != "*")


@router.get("/preferences/notifications")
async def preferences_page(request: Request, session: DB, viewer: CurrentViewer):
    """Channels per kind, quiet hours and my chat webhook (the same document as GET /v1/me/preferences)."""
    prefs = await call(notification_routes.my_preferences, viewer.actor, request=request, session=session)
    return _preferences(request, prefs, values=None, errors={})


def _preferences(
    request: Request, prefs, *, values: dict[str, Any] | None, errors: dict[str, str], status_code: int = 200
):
    if values is None:
        values = {
            "channels": {k: set(v) for k, v in prefs.effective_channels.items()},
            "quiet_start": prefs.quiet_hours.start if prefs.quiet_hours else "",
            "quiet_end": prefs.quiet_hours.end if prefs.quiet_hours else "",
            "webhook_url": prefs.webhook.url if prefs.webhook else "",
            "webhook_format": prefs.webhook.format if prefs.webhook else "generic",
            "webhook_endpoint": prefs.webhook_endpoint or "",
        }
    return render(
        request,
        "notification_preferences.html",
        status_code=status_code,
        prefs=prefs,
        kinds=_kinds_of(prefs),
        channels=[c for c in CHANNELS if c != "in_app"],
        channel_names=CHANNEL_NAMES,
        v=values,
        errors=errors,
    )


def _document(form: dict[str, str], prefs, kinds: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The PUT document from the form, and the submitted values to show again next to any error."""
    chosen = {
        kind: {c for c in CHANNELS if c != "in_app" and form.get(f"ch:{kind}:{c}") == "on"} | {"in_app"}
        for kind in kinds
    }
    channels: dict[str, list[str]] = {}
    for kind in kinds:
        # Only my own choices are stored: a kind I never changed keeps following the definition's defaults.
        if kind in prefs.channels or chosen[kind] != set(prefs.effective_channels.get(kind, [])):
            channels[kind] = sorted(chosen[kind])
    values = {
        "channels": chosen,
        "quiet_start": (form.get("quiet_start") or "").strip(),
        "quiet_end": (form.get("quiet_end") or "").strip(),
        "webhook_url": (form.get("webhook_url") or "").strip(),
        "webhook_format": form.get("webhook_format") or "generic",
        "webhook_endpoint": (form.get("webhook_endpoint") or "").strip(),
    }
    document: dict[str, Any] = {"channels": channels}
    if values["quiet_start"] or values["quiet_end"]:
        document["quiet_hours"] = {"start": values["quiet_start"], "end": values["quiet_end"]}
    if values["webhook_url"]:
        document["webhook"] = {"url": values["webhook_url"], "format": values["webhook_format"]}
    if values["webhook_endpoint"]:
        document["webhook_endpoint"] = values["webhook_endpoint"]
    return document, values


@router.post("/preferences/notifications")
async def save_preferences(request: Request, session: DB, viewer: CurrentViewer, form: Form):
    """Save through the route behind PUT /v1/me/preferences; refusals are shown beside their fields."""
    i18n = viewer.i18n
    prefs = await call(notification_routes.my_preferences, viewer.actor, request=request, session=session)
    document, values = _document(form, prefs, _kinds_of(prefs))
    # Language and time zone are saved by the other preferences form: keep what is stored.
    row = await session.get(NotificationPreference, prefs.staff_id)
    document["language"] = row.language if row is not None else None
    document["timezone"] = row.timezone if row is not None else None
    errors: dict[str, str] = {}
    try:
        body = PreferencesIn(**document)
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            if field == "quiet_hours":
                errors["quiet_hours"] = i18n.gettext("Enter both times as HH:MM, e.g. 22:00 and 08:00.")
            elif field == "webhook":
                errors["webhook"] = i18n.gettext("Enter an http:// or https:// address (at most 500 characters).")
            else:
                errors["channels"] = i18n.gettext("Choose only the channels offered.")
        return _preferences(request, prefs, values=values, errors=errors, status_code=422)
    try:
        await call(notification_routes.put_my_preferences, viewer.actor, request=request, session=session, body=body)
    except ApiError as exc:
        if exc.status != 422:
            raise
        field = "webhook_endpoint" if "endpoint" in exc.message else "form"
        errors[field] = exc.message
        return _preferences(request, prefs, values=values, errors=errors, status_code=422)
    return redirect(request, "/preferences/notifications", message=i18n.gettext("Saved."))


# ---- ops: failed deliveries ------------------------------------------------------------------------------


@router.get("/ops/deliveries")
async def deliveries(request: Request, session: DB, viewer: CurrentViewer, status: str = "failed", cursor: str = ""):
    """Deliveries by status (failed first of all), with attempts, last error, channel and recipient (ops/admin)."""
    chosen = status if status in DELIVERY_STATUSES else "failed"
    page = await call(
        notification_routes.deliveries,
        viewer.actor,
        session=session,
        status=chosen,
        channel=None,
        notification_id=None,
        cursor=cursor[:200] or None,
        limit=50,
    )
    ids = {d.recipient_id for d in page.items if d.recipient_id is not None}
    names = dict((await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids)))).all()) if ids else {}
    return render(
        request,
        "ops_deliveries.html",
        items=page.items,
        next_cursor=page.next_cursor,
        counts=page.counts,
        status=chosen,
        statuses=DELIVERY_STATUSES,
        names=names,
        first_page=not cursor,
        channel_names=CHANNEL_NAMES,
    )


@router.post("/ops/deliveries/{delivery_id}/retry")
async def retry(request: Request, delivery_id: int, session: DB, viewer: CurrentViewer, form: Form):
    """Send a failed delivery again (ops/admin), through the API's retry route."""
    await call(
        notification_routes.retry,
        viewer.actor,
        delivery_id=delivery_id,
        request=request,
        session=session,
        temporal=await get_temporal(request),
    )
    return redirect(request, "/ops/deliveries", message=viewer.i18n.gettext("Retry started."))
