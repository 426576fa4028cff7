"""Quarterly account review (DESIGN §3.4): a scheduled launcher, the cycle (batched fan-out) and one review per manager.

- `ReviewScheduleWorkflow` is what the Temporal Schedule starts (its id gets the scheduled time appended by the
  server, so it cannot carry the period). It computes the quarter just ended and starts `review-cycle-<period>`;
  a second start for the same period finds that id taken and starts nothing.
- `ReviewCycleWorkflow` opens the cycle row, then per run: one batch of managers → one child review each,
  started with bounded concurrency → continue-as-new with the cursor. Every run's history stays at a few
  events per manager of one batch, whatever the number of managers. Then it waits (polling the reviews table
  on a timer, not one signal per review) until every review has finished, and stores the per-team summary.
- `AccountReviewWorkflow`: KPIs → self-assessment form (manager) → supervisor decision (approve with a rating,
  or return for rework, bounded rounds); tasks that run over their due date climb the chain (director).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from temporalio import workflow
from temporalio.common import (
    RetryPolicy,
    SearchAttributeKey,
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ActivityError, WorkflowAlreadyStartedError

from workflows.options import activity_options

with workflow.unsafe.imports_passed_through():
    from activities.incentives import IncentiveActivities
    from activities.review import ReviewActivities, ReviewPlanActivities
    from activities.tasks import TaskActivities
    from crmflow.registry import ProcessSpec, ScheduleContext, ScheduledRun
    from crmflow.temporal import SA_DEFINITION_VERSION, SA_MANAGER_ID, SA_PERIOD, SA_PROCESS_TYPE, SA_STAGE
    from definitions.review import (
        AccountReviewInput,
        AccountReviewResult,
        BatchKpisRequest,
        ComputeKpisInput,
        CycleProgressInput,
        ImprovementPlanInput,
        ImprovementPlanStatus,
        MeasurePlanItemInput,
        OpenBatchInput,
        OpenCycleInput,
        OpenReviewTaskInput,
        PlanItem,
        PlanItemOutcome,
        RemindPlanItemInput,
        ReviewCycleInput,
        ReviewCycleResult,
        ReviewDefinition,
        ReviewLaunchResult,
        ReviewRef,
        ReviewStatus,
        ReviewSteps,
        SavePlanInput,
        SummarizeCycleInput,
        UpdateReviewInput,
        period_bounds,
        period_for,
    )
    from definitions.approval import (
        ApprovalInput,
        FlowDefinition,
        ProcessTasks,
        approval_workflow_id,
        outcome_of,
        process_requester,
    )
    from definitions.incentives import ComputeAwardsInput
    from definitions.tasks import OpenTaskInput, OpenTaskResult, TaskOutcome, TaskSpec, TaskView
    from temporalio.client import ScheduleOverlapPolicy
    from workflows.approval import ApprovalWorkflow
    from workflows.human_task import HumanTaskMixin, TaskOpener
    from workflows.incentives import ACTIVITY_OPTIONS as AWARD_ACTIVITY_OPTIONS

_PLAN_ITEMS = TypeAdapter(list[PlanItem])
SA_SCHEDULED_START = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
_ACTIVITY_TIMEOUT = timedelta(minutes=2)
_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1))
_OPTIONS = activity_options(_ACTIVITY_TIMEOUT, _RETRY)
# The tiering helper's cycle workflow re-evaluates one customer when given customer_id; named, not imported.
TIERING_WORKFLOW = "TieringCycleWorkflow"
_MAX_TIER_REEVALUATIONS = 100  # per review: a manager with more at-risk customers needs a full tiering run
# Waiting for the reviews to finish: a poll is ~6 events; continue-as-new long before the history grows.
_MAX_POLLS_PER_RUN = 200
# workflow.patched() id: reviews started before the supervisor's decision became an approval flow replay their
# recorded form task; new runs start the review-approval flow as a child instead.
PATCH_APPROVAL_FLOW = "review-approved-by-flow"
# workflow.patched() id of the cycle: cycles recorded before it started each review with the whole definition and
# each review computed its own KPIs (an activity per manager, queries per manager), then moved its stage and opened
# its task (two more). Now the cycle's batch activity computes the batch's KPIs set-based and hands each review its
# row with only the steps it runs on; such a review (its input decides, see AccountReviewWorkflow.run) starts at
# the self-assessment stage (no KPI activity, no stage upsert) and moves its row with the task's opening.
PATCH_BATCH_KPIS = "review-kpis-per-batch"
# Approval ids of review decisions derive from the review's id and round (replay-stable).
_APPROVAL_NAMESPACE = uuid.UUID("0b5f3a7e-8d21-5c64-a9e3-7f4d2c1b6a90")


def cycle_workflow_id(period: str, scope_staff_id: int | None = None) -> str:
    """The business-key id of a period's cycle: one per period (and per director for a subtree's own cycle)."""
    return f"review-cycle-{period}" if scope_staff_id is None else f"review-cycle-{period}-s{scope_staff_id}"


def _version(definition: ReviewDefinition) -> str:
    return f"{definition.version}:{definition.content_hash}"


@workflow.defn
class ReviewScheduleWorkflow:
    """Started by the quarterly schedule: starts the cycle of the quarter just ended, once per period."""

    def __init__(self) -> None:
        self._launched: ReviewLaunchResult | None = None

    @workflow.query(name="status")
    def status(self) -> ReviewLaunchResult | None:
        return self._launched

    @workflow.run
    async def run(self, data: ReviewCycleInput) -> ReviewLaunchResult:
        # The schedule stamps the nominal time on the run; a manual trigger stamps "now". Both are in the
        # history (search attributes of the start event), so replay computes the same period.
        moment = workflow.info().typed_search_attributes.get(SA_SCHEDULED_START) or workflow.info().start_time
        period = data.period or period_for(moment, data.timezone)
        cycle_id = cycle_workflow_id(period)
        try:
            await workflow.start_child_workflow(
                ReviewCycleWorkflow.run,
                data.model_copy(update={"period": period}),
                id=cycle_id,
                # REJECT_DUPLICATE: a cycle that already ran for this period (running or closed) blocks the id.
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                # ABANDON: the launcher finishes at once; the cycle lives on for weeks.
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(SA_PROCESS_TYPE, "review-cycle"),
                        SearchAttributePair(SA_PERIOD, period),
                        SearchAttributePair(SA_STAGE, "dispatching"),
                        SearchAttributePair(SA_DEFINITION_VERSION, _version(data.definition)),
                    ]
                ),
            )
        except WorkflowAlreadyStartedError:
            workflow.logger.info("review cycle %s already exists: nothing started", cycle_id)
            self._launched = ReviewLaunchResult(period=period, workflow_id=cycle_id, started=False)
            return self._launched
        self._launched = ReviewLaunchResult(period=period, workflow_id=cycle_id, started=True)
        return self._launched


@workflow.defn
class ReviewCycleWorkflow:
    """One period's cycle: fan out the reviews in batches (continue-as-new between them), wait, summarize."""

    def __init__(self) -> None:
        self._stage = "dispatching"
        self._dispatched = 0

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return {"stage": self._stage, "dispatched": self._dispatched}

    @workflow.run
    async def run(self, data: ReviewCycleInput) -> ReviewCycleResult:
        definition = data.definition
        period = data.period or period_for(workflow.now(), data.timezone)
        start, end = period_bounds(period, data.timezone)
        self._dispatched = data.dispatched
        if data.cycle_id is None:
            opened = await workflow.execute_activity_method(
                ReviewActivities.open_cycle,
                OpenCycleInput(
                    period=period,
                    period_start=start,
                    period_end=end,
                    workflow_id=workflow.info().workflow_id,
                    started_by=data.started_by,
                    definition_version=_version(definition),
                    scope_staff_id=data.scope_staff_id,
                ),
                **_OPTIONS,
            )
            data = data.model_copy(update={"cycle_id": opened.cycle_id, "period": period})
        cycle_id = data.cycle_id
        assert cycle_id is not None

        if not data.dispatch_done:
            self._set_stage("dispatching")
            kpis = (
                BatchKpisRequest(
                    period_start=start,
                    period_end=end,
                    at_risk=definition.at_risk,
                    # The reviews that start tier re-evaluations need the ids (as many as each re-evaluates).
                    at_risk_ids=_MAX_TIER_REEVALUATIONS
                    if definition.at_risk.start_tier_reevaluations and data.tiering_definition
                    else 0,
                )
                if workflow.patched(PATCH_BATCH_KPIS)
                else None
            )
            batch = await workflow.execute_activity_method(
                ReviewActivities.open_batch,
                OpenBatchInput(
                    cycle_id=cycle_id,
                    period=period,
                    after_manager_id=data.cursor,
                    limit=definition.batch_size,
                    scope_staff_id=data.scope_staff_id,
                    kpis=kpis,
                ),
                **_OPTIONS,
            )
            await self._start_reviews(batch.reviews, data, start, end)
            self._dispatched += len(batch.reviews)
            data = data.model_copy(update={"cursor": batch.cursor, "dispatched": self._dispatched})
            if not batch.exhausted:
                # Next batch in a fresh run: the children are ABANDON, so they outlive this run.
                workflow.continue_as_new(data)
            data = data.model_copy(update={"dispatch_done": True})

        self._set_stage("waiting")
        polls = 0
        while True:
            progress = await workflow.execute_activity_method(
                ReviewActivities.cycle_progress,
                CycleProgressInput(cycle_id=cycle_id),
                **_OPTIONS,
            )
            if progress.open == 0:
                break
            polls += 1
            if polls >= _MAX_POLLS_PER_RUN:
                workflow.continue_as_new(data)
            await workflow.sleep(definition.completion_check_interval)

        self._set_stage("summarizing")
        summary = await workflow.execute_activity_method(
            ReviewActivities.summarize_cycle,
            SummarizeCycleInput(cycle_id=cycle_id),
            **_OPTIONS,
        )
        # Cycle close computes the period's incentive awards (DESIGN §3.8). Patched: cycles recorded before
        # awards existed replay without this step.
        if workflow.patched("incentive-awards-at-cycle-close"):
            self._set_stage("awarding")
            try:
                await workflow.execute_activity_method(
                    IncentiveActivities.compute_awards,
                    ComputeAwardsInput(
                        period=period,
                        period_start=start,
                        period_end=end,
                        timezone=data.timezone,
                        scope_staff_id=data.scope_staff_id,
                        started_by=data.started_by,
                    ),
                    **AWARD_ACTIVITY_OPTIONS,
                )
            except ActivityError as exc:
                # Broken rules must not undo a finished cycle: the awards can be computed later by hand.
                workflow.logger.warning("awards for %s not computed: %s", period, exc.cause or exc)
        self._set_stage("done")
        return ReviewCycleResult(period=period, cycle_id=cycle_id, reviews=self._dispatched, summary=summary)

    def _set_stage(self, stage: str) -> None:
        self._stage = stage
        workflow.upsert_search_attributes([SA_STAGE.value_set(stage)])

    async def _start_reviews(
        self, refs: list[ReviewRef], data: ReviewCycleInput, start: datetime, end: datetime
    ) -> None:
        """Start one child per manager, at most `concurrency` start requests in flight at a time."""
        definition = data.definition
        steps = ReviewSteps.of(definition)
        for offset in range(0, len(refs), definition.concurrency):
            group = refs[offset : offset + definition.concurrency]
            await asyncio.gather(*(self._start_review(ref, data, steps, start, end) for ref in group))

    async def _start_review(
        self, ref: ReviewRef, data: ReviewCycleInput, steps: ReviewSteps, start: datetime, end: datetime
    ) -> None:
        assert data.period is not None and data.cycle_id is not None
        common: dict[str, Any] = {
            "cycle_id": data.cycle_id,
            "review_id": ref.review_id,
            "period": data.period,
            "period_start": start,
            "period_end": end,
            "manager_id": ref.manager_id,
            "supervisor_id": ref.supervisor_id,
        }
        if ref.kpis is not None:  # the batch computed its KPIs (PATCH_BATCH_KPIS): the slim input
            at_risk = ref.kpis.at_risk_customer_ids
            tiering = data.tiering_definition if at_risk else None
            review = AccountReviewInput(**common, steps=steps, kpis=ref.kpis, tiering_definition=tiering)
        else:
            review = AccountReviewInput(
                **common, definition=data.definition, tiering_definition=data.tiering_definition
            )
        try:
            await workflow.start_child_workflow(
                AccountReviewWorkflow.run,
                review,
                id=ref.workflow_id,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(SA_PROCESS_TYPE, "review"),
                        # With its KPIs in the input the review starts at its self-assessment.
                        SearchAttributePair(SA_STAGE, "kpis" if ref.kpis is None else "self_assessment"),
                        SearchAttributePair(SA_MANAGER_ID, str(ref.manager_id)),
                        SearchAttributePair(SA_PERIOD, data.period),
                        SearchAttributePair(SA_DEFINITION_VERSION, _version(data.definition)),
                    ]
                ),
            )
        except WorkflowAlreadyStartedError:
            # A rerun of this batch (e.g. after a reset): that manager's review already exists.
            pass


def _approval_form(steps: ReviewSteps) -> dict[str, Any]:
    """The supervisor's decision is a form: approve (with a rating) or return for rework (with a comment)."""
    return {
        "fields": {
            "approved": {"type": "boolean", "required": True, "label": "Approve (false = return for rework)"},
            "rating": {
                "type": "integer",
                "min": steps.rating_min,
                "max": steps.rating_max,
                "label": "Rating",
            },
            "comment": {"type": "string", "label": "Feedback"},
        }
    }


@workflow.defn
class AccountReviewWorkflow(HumanTaskMixin):
    """One manager's quarterly review."""

    def __init__(self) -> None:
        self._stage = "kpis"
        self._status = "open"
        self._rounds = 0
        self._review_id = 0
        self._tier_reevaluations: list[str] = []
        self._batched = False  # PATCH_BATCH_KPIS: KPIs from the cycle's batch, stage moved with the task's opening
        self._stage_attribute = "kpis"  # the stage search attribute as last set (at the start or upserted)

    @workflow.query(name="status")
    def review_status(self) -> ReviewStatus:
        return ReviewStatus(
            review_id=self._review_id, stage=self._stage, status=self._status, rework_rounds=self._rounds
        )

    @workflow.query(name="review.open_tasks")
    def pending_tasks(self) -> list[TaskView]:
        return self.open_tasks()

    @workflow.run
    async def run(self, data: AccountReviewInput) -> AccountReviewResult:
        steps = data.review_steps()
        self._review_id = data.review_id
        # PATCH_BATCH_KPIS: a review whose input carries its KPIs (the cycle computed its batch's) runs no KPI
        # activity, was started at the self-assessment stage, and moves its row with each self-assessment task.
        # The cycle's patched() guards this change; here the input decides: no review recorded before the patch
        # has `kpis` in its input (its code had no such field), so no history replays into the new branch, and a
        # patched() call would cost every review a marker and a TemporalChangeVersion upsert (two events).
        self._batched = data.kpis is not None
        if self._batched:
            assert data.kpis is not None
            self._stage = self._stage_attribute = "self_assessment"
            kpis = data.kpis.shown()
            at_risk_ids = data.kpis.at_risk_customer_ids
        else:
            assert data.definition is not None  # reviews started before the patch carry the whole definition
            computed = await workflow.execute_activity_method(
                ReviewActivities.compute_kpis,
                ComputeKpisInput(
                    review_id=data.review_id,
                    manager_id=data.manager_id,
                    period_start=data.period_start,
                    period_end=data.period_end,
                    at_risk=data.definition.at_risk,
                ),
                **_OPTIONS,
            )
            kpis = computed.kpis.model_dump()
            kpis["at_risk_customers"] = len(computed.at_risk_customer_ids)
            at_risk_ids = computed.at_risk_customer_ids
        if steps.start_tier_reevaluations and data.tiering_definition and at_risk_ids:
            await self._start_tier_reevaluations(data, at_risk_ids)
        feedback: str | None = None
        while True:
            round_no = self._rounds + 1
            move = UpdateReviewInput(
                review_id=data.review_id,
                stage="self_assessment",
                rework_rounds=self._rounds,
                reason="self-assessment requested" if round_no == 1 else "returned for rework",
            )
            opener: TaskOpener | None = None
            if self._batched:
                self._show_stage(move.stage)
                opener = self._open_with_move(move)
            else:
                await self._move(data, move.stage, rework_rounds=move.rework_rounds, reason=move.reason)
            assessment = await self.run_task(
                TaskSpec(
                    task_key=f"self-assessment-{round_no}",
                    kind="form",
                    title=f"Self-assessment {data.period}" + (f" (rework {self._rounds})" if self._rounds else ""),
                    process_type="review",
                    assignee_id=data.manager_id,
                    requester_id=data.supervisor_id,
                    form=steps.form_spec(),
                    context={"period": data.period, "kpis": kpis, "feedback": feedback, "round": round_no},
                    due_in=steps.self_assessment_due,
                    reminders_before=list(steps.reminders_before),
                    escalation_levels=steps.escalation_levels,
                    final_outcome="expire",
                ),
                open_with=opener,
            )
            if assessment.outcome != "completed":
                return await self._finish(
                    data, _ended_status(assessment), assessment, reason=f"self-assessment {assessment.outcome}"
                )
            await self._move(
                data,
                "supervisor_approval",
                self_assessment=assessment.data,
                actor=_who(assessment),
                reason="self-assessment submitted",
            )
            if data.supervisor_id is None:
                return await self._finish(data, "approved", assessment, reason="no supervisor to approve")
            flow = steps.approval_flow
            if flow is not None and workflow.patched(PATCH_APPROVAL_FLOW):
                decision = await self._approve_by_flow(data, flow, kpis, assessment.data or {}, round_no)
                if decision.outcome == "approved":
                    answer = decision.data or {}
                    result = await self._finish(
                        data,
                        "approved",
                        decision,
                        rating=answer.get("rating"),
                        comment=answer.get("comment"),
                        reason="approved by the supervisor",
                    )
                    if answer.get("plan"):
                        await self._start_plan(data, answer["plan"])
                    return result
                if decision.outcome != "rejected":
                    return await self._finish(
                        data, _ended_status(decision), decision, reason=f"supervisor approval {decision.outcome}"
                    )
                feedback = decision.comment
                self._rounds += 1
                if self._rounds > steps.max_rework_rounds:
                    return await self._finish(
                        data,
                        "not_approved",
                        decision,
                        comment=feedback,
                        reason=f"returned more than {steps.max_rework_rounds} times",
                    )
                continue
            decision = await self.run_task(
                TaskSpec(
                    task_key=f"approval-{round_no}",
                    kind="form",
                    title=f"Approve the {data.period} review of staff {data.manager_id}",
                    process_type="review",
                    assignee_id=data.supervisor_id,
                    form=_approval_form(steps),
                    context={
                        "period": data.period,
                        "manager_id": data.manager_id,
                        "kpis": kpis,
                        "self_assessment": assessment.data,
                        "round": round_no,
                    },
                    due_in=steps.approval_due,
                    reminders_before=list(steps.reminders_before),
                    escalation_levels=steps.escalation_levels,
                    final_outcome="expire",
                )
            )
            if decision.outcome != "completed":
                return await self._finish(
                    data, _ended_status(decision), decision, reason=f"supervisor approval {decision.outcome}"
                )
            answer = decision.data or {}
            feedback = answer.get("comment") or decision.comment
            if answer.get("approved"):
                return await self._finish(
                    data,
                    "approved",
                    decision,
                    rating=answer.get("rating"),
                    comment=feedback,
                    reason="approved by the supervisor",
                )
            self._rounds += 1
            if self._rounds > steps.max_rework_rounds:
                return await self._finish(
                    data,
                    "not_approved",
                    decision,
                    comment=feedback,
                    reason=f"returned more than {steps.max_rework_rounds} times",
                )

    async def _approve_by_flow(
        self,
        data: AccountReviewInput,
        flow: FlowDefinition,
        kpis: dict[str, Any],
        assessment: dict[str, Any],
        round_no: int,
    ) -> TaskOutcome:
        """Run the review-approval flow as an ApprovalWorkflow child; its tasks are filed under this review."""
        approval_id = str(uuid.uuid5(_APPROVAL_NAMESPACE, f"{data.review_id}:approval:{round_no}"))
        title = f"Approve the {data.period} review of staff {data.manager_id}"
        result = await workflow.execute_child_workflow(
            ApprovalWorkflow.run,
            ApprovalInput(
                approval_id=approval_id,
                flow=flow,
                title=title,
                fields={"period": data.period, "manager_id": data.manager_id, "round": round_no},
                # The manager files the review: the flow routes it up their chain (their supervisor).
                requester=process_requester(f"manager:staff:{data.manager_id}", data.manager_id),
                subject_type="none",
                subject_id=str(data.review_id),
                process=ProcessTasks(
                    workflow_id=workflow.info().workflow_id,
                    process_type="review",
                    key_prefix=f"approval-{round_no}",
                    title=title,
                    context={
                        "period": data.period,
                        "manager_id": data.manager_id,
                        "kpis": kpis,
                        "self_assessment": assessment,
                        "round": round_no,
                        "review_id": data.review_id,
                    },
                    # The manager may not withdraw their review from the supervisor by recalling the task.
                    recall_by_task=False,
                ),
            ),
            id=approval_workflow_id(approval_id),
        )
        return outcome_of(result, f"approval-{round_no}")

    async def _start_plan(self, data: AccountReviewInput, plan_json: str) -> None:
        """Hand the improvement plan to its own small workflow: it outlives the review by months of timers."""
        items = _PLAN_ITEMS.validate_json(plan_json)  # checked by the review API before the approval took it
        try:
            await self._start_plan_child(data, items)
        except WorkflowAlreadyStartedError:
            workflow.logger.info("the plan of review %s already runs", data.review_id)  # a reset re-ran this

    async def _start_plan_child(self, data: AccountReviewInput, items: list[PlanItem]) -> None:
        await workflow.start_child_workflow(
            ImprovementPlanWorkflow.run,
            ImprovementPlanInput(
                review_id=data.review_id,
                manager_id=data.manager_id,
                period=data.period,
                period_end=data.period_end,
                items=items,
                reminder_before=data.review_steps().plan_reminder_before,
            ),
            id=plan_workflow_id(workflow.info().workflow_id),
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            # ABANDON: the plan is tracked until its last due date, long after the review closed.
            parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(SA_PROCESS_TYPE, "review-plan"),
                    SearchAttributePair(SA_STAGE, "tracking"),
                    SearchAttributePair(SA_MANAGER_ID, str(data.manager_id)),
                    SearchAttributePair(SA_PERIOD, data.period),
                ]
            ),
        )

    async def _start_tier_reevaluations(self, data: AccountReviewInput, customer_ids: list[int]) -> None:
        """Re-evaluate the tier of each at-risk customer (tiering's on-demand evaluation, started by type name)."""
        for customer_id in customer_ids[:_MAX_TIER_REEVALUATIONS]:
            cycle_id = f"review-{data.period}-{customer_id}"
            try:
                await workflow.start_child_workflow(
                    TIERING_WORKFLOW,
                    {"definition": data.tiering_definition, "customer_id": customer_id, "cycle_id": cycle_id},
                    id=f"tiering-{cycle_id}",
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                    # ABANDON: the re-evaluation (and any tier change it opens) outlives this review.
                    parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                )
            except WorkflowAlreadyStartedError:
                continue
            self._tier_reevaluations.append(f"tiering-{cycle_id}")
        await self._move(
            data,
            "kpis",
            reason="tier re-evaluations of at-risk customers: " + (", ".join(self._tier_reevaluations) or "none new"),
        )

    def _show_stage(self, stage: str) -> None:
        """The stage in the query and the search attribute (patched reviews skip an upsert that changes nothing)."""
        self._stage = stage
        if not self._batched or stage != self._stage_attribute:
            workflow.upsert_search_attributes([SA_STAGE.value_set(stage)])
            self._stage_attribute = stage

    def _open_with_move(self, move: UpdateReviewInput) -> TaskOpener:
        """Open a task with the review's stage move in one activity (PATCH_BATCH_KPIS)."""

        async def open_with(opening: OpenTaskInput) -> OpenTaskResult:
            return await workflow.execute_activity_method(
                ReviewActivities.open_review_task, OpenReviewTaskInput(move=move, task=opening), **_OPTIONS
            )

        return open_with

    async def _move(
        self, data: AccountReviewInput, stage: str, *, actor: str = "system", reason: str | None = None, **fields: Any
    ) -> None:
        self._show_stage(stage)
        await workflow.execute_activity_method(
            ReviewActivities.update_review,
            UpdateReviewInput(review_id=data.review_id, stage=stage, actor=actor, reason=reason, **fields),
            **_OPTIONS,
        )

    async def _finish(
        self,
        data: AccountReviewInput,
        status: str,
        outcome: TaskOutcome,
        *,
        reason: str,
        rating: int | None = None,
        comment: str | None = None,
    ) -> AccountReviewResult:
        self._status = status
        await self._move(
            data,
            "done",
            status=status,
            rework_rounds=self._rounds,
            rating=rating,
            decided_by=outcome.decided_by,
            comment=comment,
            actor=_who(outcome),
            reason=reason,
            completed=True,
        )
        return AccountReviewResult(
            review_id=data.review_id,
            status=status,
            rating=rating,
            rework_rounds=self._rounds,
            tier_reevaluations=self._tier_reevaluations,
        )


def plan_workflow_id(review_workflow_id: str) -> str:
    """The plan's business-key id: its review's (period and manager), so one plan per review."""
    return f"{review_workflow_id}-plan"


@workflow.defn
class ImprovementPlanWorkflow:
    """One approved review's improvement plan: per item (by due date) a reminder to the manager before it is due,
    then the metric measured from the KPI catalogue when due (met or missed). A workflow of its own rather than
    timers in the review: the review closes when approved (its cycle can sum up), while this history stays a few
    events per item over the months the plan runs."""

    def __init__(self) -> None:
        self._status = ImprovementPlanStatus(review_id=0)

    @workflow.query(name="status")
    def status(self) -> ImprovementPlanStatus:
        return self._status

    @workflow.run
    async def run(self, data: ImprovementPlanInput) -> ImprovementPlanStatus:
        self._status = ImprovementPlanStatus(review_id=data.review_id, open_items=len(data.items))
        refs = await workflow.execute_activity_method(
            ReviewPlanActivities.save_plan,
            SavePlanInput(review_id=data.review_id, manager_id=data.manager_id, items=data.items),
            **_OPTIONS,
        )
        for ref in sorted(refs, key=lambda r: (r.due_on, r.position)):
            # Due at the start of the due date (UTC), measured over [the reviewed period's end, due).
            due = datetime.combine(ref.due_on, datetime.min.time(), tzinfo=UTC)
            remind_at = due - data.reminder_before
            if remind_at > workflow.now():
                await workflow.sleep(remind_at - workflow.now())
            if due > workflow.now():  # an item already due when the plan starts needs no reminder
                await workflow.execute_activity_method(
                    ReviewPlanActivities.remind,
                    RemindPlanItemInput(item_id=ref.item_id),
                    **_OPTIONS,
                )
                await workflow.sleep(due - workflow.now())
            outcome: PlanItemOutcome = await workflow.execute_activity_method(
                ReviewPlanActivities.measure,
                MeasurePlanItemInput(item_id=ref.item_id, since=data.period_end),
                **_OPTIONS,
            )
            self._status.items.append(outcome)
            self._status.open_items -= 1
        workflow.upsert_search_attributes([SA_STAGE.value_set("done")])
        return self._status


def _ended_status(outcome: TaskOutcome) -> str:
    """A task that ended without an answer: overdue after the chain timed out, or recalled/cancelled."""
    return "overdue" if outcome.outcome == "expired" else outcome.outcome


def _who(outcome: TaskOutcome) -> str:
    return f"staff:{outcome.decided_by}" if outcome.decided_by is not None else "system"


def cycle_input(definition: ReviewDefinition, context: ScheduleContext) -> ReviewCycleInput:
    """A cycle's input: the definition, its schedule's time zone and, when its switch is on, the tiering snapshot."""
    tiering = context.definitions.get("tiering") if definition.at_risk.start_tier_reevaluations else None
    return ReviewCycleInput(
        definition=definition,
        timezone=definition.schedule.timezone or context.timezone,
        tiering_definition=tiering.model_dump(mode="json") if tiering is not None else None,
    )


SPEC = ProcessSpec(
    name="review",
    workflows=(ReviewScheduleWorkflow, ReviewCycleWorkflow, AccountReviewWorkflow, ImprovementPlanWorkflow),
    activities=(ReviewActivities, ReviewPlanActivities, TaskActivities),
    definition=ReviewDefinition,
    process_types=("review", "review-cycle", "review-plan"),
    schedules=(
        # SKIP: the scheduled run is a launcher that only starts `review-cycle-<period>` (seconds), and a
        # period gets one cycle anyway; buffering a quarterly start behind a stuck one adds nothing.
        ScheduledRun(
            schedule_id="review-quarterly",
            workflow=ReviewScheduleWorkflow,
            workflow_id="review-schedule",
            overlap=ScheduleOverlapPolicy.SKIP,
            build_input=cycle_input,
            description="Quarterly account reviews for the quarter just ended",
            process_type="review-cycle",  # the run only launches the period's cycle
        ),
    ),
    timeline_kinds=("review",),
    history_fields=frozenset({"period", "cycle_id", "rating"}),
)
