"""Approval flows (DESIGN §3.10): one workflow runs any flow of definitions/flows for a request.

Steps run in order, skipped when their condition is false; approvers are resolved by an activity when a
step starts and each gets a task through the shared HumanTaskMixin (so the inbox, delegation, reminders
and escalation are the usual ones). A step is a set of slots, one per approver: a slot is a queue (加签
puts someone before or after the approver) whose last approval is the slot's vote. The mixin's hooks let
this workflow refuse a decision on a step that is already settled and settle it in the same workflow task
the winning decision locks its task, so two racing decisions give exactly one winner.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

from workflows.human_task import HumanTaskMixin, _TaskState

from workflows.options import ActivityOptions, activity_options

with workflow.unsafe.imports_passed_through():
    from activities.approval import ApprovalActivities
    from activities.tasks import TaskActivities
    from crmflow.registry import ProcessSpec
    from crmflow.temporal import SA_CUSTOMER_ID, SA_PROCESS_TYPE, SA_STAGE
    from definitions.approval import (
        APPROVED,
        PENDING,
        RECALLED,
        REJECTED,
        REQUESTER,
        RETURNED,
        AddApproverInput,
        ApprovalDecisionInput,
        ApprovalEvent,
        ApprovalDefinition,
        ApprovalInput,
        ApprovalResult,
        ApprovalState,
        ApprovalUpdateResult,
        CommentInput,
        CustomerFacts,
        FlowStep,
        OpenApprovalInput,
        RecallApprovalInput,
        RecordApprovalEventsInput,
        RecordApprovalInput,
        ResolveApproversInput,
        ResolveApproversResult,
        ResubmitInput,
        SlotView,
        StartStepInput,
        StepView,
        TransferCustomerInput,
        TransferCustomerResult,
        condition_holds,
        validate_request,
    )
    from definitions.tasks import (
        ERR_CONFLICT,
        ERR_FORBIDDEN,
        ERR_INVALID,
        RecordOutcomeInput,
        TaskActor,
        TaskDecisionInput,
        TaskOutcome,
        TaskSpec,
    )

PROCESS = "approval"
ACTIVITY_OPTIONS: ActivityOptions = activity_options(
    timedelta(seconds=30), RetryPolicy(maximum_interval=timedelta(minutes=1))
)
# workflow.patched() id: the events that follow a settled step (the step's outcome, steps skipped after it, the
# request's outcome with the requester's notification) wait for the run's next write and go in its activity,
# one transaction and one activity instead of one each. Runs started before keep their one activity per event.
PATCH_BATCHED_RECORDS = "approval-batched-records"
# workflow.patched() id: a step's approvers are resolved and its start recorded (with the events waiting to be
# written) by one activity, approval.start_step, instead of approval.resolve_approvers then approval.record.
PATCH_START_STEP = "approval-start-step"
# workflow.patched() id: the outcome of the task whose decision settles a step is written by the run's next write
# (approval.record_events, with the step's and the request's events) instead of its own task.record_outcome;
# the decision's update answers once it is written. A one-step request then runs one activity after its decision.
PATCH_OUTCOME_WITH_EVENTS = "approval-outcome-with-events"
_VOTES = {"approved": "approve", "rejected": "reject", "returned": "send_back", "expired": "reject"}


def _refuse(kind: str, message: str, *details: object) -> ApplicationError:
    return ApplicationError(message, *details, type=kind, non_retryable=True)


@dataclass
class _Slot:
    """One approver's place in a step; `queue` grows when someone is added before or after them."""

    queue: list[int]
    position: int = 0
    vote: str | None = None  # approve | reject | send_back, once the slot has decided
    task_key: str | None = None
    requeue: bool = False  # its task was closed to let an added approver decide first


@dataclass
class _StepRun:
    index: int
    step: FlowStep
    visit: int
    slots: list[_Slot] = field(default_factory=list)
    status: str = "running"
    settled: bool = False
    decided_by: str | None = None
    send_back_to: str | None = None
    reason: str | None = None
    decisive_key: str | None = None  # the task whose decision (or timeout) settled the step

    def needed(self) -> int:
        return self.step.approvals_needed(len(self.slots))


@workflow.defn
class ApprovalWorkflow(HumanTaskMixin):
    """One request on one flow: steps, per-approver tasks, decisions as Updates, audited throughout."""

    def __init__(self) -> None:
        super().__init__()
        self._data: ApprovalInput | None = None
        self._fields: dict[str, Any] = {}
        self._customer: CustomerFacts | None = None
        self._status = PENDING
        self._round = 1
        self._opened = False
        self._runs: list[_StepRun] = []
        self._skipped: dict[int, str] = {}
        self._current: _StepRun | None = None
        self._recall_by: TaskActor | None = None
        self._recall_comment: str | None = None
        self._resubmitted = False
        self._send_back: dict[str, str] = {}  # task key → target, set by approval.decide before the claim
        self._decision_fields: dict[
            str, dict[str, Any]
        ] = {}  # task key → the fields its approval carried (decision_form)
        self._fields_checked = False  # set only while approval.decide checks a decision whose fields it checked
        self._key_counter = 0
        self._round_start = 0  # runs before this index belong to earlier rounds (before a resubmit)
        self._outcome_reason: str | None = None
        self._batched = False  # PATCH_BATCHED_RECORDS: events may wait in _unwritten for the next write
        self._unwritten: list[ApprovalEvent] = []
        self._unwritten_state: ApprovalState | None = None  # the state after the last of them
        self._start_step_at_once = False  # PATCH_START_STEP
        self._outcome_with_events = False  # PATCH_OUTCOME_WITH_EVENTS
        self._unwritten_outcomes: list[RecordOutcomeInput] = []  # decisive tasks' outcomes, for the next write
        self._written_outcomes: set[int] = set()  # task ids whose outcome a write of the run has stored

    # ---- the run ------------------------------------------------------------------------------

    @workflow.run
    async def run(self, data: ApprovalInput) -> ApprovalResult:
        self._data, self._fields = data, dict(data.fields)
        self._batched = workflow.patched(PATCH_BATCHED_RECORDS)
        self._start_step_at_once = workflow.patched(PATCH_START_STEP)
        # Only batched runs hold writes back; a run from before the batching keeps its commands (no marker).
        self._outcome_with_events = self._batched and workflow.patched(PATCH_OUTCOME_WITH_EVENTS)
        flow = data.flow
        attributes = [SA_PROCESS_TYPE.value_set(PROCESS), SA_STAGE.value_set("submitted")]
        if data.customer_id is not None:
            attributes.append(SA_CUSTOMER_ID.value_set(str(data.customer_id)))
        workflow.upsert_search_attributes(attributes)
        opened = await workflow.execute_activity_method(
            ApprovalActivities.open_request,
            OpenApprovalInput(
                approval_id=data.approval_id,
                flow=flow.flow,
                flow_version=flow.version,
                flow_hash=flow.content_hash,
                title=data.title,
                fields=self._fields,
                requester=data.requester,
                customer_id=data.customer_id,
                subject_type=data.subject_type,
                subject_id=data.subject_id,
                state=self._state(),
            ),
            **ACTIVITY_OPTIONS,
        )
        self._customer = opened.customer
        self._opened = True

        index = 0
        while self._recall_by is None:
            if index >= len(flow.steps):
                self._status, self._outcome_reason = APPROVED, "every step approved"
                break
            step = flow.steps[index]
            customer = self._customer.model_dump() if self._customer else None
            if not condition_holds(step.when, self._fields, customer):
                self._skipped[index] = "condition not met"
                await self._record("approval.step_skipped", reason="condition not met", step=step.name, defer=True)
                index += 1
                continue
            self._skipped.pop(index, None)
            visit = sum(1 for r in self._runs if r.index == index) + 1
            rules = ResolveApproversInput(
                rules=step.approvers, requester_id=data.requester.staff_id, owner_id=self._owner_id()
            )
            if self._start_step_at_once:
                resolved = await self._start_step(_StepRun(index=index, step=step, visit=visit), rules)
            else:
                resolved = await workflow.execute_activity_method(ApprovalActivities.resolve, rules, **ACTIVITY_OPTIONS)
            if not resolved.staff_ids:
                outcome = step.final_outcome or flow.final_outcome
                self._status = APPROVED if outcome == "approve" else REJECTED
                self._outcome_reason = f"nobody to approve step {step.name!r}: final outcome {outcome}"
                await self._record("approval.no_approver", reason=self._outcome_reason, step=step.name)
                break
            run = _StepRun(
                index=index,
                step=step,
                visit=visit,
                slots=[_Slot(queue=[staff_id]) for staff_id in resolved.staff_ids],
            )
            self._runs.append(run)
            self._current = run
            self._move(step.name)
            if not self._start_step_at_once:
                await self._record(
                    "approval.step_started", step=step.name, approvers=resolved.staff_ids, mode=step.mode_label
                )
            await self._run_step(run)
            if self._recall_by is not None:
                break
            await self._record(
                f"approval.step_{run.status}",
                actor=run.decided_by or "system",
                reason=run.reason,
                step=step.name,
                defer=True,
            )
            if run.status == "approved":
                index += 1
            elif run.status == "rejected":
                self._status, self._outcome_reason = REJECTED, run.reason or f"rejected at step {step.name!r}"
                break
            elif run.send_back_to == REQUESTER:
                self._status, self._current = RETURNED, None
                self._move("returned")
                await self._record("approval.returned", actor=run.decided_by or "system", reason=run.reason)
                await workflow.wait_condition(lambda: self._resubmitted or self._recall_by is not None)
                if self._recall_by is not None:
                    break
                self._resubmitted, self._status = False, PENDING
                self._round += 1
                self._round_start, self._skipped = len(self._runs), {}
                index = 0
            else:
                index = flow.step_index(run.send_back_to or "") or 0

        self._current = None
        if self._recall_by is not None:
            self._status = RECALLED
            self._outcome_reason = self._recall_comment or "recalled by the requester"
        self._move(self._status)
        transferred = await self._apply_on_approve()
        await self._record(
            f"approval.{self._status}",
            actor=self._recall_by.label if self._recall_by else "system",
            reason=self._outcome_reason,
            final=True,
        )
        if self._outcome_with_events:
            # The decision whose outcome that write stored is still to answer (and to set its outcome).
            await workflow.wait_condition(lambda: not any(s.closing for s in self._ht_states().values()))
        decisive = self._decisive_outcome()
        return ApprovalResult(
            approval_id=data.approval_id,
            status=self._status,
            outcome_reason=self._outcome_reason,
            transferred=transferred,
            task_outcome=decisive.outcome if decisive else None,
            decided_by=decisive.decided_by if decisive else None,
            comment=decisive.comment if decisive else None,
            decision_fields=self._decision_fields.get(self._runs[-1].decisive_key or "") if self._runs else None,
        )

    async def _start_step(self, run: _StepRun, rules: ResolveApproversInput) -> ResolveApproversResult:
        """Resolve the approvers of `run` (not started yet, no slots) and record its start with the waiting events."""
        assert self._data is not None
        if self._unwritten_outcomes:
            await self._flush()  # a decision waits for its outcome: written now, not after the approvers resolve
        events, self._unwritten = self._unwritten, []
        # The state as it will be once the run starts; the activity fills in the approvers it resolves.
        runs, current = self._runs, self._current
        self._runs, self._current = [*runs, run], run
        try:
            state = self._state()
        finally:
            self._runs, self._current = runs, current
        resolved: ResolveApproversResult = await workflow.execute_activity_method(
            ApprovalActivities.start_step,
            StartStepInput(
                approval_id=self._data.approval_id, resolve=rules, step_index=run.index, events=events, state=state
            ),
            **ACTIVITY_OPTIONS,
        )
        if not resolved.staff_ids:
            # Nobody to approve: the activity wrote nothing; the events go with the no-approver event.
            self._unwritten[:0] = events
        return resolved

    def _owner_id(self) -> int | None:
        assert self._data is not None
        if self._data.owner_id is not None:
            return self._data.owner_id
        return self._customer.owner_id if self._customer else None

    def _decisive_outcome(self) -> TaskOutcome | None:
        """The outcome of the task that settled the last step run (None when no task decided)."""
        if not self._runs or self._runs[-1].decisive_key is None:
            return None
        state = self._ht_states().get(self._runs[-1].decisive_key)
        return state.outcome if state is not None else None

    async def _run_step(self, run: _StepRun) -> None:
        """Open every slot's task; wait until the step settles (or the request is recalled), close the rest."""
        runners = [asyncio.ensure_future(self._run_slot(run, slot)) for slot in run.slots]
        await workflow.wait_condition(lambda: run.settled or self._recall_by is not None)
        # The winning decision's handler is still writing its task: let it finish before closing the others
        # (unless it waits for the run's next write to store its outcome).
        await workflow.wait_condition(
            lambda: not any(s.closing and not self._outcome_held(s) for s in self._run_states(run))
        )
        reason = (
            f"recalled by {self._recall_by.label}" if self._recall_by is not None else f"decided by {run.decided_by}"
        )
        for slot, runner in zip(run.slots, runners):
            if not runner.done():
                if slot.task_key is not None:
                    self.set_cancel_reason(slot.task_key, reason)
                runner.cancel()
        await asyncio.gather(*runners, return_exceptions=True)

    async def _run_slot(self, run: _StepRun, slot: _Slot) -> None:
        """One approver's task after another along the slot's queue, until the slot votes."""
        assert self._data is not None
        while True:
            staff_id = slot.queue[slot.position]
            self._key_counter += 1
            key = f"{run.step.name}.{run.visit}.r{self._round}.{self._key_counter}"
            step, flow, process = run.step, self._data.flow, self._data.process
            context = {
                "approval_id": self._data.approval_id,
                "flow": flow.flow,
                "step": step.name,
                "mode": step.mode_label,
                "fields": self._fields,
            }
            spec = TaskSpec(
                task_key=key,
                kind="approval",
                process_type=PROCESS,
                title=f"{flow.title}: {self._data.title}"[:300],
                assignee_id=staff_id,
                requester_id=self._data.requester.staff_id,
                customer_id=self._data.customer_id,
                context=context,
                due_in=step.due_in,
                reminders_before=list(step.reminders_before),
                escalation_levels=step.escalation_levels,
                final_outcome=step.final_outcome or flow.final_outcome,
            )
            if process is not None:
                # A process's approval: its tasks keep the look and place the process's own tasks had.
                # The first task keeps the key the process's own task had (inboxes and integrations look for it).
                key = process.key_prefix if self._key_counter == 1 else f"{process.key_prefix}.{self._key_counter}"
                spec = spec.model_copy(
                    update={
                        "task_key": key,
                        "process_type": process.process_type,
                        "title": process.title,
                        "context": {**process.context, "approval_id": self._data.approval_id, "step": step.name},
                        "calendar": process.calendar,
                        "process_workflow_id": process.workflow_id,
                    }
                )
            slot.task_key = key
            outcome = await self.run_task(spec)
            if outcome.outcome == "cancelled":
                if slot.requeue and not run.settled:
                    slot.requeue = False
                    continue
                return
            vote = _VOTES.get(outcome.outcome, "reject")
            if vote == "approve" and slot.position < len(slot.queue) - 1:
                slot.position += 1
                continue
            slot.vote = vote
            if outcome.decided_by is None and not run.settled:
                # Nobody decided before the last escalation ran out: the flow's final outcome stands.
                await self._record(
                    "approval.step_timed_out",
                    step=step.name,
                    task_key=key,
                    outcome=outcome.outcome,
                    escalation_level=outcome.escalation_level,
                )
            if self._settle(run, "timeout" if outcome.decided_by is None else f"staff:{outcome.decided_by}"):
                run.decisive_key = key
            return

    def _settle(self, run: _StepRun, who: str) -> bool:
        """Settle the step from its slots' votes when they decide it (first one wins; later calls no-op)."""
        if run.settled:
            return False
        votes = [s.vote for s in run.slots]
        needed = run.needed()
        if "send_back" in votes:
            run.status, run.reason = "sent_back", f"sent back by {who}"
        elif votes.count("approve") >= needed:
            run.status = "approved"
        elif run.step.mode == "any" and "reject" in votes:
            run.status, run.reason = "rejected", f"rejected by {who}"
        elif len(run.slots) - votes.count("reject") < needed:
            run.status, run.reason = "rejected", f"rejected by {who}"
        else:
            return False
        run.settled, run.decided_by = True, who
        return True

    async def _apply_on_approve(self) -> bool:
        assert self._data is not None
        transfer = self._data.flow.on_approve.transfer_customer
        if self._status != APPROVED or transfer is None or self._data.customer_id is None:
            return False
        # The steps' events come before the transfer's in the audit trail, with the state they left (still pending).
        await self._flush()
        result: TransferCustomerResult = await workflow.execute_activity_method(
            ApprovalActivities.transfer_customer,
            TransferCustomerInput(
                approval_id=self._data.approval_id,
                customer_id=self._data.customer_id,
                to_staff_id=int(self._fields[transfer.owner_field]),
                decided_by=f"approval:{self._data.approval_id}",
            ),
            **ACTIVITY_OPTIONS,
        )
        if result.refusal:
            self._outcome_reason = f"approved, but the transfer was refused: {result.refusal}"
        return result.changed

    # ---- the mixin's hooks --------------------------------------------------------------------

    def _slot_of(self, task_key: str) -> tuple[_StepRun | None, _Slot | None]:
        for run in reversed(self._runs):
            for slot in run.slots:
                if slot.task_key == task_key:
                    return run, slot
        return None, None

    def _ht_guard(self, state: _TaskState, actor: TaskActor, decision: str | None) -> None:
        recall_by_task = self._data is not None and self._data.process is not None and self._data.process.recall_by_task
        if decision == "recall" and not recall_by_task:
            raise _refuse(ERR_INVALID, "recall the whole request instead (/v1/approvals/{id}/recall)")
        run, _ = self._slot_of(state.spec.task_key)
        if self._recall_by is not None:
            raise _refuse(ERR_CONFLICT, "the request was recalled")
        form = self._data.flow.decision_form if self._data is not None else None
        if (
            decision == "approve"
            and form is not None
            and not self._fields_checked
            and state.spec.task_key not in self._decision_fields
        ):
            # A plain task decision (/v1/tasks/{id}/decision) cannot carry the decision form's fields.
            raise _refuse(
                ERR_INVALID,
                "this approval carries "
                + ", ".join(form.fields)
                + ": decide it with its fields (e.g. POST /v1/reviews/{id}/decision)",
                {name: "is required" for name, spec in form.fields.items() if spec.required},
            )
        if run is not None and run.settled:
            raise _refuse(ERR_CONFLICT, f"step {run.step.name!r} was already decided by {run.decided_by}")

    def _ht_claimed(self, state: _TaskState, actor: TaskActor, decision: str | None) -> None:
        run, slot = self._slot_of(state.spec.task_key)
        if decision == "recall" and run is not None and self._recall_by is None:
            # A process's requester recalled the task (allowed by _ht_guard): the whole request is recalled.
            self._recall_by, run.decisive_key = actor, state.spec.task_key
            return
        if run is None or slot is None or decision not in ("approve", "reject", "send_back"):
            return
        if decision == "send_back":
            run.send_back_to = self._send_back.pop(state.spec.task_key, REQUESTER)
        if decision != "approve" or slot.position == len(slot.queue) - 1:
            slot.vote = decision
            if self._settle(run, actor.label or actor.role):
                run.decisive_key = state.spec.task_key

    def _outcome_held(self, state: _TaskState) -> bool:
        """The task's outcome waits for (or has just had) the run's next write, not an activity of its own."""
        held = state.task_id in self._written_outcomes
        return held or any(o.task_id == state.task_id for o in self._unwritten_outcomes)

    async def _ht_write_outcome(self, state: _TaskState, data: RecordOutcomeInput) -> None:
        """The outcome of the task that settled its step waits for the run's next write; others are written now."""
        run, _ = self._slot_of(state.spec.task_key)
        if not self._outcome_with_events or run is None or run.decisive_key != state.spec.task_key:
            await super()._ht_write_outcome(state, data)
            return
        # This decision settled the step: the run writes the outcome with the events it now records.
        self._unwritten_outcomes.append(data)
        await workflow.wait_condition(lambda: data.task_id in self._written_outcomes)

    # ---- updates ------------------------------------------------------------------------------

    @workflow.update(name="approval.opened")
    async def opened(self) -> ApprovalUpdateResult:
        """Answers once the request row is written (the API starts the workflow with this update)."""
        await workflow.wait_condition(lambda: self._opened)
        return self._result()

    @workflow.update(name="approval.decide")
    async def decide(self, data: ApprovalDecisionInput) -> ApprovalUpdateResult:
        """Approve, reject or send back (to the requester or an earlier step) the actor's task."""
        key = self._check_decide(data)
        if data.decision == "send_back":
            self._send_back[key] = data.to_step or REQUESTER
            state = await self._ht_claim(key, data.actor, "approval", decision="send_back")
            await self._ht_close(state, "returned", data.actor, decision=None, comment=data.comment, data=None)
        else:
            if data.decision == "approve" and data.fields is not None:
                # Kept before the task closes: the step may settle (and the run return) on this decision.
                self._decision_fields[key] = dict(data.fields)
            # The SDK types an update method as unbound; called on self it runs the handler directly.
            await self.task_decide(
                TaskDecisionInput(
                    task_key=key,
                    actor=data.actor,
                    decision=data.decision,  # type: ignore[call-arg,arg-type]
                    comment=data.comment,
                )
            )
        return self._result(key)

    @decide.validator
    def _validate_decide(self, data: ApprovalDecisionInput) -> None:
        self._check_decide(data)

    @workflow.update(name="approval.add_approver")
    async def add_approver(self, data: AddApproverInput) -> ApprovalUpdateResult:
        """加签: the added staff member decides before the actor (who decides again after) or after them."""
        key = self._check_add(data)
        run, slot = self._slot_of(key)
        assert run is not None and slot is not None
        if data.position == "before":
            state = await self._ht_claim(key, data.actor, "approval", decision="add_before")
            slot.queue.insert(slot.position, data.staff_id)
            slot.requeue = True
            await self._ht_close(
                state,
                "cancelled",
                data.actor,
                decision=None,
                comment=data.comment or f"staff {data.staff_id} added before",
                data=None,
            )
        else:
            slot.queue.insert(slot.position + 1, data.staff_id)
        await self._record(
            "approval.approver_added",
            actor=data.actor.label,
            reason=data.comment,
            step=run.step.name,
            staff_id=data.staff_id,
            position=data.position,
            task_key=key,
        )
        return self._result(key)

    @add_approver.validator
    def _validate_add(self, data: AddApproverInput) -> None:
        self._check_add(data)

    @workflow.update(name="approval.recall")
    async def recall(self, data: RecallApprovalInput) -> ApprovalUpdateResult:
        """The requester (or an admin) withdraws the request; open tasks close as recalled."""
        self._check_recall(data)
        self._recall_by, self._recall_comment = data.actor, data.comment
        await workflow.wait_condition(lambda: self._status == RECALLED)
        return self._result()

    @recall.validator
    def _validate_recall(self, data: RecallApprovalInput) -> None:
        self._check_recall(data)

    @workflow.update(name="approval.resubmit")
    async def resubmit(self, data: ResubmitInput) -> ApprovalUpdateResult:
        """The requester amends a request sent back to them; it starts again from the first step."""
        self._check_resubmit(data)
        if data.fields is not None:
            self._fields = dict(data.fields)
        self._resubmitted = True
        await self._record("approval.resubmitted", actor=data.actor.label, reason=data.comment, fields=self._fields)
        return self._result()

    @resubmit.validator
    def _validate_resubmit(self, data: ResubmitInput) -> None:
        self._check_resubmit(data)

    @workflow.update(name="approval.comment")
    async def comment(self, data: CommentInput) -> ApprovalUpdateResult:
        """A remark on the request by its requester, an approver or an admin (audited)."""
        self._check_comment(data)
        await self._record("approval.commented", actor=data.actor.label, reason=data.text)
        return self._result()

    @comment.validator
    def _validate_comment(self, data: CommentInput) -> None:
        self._check_comment(data)

    # ---- checks (validators and handlers; they read only) -------------------------------------

    def _is_requester(self, actor: TaskActor) -> bool:
        assert self._data is not None
        return (
            actor.role == "admin"
            or (
                actor.staff_id is not None
                and actor.staff_id == self._data.requester.staff_id
                and actor.role in ("manager", "director")
            )
            or (self._data.requester.staff_id is None and actor.label == self._data.requester.label)
        )

    def _actor_task(self, actor: TaskActor, task_key: str | None) -> str:
        """The actor's open task in the current step (an admin may name one, else takes the first)."""
        run = self._current
        if self._data is None or not self._opened or run is None or self._status != PENDING:
            raise _refuse(ERR_CONFLICT, f"the request is {self._status}: nothing to decide now")
        states = self._ht_states()
        open_keys = [s.task_key for s in run.slots if s.task_key in states and states[s.task_key].outcome is None]
        if task_key is not None:
            if task_key not in open_keys:
                raise _refuse(ERR_CONFLICT, f"task {task_key!r} is not open in step {run.step.name!r}")
            candidates = [task_key]
        else:
            candidates = open_keys
        for key in candidates:
            state = states[key]
            if actor.role == "admin" or (
                actor.role in ("manager", "director")
                and actor.staff_id is not None
                and actor.staff_id in (state.assignee_id, state.delegate_id)
            ):
                return key
        if run.settled:
            raise _refuse(ERR_CONFLICT, f"step {run.step.name!r} was already decided by {run.decided_by}")
        raise _refuse(
            ERR_FORBIDDEN, f"only an approver of step {run.step.name!r}, their delegate or an admin may act on it"
        )

    def _check_decide(self, data: ApprovalDecisionInput) -> str:
        key = self._actor_task(data.actor, data.task_key)
        if data.decision == "send_back":
            assert self._current is not None
            target = data.to_step or REQUESTER
            allowed = self._current.step.send_back_to
            if target not in allowed:
                raise _refuse(
                    ERR_INVALID,
                    f"step {self._current.step.name!r} may send back only to {', '.join(allowed)}",
                    {"to_step": "not an allowed target"},
                )
        self._check_decision_fields(data)
        # The fields were checked just above; the flag lives only for this synchronous check (no state change).
        self._fields_checked = True
        try:
            self._ht_check(key, data.actor, "approval", decision=data.decision)
        finally:
            self._fields_checked = False
        return key

    def _check_decision_fields(self, data: ApprovalDecisionInput) -> None:
        """An approval carries exactly the flow's decision form (checked in the validator: nothing is written)."""
        assert self._data is not None
        form = self._data.flow.decision_form
        if data.decision != "approve" or form is None:
            if data.fields:
                raise _refuse(
                    ERR_INVALID,
                    "only an approval of a flow with a decision form carries fields",
                    {"fields": "not expected"},
                )
            return
        errors = validate_request(form, data.fields or {})
        if errors:
            raise _refuse(ERR_INVALID, "invalid decision: " + "; ".join(f"{k} {v}" for k, v in errors.items()), errors)

    def _check_add(self, data: AddApproverInput) -> str:
        key = self._actor_task(data.actor, data.task_key)
        _, slot = self._slot_of(key)
        assert slot is not None
        if data.staff_id in slot.queue or data.staff_id == (self._data.requester.staff_id if self._data else None):
            raise _refuse(
                ERR_INVALID,
                f"staff {data.staff_id} is already in this approver's line or is the requester",
                {"staff_id": "already an approver here, or the requester"},
            )
        self._ht_check(key, data.actor, "approval", decision="add_approver")
        return key

    def _check_recall(self, data: RecallApprovalInput) -> None:
        if self._data is None or not self._opened:
            raise _refuse(ERR_CONFLICT, "the request is still being opened; try again")
        if not self._is_requester(data.actor):
            raise _refuse(ERR_FORBIDDEN, "only the requester (or an admin) may recall the request")
        if self._status not in (PENDING, RETURNED) or self._recall_by is not None:
            raise _refuse(ERR_CONFLICT, f"the request is already {self._status}")
        if self._current is not None and (
            self._current.settled or any(s.closing for s in self._run_states(self._current))
        ):
            raise _refuse(ERR_CONFLICT, "a decision on the current step is being recorded; try again")

    def _check_resubmit(self, data: ResubmitInput) -> None:
        if self._data is None or not self._is_requester(data.actor):
            raise _refuse(ERR_FORBIDDEN, "only the requester (or an admin) may resubmit the request")
        if self._status != RETURNED or self._resubmitted or self._recall_by is not None:
            raise _refuse(ERR_CONFLICT, f"the request is {self._status}: only a request sent back may be resubmitted")
        if data.fields is not None:
            errors = validate_request(self._data.flow.form, data.fields)
            if errors:
                raise _refuse(
                    ERR_INVALID, "invalid fields: " + "; ".join(f"{k}: {v}" for k, v in errors.items()), errors
                )

    def _check_comment(self, data: CommentInput) -> None:
        if self._data is None or not self._opened:
            raise _refuse(ERR_CONFLICT, "the request is still being opened; try again")
        actor = data.actor
        people = {staff for run in self._runs for slot in run.slots for staff in slot.queue}
        people |= {s.delegate_id for s in self._ht_states().values() if s.delegate_id is not None}
        people |= {s.assignee_id for s in self._ht_states().values() if s.assignee_id is not None}
        if not (self._is_requester(actor) or (actor.role in ("manager", "director") and actor.staff_id in people)):
            raise _refuse(ERR_FORBIDDEN, "only the requester, an approver of this request or an admin may comment")

    # ---- state --------------------------------------------------------------------------------

    def _run_states(self, run: _StepRun) -> list[_TaskState]:
        states = self._ht_states()
        return [states[s.task_key] for s in run.slots if s.task_key in states]

    def _state(self) -> ApprovalState:
        assert self._data is not None
        flow = self._data.flow
        steps: list[StepView] = []
        for index, step in enumerate(flow.steps):
            run = next((r for r in reversed(self._runs[self._round_start :]) if r.index == index), None)
            if run is None or index in self._skipped:
                status = "skipped" if index in self._skipped else "waiting"
                steps.append(
                    StepView(
                        name=step.name,
                        title=step.title,
                        mode=step.mode_label,
                        status=status,
                        reason=self._skipped.get(index),
                    )
                )
                continue
            steps.append(
                StepView(
                    name=step.name,
                    title=step.title,
                    mode=step.mode_label,
                    status=run.status,
                    visit=run.visit,
                    approvers=[
                        SlotView(queue=list(s.queue), position=s.position, vote=s.vote, task_key=s.task_key)
                        for s in run.slots
                    ],
                    decided_by=run.decided_by,
                    reason=run.reason,
                )
            )
        return ApprovalState(
            approval_id=self._data.approval_id,
            flow=flow.flow,
            flow_version=flow.version,
            status=self._status,
            current_step=self._current.step.name if self._current else None,
            round=self._round,
            fields=self._fields,
            steps=steps,
            open_tasks=self.open_tasks(),
            outcome_reason=self._outcome_reason,
        )

    def _result(self, task_key: str | None = None) -> ApprovalUpdateResult:
        assert self._data is not None
        return ApprovalUpdateResult(
            approval_id=self._data.approval_id,
            status=self._status,
            current_step=self._current.step.name if self._current else None,
            task_key=task_key,
        )

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        if self._data is None:
            return {"status": "starting"}
        return self._state().model_dump(mode="json")

    async def _record(
        self,
        action: str,
        *,
        actor: str = "system",
        reason: str | None = None,
        final: bool = False,
        defer: bool = False,
        **details: object,
    ) -> None:
        """Audit an event and store the state; with `defer` (batched runs) it waits for the run's next write."""
        assert self._data is not None
        if self._batched:
            self._unwritten.append(
                ApprovalEvent(action=action, actor_label=actor, reason=reason, details=dict(details), final=final)
            )
            if defer:
                self._unwritten_state = self._state()
            else:
                await self._flush(self._state())
            return
        await workflow.execute_activity_method(
            ApprovalActivities.record,
            RecordApprovalInput(
                approval_id=self._data.approval_id,
                action=action,
                actor_label=actor,
                reason=reason,
                details=dict(details),
                state=self._state(),
                final=final,
            ),
            **ACTIVITY_OPTIONS,
        )

    async def _flush(self, state: ApprovalState | None = None) -> None:
        """Write the events waiting in _unwritten, in order, in one activity, with `state` (by default the state
        the last of them left), after the outcomes of the tasks that settled their steps."""
        assert self._data is not None
        events, self._unwritten = self._unwritten, []
        outcomes, self._unwritten_outcomes = self._unwritten_outcomes, []
        if not events:
            for outcome in outcomes:  # never expected (a settled step always records), but never left unwritten
                await workflow.execute_activity_method(TaskActivities.record_outcome, outcome, **ACTIVITY_OPTIONS)
                self._written_outcomes.add(outcome.task_id)
            return
        snapshot = state or self._unwritten_state or self._state()
        self._unwritten_state = None
        await workflow.execute_activity_method(
            ApprovalActivities.record_events,
            RecordApprovalEventsInput(
                approval_id=self._data.approval_id, events=events, state=snapshot, task_outcomes=outcomes
            ),
            **ACTIVITY_OPTIONS,
        )
        self._written_outcomes.update(o.task_id for o in outcomes)

    def _move(self, stage: str) -> None:
        workflow.upsert_search_attributes([SA_STAGE.value_set(stage)])


SPEC = ProcessSpec(
    name=PROCESS,
    workflows=(ApprovalWorkflow,),
    activities=(ApprovalActivities, TaskActivities),
    definition=ApprovalDefinition,
    timeline_kinds=("approval",),
    history_fields=frozenset({"title", "fields", "subject_type"}),
)
