"""Awards: mine and my team's, one award line by line, and the appeal form — through the API's award routes."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request

from api.deps import get_temporal
from api.errors import ApiError
from api.routers import incentives as award_routes
from api.schemas.incentives import AppealBody, ComputeAwardsBody
from definitions.review import PERIOD_PATTERN
from web.core import DB, CurrentViewer, Form, WebRoute, call, redirect, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/awards")
async def awards(request: Request, session: DB, viewer: CurrentViewer):
    """My awards first, then those of the people I see."""
    actor = viewer.actor
    found = (
        await call(
            award_routes.list_incentive_awards,
            actor,
            session=session,
            period=None,
            manager_id=None,
            limit=500,
            offset=0,
        )
    ).items
    mine = [a for a in found if a.manager_id == actor.staff_id]
    team = [a for a in found if a.manager_id != actor.staff_id]
    may_compute = actor.role.value in ("ops", "admin", "director")
    return render(request, "awards.html", mine=mine, team=team, may_compute=may_compute)


@router.post("/awards/compute")
async def compute(request: Request, viewer: CurrentViewer, form: Form):
    """Compute an ended period's awards (ops/admin: the company, a director: their subtree), as the API does."""
    i18n = viewer.i18n
    period = (form.get("period") or "").strip().upper()
    if not re.fullmatch(PERIOD_PATTERN.strip("^$"), period):
        raise ApiError(422, i18n.gettext("The period is written like 2026Q3."))
    await call(
        award_routes.compute_incentive_awards,
        viewer.actor,
        body=ComputeAwardsBody(period=period, replace=form.get("replace") == "on"),
        request=request,
        client=await get_temporal(request),
    )
    return redirect(
        request,
        "/awards",
        message=i18n.gettext("Computing the awards of {period}; they appear here when done.", period=period),
    )


def line_note(i18n, line) -> str:
    """A line's note in the reader's language (stored in English, built from the same facts)."""
    _ = i18n.gettext
    if line.kind == "metric":
        if line.attainment is None:
            return _("no data")
        if line.band_from is None:
            return _("below the first band")
        return _("line capped") if line.note.startswith("capped") else ""
    if line.kind == "gate":
        rule = line.note.split(": ", 1)[-1]
        return (
            _("passed: {rule}", rule=rule)
            if line.points == 0 and line.note.startswith("passed")
            else _("failed, no bonus: {rule}", rule=rule)
        )
    return _("total capped")


@router.get("/awards/{award_id}")
async def award(request: Request, award_id: int, session: DB, viewer: CurrentViewer):
    """One award line by line, the rule version that produced it, and its appeal."""
    detail = await call(award_routes.get_incentive_award, viewer.actor, award_id=award_id, session=session)
    can_appeal = (
        detail.manager_id == viewer.actor.staff_id
        and detail.appeal_id is None
        and viewer.actor.role.value in ("manager", "director")
    )
    notes = {line.line_no: line_note(viewer.i18n, line) for line in detail.lines}
    return render(request, "award.html", award=detail, can_appeal=can_appeal, notes=notes)


@router.post("/awards/{award_id}/appeal")
async def appeal(request: Request, award_id: int, session: DB, viewer: CurrentViewer, form: Form):
    """File the appeal (the same route as the API: only the award's manager, once, within the window)."""
    i18n = viewer.i18n
    reason = (form.get("reason") or "").strip()
    if len(reason) < 5:
        raise ApiError(422, i18n.gettext("Say why, in a few words at least."))
    points = None
    if (form.get("requested_points") or "").strip():
        try:
            points = float(form["requested_points"])
        except ValueError:
            raise ApiError(422, i18n.gettext("The points must be a number.")) from None
    await call(
        award_routes.appeal_incentive_award,
        viewer.actor,
        award_id=award_id,
        body=AppealBody(reason=reason[:2000], requested_points=points),
        request=request,
        session=session,
        temporal=await get_temporal(request),
    )
    return redirect(request, f"/awards/{award_id}", message=i18n.gettext("Appeal filed: your director decides."))
