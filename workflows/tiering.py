"""Tier re-evaluation (DESIGN §3.3): a scoring cycle, then one tier change per customer whose tier moves."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any, cast

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

from workflows.approval import ApprovalWorkflow
from workflows.options import ActivityOptions, activity_options
from workflows.human_task import HumanTaskMixin

with workflow.unsafe.imports_passed_through():
    from activities.tasks import TaskActivities
    from activities.tiering import TieringActivities
    from crmflow.registry import ProcessSpec, ScheduledRun
    from crmflow.temporal import SA_CUSTOMER_ID, SA_MANAGER_ID, SA_PERIOD, SA_PROCESS_TYPE, SA_STAGE, SA_TIER
    from definitions.base import local_date
    from definitions.approval import (
        ApprovalInput,
        FlowDefinition,
        ProcessTasks,
        approval_workflow_id,
        outcome_of,
        process_requester,
    )
    from definitions.tasks import TaskOutcome, TaskSpec
    from definitions.tiering import (
        CompleteChangeInput,
        DecisionInput,
        ManualOwnerInput,
        NextProposalsInput,
        PrepareChangeInput,
        Proposal,
        ReassignInput,
        ScoreResult,
        ScoreInput,
        TierChangeInput,
        TierChangeResult,
        TieringCycleInput,
        TieringCycleResult,
        TieringDefinition,
    )
    from temporalio.client import ScheduleOverlapPolicy

PROCESS = "tiering"
# workflow.patched() id: a tier change's approval runs the definition's approval flow (an ApprovalWorkflow child)
# instead of one task for the approver prepare_change picked. Runs started before have no flow in their
# definition snapshot and no marker in their history, so they replay the task's commands.
PATCH_APPROVAL_FLOW = "tier-change-approval-by-flow"
# The approval id of a tier change derives from its cycle and customer, as its workflow id does (replay-stable).
_APPROVAL_NAMESPACE = uuid.UUID("9e8d7c6b-5a49-5382-a1b0-c9d8e7f6a5b4")
ACTIVITY_OPTIONS: ActivityOptions = activity_options(
    timedelta(seconds=60), RetryPolicy(maximum_interval=timedelta(minutes=5))
)
# The full scoring pass is long but heartbeats after every chunk: a dead worker is noticed within
# the heartbeat timeout and the retry resumes from the last committed chunk.
SCORE_OPTIONS: ActivityOptions = activity_options(
    timedelta(hours=2), RetryPolicy(maximum_interval=timedelta(minutes=2)), heartbeat=timedelta(minutes=2)
)
PAGE = 100
HANDOVER_OUT_FORM = {
    "fields": {
        "notes": {"type": "string", "required": True, "min": 1, "max": 4000, "label": "Handover notes"},
        "open_items": {"type": "string", "required": False, "max": 4000, "label": "Open items"},
    }
}
HANDOVER_IN_FORM = {
    "fields": {
        "acknowledged": {"type": "boolean", "required": True, "label": "I have taken over the customer"},
        "notes": {"type": "string", "required": False, "max": 4000},
    }
}
OWNER_FORM = {"fields": {"owner_id": {"type": "integer", "required": True, "min": 1, "label": "Owner (staff id)"}}}


def cycle_workflow_id(cycle_id: str) -> str:
    """The business-key id of a cycle: one per period (or per on-demand evaluation)."""
    return f"{PROCESS}-{cycle_id}"


def tier_change_workflow_id(customer_id: int, cycle_id: str) -> str:
    """One tier change per customer and cycle."""
    return f"tier-change-{customer_id}-{cycle_id}"


@workflow.defn
class TieringCycleWorkflow:
    """Score every customer (one heartbeating activity), then start a TierChangeWorkflow per proposal."""

    def __init__(self) -> None:
        self._stage = "scoring"
        self._started = 0

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return {"stage": self._stage, "tier_changes_started": self._started}

    @workflow.run
    async def run(self, data: TieringCycleInput) -> TieringCycleResult:
        # as_of and cycle_id come from the workflow clock, so a scheduled run needs no arguments
        # but the definition; they are pinned in the input before any continue-as-new.
        if data.as_of is None and data.timezone and workflow.patched("dates-in-company-timezone"):
            # The company's day, not UTC's (versioned: runs recorded before this keep the UTC date).
            as_of = local_date(workflow.now(), data.timezone)
        else:
            as_of = data.as_of or workflow.now().date()
        cycle_id = data.cycle_id or as_of.isoformat()
        self._started = data.started
        workflow.upsert_search_attributes(
            [
                SA_PROCESS_TYPE.value_set(PROCESS),
                SA_PERIOD.value_set(cycle_id),
                SA_STAGE.value_set("scoring"),
            ]
        )
        scored = data.scored
        if scored is None:
            scored = cast(
                ScoreResult,
                await workflow.execute_activity_method(
                    TieringActivities.score,
                    ScoreInput(
                        cycle_id=cycle_id, as_of=as_of, definition=data.definition, customer_id=data.customer_id
                    ),
                    **SCORE_OPTIONS,
                ),
            )  # the options dict hides the activity's return type
        self._move("starting_changes")

        if data.customer_id is not None:
            evaluation = scored.evaluation
            child_id = None
            if evaluation is not None and evaluation.proposed:
                child_id = await self._start_change(
                    data,
                    cycle_id,
                    Proposal(
                        customer_id=evaluation.customer_id,
                        from_tier=evaluation.current_tier,
                        to_tier=evaluation.target_tier,
                        score=evaluation.score or 0.0,
                    ),
                )
            self._move("done")
            return TieringCycleResult(
                cycle_id=cycle_id,
                scored=scored.scored,
                proposals=scored.proposals,
                tier_changes_started=self._started,
                evaluation=evaluation,
                tier_change_process_id=child_id,
            )

        after = data.after_customer_id
        started_this_run = 0
        while True:
            page = await workflow.execute_activity_method(
                TieringActivities.next_proposals,
                NextProposalsInput(cycle_id=cycle_id, after_customer_id=after, limit=PAGE),
                **ACTIVITY_OPTIONS,
            )
            if not page.proposals:
                break
            for proposal in page.proposals:
                await self._start_change(data, cycle_id, proposal)
                after = proposal.customer_id
                started_this_run += 1
            if started_this_run >= data.definition.children_per_run:
                # Each child start adds events; a fresh run keeps the history bounded however many move.
                workflow.continue_as_new(
                    data.model_copy(
                        update={
                            "as_of": as_of,
                            "cycle_id": cycle_id,
                            "scored": scored,
                            "after_customer_id": after,
                            "started": self._started,
                        }
                    )
                )
        self._move("done")
        return TieringCycleResult(
            cycle_id=cycle_id,
            scored=scored.scored,
            proposals=scored.proposals,
            tier_changes_started=self._started,
        )

    async def _start_change(self, data: TieringCycleInput, cycle_id: str, proposal: Proposal) -> str:
        child_id = tier_change_workflow_id(proposal.customer_id, cycle_id)
        try:
            # ABANDON: approvals take days; the cycle finishes once every change has started,
            # and may continue-as-new in between without cancelling them.
            await workflow.start_child_workflow(
                TierChangeWorkflow.run,
                TierChangeInput(
                    cycle_id=cycle_id,
                    customer_id=proposal.customer_id,
                    from_tier=proposal.from_tier,
                    to_tier=proposal.to_tier,
                    score=proposal.score,
                    definition=data.definition,
                ),
                id=child_id,
                parent_close_policy=ParentClosePolicy.ABANDON,
            )
            self._started += 1
        except WorkflowAlreadyStartedError:
            pass  # started by an earlier run of this cycle
        return child_id

    def _move(self, stage: str) -> None:
        self._stage = stage
        workflow.upsert_search_attributes([SA_STAGE.value_set(stage)])


@workflow.defn
class TierChangeWorkflow(HumanTaskMixin):
    """One customer's tier move: approval → apply → reassign → handover → notify."""

    def __init__(self) -> None:
        super().__init__()
        self._stage = "preparing"
        self._approval_workflow_id: str | None = None

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return {
            "stage": self._stage,
            "open_tasks": [t.model_dump(mode="json") for t in self.open_tasks()],
            "approval_workflow_id": self._approval_workflow_id,
        }

    @workflow.run
    async def run(self, data: TierChangeInput) -> TierChangeResult:
        definition = data.definition
        workflow.upsert_search_attributes(
            [
                SA_PROCESS_TYPE.value_set("tier_change"),
                SA_CUSTOMER_ID.value_set(str(data.customer_id)),
                SA_TIER.value_set(str(data.to_tier)),
                SA_PERIOD.value_set(data.cycle_id),
                SA_STAGE.value_set("preparing"),
            ]
        )
        prepared = await workflow.execute_activity_method(
            TieringActivities.prepare_change,
            PrepareChangeInput(
                cycle_id=data.cycle_id, customer_id=data.customer_id, from_tier=data.from_tier, to_tier=data.to_tier
            ),
            **ACTIVITY_OPTIONS,
        )
        if not prepared.proceed or prepared.approver_id is None:
            self._move("skipped")
            return TierChangeResult(
                customer_id=data.customer_id, outcome="skipped", tier=data.from_tier, owner_id=prepared.owner_id
            )
        if prepared.owner_id is not None:
            workflow.upsert_search_attributes([SA_MANAGER_ID.value_set(str(prepared.owner_id))])

        self._move("approval")
        direction = "upgrade" if data.to_tier < data.from_tier else "downgrade"
        title = f"Tier {direction} for {prepared.customer_name}: tier {data.from_tier} → {data.to_tier}"
        context = {
            "from_tier": data.from_tier,
            "to_tier": data.to_tier,
            "score": round(data.score, 4),
            "direction": direction,
            "cycle": data.cycle_id,
        }
        flow = definition.flows.get(definition.approval_flow) if definition.approval_flow else None
        if flow is not None and workflow.patched(PATCH_APPROVAL_FLOW):
            approval = await self._approve_by_flow(data, flow, title, context, prepared.owner_id)
        else:
            approval = await self.run_task(
                TaskSpec(
                    task_key="approval",
                    kind="approval",
                    process_type=PROCESS,
                    title=title,
                    assignee_id=prepared.approver_id,
                    customer_id=data.customer_id,
                    context=context,
                    due_in=definition.approval.due_in,
                    reminders_before=list(definition.approval.reminders_before),
                    escalation_levels=definition.approval.escalation_levels,
                    final_outcome=definition.approval.final_outcome,
                )
            )
        decision = await workflow.execute_activity_method(
            TieringActivities.record_decision,
            DecisionInput(
                cycle_id=data.cycle_id,
                customer_id=data.customer_id,
                from_tier=data.from_tier,
                to_tier=data.to_tier,
                outcome=approval.outcome,
                decided_by=approval.decided_by,
                comment=approval.comment,
                cooldown=definition.cooldown_after_rejection,
            ),
            **ACTIVITY_OPTIONS,
        )
        if approval.outcome != "approved":
            outcome = "rejected" if approval.outcome == "rejected" else "expired"
            self._move(outcome)
            return TierChangeResult(
                customer_id=data.customer_id,
                outcome=outcome,
                tier=decision.tier,
                owner_id=prepared.owner_id,
                cooldown_until=decision.cooldown_until,
            )

        self._move("reassigning")
        reassigned = await workflow.execute_activity_method(
            TieringActivities.reassign_owner,
            ReassignInput(cycle_id=data.cycle_id, customer_id=data.customer_id, to_tier=data.to_tier),
            **ACTIVITY_OPTIONS,
        )
        owner_id, previous_owner_id, changed = reassigned.owner_id, reassigned.previous_owner_id, reassigned.changed
        if reassigned.manual_assignment_needed and reassigned.director_id is not None:
            manual = await self._assign_by_hand(data, prepared.customer_name, reassigned.director_id)
            if manual is not None:
                owner_id, previous_owner_id, changed = manual
        if owner_id is not None:
            workflow.upsert_search_attributes([SA_MANAGER_ID.value_set(str(owner_id))])

        if changed:
            self._move("handover")
            await self._handover(data, prepared.customer_name, old_owner=previous_owner_id, new_owner=owner_id)

        await workflow.execute_activity_method(
            TieringActivities.complete_change,
            CompleteChangeInput(
                cycle_id=data.cycle_id,
                customer_id=data.customer_id,
                outcome="applied",
                owner_id=owner_id,
                previous_owner_id=previous_owner_id,
                to_tier=data.to_tier,
            ),
            **ACTIVITY_OPTIONS,
        )
        self._move("applied")
        return TierChangeResult(
            customer_id=data.customer_id,
            outcome="applied",
            tier=data.to_tier,
            owner_id=owner_id,
            previous_owner_id=previous_owner_id,
        )

    async def _approve_by_flow(
        self, data: TierChangeInput, flow: FlowDefinition, title: str, context: dict[str, Any], owner_id: int | None
    ) -> TaskOutcome:
        """Run the tier-change flow as an ApprovalWorkflow child; its tasks are filed under this tier change."""
        workflow_id = workflow.info().workflow_id
        approval_id = str(uuid.uuid5(_APPROVAL_NAMESPACE, f"{data.cycle_id}:{data.customer_id}"))
        self._approval_workflow_id = approval_workflow_id(approval_id)
        result = await workflow.execute_child_workflow(
            ApprovalWorkflow.run,
            ApprovalInput(
                approval_id=approval_id,
                flow=flow,
                title=title[:300],
                fields=dict(context),
                requester=process_requester(f"system:tiering:{data.cycle_id}"[:200], None),
                customer_id=data.customer_id,
                subject_type="customer",
                subject_id=str(data.customer_id),
                owner_id=owner_id,
                process=ProcessTasks(
                    workflow_id=workflow_id,
                    process_type=PROCESS,
                    key_prefix="approval",
                    title=title[:300],
                    context=context,
                ),
            ),
            id=self._approval_workflow_id,
        )
        return outcome_of(result, "approval")

    async def _assign_by_hand(
        self, data: TierChangeInput, name: str, director_id: int
    ) -> tuple[int | None, int | None, bool] | None:
        """Nobody of the right level is free: the director names the owner (a form task)."""
        self._move("manual_assignment")
        outcome = await self.run_task(
            TaskSpec(
                task_key="assign-owner",
                kind="form",
                process_type=PROCESS,
                title=f"Assign an owner to {name} (now tier {data.to_tier})",
                assignee_id=director_id,
                customer_id=data.customer_id,
                form=OWNER_FORM,
                context={"tier": data.to_tier},
                due_in=data.definition.approval.due_in,
                escalation_levels=data.definition.approval.escalation_levels,
            )
        )
        if outcome.outcome != "completed" or not outcome.data:
            return None
        result = await workflow.execute_activity_method(
            TieringActivities.assign_manually,
            ManualOwnerInput(
                cycle_id=data.cycle_id,
                customer_id=data.customer_id,
                owner_id=int(outcome.data["owner_id"]),
                decided_by=outcome.decided_by,
            ),
            **ACTIVITY_OPTIONS,
        )
        return result.owner_id, result.previous_owner_id, result.changed

    async def _handover(
        self, data: TierChangeInput, name: str, *, old_owner: int | None, new_owner: int | None
    ) -> list[TaskOutcome]:
        """Handover forms for the old owner (notes) and the new one (takes over), in parallel."""
        rule = data.definition.handover
        specs = []
        if old_owner is not None:
            specs.append(
                TaskSpec(
                    task_key="handover-out",
                    kind="form",
                    process_type=PROCESS,
                    title=f"Hand over {name} (now tier {data.to_tier})",
                    assignee_id=old_owner,
                    customer_id=data.customer_id,
                    form=HANDOVER_OUT_FORM,
                    context={"to_owner": new_owner, "tier": data.to_tier},
                    due_in=rule.due_in,
                    reminders_before=list(rule.reminders_before),
                    escalation_levels=rule.escalation_levels,
                )
            )
        if new_owner is not None:
            specs.append(
                TaskSpec(
                    task_key="handover-in",
                    kind="form",
                    process_type=PROCESS,
                    title=f"Take over {name} (tier {data.to_tier})",
                    assignee_id=new_owner,
                    customer_id=data.customer_id,
                    form=HANDOVER_IN_FORM,
                    context={"from_owner": old_owner, "tier": data.to_tier},
                    due_in=rule.due_in,
                    reminders_before=list(rule.reminders_before),
                    escalation_levels=rule.escalation_levels,
                )
            )
        return list(await asyncio.gather(*(self.run_task(spec) for spec in specs)))

    def _move(self, stage: str) -> None:
        self._stage = stage
        workflow.upsert_search_attributes([SA_STAGE.value_set(stage)])


SPEC = ProcessSpec(
    name=PROCESS,
    workflows=(TieringCycleWorkflow, TierChangeWorkflow),
    activities=(TieringActivities, TaskActivities),
    definition=TieringDefinition,
    process_types=(PROCESS, "tier_change"),
    schedules=(
        # SKIP: a monthly scoring still running when the next month starts means something is stuck or slow;
        # a buffered second run would re-score the same data right after and could open duplicate approvals;
        # the next month's run picks up everything.
        ScheduledRun(
            schedule_id="tiering-monthly",
            workflow=TieringCycleWorkflow,
            workflow_id="tiering-cycle",
            overlap=ScheduleOverlapPolicy.SKIP,
            build_input=lambda definition, context: TieringCycleInput(
                definition=definition, timezone=definition.schedule.timezone or context.timezone
            ),
            description="Monthly tier re-evaluation of every customer",
        ),
    ),
    timeline_kinds=("tier_change",),
    timeline_actions=frozenset({"customer.tier_set"}),
    history_fields=frozenset({"customer_tier", "from_tier", "to_tier", "tier", "score", "as_of", "cycle_id"}),
)
