"""Reviews: my self-assessment, my team's reviews to approve or return, the cycle summary per team."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import or_, select

from api.routers import reviews as review_routes
from db.models import Staff, Task
from web.core import DB, CurrentViewer, WebRoute, call, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/reviews")
async def reviews(request: Request, session: DB, viewer: CurrentViewer):
    """Everything review-shaped the person may see, with links to the tasks that wait for them."""
    actor = viewer.actor
    all_reviews = (await call(review_routes.list_reviews, actor, session=session, period=None, manager_id=None,
                              review_status=None, limit=500, offset=0)).items
    cycles = (await call(review_routes.list_review_cycles, actor, session=session, period=None)).items
    tasks: dict[str, Task] = {}
    if actor.staff_id is not None:
        rows = await session.scalars(select(Task).where(
            Task.process_type == "review", Task.status == "open",
            or_(Task.assignee_id == actor.staff_id, Task.delegate_id == actor.staff_id)))
        tasks = {task.workflow_id: task for task in rows}
    mine = [r for r in all_reviews if r.manager_id == actor.staff_id]
    team = [r for r in all_reviews if r.manager_id != actor.staff_id]
    ids = {r.manager_id for r in all_reviews} | {r.supervisor_id for r in all_reviews if r.supervisor_id}
    for cycle in cycles:
        for t in ((cycle.summary or {}).get("teams") or {}).values():
            if t.get("supervisor_id"):
                ids.add(t["supervisor_id"])
    names = dict((await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids or {0})))).all())
    return render(request, "reviews.html", mine=mine, team=team, cycles=cycles, tasks=tasks, names=names)
