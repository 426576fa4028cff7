"""Approval requests (审批): start one from a flow's form, the lists, one request's page and its actions.

Every read and write goes through the approvals API routes (web.core.call), so the page can never let
someone do what the API refuses; the buttons shown are a courtesy computed from what the API returned.
"""

from __future__ import annotations

import re
import typing
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from api.auth import Actor
from api.deps import get_temporal
from api.errors import ApiError
from api.routers import approvals as approval_routes
from api.routers import customers as customer_routes
from api.schemas.approvals import (
    AddApproverBody,
    ApprovalCreate,
    ApprovalDecisionBody,
    ApprovalDelegateBody,
    ApprovalRecallBody,
    CommentBody,
    ResubmitBody,
)
from db.models import utcnow
from definitions.approval import FINAL_STATUSES, REQUESTER, RequestForm, validate_request
from web.core import active_staff, DB, CurrentViewer, Form, WebRoute, call, int_or_none, redirect, render
from web.i18n import N_, I18n
from web.labels import FIELD_NAMES, TASK_STATUSES, field_message, label
from web.pages.inbox import _form_data, _names

router = APIRouter(route_class=WebRoute, include_in_schema=False)

STATUSES = {
    "pending": N_("Pending approval"),
    "returned": N_("Sent back to the requester"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "recalled": N_("Recalled"),
}
STEP_STATUSES = {
    "waiting": N_("Waiting"),
    "skipped": N_("Skipped"),
    "running": N_("Deciding now"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "sent_back": N_("Sent back"),
    "recalled": N_("Recalled"),
}
VOTES = {"approve": N_("Approved"), "reject": N_("Rejected"), "send_back": N_("Sent back")}
EVENTS = {
    "approval.submitted": N_("Request submitted"),
    "approval.step_started": N_("Step started"),
    "approval.step_skipped": N_("Step skipped"),
    "approval.step_approved": N_("Step approved"),
    "approval.step_rejected": N_("Step rejected"),
    "approval.step_sent_back": N_("Step sent back"),
    "approval.step_timed_out": N_("Nobody decided in time"),
    "approval.no_approver": N_("Nobody to approve"),
    "approval.returned": N_("Sent back to the requester"),
    "approval.resubmitted": N_("Resubmitted"),
    "approval.commented": N_("Comment"),
    "approval.approver_added": N_("Approver added"),
    "approval.approved": N_("Request approved"),
    "approval.rejected": N_("Request rejected"),
    "approval.recalled": N_("Request recalled"),
    "task.opened": N_("Task opened"),
    "task.approved": N_("Approved"),
    "task.rejected": N_("Rejected"),
    "task.returned": N_("Sent back"),
    "task.cancelled": N_("Task closed"),
    "task.expired": N_("Task expired"),
    "customer.assigned": N_("Customer handed over"),
    "approval.transfer_refused": N_("Hand-over refused"),
    "task.escalated": N_("Escalated"),
    "task.reminded": N_("Reminder sent"),
    "task.delegated": N_("Delegated"),
}
# Tabs of the list: the API's scope behind each.
SCOPES = {
    "awaiting": ("awaiting_me", N_("Awaiting me")),
    "mine": ("mine", N_("My requests")),
    "team": ("team", N_("My team's")),
    "all": ("all", N_("All I can see")),
}
_STAFF_LABEL = re.compile(r"staff:(\d+)")
_LABELS = re.compile(r"\b(?:admin|manager|director|ops|service):staff:(\d+)")  # actor labels inside engine text
_DECIDED_BY = "decided by "


def localized(i18n: I18n, titles: dict[str, str] | None, fallback: str | None) -> str | None:
    """A flow's own wording in the reader's language (the flow file's `titles`/`labels`), else its default."""
    return (titles or {}).get(i18n.language) or fallback


def mode_label(i18n: I18n, mode: str) -> str:
    if mode == "any":
        return i18n.gettext("或签: any one approver decides")
    if mode == "all":
        return i18n.gettext("会签: every approver must approve")
    if mode.startswith("quorum:"):
        return i18n.gettext("Quorum: {n} approvals decide", n=mode.split(":", 1)[1])
    return mode


def staff_of(label_text: str | None) -> int | None:
    """The staff id inside an actor label ("manager:staff:7" → 7)."""
    match = _STAFF_LABEL.search(label_text or "")
    return int(match.group(1)) if match else None


def humanize(names: dict[int, str], text: str | None) -> str:
    """Engine text with actor labels ("rejected by manager:staff:7") read as people's names."""
    return _LABELS.sub(lambda m: names.get(int(m.group(1)), m.group(0)), text or "")


async def _flows(request: Request, actor: Actor, *, required: bool = True) -> dict[str, Any]:
    """The flows that load now, by name; pages that only need their titles still work while a flow file is broken."""
    try:
        listing = await call(approval_routes.list_flows, actor, request=request)
    except ApiError as exc:
        if required or exc.status != 503:
            raise
        return {}
    return {flow.flow: flow for flow in listing.items}


async def may_start(actor: Actor) -> bool:
    """Whether the create route's own role gate lets this actor in."""
    gate = typing.get_type_hints(approval_routes.create_approval, include_extras=True)["actor"]
    for meta in typing.get_args(gate)[1:]:
        try:
            await meta.dependency(actor)
        except ApiError:
            return False
    return True


_TASK_VOTES = {"approved": "approve", "rejected": "reject", "returned": "send_back", "expired": "reject"}


def live_steps(detail) -> list[dict[str, Any]]:
    """The steps with the current step's votes read from its tasks.

    The row's step snapshot is written when a step starts or ends, while each decision closes a task at
    once: a 会签 step's signatures so far are the closed tasks of its latest run (task keys
    "<step>.<visit>.r<round>.<n>").
    """
    current = [t for t in detail.tasks if (t.context or {}).get("step") == detail.current_step]
    if not current or detail.current_step is None:
        return detail.steps
    run = max(current, key=lambda t: t.id).task_key.rsplit(".", 1)[0]
    tasks = [t for t in current if t.task_key.rsplit(".", 1)[0] == run]
    steps = []
    for step in detail.steps:
        if step.get("name") == detail.current_step and step.get("status") == "running":
            slots = []
            for slot in step.get("approvers", []):
                queue = slot.get("queue") or [None]
                who = queue[min(slot.get("position", 0), len(queue) - 1)]
                closed = [
                    t for t in tasks if who in (t.original_assignee_id, t.assignee_id) and t.status in _TASK_VOTES
                ]
                vote = _TASK_VOTES[closed[-1].status] if closed and who == queue[-1] else slot.get("vote")
                slots.append({**slot, "vote": vote})
            step = {**step, "approvers": slots}
        steps.append(step)
    return steps


def where_it_stands(detail) -> dict[str, Any]:
    """The current step, its mode, who must still decide, votes so far and the earliest deadline."""
    step = next((s for s in live_steps(detail) if s.get("name") == detail.current_step), None)
    open_tasks = [t for t in detail.tasks if t.status == "open"]
    approvals = sum(1 for slot in (step or {}).get("approvers", []) if slot.get("vote") == "approve")
    slots = len((step or {}).get("approvers", []))
    mode = (step or {}).get("mode", "")
    needed = slots if mode == "all" else min(int(mode.split(":")[1]), slots) if mode.startswith("quorum:") else 1
    dues = [t.due_at for t in open_tasks if t.due_at is not None]
    return {
        "step": step,
        "open": open_tasks,
        "approvals": approvals,
        "needed": needed if step else 0,
        "due": min(dues) if dues else None,
    }


def _step_title(i18n: I18n, flow, step: dict[str, Any] | None) -> str | None:
    """A step's title in the reader's language (from the flow file), else its pinned title, else its name."""
    if step is None:
        return None
    spec = next((s for s in (flow.steps if flow else []) if s.get("name") == step.get("name")), {})
    return localized(i18n, spec.get("titles"), step.get("title")) or step.get("name")


def _ids(detail) -> list[int | None]:
    ids: list[int | None] = [detail.requester_id]
    for task in detail.tasks:
        ids += [task.assignee_id, task.delegate_id, task.original_assignee_id, task.decided_by]
    for step in detail.steps:
        for slot in step.get("approvers", []):
            ids += slot.get("queue", [])
        ids.append(staff_of(step.get("decided_by")))
    return ids


PAGE_SIZE = 50


@router.get("/approvals")
async def approvals(request: Request, session: DB, viewer: CurrentViewer, show: str = "", offset: str = "0"):
    """Awaiting me, my requests, my team's (or everything I see): each with where it stands, newest first."""
    start = max(int_or_none(offset) or 0, 0)
    actor = viewer.actor
    if actor.staff_id is not None:
        tabs = ["awaiting", "mine", "team"] + (["all"] if actor.sees_all else [])
    elif actor.is_service:
        tabs = ["mine"]
    else:
        tabs = ["all"]
    show = show if show in tabs else tabs[0]
    page = await call(
        approval_routes.list_approvals,
        actor,
        session=session,
        scope=SCOPES[show][0],
        status=None,
        flow=None,
        customer_id=None,
        limit=PAGE_SIZE,
        offset=start,
    )
    flows = await _flows(request, actor, required=False)
    rows, ids = [], []
    for detail in await approval_routes.details_of_listed(session, page):
        flow = flows.get(detail.flow)
        where = where_it_stands(detail)
        rows.append(
            {
                "a": detail,
                "where": where,
                "step_title": _step_title(viewer.i18n, flow, where["step"]),
                "flow_title": localized(
                    viewer.i18n, flow.titles if flow else None, flow.title if flow else detail.flow
                ),
            }
        )
        ids += _ids(detail)
    names = await _names(session, ids)
    return render(
        request,
        "approvals.html",
        rows=rows,
        show=show,
        tabs=[(t, SCOPES[t][1]) for t in tabs],
        total=page.total,
        names=names,
        may_start=await may_start(actor),
        STATUSES=STATUSES,
        mode_label=mode_label,
        now=utcnow(),
        start=start,
        page_size=PAGE_SIZE,
        people=lambda text: humanize(names, text),
    )


# ---- start a request ------------------------------------------------------------------------------


async def _new_page(
    request: Request,
    session,
    viewer,
    *,
    flow_name: str | None,
    customer_id: int | None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
):
    actor = viewer.actor
    if not await may_start(actor):
        raise ApiError(
            403,
            viewer.i18n.gettext("Only managers, directors, the service desk and administrators may start a request."),
        )
    flows = await _flows(request, actor)
    flow = flows.get(flow_name or "")
    customers = []
    if flow is not None and flow.subject == "customer":
        listing = await call(
            customer_routes.list_customers_route,
            actor,
            session=session,
            tier=None,
            owner_id=None,
            status_="active",
            region=None,
            q=None,
            limit=500,
            offset=0,
        )
        customers = listing.items
    i18n = viewer.i18n
    choices = [(f.flow, localized(i18n, f.titles, f.title)) for f in flows.values()]
    return render(
        request,
        "approval_new.html",
        status_code=status_code,
        flows=choices,
        flow=flow,
        flow_title=localized(i18n, flow.titles, flow.title) if flow else None,
        customers=customers,
        customer_id=customer_id,
        errors=errors or {},
        values=values or {},
        field_label=lambda name, spec: field_label(i18n, name, spec),
        mode_label=mode_label,
        localized=localized,
        request_key=uuid.uuid4().hex,
    )


def field_label(i18n: I18n, name: str, spec: dict[str, Any]) -> str:
    """A form field's label: the flow's wording in the reader's language, else a known name, else the key."""
    own = localized(i18n, spec.get("labels"), spec.get("label"))
    return own or label(i18n, FIELD_NAMES, name)


@router.get("/approvals/new")
async def new_approval(request: Request, session: DB, viewer: CurrentViewer, flow: str = "", customer_id: str = ""):
    """Pick a flow, then fill in the form its definition declares."""
    return await _new_page(request, session, viewer, flow_name=flow or None, customer_id=int_or_none(customer_id))


def _api_field_errors(i18n: I18n, exc: ApiError) -> dict[str, str] | None:
    """The API's per-field 422 details as {form field: message in the reader's language}."""
    if exc.status != 422 or not isinstance(exc.details, list):
        return None
    return {str(d["field"]).removeprefix("fields."): field_message(i18n, str(d["message"])) for d in exc.details}


def _pydantic_errors(i18n: I18n, exc: ValidationError) -> dict[str, str]:
    errors = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "form"
        errors[name] = (
            i18n.gettext("This field is required.")
            if error["type"] in ("string_too_short", "missing")
            else error["msg"]
        )
    return errors


@router.post("/approvals/new")
async def create(request: Request, session: DB, viewer: CurrentViewer, form: Form):
    """File the request; the API's validation is shown next to each field."""
    i18n, actor = viewer.i18n, viewer.actor
    flow_name = (form.get("flow") or "").strip()
    customer_id = int_or_none(form.get("customer_id"))
    flows = await _flows(request, actor)
    flow = flows.get(flow_name)
    if flow is None:
        raise ApiError(422, i18n.gettext("Choose a flow."))
    data, type_errors = _form_data(flow.form, form)
    values = {name: form.get(f"f_{name}", "") for name in flow.form} | {"title": form.get("title", "")}

    async def again(errors: dict[str, str]):
        return await _new_page(
            request,
            session,
            viewer,
            flow_name=flow_name,
            customer_id=customer_id,
            errors=errors,
            values=values,
            status_code=422,
        )

    title = (form.get("title") or "").strip()
    if type_errors or not title:
        # The API would stop at the first problem; check the fields with its own function to show them all at once.
        problems = validate_request(RequestForm.model_validate({"fields": flow.form}), data) | type_errors
        errors = {k: field_message(i18n, v) for k, v in problems.items()}
        if not title:
            errors["title"] = i18n.gettext("This field is required.")
        return await again(errors)
    try:
        body = ApprovalCreate(flow=flow_name, title=title, customer_id=customer_id, fields=data)
    except ValidationError as exc:
        return await again(_pydantic_errors(i18n, exc))
    try:
        created = await call(
            approval_routes.create_approval,
            actor,
            body=body,
            request=request,
            response=Response(),
            session=session,
            temporal=await get_temporal(request),
            idempotency_key=(form.get("request_key") or "").strip()[:200] or None,
        )
    except ApiError as exc:
        errors = _api_field_errors(i18n, exc)
        if errors is None:
            raise
        return await again(errors)
    return redirect(request, f"/approvals/{created.id}", message=i18n.gettext("Request submitted."))


# ---- one request ----------------------------------------------------------------------------------


def permissions(actor: Actor, detail, may_file: bool) -> dict[str, Any]:
    """What the API would let this actor do now (it still decides: these only choose which forms to show)."""
    running = detail.status not in FINAL_STATUSES
    # The row's step snapshot is written before the step's tasks open: match open tasks by their step instead.
    open_in_step = [
        t for t in detail.tasks if t.status == "open" and (t.context or {}).get("step") == detail.current_step
    ]
    if actor.is_admin:
        mine = open_in_step[:1]
    elif actor.can_act_on_tasks:
        mine = [t for t in open_in_step if actor.staff_id in (t.assignee_id, t.delegate_id)]
    else:
        mine = []
    deciding = detail.status == "pending" and bool(mine)
    is_requester = (
        actor.staff_id is not None and actor.staff_id == detail.requester_id
    ) or actor.label == detail.requester_label
    owner = may_file and (actor.is_admin or is_requester)
    approvers = {s for st in detail.steps for slot in st.get("approvers", []) for s in slot.get("queue", [])}
    approvers |= {i for t in detail.tasks for i in (t.assignee_id, t.delegate_id) if i is not None}
    return {
        "task": mine[0] if mine else None,
        "decide": deciding,
        "add_approver": deciding,
        "delegate": deciding and (actor.is_admin or mine[0].assignee_id == actor.staff_id),
        "recall": owner and detail.status in ("pending", "returned"),
        "resubmit": owner and detail.status == "returned",
        "comment": running
        and may_file
        and (owner or (actor.role.value in ("manager", "director") and actor.staff_id in approvers)),
    }


def send_back_targets(detail, flow) -> list[str]:
    """Where the current step may send the request back: its pinned flow's list when the flow file is unchanged."""
    names = [s.get("name") for s in detail.steps]
    current = detail.current_step
    earlier = names[: names.index(current)] if current in names else []
    if flow is not None and flow.content_hash == detail.flow_hash:
        step = next((s for s in flow.steps if s.get("name") == current), None)
        if step is not None:
            return list(step.get("send_back_to") or [REQUESTER])
    return [REQUESTER, *earlier]


async def _approval_page(
    request: Request,
    session,
    viewer,
    approval_id: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
):
    actor, i18n = viewer.actor, viewer.i18n
    detail = await call(approval_routes.get_approval, actor, approval_id=approval_id, session=session)
    events = await call(approval_routes.list_events, actor, approval_id=approval_id, session=session)
    flows = await _flows(request, actor, required=False)
    flow = flows.get(detail.flow)
    may = permissions(actor, detail, await may_start(actor))
    named = [staff_of(e.actor) for e in events.items] + [
        (e.details or {}).get(key) for e in events.items for key in ("assignee_id", "staff_id")
    ]
    names = await _names(session, _ids(detail) + [i for i in named if isinstance(i, int)])
    candidates: list[tuple[int, str]] = []
    if may["add_approver"] or may["delegate"]:
        # Whom the viewer may pick: the staff they can see, and the people already on this request.
        listing = await active_staff(actor, session)
        known = {s.id: s.name for s in listing} | names
        candidates = sorted(
            ((i, n) for i, n in known.items() if i not in (actor.staff_id, detail.requester_id)),
            key=lambda pair: pair[1],
        )
    customer = None
    if detail.customer_id is not None:
        try:
            customer = await call(customer_routes.get_customer, actor, customer_id=detail.customer_id, session=session)
        except ApiError:
            customer = None  # an approver from elsewhere in the org may not see the customer: the id is shown
    # My tasks on this request that another approver's decision closed (或签: the first decision wins).
    beaten = [
        t
        for t in detail.tasks
        if t.status == "cancelled"
        and (t.comment or "").startswith(_DECIDED_BY)
        and actor.staff_id is not None
        and actor.staff_id in (t.assignee_id, t.delegate_id)
    ]
    step_titles = {}
    for step in flow.steps if flow else []:
        step_titles[step["name"]] = localized(i18n, step.get("titles"), step.get("title"))
    form_fields = flow.form if flow is not None and flow.content_hash == detail.flow_hash else {}
    if values is None:  # the resubmit form starts from the request's current fields
        values = {
            name: (
                "on"
                if value is True
                else ""
                if value in (None, False)
                else f"{value:g}"
                if isinstance(value, float)
                else str(value)
            )
            for name, value in detail.fields.items()
        }
    field_spec = flow.form if flow is not None else {}
    return render(
        request,
        "approval.html",
        status_code=status_code,
        a=detail,
        steps=live_steps(detail),
        events=events.items,
        names=names,
        may=may,
        customer=customer,
        where=where_it_stands(detail),
        candidates=candidates,
        beaten=beaten,
        flow_title=localized(i18n, flow.titles, flow.title) if flow else detail.flow,
        step_titles=step_titles,
        targets=send_back_targets(detail, flow) if may["decide"] else [],
        form_fields=form_fields,
        field_spec=field_spec,
        errors=errors or {},
        values=values,
        STATUSES=STATUSES,
        STEP_STATUSES=STEP_STATUSES,
        VOTES=VOTES,
        EVENTS=EVENTS,
        TASK_STATUSES=TASK_STATUSES,
        mode_label=mode_label,
        field_label=lambda name, spec: field_label(i18n, name, spec or {}),
        decided_by=lambda text: names.get(staff_of(text)) or text,
        staff_of=staff_of,
        people=lambda text: humanize(names, text),
    )


@router.get("/approvals/{approval_id}")
async def approval_page(request: Request, approval_id: str, session: DB, viewer: CurrentViewer):
    return await _approval_page(request, session, viewer, approval_id)


def _comment(form: dict[str, str]) -> str | None:
    return (form.get("comment") or "").strip()[:4000] or None


async def _refused(request: Request, session, viewer, approval_id: str, exc: ApiError):
    """A 409 (lost a race, or the request moved on): say who decided, on the request's page."""
    if exc.status != 409:
        raise exc
    await session.rollback()
    session.expunge_all()
    i18n = viewer.i18n
    detail = await call(approval_routes.get_approval, viewer.actor, approval_id=approval_id, session=session)
    mine = [
        t
        for t in detail.tasks
        if viewer.actor.staff_id is not None
        and viewer.actor.staff_id in (t.assignee_id, t.delegate_id)
        and t.status != "open"
    ]
    # The winner is named by my closed task, or else by the workflow's refusal ("… already decided by <label>").
    closed = next(
        (t.comment for t in reversed(mine) if t.status == "cancelled" and (t.comment or "").startswith(_DECIDED_BY)),
        None,
    )
    match = re.search(r"decided by (\S+)", closed or exc.message)
    text = exc.message
    if match:
        who = staff_of(match.group(1))
        name = (await _names(session, [who])).get(who) if who else None
        text = i18n.gettext("Already decided by {name}.", name=name or match.group(1))
    return redirect(request, f"/approvals/{approval_id}", message=text, level="warn")


async def _act(request: Request, session, viewer, approval_id: str, endpoint, message: str, **kwargs):
    """Run one action route; a 409 becomes a warning on the request's page, other refusals an error page."""
    try:
        await call(
            endpoint,
            viewer.actor,
            approval_id=approval_id,
            session=session,
            temporal=await get_temporal(request),
            **kwargs,
        )
    except ApiError as exc:
        return await _refused(request, session, viewer, approval_id, exc)
    return redirect(request, f"/approvals/{approval_id}", message=message)


@router.post("/approvals/{approval_id}/decision")
async def decide(request: Request, approval_id: str, session: DB, viewer: CurrentViewer, form: Form):
    i18n = viewer.i18n
    decision = form.get("decision")
    if decision not in ("approve", "reject", "send_back"):
        raise ApiError(422, i18n.gettext("Choose approve, reject or send back."))
    body = ApprovalDecisionBody(
        decision=decision,
        comment=_comment(form),
        to_step=(form.get("to_step") or "").strip()[:64] or None if decision == "send_back" else None,
    )
    message = {
        "approve": i18n.gettext("Approved."),
        "reject": i18n.gettext("Rejected."),
        "send_back": i18n.gettext("Sent back."),
    }[decision]
    return await _act(request, session, viewer, approval_id, approval_routes.decide, message, body=body)


@router.post("/approvals/{approval_id}/add-approver")
async def add_approver(request: Request, approval_id: str, session: DB, viewer: CurrentViewer, form: Form):
    staff_id = int_or_none(form.get("staff_id"))
    if staff_id is None or staff_id < 1:
        raise ApiError(422, viewer.i18n.gettext("Choose whom to add."))
    position = "before" if form.get("position") == "before" else "after"
    body = AddApproverBody(staff_id=staff_id, position=position, comment=_comment(form))
    return await _act(
        request,
        session,
        viewer,
        approval_id,
        approval_routes.add_approver,
        viewer.i18n.gettext("Approver added."),
        body=body,
    )


@router.post("/approvals/{approval_id}/delegate")
async def delegate(request: Request, approval_id: str, session: DB, viewer: CurrentViewer, form: Form):
    target = int_or_none(form.get("to_staff_id"))
    if target is None or target < 1:
        raise ApiError(422, viewer.i18n.gettext("Choose whom to delegate to."))
    body = ApprovalDelegateBody(to_staff_id=target, comment=_comment(form))
    return await _act(
        request, session, viewer, approval_id, approval_routes.delegate, viewer.i18n.gettext("Delegated."), body=body
    )


@router.post("/approvals/{approval_id}/recall")
async def recall(request: Request, approval_id: str, session: DB, viewer: CurrentViewer, form: Form):
    return await _act(
        request,
        session,
        viewer,
        approval_id,
        approval_routes.recall,
        viewer.i18n.gettext("Request recalled."),
        body=ApprovalRecallBody(comment=_comment(form)),
    )


@router.post("/approvals/{approval_id}/resubmit")
async def resubmit(request: Request, approval_id: str, session: DB, viewer: CurrentViewer, form: Form):
    """Amend the fields of a request sent back to me and submit it again (errors next to each field)."""
    i18n = viewer.i18n
    detail = await call(approval_routes.get_approval, viewer.actor, approval_id=approval_id, session=session)
    flow = (await _flows(request, viewer.actor)).get(detail.flow)
    if flow is None or flow.content_hash != detail.flow_hash:
        # The form this request was pinned to is not the file's any more: resubmit it unchanged.
        body = ResubmitBody(fields=None, comment=_comment(form))
    else:
        data, type_errors = _form_data(flow.form, form)
        values = {name: form.get(f"f_{name}", "") for name in flow.form}
        if type_errors:
            return await _approval_page(
                request,
                session,
                viewer,
                approval_id,
                status_code=422,
                values=values,
                errors={k: field_message(i18n, v) for k, v in type_errors.items()},
            )
        body = ResubmitBody(fields=data, comment=_comment(form))
    try:
        await call(
            approval_routes.resubmit,
            viewer.actor,
            approval_id=approval_id,
            body=body,
            session=session,
            temporal=await get_temporal(request),
        )
    except ApiError as exc:
        errors = _api_field_errors(i18n, exc)
        if errors is None or flow is None:
            return await _refused(request, session, viewer, approval_id, exc)
        return await _approval_page(
            request,
            session,
            viewer,
            approval_id,
            status_code=422,
            errors=errors,
            values={name: form.get(f"f_{name}", "") for name in flow.form},
        )
    return redirect(request, f"/approvals/{approval_id}", message=i18n.gettext("Request resubmitted."))


@router.post("/approvals/{approval_id}/comments")
async def comment(request: Request, approval_id: str, session: DB, viewer: CurrentViewer, form: Form):
    text = (form.get("text") or "").strip()[:4000]
    if not text:
        raise ApiError(422, viewer.i18n.gettext("Write a comment first."))
    return await _act(
        request,
        session,
        viewer,
        approval_id,
        approval_routes.comment,
        viewer.i18n.gettext("Comment added."),
        body=CommentBody(text=text),
    )
