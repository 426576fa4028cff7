"""Survey results for staff (DESIGN §3.9): per team (response rate, CSAT, NPS trend), per customer, and actions.

Every page and form calls the API's route functions with the viewer's Actor (same roles, same visibility).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.errors import ApiError
from api.routers import surveys as survey_routes
from db.models import PrincipalRole
from web.core import active_staff, DB, CurrentViewer, Form, WebRoute, call, int_or_none, redirect, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def trend_chart(figures, i18n) -> dict:
    """A Chart.js config: CSAT (1–5) and NPS (−100..100) lines and the response rate as bars, per month."""
    labels = [f.period for f in figures]
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                {
                    "type": "bar",
                    "label": i18n.gettext("Response rate (%)"),
                    "yAxisID": "percent",
                    "data": [round(f.response_rate * 100, 1) if f.response_rate is not None else None for f in figures],
                    "backgroundColor": "rgba(37, 99, 235, 0.25)",
                },
                {
                    "type": "line",
                    "label": "NPS",
                    "yAxisID": "percent",
                    "borderColor": "#c2410c",
                    "data": [f.nps for f in figures],
                },
                {
                    "type": "line",
                    "label": "CSAT",
                    "yAxisID": "csat",
                    "borderColor": "#15803d",
                    "data": [f.csat for f in figures],
                },
            ],
        },
        "options": {
            "scales": {
                "percent": {"type": "linear", "position": "left", "min": -100, "max": 100},
                "csat": {"type": "linear", "position": "right", "min": 1, "max": 5, "grid": {"drawOnChartArea": False}},
            }
        },
    }


@router.get("/surveys")
async def survey_results(request: Request, session: DB, viewer: CurrentViewer, owner_id: str = "", months: str = "12"):
    """My team's survey figures per month, with a chart; one owner at a time if chosen."""
    actor = viewer.actor
    month_count = min(max(int_or_none(months) or 12, 1), 36)
    figures = await call(
        survey_routes.get_survey_figures,
        actor,
        session=session,
        request=request,
        owner_id=int_or_none(owner_id),
        months=month_count,
    )
    team = []
    if not actor.is_service:
        team = await active_staff(actor, session)
    return render(
        request,
        "surveys.html",
        figures=figures,
        trend=trend_chart(figures.periods, viewer.i18n),
        team=team,
        f={"owner_id": owner_id, "months": str(month_count)},
        may_start_wave=actor.role in (PrincipalRole.OPS, PrincipalRole.ADMIN),
    )


@router.post("/surveys/wave")
async def start_wave(request: Request, session: DB, viewer: CurrentViewer, form: Form):
    """Ops: start a wave now for every due customer."""
    result = await call(
        survey_routes.start_wave, viewer.actor, body=survey_routes.WaveRequest(), session=session, request=request
    )
    return redirect(
        request,
        "/surveys",
        message=viewer.i18n.gettext(
            "Survey wave {wave} started: every due customer is being invited.", wave=result.wave_id
        ),
    )


@router.post("/customers/{customer_id}/survey")
async def survey_customer(request: Request, customer_id: int, session: DB, viewer: CurrentViewer, form: Form):
    """Survey this customer now (the once-in-N-days rule still applies)."""
    await call(
        survey_routes.start_wave,
        viewer.actor,
        body=survey_routes.WaveRequest(customer_ids=[customer_id]),
        session=session,
        request=request,
    )
    return redirect(
        request,
        f"/customers/{customer_id}",
        message=viewer.i18n.gettext("Survey started: the contact is invited unless surveyed recently."),
    )


@router.post("/customers/{customer_id}/survey-contact")
async def survey_contact(request: Request, customer_id: int, session: DB, viewer: CurrentViewer, form: Form):
    """Set who at the customer receives surveys, and in which language."""
    try:
        body = survey_routes.ContactIn(
            name=(form.get("name") or "").strip()[:200],
            email=(form.get("email") or "").strip() or None,
            language=form.get("language") or "zh-CN",
        )
    except ValueError:
        raise ApiError(422, viewer.i18n.gettext("Enter a valid email address and language.")) from None
    await call(survey_routes.put_survey_contact, viewer.actor, customer_id=customer_id, body=body, session=session)
    return redirect(request, f"/customers/{customer_id}", message=viewer.i18n.gettext("Survey contact saved."))
