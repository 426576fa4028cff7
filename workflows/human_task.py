"""The human-task helper every process mixes in (DESIGN §3.6).

`run_task(spec)` opens the task row through an activity, then waits for a decision that arrives as a
Temporal Update ("task.decide", "task.complete", "task.delegate", "task.recall", "task.hand_over"),
reminding before the due date and escalating up the supervisor chain when it passes, until the spec's
final outcome. The validators refuse what is not allowed (wrong person → TaskForbidden, already closed →
TaskConflict, bad form data → TaskInvalid) before anything is written to the history; the handlers check
again before they change anything, because two updates can pass their validators in the same workflow task
— the first handler closes the task, the second fails with TaskConflict: exactly one decision wins.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

from workflows.options import activity_options

with workflow.unsafe.imports_passed_through():
    from activities.tasks import TaskActivities
    from definitions.calendar import add_business_time
    from definitions.tasks import (
        ERR_CONFLICT,
        ERR_FORBIDDEN,
        ERR_INVALID,
        ERR_NOT_FOUND,
        ERR_NOT_READY,
        OPEN,
        DelegateTaskInput,
        EscalateTaskInput,
        HandOverTaskInput,
        OpenTaskInput,
        OpenTaskResult,
        RecordOutcomeInput,
        RemindTaskInput,
        TaskActor,
        TaskCompleteInput,
        TaskDecisionInput,
        TaskDelegateInput,
        TaskHandOverInput,
        TaskOutcome,
        TaskReassignInput,
        TaskRecallInput,
        TaskSpec,
        TaskUpdateResult,
        TaskView,
        validate_form_data,
    )

_ACTIVITY_TIMEOUT = timedelta(seconds=30)
_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1))
_OPTIONS = activity_options(_ACTIVITY_TIMEOUT, _RETRY)
# Opens a task's row (OpenTaskInput → OpenTaskResult) in place of the "task.open" activity.
TaskOpener = Callable[[OpenTaskInput], Awaitable[OpenTaskResult]]
_FINAL = {"approve": ("approved", "approve"), "reject": ("rejected", "reject"), "expire": ("expired", None)}


@dataclass
class _TaskState:
    """What the workflow knows of one task; updates are checked against it (the workflow cannot read the DB)."""

    spec: TaskSpec
    task_id: int | None = None
    assignee_id: int | None = None
    delegate_id: int | None = None
    chain: list[int] = field(default_factory=list)
    due_at: datetime | None = None
    escalation_level: int = 0
    outcome: TaskOutcome | None = None
    closing: bool = False  # a handler or the timeout is writing the outcome: nothing else may close it
    moving: bool = False  # the escalation activity is moving the task: decisions wait for it
    cancel_comment: str | None = None  # why the process cancelled it (e.g. "decided by X"), for the row

    @property
    def status(self) -> str:
        if self.outcome is not None:
            return self.outcome.outcome
        return OPEN if self.task_id is not None else "opening"

    def view(self) -> TaskView:
        return TaskView(
            task_id=self.task_id,
            task_key=self.spec.task_key,
            kind=self.spec.kind,
            title=self.spec.title,
            status=self.status,
            assignee_id=self.assignee_id,
            delegate_id=self.delegate_id,
            requester_id=self.spec.requester_id,
            chain=list(self.chain),
            due_at=self.due_at,
            escalation_level=self.escalation_level,
            allow_chain_override=self.spec.allow_chain_override,
        )


def _refuse(kind: str, message: str, *details: Any) -> ApplicationError:
    """An update refusal; the API maps `kind` to its HTTP status (definitions.tasks ERR_*)."""
    return ApplicationError(message, *details, type=kind, non_retryable=True)


def _may_act(state: _TaskState, actor: TaskActor) -> bool:
    """Assignee, their delegate, admin, or (when the spec allows) someone up the assignee's chain."""
    if actor.role == "admin":
        return True
    if actor.role not in ("manager", "director") or actor.staff_id is None:
        return False
    if actor.staff_id in (state.assignee_id, state.delegate_id):
        return True
    return state.spec.allow_chain_override and actor.staff_id in state.chain


class HumanTaskMixin:
    """Mix into a @workflow.defn class (class MyWorkflow(HumanTaskMixin)) to get run_task() and the task updates."""

    # ---- API for the process ------------------------------------------------------------------

    async def run_task(self, spec: TaskSpec, *, open_with: TaskOpener | None = None) -> TaskOutcome:
        """Open the task, remind, escalate and wait until it is decided, completed, recalled or times out.

        `open_with` opens the row instead of the "task.open" activity: a process's own activity that writes its
        step together with the task row (one activity, one transaction)."""
        states = self._ht_states_mut()
        if spec.task_key in states:
            # The row is unique per (workflow id, task key): a second run_task with the same key would find
            # the first task's row. Failing loudly beats waiting forever on a closed task.
            raise ApplicationError(f"task key {spec.task_key!r} used twice in one workflow", non_retryable=True)
        state = _TaskState(spec=spec)
        states[spec.task_key] = state
        try:
            due_at = self._ht_due_at(workflow.now(), spec)
            opening = OpenTaskInput(spec=spec, due_at=due_at)
            if open_with is not None:
                opened = await open_with(opening)
            else:
                opened = await workflow.execute_activity_method(TaskActivities.open_task, opening, **_OPTIONS)
            state.task_id, state.assignee_id, state.delegate_id = opened.task_id, opened.assignee_id, opened.delegate_id
            state.chain, state.due_at = list(opened.chain), opened.due_at
            state.escalation_level = opened.escalation_level
            if opened.status != OPEN:
                # Closed before this run saw it (a reset or a continue-as-new reusing the key): keep that outcome.
                state.outcome = TaskOutcome(
                    task_id=opened.task_id,
                    task_key=spec.task_key,
                    outcome=opened.status,
                    decided_by=opened.decided_by,
                    comment=opened.comment,
                    data=opened.data,
                    escalation_level=opened.escalation_level,
                )
            while state.outcome is None:
                if await self._ht_wait_for_due(state):
                    continue  # decided (or a handler gave up closing and the loop looks again)
                if state.closing:  # a decision is being written right now: it wins over the timer
                    await workflow.wait_condition(lambda: state.outcome is not None or not state.closing)
                    continue
                if state.escalation_level < spec.escalation_levels and await self._ht_escalate(state):
                    continue
                await self._ht_final_outcome(state)
        except asyncio.CancelledError:
            # The process no longer needs the answer (e.g. it moved on): close the row so no inbox keeps it.
            if state.task_id is not None and state.outcome is None and not state.closing:
                state.closing = True
                await workflow.execute_activity_method(
                    TaskActivities.record_outcome,
                    RecordOutcomeInput(
                        task_id=state.task_id, outcome="cancelled", actor_label="system", comment=state.cancel_comment
                    ),
                    **_OPTIONS,
                )
                state.closing = False
                state.outcome = TaskOutcome(
                    task_id=state.task_id,
                    task_key=spec.task_key,
                    outcome="cancelled",
                    escalation_level=state.escalation_level,
                )
            raise
        return state.outcome

    async def run_approval_chain(self, specs: list[TaskSpec]) -> TaskOutcome:
        """Run approvals one after the other (e.g. supervisor, then director above an amount); the first
        outcome that is not "approved" ends the chain."""
        if not specs:
            raise ApplicationError("an approval chain needs at least one step", non_retryable=True)
        outcome: TaskOutcome | None = None
        for spec in specs:
            outcome = await self.run_task(spec)
            if outcome.outcome != "approved":
                break
        return cast(TaskOutcome, outcome)  # never None: every caller passes at least one spec

    def set_cancel_reason(self, task_key: str, comment: str) -> None:
        """Say why the task is closed if the process cancels its run_task (e.g. another approver decided)."""
        state = self._ht_states().get(task_key)
        if state is not None:
            state.cancel_comment = comment

    def _ht_guard(self, state: _TaskState, actor: TaskActor, decision: str | None) -> None:
        """Hook: a process may refuse an update on one of its tasks (raise a refusal); reads only."""

    def _ht_claimed(self, state: _TaskState, actor: TaskActor, decision: str | None) -> None:
        """Hook: an update has just locked the task for closing (no await since its check)."""

    async def _ht_write_outcome(self, state: _TaskState, data: RecordOutcomeInput) -> None:
        """Hook: write a decided task's outcome (a process may write it with its own next write instead)."""
        await workflow.execute_activity_method(TaskActivities.record_outcome, data, **_OPTIONS)

    def open_tasks(self) -> list[TaskView]:
        """The tasks still waiting for someone (for the process's status query)."""
        return [s.view() for s in self._ht_states().values() if s.outcome is None]

    def task_views(self) -> list[TaskView]:
        """Every task this run has opened, open or closed."""
        return [s.view() for s in self._ht_states().values()]

    # ---- queries and updates ------------------------------------------------------------------

    @workflow.query(name="task.list")
    def task_list_query(self) -> list[TaskView]:
        """Every task of this run with its status."""
        return self.task_views()

    @workflow.update(name="task.decide")
    async def task_decide(self, data: TaskDecisionInput) -> TaskUpdateResult:
        """Approve or reject an approval task."""
        state = await self._ht_claim(data.task_key, data.actor, "approval", decision=data.decision)
        outcome = "approved" if data.decision == "approve" else "rejected"
        return await self._ht_close(state, outcome, data.actor, decision=data.decision, comment=data.comment, data=None)

    @task_decide.validator
    def _validate_task_decide(self, data: TaskDecisionInput) -> None:
        self._ht_check(data.task_key, data.actor, "approval", decision=data.decision)

    @workflow.update(name="task.complete")
    async def task_complete(self, data: TaskCompleteInput) -> TaskUpdateResult:
        """Complete a form task with its data."""
        state = await self._ht_claim(data.task_key, data.actor, "form", form_data=data.data)
        return await self._ht_close(state, "completed", data.actor, decision=None, comment=data.comment, data=data.data)

    @task_complete.validator
    def _validate_task_complete(self, data: TaskCompleteInput) -> None:
        self._ht_check(data.task_key, data.actor, "form", form_data=data.data)

    @workflow.update(name="task.delegate")
    async def task_delegate(self, data: TaskDelegateInput) -> TaskUpdateResult:
        """The assignee lets someone else act on the task (the assignee keeps it too)."""
        state = self._ht_check_delegate(data)
        await workflow.execute_activity_method(
            TaskActivities.delegate,
            DelegateTaskInput(
                task_id=state.task_id, to_staff_id=data.to_staff_id, actor_label=data.actor.label, comment=data.comment
            ),
            **_OPTIONS,
        )
        state.delegate_id = data.to_staff_id
        return self._ht_result(state)

    @task_delegate.validator
    def _validate_task_delegate(self, data: TaskDelegateInput) -> None:
        self._ht_check_delegate(data)

    @workflow.update(name="task.recall")
    async def task_recall(self, data: TaskRecallInput) -> TaskUpdateResult:
        """The requester withdraws the task."""
        state = await self._ht_claim(data.task_key, data.actor, None, recall=True, decision="recall")
        return await self._ht_close(state, "recalled", data.actor, decision=None, comment=data.comment, data=None)

    @task_recall.validator
    def _validate_task_recall(self, data: TaskRecallInput) -> None:
        self._ht_check(data.task_key, data.actor, None, recall=True, decision="recall")

    @workflow.update(name="task.reassign")
    async def task_reassign(self, data: TaskReassignInput) -> TaskUpdateResult:
        """The row was handed to someone else: follow it (kept for runs that recorded it; hand-overs use task.hand_over)."""
        state = self._ht_check_reassign(data)
        state.assignee_id, state.delegate_id, state.chain = data.assignee_id, None, list(data.chain)
        return self._ht_result(state)

    @task_reassign.validator
    def _validate_task_reassign(self, data: TaskReassignInput) -> None:
        self._ht_check_reassign(data)

    @workflow.update(name="task.hand_over")
    async def task_hand_over(self, data: TaskHandOverInput) -> list[TaskUpdateResult]:
        """A staff member left: move each open task they hold (or act on as delegate) through an activity.

        Sent by the staff hand-over process (workflows/handover.py) with a fixed update id, so a retried
        send is the same update; a task being decided or escalated right now is waited for, then looked at again.
        """
        # A task still being opened may have been opened for the leaver: wait for its row (bounded, so an
        # open that never returns cannot hold the update for ever).
        try:
            await workflow.wait_condition(
                lambda: all(s.task_id is not None or s.outcome is not None for s in self._ht_states().values()),
                timeout=_ACTIVITY_TIMEOUT.total_seconds() * 4,
            )
        except asyncio.TimeoutError:
            pass
        moved: list[TaskUpdateResult] = []
        for state in list(self._ht_states().values()):
            if state.task_id is None:
                continue
            if state.moving:  # an escalation is moving it: hand over from where it lands
                await workflow.wait_condition(lambda: not state.moving)  # noqa: B023 (awaited in this iteration)
            if (
                state.outcome is not None
                or state.closing
                or data.staff_id not in (state.assignee_id, state.delegate_id)
            ):
                continue
            state.moving = True  # decisions wait until the row and this view agree again
            try:
                result = await workflow.execute_activity_method(
                    TaskActivities.hand_over,
                    HandOverTaskInput(
                        task_id=state.task_id,
                        from_staff_id=data.staff_id,
                        actor_label=data.actor.label or data.actor.role,
                        reason=data.reason,
                    ),
                    **_OPTIONS,
                )
            finally:
                state.moving = False
            if result.moved:
                state.assignee_id, state.delegate_id, state.chain = (
                    result.assignee_id,
                    result.delegate_id,
                    list(result.chain),
                )
                moved.append(self._ht_result(state))
        return moved

    @task_hand_over.validator
    def _validate_task_hand_over(self, data: TaskHandOverInput) -> None:
        if data.actor.role not in ("admin", "system"):
            raise _refuse(ERR_FORBIDDEN, "only an admin hand-over may move tasks off a staff member")

    # ---- internals ----------------------------------------------------------------------------

    def _ht_states(self) -> dict[str, _TaskState]:
        # Validators and queries must not change state, so they read without creating the dict.
        states: dict[str, _TaskState] = self.__dict__.get("_ht_tasks", {})
        return states

    def _ht_states_mut(self) -> dict[str, _TaskState]:
        states: dict[str, _TaskState] = self.__dict__.setdefault("_ht_tasks", {})
        return states

    @staticmethod
    def _ht_due_at(start: datetime, spec: TaskSpec) -> datetime:
        """Due date from workflow time: business time when the spec carries a calendar."""
        if spec.calendar is not None:
            return add_business_time(start, spec.due_in, spec.calendar)
        return start + spec.due_in

    def _ht_find(self, task_key: str) -> _TaskState:
        state = self._ht_states().get(task_key)
        if state is None:
            raise _refuse(ERR_NOT_FOUND, f"no task {task_key!r} in this process")
        if state.task_id is None:
            raise _refuse(ERR_NOT_READY, f"task {task_key!r} is still being opened; try again")
        return state

    def _ht_check(
        self,
        task_key: str,
        actor: TaskActor,
        kind: str | None,
        *,
        form_data: dict[str, Any] | None = None,
        recall: bool = False,
        decision: str | None = None,
    ) -> _TaskState:
        """Raise unless `actor` may close this task now (also used by validators: reads only)."""
        state = self._ht_find(task_key)
        if recall:
            allowed = actor.role == "admin" or (
                actor.role in ("manager", "director")
                and actor.staff_id is not None
                and actor.staff_id == state.spec.requester_id
            )
            if not allowed:
                raise _refuse(ERR_FORBIDDEN, "only the requester of a task (or an admin) may recall it")
        elif not _may_act(state, actor):
            raise _refuse(
                ERR_FORBIDDEN,
                "only the assignee of this task, their delegate"
                + (", someone above them" if state.spec.allow_chain_override else "")
                + " or an admin may act on it",
            )
        if state.outcome is not None or state.closing:
            raise _refuse(ERR_CONFLICT, f"task already {state.outcome.outcome if state.outcome else 'being closed'}")
        self._ht_guard(state, actor, decision)
        if kind is not None and state.spec.kind != kind:
            hint = "/complete" if state.spec.kind == "form" else "/decision"
            raise _refuse(ERR_INVALID, f"this is a {state.spec.kind} task: use {hint}")
        if form_data is not None:
            errors = validate_form_data(state.spec.form, form_data)
            if errors:
                raise _refuse(
                    ERR_INVALID, "invalid form data: " + "; ".join(f"{k}: {v}" for k, v in errors.items()), errors
                )
        return state

    async def _ht_claim(
        self,
        task_key: str,
        actor: TaskActor,
        kind: str | None,
        *,
        form_data: dict[str, Any] | None = None,
        recall: bool = False,
        decision: str | None = None,
    ) -> _TaskState:
        """In a handler: wait out an escalation in progress, check again, then lock the task for closing."""
        state = self._ht_find(task_key)
        if state.moving:
            await workflow.wait_condition(lambda: not state.moving)
        state = self._ht_check(task_key, actor, kind, form_data=form_data, recall=recall, decision=decision)
        # No await between the check and this flag: a second update that passed its validator in the same
        # workflow task now sees "being closed" and fails with TaskConflict.
        state.closing = True
        self._ht_claimed(state, actor, decision)
        return state

    async def _ht_close(
        self,
        state: _TaskState,
        outcome: str,
        actor: TaskActor,
        *,
        decision: str | None,
        comment: str | None,
        data: dict[str, Any] | None,
    ) -> TaskUpdateResult:
        try:
            await self._ht_write_outcome(
                state,
                RecordOutcomeInput(
                    task_id=state.task_id,
                    outcome=outcome,
                    decision=decision,
                    decided_by=actor.staff_id,
                    actor_label=actor.label or actor.role,
                    comment=comment,
                    data=data,
                ),
            )
        finally:
            state.closing = False
        state.outcome = TaskOutcome(
            task_id=state.task_id,
            task_key=state.spec.task_key,
            outcome=outcome,
            decided_by=actor.staff_id,
            comment=comment,
            data=data,
            escalation_level=state.escalation_level,
        )
        return self._ht_result(state)

    def _ht_check_delegate(self, data: TaskDelegateInput) -> _TaskState:
        state = self._ht_find(data.task_key)
        actor = data.actor
        if not (
            actor.role == "admin"
            or (
                actor.role in ("manager", "director")
                and actor.staff_id is not None
                and actor.staff_id == state.assignee_id
            )
        ):
            raise _refuse(ERR_FORBIDDEN, "only the assignee of this task (or an admin) may delegate it")
        if state.outcome is not None or state.closing:
            raise _refuse(ERR_CONFLICT, "task is already closed")
        if data.to_staff_id == state.assignee_id:
            raise _refuse(ERR_INVALID, "the task is already assigned to that staff member")
        return state

    def _ht_check_reassign(self, data: TaskReassignInput) -> _TaskState:
        state = self._ht_find(data.task_key)
        if data.actor.role not in ("admin", "system"):
            raise _refuse(ERR_FORBIDDEN, "only an admin hand-over may reassign a task")
        if state.outcome is not None or state.closing:
            raise _refuse(ERR_CONFLICT, "task is already closed")
        return state

    @staticmethod
    def _ht_result(state: _TaskState) -> TaskUpdateResult:
        return TaskUpdateResult(
            task_id=state.task_id,
            task_key=state.spec.task_key,
            status=state.status,
            assignee_id=state.assignee_id,
            delegate_id=state.delegate_id,
            decided_by=state.outcome.decided_by if state.outcome else None,
        )

    async def _ht_wait_until(self, state: _TaskState, moment: datetime) -> bool:
        """Wait until the task closes (True) or `moment` comes (False)."""
        remaining = (moment - workflow.now()).total_seconds()
        if remaining > 0:
            try:
                await workflow.wait_condition(lambda: state.outcome is not None, timeout=remaining)
            except asyncio.TimeoutError:
                pass
        return state.outcome is not None

    async def _ht_wait_for_due(self, state: _TaskState) -> bool:
        """Send the reminders of this due window, then wait for the due date; True when the task closed."""
        due_at = cast(datetime, state.due_at)  # only a task with a due date waits for it
        for index, before in enumerate(sorted(state.spec.reminders_before, reverse=True)):
            remind_at = due_at - before
            if remind_at <= workflow.now():
                continue  # a window shorter than the reminder offset: skip it rather than remind at once
            if await self._ht_wait_until(state, remind_at):
                return True
            await workflow.execute_activity_method(
                TaskActivities.remind,
                RemindTaskInput(
                    task_id=state.task_id,
                    assignee_id=state.assignee_id,
                    delegate_id=state.delegate_id,
                    due_at=due_at,
                    reminder_index=index,
                    escalation_level=state.escalation_level,
                ),
                **_OPTIONS,
            )
        return await self._ht_wait_until(state, due_at)

    async def _ht_escalate(self, state: _TaskState) -> bool:
        """Move the task one level up the chain with a fresh due window; False when nobody is above."""
        if state.moving:  # a hand-over is moving it right now: escalate from where it lands (no command)
            await workflow.wait_condition(lambda: not state.moving)
        state.moving = True
        try:
            result = await workflow.execute_activity_method(
                TaskActivities.escalate,
                EscalateTaskInput(
                    task_id=state.task_id,
                    from_assignee_id=state.assignee_id,
                    candidates=list(state.chain),
                    escalation_level=state.escalation_level + 1,
                    due_at=self._ht_due_at(workflow.now(), state.spec),
                ),
                **_OPTIONS,
            )
        finally:
            state.moving = False
        if not result.escalated:
            return False
        state.assignee_id, state.delegate_id, state.chain = result.assignee_id, result.delegate_id, list(result.chain)
        state.escalation_level, state.due_at = result.escalation_level, result.due_at
        return True

    async def _ht_final_outcome(self, state: _TaskState) -> None:
        """Nobody answered after the last escalation: apply the spec's final outcome."""
        outcome, decision = _FINAL[state.spec.final_outcome]
        state.closing = True
        try:
            await workflow.execute_activity_method(
                TaskActivities.record_outcome,
                RecordOutcomeInput(
                    task_id=state.task_id,
                    outcome=outcome,
                    decision=decision,
                    actor_label="system:timeout",
                    comment="no decision before the due date",
                ),
                **_OPTIONS,
            )
        finally:
            state.closing = False
        state.outcome = TaskOutcome(
            task_id=state.task_id,
            task_key=state.spec.task_key,
            outcome=outcome,
            decided_by=None,
            escalation_level=state.escalation_level,
        )
