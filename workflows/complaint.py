"""Complaint handling (DESIGN §3.1): intake, SLA clocks with warnings and escalation, actions, close."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import (
    RetryPolicy,
    SearchAttributeKey,
    SearchAttributePair,
    SearchAttributeUpdate,
    TypedSearchAttributes,
)
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.options import activity_options

with workflow.unsafe.imports_passed_through():
    from activities.complaint import ComplaintActivities
    from activities.tasks import TaskActivities
    from crmflow.registry import ProcessSpec
    from crmflow.temporal import (
        SA_CUSTOMER_ID,
        SA_DEFINITION_VERSION,
        SA_MANAGER_ID,
        SA_PROCESS_TYPE,
        SA_SEVERITY,
        SA_STAGE,
    )
    from definitions.complaint import (
        SYSTEM_ACTOR,
        ComplaintDefinition,
        AcknowledgeRequest,
        ActionActor,
        ComplaintAnswer,
        ComplaintChanges,
        ComplaintOutcome,
        ComplaintStart,
        ComplaintState,
        ComplaintStatus,
        CompensationStep,
        CustomerResponseRequest,
        EscalateInput,
        IntakeAnswer,
        IntakeRequest,
        NotificationSpec,
        OpenComplaintInput,
        OpenFailedInput,
        ReassignRequest,
        RecordChangeInput,
        ResolveRequest,
        ResumeRequest,
        SlaClock,
        SlaPhase,
        RemindTopInput,
        SlaWarningInput,
        Stage,
        WaitOnCustomerRequest,
        deadline_after,
    )
    from definitions.approval import (
        ApprovalInput,
        FlowDefinition,
        ProcessTasks,
        approval_workflow_id,
        condition_holds,
        outcome_of,
        process_requester,
    )
    from definitions.tasks import TaskOutcome, TaskSpec
    from workflows.approval import ApprovalWorkflow
    from workflows.human_task import HumanTaskMixin

# Errors the API maps to HTTP: WrongStage → 409, InvalidInput → 422.
WRONG_STAGE = "WrongStage"
INVALID_INPUT = "InvalidInput"
# The complaint's first write failed for good: the process ends failed and the intake answers 422.
OPEN_FAILED = "OpenFailed"

# workflow.patched() ids. Runs started before a patch keep their recorded commands on replay.
# An escalation moves the deadline in force to the new window, and the top of the chain is reminded
# every window instead of going silent.
PATCH_ESCALATION_DEADLINES = "escalation-moves-deadline-and-reminds-top"
# Compensation is approved by the definition's approval flow (an ApprovalWorkflow child) instead of the fixed
# chain of tasks. Runs started before keep the chain: their definition snapshot names no flow, and their
# histories hold no marker, so they replay the chain's commands.
PATCH_COMPENSATION_FLOW = "compensation-approved-by-flow"
# A smaller history per complaint: record_change and escalate send the changed columns instead of the whole
# state, and search attributes are upserted only when their value changes (the API sets the intake's at start).
# Runs started before keep sending the whole state and upserting every time: their histories hold no marker.
PATCH_SLIM_HISTORY = "complaint-slim-history"
# Approval ids of compensation requests derive from the complaint's id and round (replay-stable).
_APPROVAL_NAMESPACE = uuid.UUID("6f1d9a0e-3c4b-5e27-9a8d-0b1c2d3e4f50")

ACTIVITY_TIMEOUT = timedelta(seconds=30)
# Activities are idempotent, so retrying forever (with backoff) is safe; a broken DB just delays the process.
ACTIVITY_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))
ACTIVITY_OPTIONS = activity_options(ACTIVITY_TIMEOUT, ACTIVITY_RETRY)


# Each human update: the verb its rejection names, and the stages it is allowed in (validator and handler check both).
_UPDATE_STAGES: dict[str, tuple[str, tuple[Stage, ...]]] = {
    "acknowledge": ("acknowledge", ("open",)),
    "wait_on_customer": ("wait on the customer for", ("in_progress",)),
    "resume": ("resume", ("waiting_on_customer",)),
    "resolve": ("resolve", ("in_progress", "waiting_on_customer")),
    "customer_response": ("record a customer response on", ("resolved", "waiting_on_customer")),
    "reassign": ("reassign", ("open", "in_progress", "waiting_on_customer", "pending_approval", "resolved")),
}


def wrong_stage(action: str, stage: str) -> ApplicationError:
    return ApplicationError(f"cannot {action} a complaint in stage {stage}", type=WRONG_STAGE, non_retryable=True)


def invalid_input(message: str) -> ApplicationError:
    return ApplicationError(message, type=INVALID_INPUT, non_retryable=True)


def _intake_values(start: ComplaintStart) -> list[tuple[SearchAttributeKey[str], str]]:
    """The search attributes the intake determines, in the order the workflow upserts them."""
    return [
        (SA_PROCESS_TYPE, "complaint"),
        (SA_STAGE, "open"),
        (SA_CUSTOMER_ID, str(start.customer_id)),
        (SA_SEVERITY, start.severity),
        (SA_DEFINITION_VERSION, str(start.definition.version)),
    ]


def intake_search_attributes(start: ComplaintStart, owner_id: int | None) -> TypedSearchAttributes:
    """The search attributes a complaint starts with (the intake's; the owner as the customer's manager is now)."""
    pairs = [SearchAttributePair(key, value) for key, value in _intake_values(start)]
    if owner_id is not None:
        pairs.append(SearchAttributePair(SA_MANAGER_ID, str(owner_id)))
    return TypedSearchAttributes(pairs)


@workflow.defn
class ComplaintWorkflow(HumanTaskMixin):
    """One complaint from intake to close; every human action is an Update with a validator.

    Compensation approvals are human tasks (HumanTaskMixin): decisions arrive as "task.decide" updates.
    """

    def __init__(self) -> None:
        self._start: ComplaintStart | None = None
        self._state: ComplaintState | None = None
        self._opened = False
        self._open_failure: str | None = None
        self._intakes = 0
        self._opened_at: datetime | None = None
        # Bumped on every change so timer waits re-plan instead of firing on stale state.
        self._version = 0
        # Serialises updates and timer-driven steps: each runs its DB activity with the state it checked.
        self._lock = asyncio.Lock()
        self._clocks: dict[SlaPhase, SlaClock] = {}
        self._paused_since: datetime | None = None
        self._resolution_breached = False
        self._confirm_by: datetime | None = None
        self._approval_round = 0
        # The approval chain runs beside the main loop, so the resolution clock keeps escalating meanwhile.
        self._approval: asyncio.Task[None] | None = None
        self._approval_workflow_id: str | None = None  # the compensation flow's child, while one runs
        self._slim = False  # PATCH_SLIM_HISTORY: decided once at the start of the run

    # ---- run ---------------------------------------------------------------------------------------

    @workflow.run
    async def run(self, start: ComplaintStart) -> ComplaintOutcome:
        self._start = start
        self._slim = workflow.patched(PATCH_SLIM_HISTORY)
        definition = start.definition
        now = workflow.now()
        window = definition.window(start.severity, start.customer_tier)
        self._opened_at = now
        respond_by = deadline_after(now, window.respond, definition)
        resolve_by = deadline_after(now, window.resolve, definition)
        self._clocks = {
            "respond": SlaClock("respond", window.respond, now, respond_by),
            "resolve": SlaClock("resolve", window.resolve, now, resolve_by),
        }
        self._upsert([key.value_set(value) for key, value in _intake_values(start)])
        try:
            opened = await workflow.execute_activity_method(
                ComplaintActivities.open,
                OpenComplaintInput(
                    complaint_id=start.complaint_id,
                    workflow_id=workflow.info().workflow_id,
                    customer_id=start.customer_id,
                    severity=start.severity,
                    category=start.category,
                    description=start.description,
                    channel=start.channel,
                    definition_version=definition.version,
                    actor=start.opened_by,
                    opened_at=now,
                    respond_by=respond_by,
                    resolve_by=resolve_by,
                ),
                **ACTIVITY_OPTIONS,
            )
        except ActivityError as err:
            # Only a non-retryable failure (bad data, unknown customer) gets here. Recorded histories never
            # reach this branch; the patch marks runs that audit the failure before ending failed.
            if not workflow.patched("complaint-open-failure-audited"):
                raise
            await self._fail_open(start, str(err.cause or err))
            raise  # unreachable: _fail_open raises
        self._state = ComplaintState(owner_id=opened.owner_id, respond_by=respond_by, resolve_by=resolve_by)
        self._upsert_stage()
        self._opened = True

        while self._state.status != "closed":
            stage = self._state.status
            if stage == "open":
                await self._run_sla_clock("respond")
            elif stage in ("in_progress", "pending_approval"):
                # Waiting for our own approvers is the company's delay: the resolution clock keeps running.
                await self._run_sla_clock("resolve")
            elif stage == "resolved":
                await self._await_customer_response()
            else:
                # waiting_on_customer: the clock stands still until an update moves on.
                version = self._version
                await workflow.wait_condition(lambda: self._version != version)  # noqa: B023 (awaited in this iteration)

        # Let an update that closed the complaint return its answer before the run completes.
        await workflow.wait_condition(workflow.all_handlers_finished)
        state = self._state
        return ComplaintOutcome(
            complaint_id=start.complaint_id,
            close_reason=state.close_reason or "accepted",
            sla_response_met=state.sla_response_met,
            sla_resolution_met=state.sla_resolution_met,
            satisfaction=state.satisfaction,
            escalation_level=state.escalation_level,
            reopen_count=state.reopen_count,
        )

    async def _fail_open(self, start: ComplaintStart, reason: str) -> None:
        """Audit the failed first write, answer a waiting intake, and end the run failed (visible to ops)."""
        self._open_failure = reason
        await workflow.execute_activity_method(
            ComplaintActivities.open_failed,
            OpenFailedInput(complaint_id=start.complaint_id, workflow_id=workflow.info().workflow_id, reason=reason),
            **ACTIVITY_OPTIONS,
        )
        await workflow.wait_condition(workflow.all_handlers_finished)
        raise ApplicationError(
            f"complaint {start.complaint_id} could not be opened: {reason}", type=OPEN_FAILED, non_retryable=True
        )

    async def _run_sla_clock(self, phase: SlaPhase) -> None:
        """Wait for the next warning or breach of the phase's window, unless the state changes first."""
        assert self._start is not None
        version = self._version
        clock = self._clocks[phase]
        event = clock.next_event(self._start.definition.warning_fractions)
        changed = lambda: self._version != version  # noqa: E731
        if event is None:
            await workflow.wait_condition(changed)
            return
        at, fraction = event
        delay = (at - workflow.now()).total_seconds()
        if delay > 0:
            try:
                await workflow.wait_condition(changed, timeout=timedelta(seconds=delay))
                return  # something changed: re-plan from the new state
            except asyncio.TimeoutError:
                pass
        async with self._lock:
            if self._version != version:
                return  # an update got the lock first and changed the state
            if fraction is not None:
                await self._warn(clock, fraction)
            else:
                await self._breach(clock)

    async def _warn(self, clock: SlaClock, fraction: float) -> None:
        assert self._start is not None and self._state is not None and clock.deadline is not None
        clock.warned.append(fraction)
        if self._state.owner_id is not None:
            await workflow.execute_activity_method(
                ComplaintActivities.sla_warning,
                SlaWarningInput(
                    complaint_id=self._start.complaint_id,
                    workflow_id=workflow.info().workflow_id,
                    customer_id=self._start.customer_id,
                    recipient_id=self._state.owner_id,
                    phase=clock.phase,
                    fraction=fraction,
                    deadline=clock.deadline,
                ),
                **ACTIVITY_OPTIONS,
            )
        self._version += 1

    async def _breach(self, clock: SlaClock) -> None:
        """Record the breach, escalate one level up the chain, and start a new window of the same length."""
        assert self._start is not None and self._state is not None
        definition = self._start.definition
        if clock.at_top:
            await self._remind_top(clock)
            return
        met_field = "sla_response_met" if clock.phase == "respond" else "sla_resolution_met"
        if clock.phase == "resolve":
            self._resolution_breached = True
        state = self._state.model_copy(update={met_field: False})
        moves = workflow.patched(PATCH_ESCALATION_DEADLINES)
        new_deadline: datetime | None = None
        if moves:
            # The new owner's window is the deadline in force (API, pages, templates); the first one is kept.
            new_deadline = deadline_after(workflow.now(), clock.length, definition)
            field_name = "respond_by" if clock.phase == "respond" else "resolve_by"
            original = "original_" + field_name
            state = state.model_copy(
                update={
                    field_name: new_deadline,
                    original: getattr(state, original) or getattr(state, field_name),
                }
            )
        result = await workflow.execute_activity_method(
            ComplaintActivities.escalate,
            EscalateInput(
                complaint_id=self._start.complaint_id,
                workflow_id=workflow.info().workflow_id,
                customer_id=self._start.customer_id,
                severity=self._start.severity,
                phase=clock.phase,
                **self._written(state),
                max_level=definition.escalation.max_level,
                notify_director=self._start.severity in definition.escalation.notify_director_for,
            ),
            **ACTIVITY_OPTIONS,
        )
        self._state = state.model_copy(
            update={"owner_id": result.owner_id, "escalation_level": result.escalation_level}
        )
        now = workflow.now()
        clock.start = now
        clock.warned = []
        can_climb = result.can_climb_further and result.escalation_level < definition.escalation.max_level
        if not moves:
            clock.deadline = deadline_after(now, clock.length, definition) if can_climb else None
        elif can_climb:
            clock.deadline = new_deadline
        else:
            self._to_top(clock, now)
            if definition.escalation.remind_top_every is None:
                clock.deadline = new_deadline  # the first reminder: when the top person's own window passes
        self._upsert_stage()
        self._version += 1

    def _to_top(self, clock: SlaClock, now: datetime) -> None:
        """Nobody above: from now on the window's end is a reminder to the top person, not an escalation."""
        assert self._start is not None
        definition = self._start.definition
        clock.at_top = True
        clock.warned = list(definition.warning_fractions)  # reminders replace the warnings up here
        every = definition.escalation.remind_top_every or clock.length
        clock.deadline = deadline_after(now, every, definition)

    async def _remind_top(self, clock: SlaClock) -> None:
        """At the top of the chain: remind the owner, then wait for the next reminder (until someone acts)."""
        assert self._start is not None and self._state is not None
        now = workflow.now()
        clock.start = now
        self._to_top(clock, now)
        if self._state.owner_id is not None:
            await workflow.execute_activity_method(
                ComplaintActivities.remind_top,
                RemindTopInput(
                    complaint_id=self._start.complaint_id,
                    workflow_id=workflow.info().workflow_id,
                    customer_id=self._start.customer_id,
                    severity=self._start.severity,
                    recipient_id=self._state.owner_id,
                    phase=clock.phase,
                    escalation_level=self._state.escalation_level,
                    next_reminder_at=clock.deadline,
                ),
                **ACTIVITY_OPTIONS,
            )
        self._version += 1

    async def _await_customer_response(self) -> None:
        """Resolved: wait for the customer's answer; without one the complaint closes by itself."""
        assert self._start is not None and self._state is not None and self._confirm_by is not None
        version = self._version
        delay = (self._confirm_by - workflow.now()).total_seconds()
        if delay > 0:
            try:
                await workflow.wait_condition(lambda: self._version != version, timeout=timedelta(seconds=delay))
                return
            except asyncio.TimeoutError:
                pass
        async with self._lock:
            if self._version != version or self._state.status != "resolved":
                return
            await self._close(
                ActionActor(label=SYSTEM_ACTOR),
                "complaint.auto_closed",
                "auto_closed",
                satisfaction=None,
                note="no customer response within the confirmation window",
            )

    # ---- helpers -----------------------------------------------------------------------------------

    def _written(self, state: ComplaintState) -> dict[str, Any]:
        """What a step's activity writes to the row: slim runs send only the columns the step changed (the row holds
        the rest already), runs from before the patch the whole state."""
        assert self._state is not None
        if self._slim:
            return {"changes": ComplaintChanges.between(self._state, state)}
        return {"state": state}

    def _upsert(self, updates: list[SearchAttributeUpdate[Any]]) -> None:
        """Upsert search attributes; slim runs leave out values already in force (set at start or upserted)."""
        if self._slim:
            in_force = workflow.info().typed_search_attributes
            updates = [u for u in updates if in_force.get(u.key) != u.value]
            if not updates:
                return
        workflow.upsert_search_attributes(updates)

    def _upsert_stage(self) -> None:
        assert self._state is not None
        updates: list[SearchAttributeUpdate[Any]] = [SA_STAGE.value_set(self._state.status)]
        if self._state.owner_id is not None:
            updates.append(SA_MANAGER_ID.value_set(str(self._state.owner_id)))
        self._upsert(updates)

    async def _record(
        self,
        action: str,
        actor: ActionActor | str,
        note: str | None,
        state: ComplaintState,
        notifications: list[NotificationSpec] | None = None,
    ) -> None:
        """Persist `state` through an activity, then make it the workflow's state."""
        assert self._start is not None and self._state is not None
        written = self._written(state)
        await workflow.execute_activity_method(
            ComplaintActivities.record_change,
            RecordChangeInput(
                complaint_id=self._start.complaint_id,
                workflow_id=workflow.info().workflow_id,
                customer_id=self._start.customer_id,
                action=action,
                actor=actor.label if isinstance(actor, ActionActor) else actor,
                note=note,
                notifications=notifications or [],
                **written,
            ),
            **ACTIVITY_OPTIONS,
        )
        self._state = state
        self._upsert_stage()
        self._version += 1

    def _require(self, update: str) -> ComplaintState:
        """The current state, or the update's rejection unless the complaint is open and in a stage it allows."""
        action, stages = _UPDATE_STAGES[update]
        if not self._opened or self._state is None:
            raise wrong_stage(action, "intake")
        if self._state.status not in stages:
            raise wrong_stage(action, self._state.status)
        return self._state

    @asynccontextmanager
    async def _guarded(self, update: str) -> AsyncIterator[ComplaintState]:
        """Hold the lock and check the update's stage again: another update may have moved it since the validator."""
        async with self._lock:
            yield self._require(update)

    def _owner_notice(self, kind: str, subject: str, owner_id: int | None = None) -> list[NotificationSpec]:
        assert self._state is not None
        recipient = owner_id if owner_id is not None else self._state.owner_id
        return [] if recipient is None else [NotificationSpec(recipient_id=recipient, kind=kind, subject=subject)]

    def _paused_span(self, now: datetime) -> timedelta:
        return now - self._paused_since if self._paused_since is not None else timedelta(0)

    def _resume_clock(self, now: datetime, state: ComplaintState) -> ComplaintState:
        """End a pause: the resolution deadline and window move by the paused time."""
        paused = self._paused_span(now)
        self._paused_since = None
        if paused <= timedelta(0):
            return state
        self._clocks["resolve"].shift(paused)
        return state.model_copy(
            update={
                "resolve_by": state.resolve_by + paused,
                "paused_seconds": state.paused_seconds + paused.total_seconds(),
            }
        )

    def _resolution_seconds(self, now: datetime, state: ComplaintState) -> float:
        assert self._opened_at is not None
        return (now - self._opened_at).total_seconds() - state.paused_seconds

    async def _close(
        self, actor: ActionActor, action: str, reason: str, *, satisfaction: int | None, note: str | None
    ) -> None:
        assert self._state is not None
        state = self._state.model_copy(
            update={
                "status": "closed",
                "closed_at": workflow.now(),
                "close_reason": reason,
                "satisfaction": satisfaction,
            }
        )
        await self._record(action, actor, note, state)

    # ---- query and updates -------------------------------------------------------------------------

    @workflow.query(name="status")
    def status(self) -> ComplaintStatus:
        """Stage, deadlines, escalation level, owner and paused time."""
        if self._start is None or self._state is None:
            raise ApplicationError("complaint is still being opened", type=WRONG_STAGE)
        stage = self._state.status
        phases: dict[str, SlaPhase] = {"open": "respond", "in_progress": "resolve", "pending_approval": "resolve"}
        phase = phases.get(stage)
        return ComplaintStatus(
            **self._state.model_dump(),
            complaint_id=self._start.complaint_id,
            customer_id=self._start.customer_id,
            severity=self._start.severity,
            stage=stage,
            definition_version=self._start.definition.version,
            sla_phase=phase,
            next_escalation_at=self._clocks[phase].deadline if phase else None,
            paused_since=self._paused_since,
            confirm_by=self._confirm_by if stage == "resolved" else None,
            open_tasks=self._open_tasks(),
            approval_workflow_id=self._approval_workflow_id if stage == "pending_approval" else None,
        )

    def _open_tasks(self) -> list[dict[str, Any]]:
        return [view.model_dump(mode="json") for view in self.open_tasks()]

    def _answer(self) -> ComplaintAnswer:
        """An action's answer: the state its step wrote (what the API answers with), not the whole status."""
        assert self._state is not None
        return ComplaintAnswer(**self._state.model_dump())

    @workflow.update(name="intake")
    async def intake(self, request: IntakeRequest) -> IntakeAnswer:
        """Sent with start: answers once the complaint row and its deadlines exist (or at once later)."""
        # Concurrent intakes with one Idempotency-Key all reach this run: the first one taken is the creation,
        # every later one a replay (no command is added, so recorded histories replay unchanged).
        self._intakes += 1
        first = self._intakes == 1
        await workflow.wait_condition(lambda: self._opened or self._open_failure is not None)
        if self._open_failure is not None:
            raise ApplicationError(f"the complaint could not be opened: {self._open_failure}", type=OPEN_FAILED)
        return IntakeAnswer(first_intake=first)

    @workflow.update(name="acknowledge")
    async def acknowledge(self, request: AcknowledgeRequest) -> ComplaintAnswer:
        async with self._guarded("acknowledge") as current:
            assert self._opened_at is not None
            now = workflow.now()
            met = current.sla_response_met is not False and now <= current.respond_by
            state = current.model_copy(
                update={
                    "status": "in_progress",
                    "acknowledged_at": now,
                    "sla_response_met": met,
                    "response_seconds": (now - self._opened_at).total_seconds(),
                }
            )
            await self._record("complaint.acknowledged", request.actor, request.note, state)
        return self._answer()

    @acknowledge.validator
    def _validate_acknowledge(self, request: AcknowledgeRequest) -> None:
        self._require("acknowledge")

    @workflow.update(name="wait_on_customer")
    async def wait_on_customer(self, request: WaitOnCustomerRequest) -> ComplaintAnswer:
        async with self._guarded("wait_on_customer") as current:
            self._paused_since = workflow.now()
            state = current.model_copy(update={"status": "waiting_on_customer"})
            await self._record("complaint.waiting_on_customer", request.actor, request.note, state)
        return self._answer()

    @wait_on_customer.validator
    def _validate_wait_on_customer(self, request: WaitOnCustomerRequest) -> None:
        self._require("wait_on_customer")

    @workflow.update(name="resume")
    async def resume(self, request: ResumeRequest) -> ComplaintAnswer:
        async with self._guarded("resume") as current:
            state = self._resume_clock(workflow.now(), current).model_copy(update={"status": "in_progress"})
            await self._record("complaint.resumed", request.actor, request.note, state)
        return self._answer()

    @resume.validator
    def _validate_resume(self, request: ResumeRequest) -> None:
        self._require("resume")

    @workflow.update(name="resolve")
    async def resolve(self, request: ResolveRequest) -> ComplaintAnswer:
        async with self._guarded("resolve") as current:
            assert self._start is not None
            state = self._resume_clock(workflow.now(), current)
            if not self._needs_approval(request):
                await self._mark_resolved(state, request, request.actor, None)
            else:
                # Propose the resolution; it takes effect once every approver in the chain said yes.
                state = state.model_copy(
                    update={
                        "status": "pending_approval",
                        "resolution": request.resolution,
                        "compensation_amount": request.compensation_amount,
                    }
                )
                await self._record("complaint.compensation_requested", request.actor, None, state)
                self._approval_round += 1
                self._approval = asyncio.create_task(self._approve_compensation(request, self._approval_round))
        return self._answer()

    def _compensation_flow(self) -> FlowDefinition | None:
        """The pinned flow that approves compensation (None for runs started with the fixed chain)."""
        assert self._start is not None
        definition = self._start.definition
        return definition.flows.get(definition.compensation_flow) if definition.compensation_flow else None

    def _compensation_fields(self, request: ResolveRequest) -> dict[str, Any]:
        assert self._start is not None and request.compensation_amount is not None
        return {
            "amount": float(request.compensation_amount),
            "complaint_id": self._start.complaint_id,
            "severity": self._start.severity,
            "resolution": request.resolution[:4000],
        }

    def _needs_approval(self, request: ResolveRequest) -> bool:
        """Whether the proposed compensation waits for approval: a flow step applies, or a chain threshold."""
        assert self._start is not None
        flow = self._compensation_flow()
        if flow is None or request.compensation_amount is None:
            return bool(self._approval_steps(request))
        fields = self._compensation_fields(request)
        customer = {"tier": self._start.customer_tier}  # the facts the complaint knows; the flow reads the rest
        return any(condition_holds(step.when, fields, customer) for step in flow.steps)

    def _approval_steps(self, request: ResolveRequest) -> list[CompensationStep]:
        assert self._start is not None
        amount = request.compensation_amount
        if amount is None:
            return []
        return [step for step in self._start.definition.compensation_approval if amount > step.above]

    async def _mark_resolved(
        self, state: ComplaintState, request: ResolveRequest, actor: ActionActor | str, note: str | None
    ) -> None:
        """→ resolved: the customer's confirmation window starts; the resolution clock stands still meanwhile."""
        assert self._start is not None
        now = workflow.now()
        met = not self._resolution_breached and now <= state.resolve_by
        state = state.model_copy(
            update={
                "status": "resolved",
                "resolved_at": now,
                "resolution": request.resolution,
                "compensation_amount": request.compensation_amount,
                "sla_resolution_met": met,
                "resolution_seconds": self._resolution_seconds(now, state),
            }
        )
        self._paused_since = now
        self._confirm_by = deadline_after(now, self._start.definition.confirmation_window, self._start.definition)
        await self._record("complaint.resolved", actor, note, state)

    async def _approve_compensation(self, request: ResolveRequest, round_: int) -> None:
        """Run the approval (the flow, or the fixed chain of older runs), then resolve or reopen."""
        assert self._start is not None and self._state is not None
        assignee = self._state.owner_id if self._state.owner_id is not None else request.actor.staff_id
        assert assignee is not None  # the validator refuses compensation without anyone to route it from
        flow = self._compensation_flow()
        if flow is not None and workflow.patched(PATCH_COMPENSATION_FLOW):
            outcome = await self._approve_by_flow(flow, request, round_, assignee)
        else:
            outcome = await self._approve_by_chain(request, round_, assignee)
        await self._apply_compensation_outcome(request, outcome)

    async def _approve_by_flow(
        self, flow: FlowDefinition, request: ResolveRequest, round_: int, assignee: int
    ) -> TaskOutcome:
        """Run the compensation flow as an ApprovalWorkflow child; its tasks are filed under this complaint."""
        assert self._start is not None
        definition, amount, actor = self._start.definition, request.compensation_amount, request.actor
        workflow_id = workflow.info().workflow_id
        approval_id = str(uuid.uuid5(_APPROVAL_NAMESPACE, f"{self._start.complaint_id}:compensation:{round_}"))
        title = f"Approve compensation of {amount} for complaint {self._start.complaint_id}"
        self._approval_workflow_id = approval_workflow_id(approval_id)
        result = await workflow.execute_child_workflow(
            ApprovalWorkflow.run,
            ApprovalInput(
                approval_id=approval_id,
                flow=flow,
                title=title,
                fields=self._compensation_fields(request),
                requester=process_requester(actor.label, actor.staff_id),
                customer_id=self._start.customer_id,
                subject_type="complaint",
                subject_id=self._start.complaint_id,
                owner_id=assignee,  # the complaint's owner now (escalation may have moved it off the customer's)
                process=ProcessTasks(
                    workflow_id=workflow_id,
                    process_type="complaint",
                    key_prefix=f"compensation-{round_}",
                    title=title,
                    context={
                        "complaint_id": self._start.complaint_id,
                        "amount": str(amount),
                        "severity": self._start.severity,
                        "resolution": request.resolution[:300],
                    },
                    calendar=definition.calendar if definition.clock == "business" else None,
                ),
            ),
            id=self._approval_workflow_id,
        )
        return outcome_of(result, f"compensation-{round_}")

    async def _approve_by_chain(self, request: ResolveRequest, round_: int, assignee: int) -> TaskOutcome:
        """The fixed chain of runs started before flows: one task per threshold passed, one after the other."""
        assert self._start is not None
        definition = self._start.definition
        amount = request.compensation_amount
        specs = [
            TaskSpec(
                task_key=f"compensation-{round_}-{index}",
                kind="approval",
                process_type="complaint",
                title=f"Approve compensation of {amount} for complaint {self._start.complaint_id}",
                assignee_id=assignee,
                assign_to=step.approver,
                requester_id=request.actor.staff_id,
                customer_id=self._start.customer_id,
                context={
                    "complaint_id": self._start.complaint_id,
                    "amount": str(amount),
                    "severity": self._start.severity,
                    "resolution": request.resolution[:300],
                },
                due_in=step.due_in,
                reminders_before=list(step.reminders_before),
                escalation_levels=step.escalation_levels,
                final_outcome="expire",
                calendar=definition.calendar if definition.clock == "business" else None,
            )
            for index, step in enumerate(self._approval_steps(request), start=1)
        ]
        return await self.run_approval_chain(specs)

    async def _apply_compensation_outcome(self, request: ResolveRequest, outcome: TaskOutcome) -> None:
        """Approved → resolved; rejected, expired or recalled → back to in progress (audited, owner told)."""
        assert self._state is not None
        amount = request.compensation_amount
        async with self._lock:
            if self._state.status != "pending_approval":
                return
            decider = f"staff:{outcome.decided_by}" if outcome.decided_by is not None else "system:approval"
            if outcome.approved:
                await self._mark_resolved(self._state, request, decider, "compensation approved")
                return
            # Rejected, expired or recalled: the team works on without the proposed resolution.
            state = self._state.model_copy(
                update={
                    "status": "in_progress",
                    "resolution": None,
                    "compensation_amount": None,
                }
            )
            note = f"compensation {outcome.outcome}" + (f": {outcome.comment}" if outcome.comment else "")
            await self._record(
                "complaint.compensation_" + outcome.outcome,
                decider,
                note,
                state,
                self._owner_notice(
                    "complaint.compensation_" + outcome.outcome, f"Compensation of {amount} was {outcome.outcome}"
                ),
            )

    @resolve.validator
    def _validate_resolve(self, request: ResolveRequest) -> None:
        current = self._require("resolve")
        if not request.resolution.strip():
            raise invalid_input("resolution must not be empty")
        if request.compensation_amount is not None and request.compensation_amount < 0:
            raise invalid_input("compensation_amount must not be negative")
        if self._needs_approval(request) and current.owner_id is None and request.actor.staff_id is None:
            raise invalid_input("compensation needing approval requires an owner to route the approval from")

    @workflow.update(name="customer_response")
    async def customer_response(self, request: CustomerResponseRequest) -> ComplaintAnswer:
        async with self._guarded("customer_response") as current:
            now = workflow.now()
            if current.status == "waiting_on_customer":
                # The customer answered our question: the clock runs again.
                state = self._resume_clock(now, current).model_copy(update={"status": "in_progress"})
                await self._record(
                    "complaint.customer_replied",
                    request.actor,
                    request.comment,
                    state,
                    self._owner_notice("complaint.customer_replied", "The customer replied"),
                )
            elif request.accepted:
                await self._close(
                    request.actor,
                    "complaint.accepted",
                    "accepted",
                    satisfaction=request.satisfaction,
                    note=request.comment,
                )
            else:
                # Reopen: the time spent waiting for the customer's verdict does not count against the team.
                state = self._resume_clock(now, current).model_copy(
                    update={
                        "status": "in_progress",
                        "reopen_count": current.reopen_count + 1,
                        "sla_resolution_met": False if self._resolution_breached else None,
                    }
                )
                self._confirm_by = None
                await self._record(
                    "complaint.reopened",
                    request.actor,
                    request.comment,
                    state,
                    self._owner_notice("complaint.reopened", "The customer reopened the complaint"),
                )
        return self._answer()

    @customer_response.validator
    def _validate_customer_response(self, request: CustomerResponseRequest) -> None:
        current = self._require("customer_response")
        if request.satisfaction is not None and not 1 <= request.satisfaction <= 5:
            raise invalid_input("satisfaction must be between 1 and 5")
        if current.status == "resolved" and request.accepted and request.satisfaction is None:
            raise invalid_input("satisfaction (1-5) is required when the customer accepts")

    @workflow.update(name="reassign")
    async def reassign(self, request: ReassignRequest) -> ComplaintAnswer:
        async with self._guarded("reassign") as current:
            state = current.model_copy(update={"owner_id": request.owner_id})
            await self._record(
                "complaint.reassigned",
                request.actor,
                request.note,
                state,
                self._owner_notice("complaint.assigned", "A complaint was assigned to you", owner_id=request.owner_id),
            )
        return self._answer()

    @reassign.validator
    def _validate_reassign(self, request: ReassignRequest) -> None:
        self._require("reassign")


SPEC = ProcessSpec(
    name="complaint",
    workflows=(ComplaintWorkflow,),
    activities=(ComplaintActivities, TaskActivities),
    definition=ComplaintDefinition,
    timeline_kinds=("complaint",),
    history_fields=frozenset({"severity", "category", "channel", "compensation_amount", "accepted", "satisfaction"}),
)
