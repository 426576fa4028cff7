"""What every page shares: the signed-in actor, templates, CSRF-checked forms, errors as pages."""

from __future__ import annotations

import typing
from contextvars import ContextVar
from functools import partial
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.params import Depends as DependsParam
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import Actor
from api.deps import actor_for, get_actor, get_session
from api.errors import ApiError
from api.routers import staff as staff_routes
from api.schemas.staff import StaffOut
from api.updates import UpdateOptions, update_options
from db.models import Principal, Staff, WebSession
from db.repositories.notifications import unread_count
from db.repositories.web import live_session
from web import labels
from web.i18n import I18n, negotiate, zone
from web.security import FLASH_COOKIE, SESSION_COOKIE, Signer, same_token

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _pager(params, offset: int) -> str:
    """The same query string with another offset (pagination links keep the filters)."""
    items = [(k, v) for k, v in params.multi_items() if k != "offset"] + [("offset", str(max(offset, 0)))]
    return urlencode(items)


def _cursor(params, cursor: str | None) -> str:
    """The same query string on another page of a cursor-paged search."""
    items = [(k, v) for k, v in params.multi_items() if k != "cursor"] + ([("cursor", cursor)] if cursor else [])
    return urlencode(items)


TEMPLATES.filters["pager"] = _pager
TEMPLATES.filters["cursor"] = _cursor


# The page request being handled: API routes' request-scoped dependencies (update options) are built from it.
_REQUEST: ContextVar[Request] = ContextVar("web_request")


class SignInRequired(Exception):
    """No live session: the page answers with a redirect to sign-in."""


@dataclass
class Viewer:
    """The person behind a page request."""

    actor: Actor
    principal: Principal
    web_session: WebSession
    i18n: I18n
    display_name: str
    unread: int | None = None  # the bell: unread notifications of a staff member (None for other principals)


def signer(request: Request) -> Signer:
    return request.app.state.web_signer


def i18n_for(request: Request, principal: Principal | None) -> I18n:
    """The saved preference, else the browser's Accept-Language; times in the saved or the default zone."""
    settings = request.app.state.settings
    language = (principal.language if principal else None) or negotiate(request.headers.get("accept-language"))
    return I18n(language, zone(principal.timezone if principal else None, settings.timezone))


async def get_viewer(request: Request, session: Annotated[AsyncSession, Depends(get_session)]) -> Viewer:
    """The signed-in person; the same Actor a bearer token of their principal gets (api.deps.actor_for)."""
    token = signer(request).loads(request.cookies.get(SESSION_COOKIE))
    found = await live_session(session, token) if isinstance(token, str) else None
    if found is None:
        raise SignInRequired()
    web_session, principal = found
    actor = await actor_for(session, principal)
    if actor is None:
        raise SignInRequired()  # deactivated since signing in: the session is dead at once
    staff = await session.get(Staff, principal.staff_id) if principal.staff_id is not None else None
    unread = await unread_count(session, staff_id=staff.id) if staff is not None else None
    request.state.viewer = Viewer(
        actor,
        principal,
        web_session,
        i18n_for(request, principal),
        staff.name if staff is not None else principal.name,
        unread,
    )
    return request.state.viewer


CurrentViewer = Annotated[Viewer, Depends(get_viewer)]
DB = Annotated[AsyncSession, Depends(get_session)]


async def csrf_form(request: Request, viewer: CurrentViewer) -> dict[str, str]:
    """The posted form, refused (403) unless it carries this session's CSRF token."""
    form = await request.form()
    if not same_token(viewer.web_session.csrf_token, form.get("csrf_token")):  # type: ignore[arg-type]
        raise ApiError(
            403,
            viewer.i18n.gettext(
                "The form was refused: its security token is missing or stale. Reload the page and try again."
            ),
            code="csrf",
        )
    return {key: value for key, value in form.items() if isinstance(value, str)}


Form = Annotated[dict[str, str], Depends(csrf_form)]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page in the viewer's language, with the flash message of the last action (shown once)."""
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    i18n = viewer.i18n if viewer else i18n_for(request, None)
    flash = signer(request).loads(request.cookies.get(FLASH_COOKIE))
    html = TEMPLATES.get_template(template).render(
        request=request,
        viewer=viewer,
        actor=viewer.actor if viewer else None,
        i18n=i18n,
        _=i18n.gettext,
        ngettext=i18n.ngettext,
        csrf=viewer.web_session.csrf_token if viewer else "",
        flash=flash if isinstance(flash, dict) else None,
        path=request.url.path,
        L=labels,
        lbl=partial(labels.label, i18n),
        role_labels=labels.ROLES,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(request: Request, url: str, *, message: str | None = None, level: str = "ok") -> RedirectResponse:
    """POST → redirect → GET, carrying an already translated message for the next page."""
    response = RedirectResponse(url, status_code=303)
    if message:
        response.set_cookie(
            FLASH_COOKIE,
            signer(request).dumps({"level": level, "text": message}),
            httponly=True,
            samesite="lax",
            path="/",
            secure=request.app.state.settings.web_cookie_secure,
        )
    return response


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status_code, status=status_code, message=message)


class WebRoute(APIRoute):
    """Pages answer errors with a page in the reader's language, and missing sign-in with a redirect."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def _handle(request: Request) -> Response:
            _REQUEST.set(request)
            try:
                return await handler(request)
            except SignInRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)
            except ApiError as exc:
                return error_page(request, exc.status, exc.message)
            except RequestValidationError:
                return error_page(request, 404, "not found")
            except ValidationError as exc:  # a form value the API's body model refuses
                return error_page(
                    request, 422, "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
                )

        return _handle


async def call(endpoint: Callable[..., Awaitable[Any]], actor: Actor, **kwargs: Any) -> Any:
    """Call an API route function as the viewer, through the same role gate its `actor` parameter declares.

    Pages run the very code the API runs (one set of rules): the route's own checks, plus its
    `require_roles(...)` dependency, which a direct call would otherwise skip.
    """
    hints = typing.get_type_hints(endpoint, include_extras=True)
    for name, hint in hints.items():
        if typing.get_origin(hint) is Annotated and typing.get_args(hint)[0] is UpdateOptions and name not in kwargs:
            # A page's form is sent once (POST → redirect → GET): no Idempotency-Key, the API's deadline.
            kwargs[name] = update_options(_REQUEST.get())
        if typing.get_origin(hint) is Annotated and typing.get_args(hint)[0] is Actor:
            for meta in hint.__metadata__:
                if isinstance(meta, DependsParam) and meta.dependency is not get_actor:
                    await meta.dependency(actor)
            kwargs[name] = actor
    return await endpoint(**kwargs)


async def active_staff(actor: Actor, session: AsyncSession) -> list[StaffOut]:
    """The active staff the viewer may see, as the staff API lists them (for delegate, assign and approver pickers)."""
    listing = await call(
        staff_routes.list_staff_members,
        actor,
        session=session,
        role=None,
        active=True,
        region=None,
        supervisor_id=None,
        limit=500,
        offset=0,
    )
    return list(listing.items)


def int_or_none(value: str | None) -> int | None:
    """A query or form integer; blank is None, anything else not an integer is a 422 page."""
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise ApiError(422, f"not a number: {value[:40]!r}") from None
