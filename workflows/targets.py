"""Targets per person and period (DESIGN §3.8): setting them, keeping to them, changing them.

- `TargetScheduleWorkflow` (the quarterly schedule) computes next quarter and starts `target-cycle-<period>`;
  a second start for the same period finds that id taken: one setting per period.
- `TargetCycleWorkflow` opens `target-<period>-<staff>` for every active account manager in batches
  (continue-as-new between them), like the review cycle.
- `TargetWorkflow` is one manager's period: the supervisor proposes, the manager accepts or counter-proposes
  with a reason (bounded rounds), the director decides when they have not agreed by the deadline; the agreed
  version is pinned. Then, at each checkpoint of the definition, an off-pace target opens a check-in form for
  the manager that the supervisor acknowledges; a change of an agreed value is an approval flow (a child
  ApprovalWorkflow) whose outcome pins a new version.
- `TargetProgressWorkflow` (the daily schedule) stores one snapshot per agreed target, set-based in chunks.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import (
    RetryPolicy,
    SearchAttributeKey,
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError

from workflows.human_task import HumanTaskMixin

from workflows.options import ActivityOptions, activity_options

with workflow.unsafe.imports_passed_through():
    from activities.targets import TargetActivities
    from activities.tasks import TaskActivities
    from crmflow.registry import ProcessSpec, ScheduleContext, ScheduledRun
    from crmflow.temporal import SA_DEFINITION_VERSION, SA_MANAGER_ID, SA_PERIOD, SA_PROCESS_TYPE, SA_STAGE
    from definitions.approval import ApprovalInput, ApprovalResult, approval_workflow_id
    from definitions.kpis import METRIC_INFO
    from definitions.targets import (
        ACKNOWLEDGE_FORM,
        CHECKIN_FORM,
        AcceptInput,
        AgreeInput,
        ChangeDecidedInput,
        ChangeRequestInput,
        CheckpointInput,
        CheckpointResult,
        OpenBatchInput,
        OpenTargetInput,
        ProgressBatchInput,
        ProgressRunInput,
        ProgressRunResult,
        ProposeInput,
        RecordVersionInput,
        SetStatusInput,
        TargetCycleInput,
        TargetCycleResult,
        TargetInput,
        TargetResult,
        TargetsDefinition,
        TargetStatus,
        TargetUpdateResult,
        UpdateCheckInInput,
        checkpoint_moments,
        local_day,
        next_period,
        target_cycle_workflow_id,
        target_workflow_id,
        values_problems,
    )
    from definitions.tasks import ERR_CONFLICT, ERR_FORBIDDEN, ERR_INVALID, ERR_NOT_READY, TaskActor, TaskSpec, TaskView
    from temporalio.client import ScheduleOverlapPolicy
    from workflows.approval import ApprovalWorkflow

PROCESS = "targets"
SA_SCHEDULED_START = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
_OPTIONS: ActivityOptions = activity_options(timedelta(minutes=2), RetryPolicy(maximum_interval=timedelta(minutes=1)))
_PROGRESS_OPTIONS: ActivityOptions = activity_options(
    timedelta(minutes=15), RetryPolicy(maximum_interval=timedelta(minutes=1)), heartbeat=timedelta(minutes=5)
)
_MAX_BATCHES_PER_RUN = 200  # progress chunks before the daily run continues as new (history stays small)
DIRECTOR_TASK = "director-decision"


def _version(definition: TargetsDefinition) -> str:
    return f"{definition.version}:{definition.content_hash}"


def _refuse(kind: str, message: str, *details: object) -> ApplicationError:
    """An update refusal; the API maps `kind` to its HTTP status (definitions.tasks ERR_*)."""
    return ApplicationError(message, *details, type=kind, non_retryable=True)


def _is(actor: TaskActor, staff_id: int | None) -> bool:
    return actor.role in ("manager", "director") and actor.staff_id is not None and actor.staff_id == staff_id


@workflow.defn
class TargetWorkflow(HumanTaskMixin):
    """One account manager's targets for one period: negotiation, pinned version, checkpoints, changes."""

    def __init__(self) -> None:
        self._state = TargetStatus()
        self._supervisor_id: int | None = None
        self._director_id: int | None = None
        self._metrics: list[str] = []
        self._max_rounds = 0
        self._opened = False
        self._busy = False  # an update is writing: the next one is refused (409) rather than interleaved
        self._last_proposal: int | None = None  # the supervisor's latest version (the fallback)
        self._background: list[asyncio.Future[None]] = []
        self._values_by_version: dict[int, dict[str, float]] = {}
        self._period = ""

    @workflow.query(name="status")
    def status(self) -> TargetStatus:
        return self._state

    @workflow.query(name="targets.open_tasks")
    def pending_tasks(self) -> list[TaskView]:
        return self.open_tasks()

    @workflow.run
    async def run(self, data: TargetInput) -> TargetResult:
        definition = data.definition
        start, end = data.bounds()
        self._metrics, self._max_rounds, self._period = (
            list(definition.metrics),
            definition.max_counter_rounds,
            data.period,
        )
        deadline = workflow.now() + definition.negotiation_due
        workflow.upsert_search_attributes(
            [
                SA_PROCESS_TYPE.value_set(PROCESS),
                SA_STAGE.value_set("negotiating"),
                SA_PERIOD.value_set(data.period),
                SA_MANAGER_ID.value_set(str(data.staff_id)),
                SA_DEFINITION_VERSION.value_set(_version(definition)),
            ]
        )
        opened = await workflow.execute_activity_method(
            TargetActivities.open,
            OpenTargetInput(
                workflow_id=workflow.info().workflow_id,
                period=data.period,
                staff_id=data.staff_id,
                period_start=start,
                period_end=end,
                deadline_at=deadline,
                metrics=self._metrics,
                definition_version=_version(definition),
                opened_by=data.opened_by,
            ),
            **_OPTIONS,
        )
        self._supervisor_id, self._director_id = opened.supervisor_id, opened.director_id
        self._state = TargetStatus(
            target_set_id=opened.target_set_id,
            period=data.period,
            staff_id=data.staff_id,
            status=opened.status,
            turn=opened.turn,
            counter_rounds=opened.counter_rounds,
            current_version=opened.current_version,
            agreed_version=opened.agreed_version,
            values=opened.values,
            agreed_values=opened.agreed_values,
            deadline_at=deadline,
        )
        self._opened = True

        if self._state.status == "negotiating":
            try:
                await workflow.wait_condition(
                    lambda: self._state.status != "negotiating",
                    timeout=max((deadline - workflow.now()).total_seconds(), 0.001),
                )
            except asyncio.TimeoutError:
                pass
            # An update that passed its check just before the deadline is still writing: let it finish first.
            await workflow.wait_condition(lambda: not self._busy)
            if self._state.status == "negotiating":
                await self._director_decides(data)
        if self._state.status != "agreed":
            return TargetResult(target_set_id=self._state.target_set_id, status=self._state.status)

        self._stage("tracking")
        for day, moment in checkpoint_moments(start, end, definition.checkpoints):
            if moment > workflow.now():
                await workflow.sleep(moment - workflow.now())
            result = await workflow.execute_activity_method(
                TargetActivities.checkpoint,
                CheckpointInput(
                    target_set_id=self._state.target_set_id,
                    checkpoint_day=day,
                    as_of=moment,
                    timezone=data.timezone,
                    threshold=definition.off_pace_threshold,
                ),
                **_OPTIONS,
            )
            if result.checkin_id is not None:
                self._state.checkins.append(day)
                # The check-in runs beside the next checkpoints: a slow answer never delays the next measurement.
                self._background.append(asyncio.ensure_future(self._check_in(data, day, result)))
        if end > workflow.now():
            await workflow.sleep(end - workflow.now())
        await workflow.wait_condition(lambda: self._state.pending_change is None and not self._busy)
        await asyncio.gather(*self._background)
        await self._set_status("closed", reason=f"the period {data.period} ended")
        return TargetResult(
            target_set_id=self._state.target_set_id,
            status="closed",
            agreed_version=self._state.agreed_version,
            checkins=list(self._state.checkins),
        )

    # ---- negotiation ----------------------------------------------------------------------------------

    async def _director_decides(self, data: TargetInput) -> None:
        """No agreement by the deadline: the director sets the values (a form task); nobody → the last proposal."""
        definition = data.definition
        decider = self._director_id or self._supervisor_id
        if decider is None:
            await self._set_status("lapsed", reason="no agreement by the deadline and nobody above to decide")
            return
        await self._set_status("director", reason="no agreement by the deadline: the director decides")
        outcome = await self.run_task(
            TaskSpec(
                task_key=DIRECTOR_TASK,
                kind="form",
                process_type=PROCESS,
                assignee_id=decider,
                title=f"Decide the {data.period} targets of staff {data.staff_id}",
                form=definition.form_for_values(),
                context={
                    "period": data.period,
                    "staff_id": data.staff_id,
                    "target_set_id": self._state.target_set_id,
                    "latest": self._state.values,
                    "version": self._state.current_version,
                    "counter_rounds": self._state.counter_rounds,
                },
                due_in=definition.director_decision_due,
                reminders_before=list(definition.reminders_before),
                escalation_levels=definition.escalation_levels,
                final_outcome="expire",
            )
        )
        if outcome.outcome == "completed" and outcome.data:
            values = {key: float(outcome.data[key]) for key in self._metrics}
            version = self._state.current_version + 1
            actor = f"staff:{outcome.decided_by}" if outcome.decided_by is not None else "system"
            await self._record(
                RecordVersionInput(
                    target_set_id=self._state.target_set_id,
                    version=version,
                    kind="director",
                    values=values,
                    author_id=outcome.decided_by,
                    actor=actor,
                    reason=outcome.data.get("comment") or outcome.comment,
                    counter_rounds=self._state.counter_rounds,
                )
            )
            await self._agree(version, values, actor=actor, how="director", reason="decided by the director")
        elif self._last_proposal is not None and self._state.status == "director":
            await self._agree(
                self._last_proposal,
                dict(self._values_by_version[self._last_proposal]),
                actor="system",
                how="fallback",
                reason="nobody decided: the supervisor's last proposal stands",
            )
        else:
            await self._set_status("lapsed", reason=f"the director's decision {outcome.outcome}")

    def _check_negotiation(self, actor: TaskActor, party: str) -> None:
        """Raise unless `actor` is `party` (supervisor | manager) and it is their turn now (reads only)."""
        if not self._opened:
            raise _refuse(ERR_NOT_READY, "the target setting is still opening; try again")
        who = self._supervisor_id if party == "supervisor" else self._state.staff_id
        if not (actor.role == "admin" or _is(actor, who)):
            raise _refuse(ERR_FORBIDDEN, f"only the {party} of these targets (or an admin) may do this")
        if self._state.status != "negotiating":
            raise _refuse(ERR_CONFLICT, f"the targets are {self._state.status}, not being negotiated")
        if self._busy:
            raise _refuse(ERR_CONFLICT, "another answer on these targets is being recorded")
        if self._state.turn != party:
            raise _refuse(ERR_CONFLICT, f"it is the {self._state.turn}'s turn")

    def _check_values(self, values: dict[str, float]) -> None:
        problems = values_problems(self._metrics, values)
        if problems:
            raise _refuse(
                ERR_INVALID, "invalid values: " + "; ".join(f"{k}: {v}" for k, v in problems.items()), problems
            )

    def _check_propose(self, data: ProposeInput) -> None:
        self._check_negotiation(data.actor, "supervisor")
        self._check_values(data.values)

    def _check_counter(self, data: ProposeInput) -> None:
        self._check_negotiation(data.actor, "manager")
        if self._state.counter_rounds >= self._max_rounds:
            raise _refuse(
                ERR_CONFLICT,
                f"no counter-proposals left ({self._max_rounds} allowed): accept, or the "
                "director decides at the deadline",
            )
        if not data.reason or len(data.reason.strip()) < 3:
            raise _refuse(ERR_INVALID, "a counter-proposal needs a reason", {"reason": "is required"})
        self._check_values(data.values)

    def _check_accept(self, data: AcceptInput) -> None:
        if self._opened and (self._state.current_version == 0 or self._state.status != "negotiating"):
            if not (
                data.actor.role == "admin"
                or _is(data.actor, self._supervisor_id)
                or _is(data.actor, self._state.staff_id)
            ):
                raise _refuse(ERR_FORBIDDEN, "only the manager or the supervisor of these targets may accept them")
            if self._state.status != "negotiating":
                raise _refuse(ERR_CONFLICT, f"the targets are {self._state.status}, not being negotiated")
            raise _refuse(ERR_CONFLICT, "nothing to accept yet: the supervisor proposes first")
        self._check_negotiation(data.actor, self._state.turn or "manager")

    @workflow.update(name="target.propose")
    async def propose(self, data: ProposeInput) -> TargetUpdateResult:
        """The supervisor proposes (or, after a counter-proposal, proposes again) a full set of values."""
        self._check_propose(data)
        return await self._new_version(data, "proposal", turn="manager")

    @propose.validator
    def _validate_propose(self, data: ProposeInput) -> None:
        self._check_propose(data)

    @workflow.update(name="target.counter")
    async def counter(self, data: ProposeInput) -> TargetUpdateResult:
        """The manager counter-proposes, with a reason (at most the definition's rounds)."""
        self._check_counter(data)
        return await self._new_version(data, "counter", turn="supervisor")

    @counter.validator
    def _validate_counter(self, data: ProposeInput) -> None:
        self._check_counter(data)

    @workflow.update(name="target.accept")
    async def accept(self, data: AcceptInput) -> TargetUpdateResult:
        """The party whose turn it is accepts the latest version: it is pinned."""
        self._check_accept(data)
        self._busy = True
        try:
            version = self._state.current_version
            await self._agree(
                version,
                dict(self._state.values),
                actor=data.actor.label or data.actor.role,
                how="accepted",
                reason=data.reason,
            )
        finally:
            self._busy = False
        return self._result()

    @accept.validator
    def _validate_accept(self, data: AcceptInput) -> None:
        self._check_accept(data)

    async def _new_version(self, data: ProposeInput, kind: str, *, turn: str) -> TargetUpdateResult:
        self._busy = True  # no await since the check: a second update in this workflow task now sees it
        try:
            version = self._state.current_version + 1
            rounds = self._state.counter_rounds + (1 if kind == "counter" else 0)
            values = {key: float(data.values[key]) for key in self._metrics}
            await self._record(
                RecordVersionInput(
                    target_set_id=self._state.target_set_id,
                    version=version,
                    kind=kind,
                    values=values,
                    author_id=data.actor.staff_id,
                    actor=data.actor.label or data.actor.role,
                    reason=data.reason,
                    turn=turn,
                    counter_rounds=rounds,
                )
            )
            self._state.turn, self._state.counter_rounds = turn, rounds
            if kind == "proposal":
                self._last_proposal = version
        finally:
            self._busy = False
        return self._result()

    async def _record(self, data: RecordVersionInput) -> None:
        await workflow.execute_activity_method(TargetActivities.record_version, data, **_OPTIONS)
        self._values_by_version[data.version] = dict(data.values)
        if data.kind != "change":
            self._state.current_version, self._state.values = data.version, dict(data.values)
        else:
            self._state.current_version = data.version

    async def _agree(self, version: int, values: dict[str, float], *, actor: str, how: str, reason: str | None) -> None:
        await workflow.execute_activity_method(
            TargetActivities.agree,
            AgreeInput(
                target_set_id=self._state.target_set_id,
                version=version,
                values=values,
                actor=actor,
                reason=reason,
                how=how,
            ),
            **_OPTIONS,
        )
        self._state.status, self._state.turn = "agreed", None
        self._state.agreed_version, self._state.agreed_values = version, dict(values)
        self._stage("agreed")

    async def _set_status(self, status: str, *, reason: str) -> None:
        await workflow.execute_activity_method(
            TargetActivities.set_status,
            SetStatusInput(target_set_id=self._state.target_set_id, status=status, reason=reason),
            **_OPTIONS,
        )
        self._state.status, self._state.turn = status, None
        self._stage(status)

    def _stage(self, stage: str) -> None:
        workflow.upsert_search_attributes([SA_STAGE.value_set(stage)])

    def _result(self, approval_id: str | None = None) -> TargetUpdateResult:
        return TargetUpdateResult(
            target_set_id=self._state.target_set_id,
            status=self._state.status,
            version=self._state.current_version,
            approval_id=approval_id,
        )

    # ---- check-ins --------------------------------------------------------------------------------------

    async def _check_in(self, data: TargetInput, day: int, checkpoint: CheckpointResult) -> None:
        """The manager explains (cause, actions, help needed); the supervisor acknowledges."""
        definition, checkin_id = data.definition, checkpoint.checkin_id
        assert checkin_id is not None
        context = {
            "period": data.period,
            "checkpoint_day": day,
            "target_set_id": self._state.target_set_id,
            "off_pace": [o.model_dump() for o in checkpoint.off_pace],
        }
        answer = await self.run_task(
            TaskSpec(
                task_key=f"checkin-{day}",
                kind="form",
                process_type=PROCESS,
                assignee_id=data.staff_id,
                requester_id=self._supervisor_id,
                title=f"Check-in: {data.period} targets behind pace at day {day}",
                form=CHECKIN_FORM,
                context=context,
                due_in=definition.checkin_due,
                reminders_before=list(definition.reminders_before),
                escalation_levels=0,
                final_outcome="expire",
            )
        )
        if answer.outcome != "completed":
            await self._update_checkin(UpdateCheckInInput(checkin_id=checkin_id, status="expired"))
            return
        actor = f"staff:{answer.decided_by}" if answer.decided_by is not None else "system"
        await self._update_checkin(
            UpdateCheckInInput(checkin_id=checkin_id, status="submitted", response=answer.data, actor=actor)
        )
        if self._supervisor_id is None:
            return
        ack = await self.run_task(
            TaskSpec(
                task_key=f"acknowledge-{day}",
                kind="form",
                process_type=PROCESS,
                assignee_id=self._supervisor_id,
                title=f"Acknowledge the day-{day} check-in of staff {data.staff_id} ({data.period})",
                form=ACKNOWLEDGE_FORM,
                context={**context, "response": answer.data},
                due_in=definition.acknowledge_due,
                reminders_before=list(definition.reminders_before),
                escalation_levels=definition.escalation_levels,
                final_outcome="expire",
            )
        )
        if ack.outcome == "completed":
            await self._update_checkin(
                UpdateCheckInInput(
                    checkin_id=checkin_id,
                    status="acknowledged",
                    acknowledged_by=ack.decided_by,
                    acknowledgement=(ack.data or {}).get("comment") or ack.comment,
                    actor=f"staff:{ack.decided_by}" if ack.decided_by is not None else "system",
                )
            )

    async def _update_checkin(self, data: UpdateCheckInInput) -> None:
        await workflow.execute_activity_method(TargetActivities.update_checkin, data, **_OPTIONS)

    # ---- change requests ------------------------------------------------------------------------------

    def _check_change(self, data: ChangeRequestInput) -> None:
        if not self._opened:
            raise _refuse(ERR_NOT_READY, "the targets are still opening; try again")
        if not _is(data.actor, self._state.staff_id):
            raise _refuse(ERR_FORBIDDEN, "only the account manager of these targets may ask to change them")
        if self._state.status != "agreed" or self._state.agreed_values is None:
            raise _refuse(ERR_CONFLICT, f"only agreed targets can change (these are {self._state.status})")
        if self._busy or self._state.pending_change is not None:
            raise _refuse(
                ERR_CONFLICT,
                "a change of these targets is already waiting for approval",
                {"approval_id": self._state.pending_change},
            )
        if data.metric not in self._state.agreed_values:
            raise _refuse(
                ERR_INVALID, f"metric: {data.metric!r} is not one of these targets", {"metric": "unknown metric"}
            )
        problem = METRIC_INFO[data.metric].check_target(data.value)
        if problem:
            raise _refuse(ERR_INVALID, f"value: {problem}", {"value": problem})
        if float(data.value) == float(self._state.agreed_values[data.metric]):
            raise _refuse(ERR_INVALID, "value: that is the target already", {"value": "unchanged"})

    @workflow.update(name="target.request_change")
    async def request_change(self, data: ChangeRequestInput) -> TargetUpdateResult:
        """Ask to change one agreed value: a new pending version and an approval on the change flow."""
        self._check_change(data)
        self._busy = True
        try:
            assert self._state.agreed_values is not None
            current = float(self._state.agreed_values[data.metric])
            values = {**self._state.agreed_values, data.metric: float(data.value)}
            change_pct = round(abs(data.value - current) / current * 100, 2) if current else 100.0
            version = self._state.current_version + 1
            approval_id = str(workflow.uuid4())  # deterministic: replay derives the same id
            self._state.pending_change = approval_id
            await self._record(
                RecordVersionInput(
                    target_set_id=self._state.target_set_id,
                    version=version,
                    kind="change",
                    values=values,
                    author_id=data.actor.staff_id,
                    actor=data.actor.label or data.actor.role,
                    reason=data.reason,
                    status="pending",
                    approval_id=approval_id,
                    counter_rounds=self._state.counter_rounds,
                )
            )
            label = METRIC_INFO[data.metric].label
            handle = await workflow.start_child_workflow(
                ApprovalWorkflow.run,
                ApprovalInput(
                    approval_id=approval_id,
                    flow=data.flow,
                    title=f"{label} target {self._period}: {current:g} → {data.value:g}",
                    fields={
                        "target_set_id": self._state.target_set_id,
                        "period": self._period,
                        "metric": data.metric,
                        "current": current,
                        "proposed": float(data.value),
                        "change_pct": change_pct,
                        "reason": data.reason,
                    },
                    requester=data.actor,
                    subject_type="target",
                    subject_id=str(self._state.target_set_id),
                ),
                id=approval_workflow_id(approval_id),
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
            self._background.append(asyncio.ensure_future(self._await_change(handle, version, values, approval_id)))
        finally:
            self._busy = False
        return self._result(approval_id)

    @request_change.validator
    def _validate_request_change(self, data: ChangeRequestInput) -> None:
        self._check_change(data)

    async def _await_change(
        self,
        handle: workflow.ChildWorkflowHandle[Any, ApprovalResult],
        version: int,
        values: dict[str, float],
        approval_id: str,
    ) -> None:
        result: ApprovalResult = await handle
        approved = result.status == "approved"
        await workflow.execute_activity_method(
            TargetActivities.change_decided,
            ChangeDecidedInput(
                target_set_id=self._state.target_set_id,
                version=version,
                approval_id=approval_id,
                approved=approved,
                values=values,
                reason=result.outcome_reason,
            ),
            **_OPTIONS,
        )
        if approved:
            self._state.agreed_version, self._state.agreed_values = version, dict(values)
        self._state.pending_change = None


@workflow.defn
class TargetScheduleWorkflow:
    """Started by the quarterly schedule: opens next quarter's target setting, once per period."""

    def __init__(self) -> None:
        self._launched: TargetCycleResult | None = None

    @workflow.query(name="status")
    def status(self) -> TargetCycleResult | None:
        return self._launched

    @workflow.run
    async def run(self, data: TargetCycleInput) -> TargetCycleResult:
        # The schedule stamps its nominal time on the run (a manual trigger: the start time); both are in the
        # history, so replay computes the same period.
        moment = workflow.info().typed_search_attributes.get(SA_SCHEDULED_START) or workflow.info().start_time
        period = data.period or next_period(moment, data.timezone)
        cycle_id = target_cycle_workflow_id(period)
        try:
            await workflow.start_child_workflow(
                TargetCycleWorkflow.run,
                data.model_copy(update={"period": period}),
                id=cycle_id,
                # REJECT_DUPLICATE: a period whose setting was opened (running or closed) is never opened again.
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(SA_PROCESS_TYPE, "target-cycle"),
                        SearchAttributePair(SA_PERIOD, period),
                        SearchAttributePair(SA_DEFINITION_VERSION, _version(data.definition)),
                    ]
                ),
            )
        except WorkflowAlreadyStartedError:
            self._launched = TargetCycleResult(period=period, workflow_id=cycle_id, started=False)
            return self._launched
        self._launched = TargetCycleResult(period=period, workflow_id=cycle_id, started=True)
        return self._launched


@workflow.defn
class TargetCycleWorkflow:
    """Opens one period's target setting for every active account manager, a batch per run."""

    def __init__(self) -> None:
        self._opened = 0

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return {"opened": self._opened}

    @workflow.run
    async def run(self, data: TargetCycleInput) -> TargetCycleResult:
        period = data.period or next_period(workflow.now(), data.timezone)
        definition = data.definition
        self._opened = data.opened
        batch = await workflow.execute_activity_method(
            TargetActivities.open_batch,
            OpenBatchInput(period=period, after_staff_id=data.cursor, limit=definition.batch_size),
            **_OPTIONS,
        )
        for offset in range(0, len(batch.staff_ids), definition.concurrency):
            group = batch.staff_ids[offset : offset + definition.concurrency]
            started = await asyncio.gather(*(self._open(data, period, staff_id) for staff_id in group))
            self._opened += sum(started)
        if not batch.exhausted:
            # Next batch in a fresh run: the target workflows are ABANDON children, so they outlive it.
            workflow.continue_as_new(
                data.model_copy(update={"period": period, "cursor": batch.cursor, "opened": self._opened})
            )
        return TargetCycleResult(period=period, workflow_id=workflow.info().workflow_id, opened=self._opened)

    async def _open(self, data: TargetCycleInput, period: str, staff_id: int) -> bool:
        try:
            await workflow.start_child_workflow(
                TargetWorkflow.run,
                TargetInput(
                    definition=data.definition,
                    period=period,
                    timezone=data.timezone,
                    staff_id=staff_id,
                    opened_by=data.started_by,
                ),
                id=target_workflow_id(period, staff_id),
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(SA_PROCESS_TYPE, PROCESS),
                        SearchAttributePair(SA_STAGE, "negotiating"),
                        SearchAttributePair(SA_MANAGER_ID, str(staff_id)),
                        SearchAttributePair(SA_PERIOD, period),
                        SearchAttributePair(SA_DEFINITION_VERSION, _version(data.definition)),
                    ]
                ),
            )
        except WorkflowAlreadyStartedError:
            return False  # opened before (by hand, or a rerun of this batch)
        return True


@workflow.defn
class TargetProgressWorkflow:
    """The daily run: one snapshot per agreed target whose period has begun, a chunk of target sets at a time."""

    def __init__(self) -> None:
        self._done = 0

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return {"target_sets": self._done}

    @workflow.run
    async def run(self, data: ProgressRunInput) -> ProgressRunResult:
        as_of = (
            data.as_of or workflow.info().typed_search_attributes.get(SA_SCHEDULED_START) or workflow.info().start_time
        )
        cursor, snapshots = 0, 0
        for _ in range(_MAX_BATCHES_PER_RUN):
            batch = await workflow.execute_activity_method(
                TargetActivities.progress_batch,
                ProgressBatchInput(
                    as_of=as_of, timezone=data.timezone, after_id=cursor, limit=data.definition.progress_chunk
                ),
                **_PROGRESS_OPTIONS,
            )
            cursor, self._done, snapshots = batch.cursor, self._done + batch.target_sets, snapshots + batch.snapshots
            if batch.exhausted:
                break
        return ProgressRunResult(day=local_day(as_of, data.timezone), target_sets=self._done, snapshots=snapshots)


def cycle_input(definition: TargetsDefinition, context: ScheduleContext) -> TargetCycleInput:
    return TargetCycleInput(definition=definition, timezone=definition.schedule.timezone or context.timezone)


def progress_input(definition: TargetsDefinition, context: ScheduleContext) -> ProgressRunInput:
    return ProgressRunInput(definition=definition, timezone=definition.progress_schedule.timezone or context.timezone)


SPEC = ProcessSpec(
    name=PROCESS,
    workflows=(TargetWorkflow, TargetScheduleWorkflow, TargetCycleWorkflow, TargetProgressWorkflow),
    activities=(TargetActivities, TaskActivities),
    definition=TargetsDefinition,
    process_types=(PROCESS, "target-cycle", "target-progress"),
    schedules=(
        # SKIP: the run only starts `target-cycle-<period>`, which a period gets once anyway.
        ScheduledRun(
            schedule_id="targets-open",
            workflow=TargetScheduleWorkflow,
            workflow_id="targets-schedule",
            overlap=ScheduleOverlapPolicy.SKIP,
            build_input=cycle_input,
            description="Open next quarter's target setting for every active account manager",
            process_type="target-cycle",
        ),
        # SKIP: a day's snapshots replace themselves; a run still going when the next is due needs no twin.
        ScheduledRun(
            schedule_id="targets-progress",
            workflow=TargetProgressWorkflow,
            workflow_id="targets-progress",
            overlap=ScheduleOverlapPolicy.SKIP,
            build_input=progress_input,
            description="Daily progress snapshot of every agreed target",
            process_type="target-progress",
            rule="progress_schedule",
        ),
    ),
    timeline_kinds=("target",),
    history_fields=frozenset({"period", "staff_id"}),
)
