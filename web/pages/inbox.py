"""My inbox and a task's page: decide, complete a form, delegate, recall — through the tasks API routes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select

from api.deps import get_temporal
from api.errors import ApiError
from api.routers import tasks as task_routes
from api.schemas.tasks import CompleteBody, DecisionBody, DelegateBody, RecallBody
from db.models import Staff, Task, utcnow
from web.core import active_staff, DB, CurrentViewer, Form, WebRoute, call, int_or_none, redirect, render
from web.labels import FIELD_NAMES, TASK_STATUSES, field_message, label
from web.pages.contacts import overdue_for_inbox

router = APIRouter(route_class=WebRoute, include_in_schema=False)


async def _names(session, ids) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(wanted)))
    return dict(rows.all())


def about(task) -> tuple[str | None, str | None]:
    """A link to what the task is about (complaint, customer, review) and the key figure to show."""
    context = task.context or {}
    if task.process_type == "approval" and context.get("approval_id"):
        return f"/approvals/{context['approval_id']}", None
    if task.process_type == "complaint" and context.get("complaint_id"):
        return f"/complaints/{context['complaint_id']}", context.get("amount")
    if task.process_type == "review":
        return "/reviews", None
    if task.process_type == "targets" and context.get("target_set_id"):
        return f"/targets/{context['target_set_id']}", None
    if task.process_type == "approval" and (context.get("fields") or {}).get("target_set_id"):
        return f"/targets/{context['fields']['target_set_id']}", None  # a target change: the target it changes
    if task.customer_id:
        return f"/customers/{task.customer_id}", context.get("declared_annual_value")
    return None, None


@router.get("/inbox")
async def inbox(request: Request, session: DB, viewer: CurrentViewer, show: str = "open"):
    """Open tasks first, by due date; `show=done` lists the ones already decided."""
    actor = viewer.actor
    scope = "mine" if actor.staff_id is not None else "all"
    status = "open" if show != "done" else None
    page = await call(
        task_routes.list_tasks,
        actor,
        session=session,
        scope=scope,
        status=status,
        kind=None,
        process_type=None,
        customer_id=None,
        assignee_id=None,
        limit=200,
        offset=0,
    )
    items = page.items if show != "done" else [t for t in page.items if t.status != "open"]
    names = await _names(session, [t.assignee_id for t in items] + [t.decided_by for t in items])
    now = utcnow()
    rows = []
    for task in items:
        link, figure = about(task)
        # An approval flow's task is decided on its request's page (steps, other approvers, comments).
        opens = link if task.process_type == "approval" and link else f"/tasks/{task.id}"
        if task.process_type == "review" and task.kind == "approval" and (task.context or {}).get("review_id"):
            # A review's approval carries a rating and a comment: it is decided on the reviews page.
            opens = f"/reviews#decide-{task.context['review_id']}"
        rows.append(
            {
                "task": task,
                "link": link,
                "figure": figure,
                "assignee": names.get(task.assignee_id),
                "opens": opens,
                "overdue": task.status == "open" and task.due_at is not None and task.due_at < now,
                "decided_by": names.get(task.decided_by),
            }
        )
    contacts = await overdue_for_inbox(session, actor) if show != "done" else None
    return render(request, "inbox.html", rows=rows, show=show, total=page.total, contacts=contacts)


async def _task_page(
    request: Request,
    session,
    viewer,
    task_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
):
    task = await call(task_routes.get_task, viewer.actor, task_id=task_id, session=session)
    names = await _names(
        session,
        [
            task.assignee_id,
            task.delegate_id,
            task.requester_id,
            task.decided_by,
            task.original_assignee_id,
            (task.context or {}).get("manager_id"),
        ],
    )
    actor = viewer.actor
    row = await session.get(Task, task_id)  # the same rules the tasks routes apply, on the same row
    actionable = task.status == "open" and actor.can_act_on_tasks
    may_decide = actionable and task_routes.may_decide(actor, row)
    may_delegate = actionable and task_routes.may_delegate(actor, row)
    may_recall = actionable and task_routes.may_recall(actor, row)
    candidates = []
    if may_delegate:
        listing = await active_staff(actor, session)
        candidates = [s for s in listing if s.id != task.assignee_id]
    fields = (task.form or {}).get("fields", {}) if task.kind == "form" else {}
    link, figure = about(task)
    return render(
        request,
        "task.html",
        status_code=status_code,
        task=task,
        names=names,
        link=link,
        figure=figure,
        may_decide=may_decide,
        may_delegate=may_delegate,
        may_recall=may_recall,
        candidates=candidates,
        fields=fields,
        errors=errors or {},
        values=values or {},
        FIELD_NAMES=FIELD_NAMES,
    )


@router.get("/tasks/{task_id}")
async def task_page(request: Request, task_id: int, session: DB, viewer: CurrentViewer):
    return await _task_page(request, session, viewer, task_id)


async def _already_decided(request: Request, session, viewer, task_id: int, exc: ApiError):
    """A lost race: say who decided, instead of an error page."""
    await session.rollback()
    session.expunge_all()
    task = await call(task_routes.get_task, viewer.actor, task_id=task_id, session=session)
    i18n = viewer.i18n
    if task.status != "open":
        who = (await _names(session, [task.decided_by])).get(task.decided_by) or i18n.gettext("someone else")
        text = i18n.gettext(
            "Already decided by {name}: {outcome}.", name=who, outcome=label(i18n, TASK_STATUSES, task.status)
        )
        return redirect(request, f"/tasks/{task_id}", message=text, level="warn")
    return redirect(request, f"/tasks/{task_id}", message=exc.message, level="error")


@router.post("/tasks/{task_id}/decision")
async def decide(request: Request, task_id: int, session: DB, viewer: CurrentViewer, form: Form):
    decision = form.get("decision")
    if decision not in ("approve", "reject"):
        raise ApiError(422, viewer.i18n.gettext("Choose approve or reject."))
    body = DecisionBody(decision=decision, comment=(form.get("comment") or "").strip()[:2000] or None)
    try:
        await call(
            task_routes.decide_task,
            viewer.actor,
            task_id=task_id,
            body=body,
            session=session,
            temporal=await get_temporal(request),
        )
    except ApiError as exc:
        if exc.status == 409:
            return await _already_decided(request, session, viewer, task_id, exc)
        raise
    i18n = viewer.i18n
    return redirect(
        request, "/inbox", message=i18n.gettext("Approved.") if decision == "approve" else i18n.gettext("Rejected.")
    )


def _form_data(fields: dict[str, Any], form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn posted strings into the form's types; returns (data, type errors)."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, spec in fields.items():
        kind = spec.get("type", "string")
        raw = form.get(f"f_{name}")
        if kind == "boolean":
            data[name] = raw == "on"
            continue
        if raw is None or raw.strip() == "":
            continue
        raw = raw.strip()
        try:
            data[name] = int(raw) if kind == "integer" else float(raw) if kind == "number" else raw
        except ValueError:
            errors[name] = "must be an integer" if kind == "integer" else "must be a number"
    return data, errors


@router.post("/tasks/{task_id}/complete")
async def complete(request: Request, task_id: int, session: DB, viewer: CurrentViewer, form: Form):
    """Complete a form task; the server's validation is shown next to each field."""
    task = await call(task_routes.get_task, viewer.actor, task_id=task_id, session=session)
    fields = (task.form or {}).get("fields", {})
    data, type_errors = _form_data(fields, form)
    values = {name: form.get(f"f_{name}", "") for name in fields}
    i18n = viewer.i18n
    if type_errors:
        errors = {k: field_message(i18n, v) for k, v in type_errors.items()}
        return await _task_page(request, session, viewer, task_id, errors=errors, values=values, status_code=422)
    body = CompleteBody(data=data, comment=(form.get("comment") or "").strip()[:2000] or None)
    try:
        await call(
            task_routes.complete_task,
            viewer.actor,
            task_id=task_id,
            body=body,
            session=session,
            temporal=await get_temporal(request),
        )
    except ApiError as exc:
        if exc.status == 422 and isinstance(exc.details, list):
            errors = {d["field"].removeprefix("data."): field_message(i18n, d["message"]) for d in exc.details}
            return await _task_page(request, session, viewer, task_id, errors=errors, values=values, status_code=422)
        if exc.status == 409:
            return await _already_decided(request, session, viewer, task_id, exc)
        raise
    return redirect(request, "/inbox", message=i18n.gettext("Form submitted."))


@router.post("/tasks/{task_id}/delegate")
async def delegate(request: Request, task_id: int, session: DB, viewer: CurrentViewer, form: Form):
    target = int_or_none(form.get("to_staff_id"))
    if target is None:
        raise ApiError(422, viewer.i18n.gettext("Choose whom to delegate to."))
    body = DelegateBody(to_staff_id=target, comment=(form.get("comment") or "").strip()[:2000] or None)
    await call(
        task_routes.delegate_task,
        viewer.actor,
        task_id=task_id,
        body=body,
        session=session,
        temporal=await get_temporal(request),
    )
    return redirect(request, f"/tasks/{task_id}", message=viewer.i18n.gettext("Delegated."))


@router.post("/tasks/{task_id}/recall")
async def recall(request: Request, task_id: int, session: DB, viewer: CurrentViewer, form: Form):
    body = RecallBody(comment=(form.get("comment") or "").strip()[:2000] or None)
    await call(
        task_routes.recall_task,
        viewer.actor,
        task_id=task_id,
        body=body,
        session=session,
        temporal=await get_temporal(request),
    )
    return redirect(request, f"/tasks/{task_id}", message=viewer.i18n.gettext("Recalled."))
