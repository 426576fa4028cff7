"""Sign-in, sign-out, language and time zone preferences, and `/` (the person's home page)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from api.deps import actor_for
from api.errors import ApiError
from db.models import PrincipalRole, utcnow
from db.repositories.audit import record_audit
from db.repositories.web import (
    clear_failures,
    live_session,
    locked_until,
    open_session,
    principal_by_email,
    record_failure,
    revoke_session,
)
from web.core import DB, CurrentViewer, Form, SignInRequired, WebRoute, get_viewer, i18n_for, redirect, render, signer
from web.i18n import LANGUAGES
from web.security import PRESIGN_COOKIE, SESSION_COOKIE, same_token, verify_password

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def home_for(role: PrincipalRole) -> str:
    """Managers and directors start in their inbox, ops and admin in process search, integrations onboard."""
    if role in (PrincipalRole.MANAGER, PrincipalRole.DIRECTOR):
        return "/inbox"
    if role in (PrincipalRole.OPS, PrincipalRole.ADMIN):
        return "/ops/processes"
    return "/customers/new"


def _safe_next(target: str | None) -> str | None:
    """Only a local path (no scheme, no host) may be the page after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@router.get("/")
async def home(request: Request, session: DB) -> RedirectResponse:
    """`/` takes a person to their home page, or to sign-in."""
    try:
        viewer = await get_viewer(request, session)
    except SignInRequired:
        return RedirectResponse("/signin", status_code=303)
    return RedirectResponse(home_for(viewer.actor.role), status_code=303)


def _signin_page(request: Request, *, error: str | None = None, email: str = "", status_code: int = 200):
    presign = secrets.token_urlsafe(24)
    response = render(
        request,
        "signin.html",
        status_code=status_code,
        error=error,
        email=email,
        presign=presign,
        next=_safe_next(request.query_params.get("next")) or "",
    )
    response.set_cookie(
        PRESIGN_COOKIE,
        signer(request).dumps(presign),
        httponly=True,
        samesite="lax",
        path="/",
        secure=request.app.state.settings.web_cookie_secure,
    )
    return response


@router.get("/signin")
async def signin_form(request: Request):
    return _signin_page(request)


@router.post("/signin")
async def signin(request: Request, session: DB):
    """Email + password; wrong answers are counted per email and lock it for a while after five."""
    form = await request.form()
    i18n = i18n_for(request, None)
    email = str(form.get("email") or "").strip()[:320]
    password = str(form.get("password") or "")
    if not same_token(signer(request).loads(request.cookies.get(PRESIGN_COOKIE)), str(form.get("csrf_token") or "")):
        raise ApiError(
            403,
            i18n.gettext(
                "The form was refused: its security token is missing or stale. Reload the page and try again."
            ),
            code="csrf",
        )
    now = utcnow()
    until = await locked_until(session, email, now)
    if until is not None:
        return _signin_page(
            request,
            status_code=429,
            email=email,
            error=i18n.gettext(
                "Too many failed sign-ins for this email. Try again after {time}.", time=i18n.datetime(until)
            ),
        )
    principal = await principal_by_email(session, email) if email else None
    if principal is None or not verify_password(principal.password_hash, password):
        until = await record_failure(session, email, now)
        await session.commit()
        message = i18n.gettext("Wrong email or password.")
        if until is not None:
            message += " " + i18n.gettext(
                "Too many failed sign-ins for this email. Try again after {time}.", time=i18n.datetime(until)
            )
        return _signin_page(request, status_code=401, email=email, error=message)
    # The same check the API applies: deactivated staff cannot sign in.
    if await actor_for(session, principal) is None:
        await record_failure(session, email, now)
        await session.commit()
        return _signin_page(request, status_code=401, email=email, error=i18n.gettext("Wrong email or password."))
    await clear_failures(session, email)
    lifetime = timedelta(hours=request.app.state.settings.web_session_hours)
    _, token = await open_session(session, principal_id=principal.id, lifetime=lifetime)
    record_audit(
        session,
        actor=f"principal:{principal.id}",
        action="web.signed_in",
        entity_type="principal",
        entity_id=principal.id,
    )
    await session.commit()
    target = _safe_next(str(form.get("next") or "")) or home_for(PrincipalRole(principal.role))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signer(request).dumps(token),
        httponly=True,
        samesite="lax",
        path="/",
        max_age=int(lifetime.total_seconds()),
        secure=request.app.state.settings.web_cookie_secure,
    )
    response.delete_cookie(PRESIGN_COOKIE, path="/")
    return response


@router.post("/signout")
async def signout(request: Request, session: DB, viewer: CurrentViewer, form: Form):
    """Revoke the session row (the cookie alone is worth nothing afterwards)."""
    token = signer(request).loads(request.cookies.get(SESSION_COOKIE))
    if isinstance(token, str) and await live_session(session, token) is not None:
        await revoke_session(session, token)
        await session.commit()
    response = redirect(request, "/signin", message=viewer.i18n.gettext("You are signed out."))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


COMMON_ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
)


@router.get("/preferences")
async def preferences_page(request: Request, viewer: CurrentViewer):
    """Language and time zone of the signed-in person."""
    return render(
        request,
        "preferences.html",
        zones=COMMON_ZONES,
        languages=LANGUAGES,
        current_zone=viewer.principal.timezone or request.app.state.settings.timezone,
        now=utcnow(),
    )


@router.post("/preferences")
async def preferences(request: Request, session: DB, viewer: CurrentViewer, form: Form):
    """Save the language (and time zone) of the signed-in person."""
    principal = await session.merge(viewer.principal)
    language = form.get("language")
    if language:
        if language not in LANGUAGES:
            raise ApiError(422, viewer.i18n.gettext("Unknown language."))
        principal.language = language
    timezone = (form.get("timezone") or "").strip()
    if timezone:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ApiError(422, viewer.i18n.gettext("Unknown time zone.")) from None
        principal.timezone = timezone
    await session.commit()
    back = _safe_next(form.get("back")) or "/"
    return redirect(request, back)
