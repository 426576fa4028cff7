"""The public survey answer page (DESIGN §3.9): opened from the emailed link, no sign-in, in the customer's language.

It is the only page without a session: the signed, expiring, single-use token in its URL is the whole credential
(so there is no session CSRF token either — a forged request would need the token itself). A refused link
(forged, expired, used) gets a clear page and writes nothing; answers go to the survey's process as an Update.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from crmflow.survey_answers import ANSWERED, EXPIRED, FORGED, OPEN, SurveyLink, open_link, questions_for, submit
from web.core import DB, TEMPLATES, WebRoute
from web.i18n import I18n, negotiate, zone
from web.ratelimit import RateLimiter

router = APIRouter(route_class=WebRoute, include_in_schema=False)

PER_IP = (60, 600.0)  # requests per 10 minutes from one address (a whole office may share one)
PER_TOKEN = (12, 600.0)  # requests per 10 minutes on one link: enough for a customer fixing a form twice
STATUS = {FORGED: 404, EXPIRED: 410, ANSWERED: 409, "invalid": 422, "limited": 429, "unavailable": 503}


def _limiters(request: Request) -> tuple[RateLimiter, RateLimiter]:
    state = request.app.state
    if not hasattr(state, "survey_limiters"):
        state.survey_limiters = (RateLimiter(*PER_IP), RateLimiter(*PER_TOKEN))
    return state.survey_limiters


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _i18n(request: Request, link: SurveyLink | None) -> I18n:
    """The customer's language from the invitation; a link that names none: the browser's."""
    language = link.language if link is not None and link.language else None
    code = language.replace("-", "_") if language else negotiate(request.headers.get("accept-language"))
    return I18n(code if code in ("zh_CN", "en") else "en", zone(None, request.app.state.settings.timezone))


def _page(
    request: Request, link: SurveyLink | None, state: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    i18n = _i18n(request, link)
    html = TEMPLATES.get_template("survey.html").render(
        request=request,
        i18n=i18n,
        _=i18n.gettext,
        state=state,
        link=link,
        language=(link.language if link and link.language else i18n.html_lang),
        **context,
    )
    return HTMLResponse(html, status_code=status_code, headers={"Referrer-Policy": "no-referrer"})


def _limited(request: Request, token: str) -> bool:
    by_ip, by_token = _limiters(request)
    return not (by_ip.allow(f"ip:{_client_ip(request)}") & by_token.allow(f"token:{token[:200]}"))


async def _open(request: Request, session, token: str) -> SurveyLink:
    settings = request.app.state.settings
    link = await open_link(session, settings, token)
    if link.state == OPEN and link.invitation is not None:
        link.definition = await questions_for(settings, request.app.state.temporal, link.invitation)
    return link


@router.get("/survey/{token}")
async def survey_form(request: Request, session: DB, token: str, done: str = ""):
    """The questions, or why the link no longer opens them."""
    if _limited(request, token):
        return _page(request, None, "limited", 429)
    link = await _open(request, session, token)
    if link.state == ANSWERED and done:
        return _page(request, link, "thanks")
    if link.state != OPEN:
        return _page(request, link, link.state, STATUS[link.state])
    return _page(request, link, OPEN, values={}, problems={})


@router.post("/survey/{token}")
async def survey_answer(request: Request, session: DB, token: str):
    """Send the answers to the survey's process; POST → redirect → GET on success."""
    if _limited(request, token):
        return _page(request, None, "limited", 429)
    link = await _open(request, session, token)
    if link.state != OPEN:
        return _page(request, link, link.state, STATUS[link.state])
    assert link.definition is not None
    form = await request.form()
    keys = {q.key for q in link.definition.questions}
    raw = {key: value for key, value in form.items() if key in keys and isinstance(value, str)}
    client = await request.app.state.temporal()
    outcome = await submit(client, request.app.state.settings, link, raw, client_ip=_client_ip(request))
    if outcome.state == "answered":
        return RedirectResponse(f"/survey/{token}?done=1", status_code=303)
    if outcome.state in ("invalid", "unavailable"):
        return _page(
            request,
            link,
            OPEN,
            STATUS[outcome.state],
            values=outcome.values,
            problems=outcome.problems,
            unavailable=outcome.state == "unavailable",
        )
    return _page(request, link, outcome.state, STATUS[outcome.state])
