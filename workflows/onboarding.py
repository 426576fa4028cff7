"""Customer onboarding (DESIGN §3.2): tier → owner → director approval (tier 1) → kickoff → active."""

from __future__ import annotations

import uuid
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

from workflows.approval import ApprovalWorkflow
from workflows.options import ActivityOptions, activity_options
from workflows.human_task import HumanTaskMixin

with workflow.unsafe.imports_passed_through():
    from activities.onboarding import OnboardingActivities
    from activities.tasks import TaskActivities
    from crmflow.registry import ProcessSpec
    from crmflow.temporal import (
        SA_CUSTOMER_ID,
        SA_DEFINITION_VERSION,
        SA_MANAGER_ID,
        SA_PROCESS_TYPE,
        SA_STAGE,
        SA_TIER,
    )
    from definitions.onboarding import (
        AssignInput,
        AssignResult,
        CloseInput,
        CreateCustomerInput,
        CreateCustomerResult,
        DirectorInput,
        ManualAssignInput,
        OnboardingCreated,
        OnboardingDefinition,
        OnboardingInput,
        OnboardingResult,
        OnboardingState,
        SetTierInput,
    )
    from definitions.approval import (
        ApprovalInput,
        FlowDefinition,
        ProcessTasks,
        approval_workflow_id,
        outcome_of,
        process_requester,
    )
    from definitions.tasks import TaskOutcome, TaskSpec

PROCESS = "onboarding"
# Activities only touch the database; a missing director or manager is retried (slowly) until the
# staff data is fixed rather than failing the customer's process.
ACTIVITY_OPTIONS: ActivityOptions = activity_options(
    timedelta(seconds=30), RetryPolicy(maximum_interval=timedelta(minutes=5))
)
OWNER_FORM = {"fields": {"owner_id": {"type": "integer", "required": True, "min": 1, "label": "Owner (staff id)"}}}
KICKOFF_FORM = {
    "fields": {"notes": {"type": "string", "required": True, "min": 1, "max": 4000, "label": "Kickoff notes"}}
}


# workflow.patched() id: the tier-1 approval runs the definition's approval flow (an ApprovalWorkflow child)
# instead of the director's task. Runs started before have no flow in their definition snapshot and no marker
# in their history, so they replay the task's commands.
PATCH_APPROVAL_FLOW = "tier1-approval-by-flow"
# workflow.patched() id: the process creates its customer row (update-with-start from the API) instead of
# finding it written by the API. Only runs started without a customer_id take it; older runs replay unchanged.
PATCH_CREATES_CUSTOMER = "onboarding-creates-customer"
# The update refusal the API answers 409 with (details: the existing customer's id and the field).
DUPLICATE = "DuplicateCustomer"
# The approval id of a customer's tier-1 request derives from the customer's id (replay-stable).
_APPROVAL_NAMESPACE = uuid.UUID("0c5f3b7a-1d2e-5f40-8a9b-6c7d8e9f0a1b")


def workflow_id_for(customer_id: int) -> str:
    """The business-key workflow id: one onboarding per customer."""
    return f"{PROCESS}-{customer_id}"


@workflow.defn
class OnboardingWorkflow(HumanTaskMixin):
    """One customer's onboarding; decisions arrive through the shared task updates."""

    def __init__(self) -> None:
        super().__init__()
        self._state: OnboardingState | None = None
        self._created: CreateCustomerResult | None = None
        self._tier: int | None = None

    @workflow.run
    async def run(self, data: OnboardingInput) -> OnboardingResult:
        definition = data.definition
        if data.customer_id is None:
            if not workflow.patched(PATCH_CREATES_CUSTOMER):
                raise ApplicationError("an onboarding without a customer needs the create step", non_retryable=True)
            created = await self._create(data)
            if created.duplicate_field is not None:
                # Another customer holds the name and region (or the reference): answer the intake, end here.
                await workflow.wait_condition(workflow.all_handlers_finished)
                return OnboardingResult(
                    customer_id=created.customer_id,
                    status="duplicate",
                    tier=self._tier or 0,
                    reason=f"same {created.duplicate_field}",
                )
            data = data.model_copy(update={"customer_id": created.customer_id})
        self._state = OnboardingState(customer_id=data.customer_id, stage="created")
        workflow.upsert_search_attributes(
            [
                SA_PROCESS_TYPE.value_set(PROCESS),
                SA_CUSTOMER_ID.value_set(str(data.customer_id)),
                SA_DEFINITION_VERSION.value_set(f"{definition.version}:{definition.content_hash}"),
            ]
        )

        # The rule is a pure function of the pinned definition, so it is computed here, deterministically.
        tier, rule = definition.tier_for(declared_annual_value=data.declared_annual_value, industry=data.industry)
        self._state.tier = tier
        await workflow.execute_activity_method(
            OnboardingActivities.set_tier,
            SetTierInput(customer_id=data.customer_id, tier=tier, rule=rule),
            **ACTIVITY_OPTIONS,
        )
        self._move("assigning")

        owner_id = await self._assign_owner(data, tier)
        self._state.owner_id = owner_id
        self._move("assigned")

        if tier == 1:
            approval = await self._approve(data, owner_id, rule)
            if not approval.approved:
                reason = {
                    "rejected": "rejected by the director",
                    "recalled": "withdrawn by the requester",
                    "expired": "approval timed out",
                }.get(approval.outcome, f"approval ended: {approval.outcome}")
                await self._close(data, "rejected", reason, approval)
                return OnboardingResult(
                    customer_id=data.customer_id, status="rejected", tier=tier, owner_id=owner_id, reason=reason
                )

        self._move("kickoff")
        kickoff = await self.run_task(
            TaskSpec(
                task_key="kickoff",
                kind="form",
                title=f"Kickoff with new customer {data.name}",
                process_type=PROCESS,
                assignee_id=owner_id,
                customer_id=data.customer_id,
                form=KICKOFF_FORM,
                context={"tier": tier, "region": data.region},
                due_in=definition.kickoff_due_in(),
                reminders_before=list(definition.kickoff.reminders_before),
                escalation_levels=definition.kickoff.escalation_levels,
                final_outcome="expire",
                calendar=definition.calendar,
            )
        )
        # An overdue kickoff has already climbed the chain; the customer is active either way and the
        # audit records whether the kickoff happened.
        reason = "kickoff completed" if kickoff.outcome == "completed" else f"kickoff {kickoff.outcome}"
        await self._close(data, "active", reason, kickoff)
        return OnboardingResult(
            customer_id=data.customer_id, status="active", tier=tier, owner_id=owner_id, reason=reason
        )

    async def _create(self, data: OnboardingInput) -> CreateCustomerResult:
        """The first write: the pending customer row, with the tier of the pinned rules (read by the intake)."""
        self._tier, _ = data.definition.tier_for(
            declared_annual_value=data.declared_annual_value, industry=data.industry
        )
        created = await workflow.execute_activity_method(
            OnboardingActivities.create,
            CreateCustomerInput(
                name=data.name,
                region=data.region,
                industry=data.industry,
                declared_annual_value=data.declared_annual_value,
                external_ref=data.external_ref,
                tier=self._tier,
                requested_by=data.requested_by,
            ),
            **ACTIVITY_OPTIONS,
        )
        self._created = created
        return created

    @workflow.update(name="onboarding.created")
    async def created(self) -> OnboardingCreated:
        """Sent with start by the API: answers once the customer row exists (409 for a duplicate)."""
        await workflow.wait_condition(lambda: self._created is not None)
        assert self._created is not None and self._tier is not None
        if self._created.duplicate_field is not None:
            raise ApplicationError(
                f"a customer with the same {self._created.duplicate_field} already exists "
                f"(id {self._created.customer_id})",
                {
                    "existing_customer_id": self._created.customer_id,
                    "field": self._created.duplicate_field,
                    "status": self._created.status,
                },
                type=DUPLICATE,
                non_retryable=True,
            )
        return OnboardingCreated(
            customer_id=self._created.customer_id, tier=self._tier, process_id=workflow.info().workflow_id
        )

    @workflow.query(name="status")  # the name every crmflow process answers (GET /v1/processes/{id})
    def status(self) -> OnboardingState | None:
        """Stage, tier, owner, approver and the tasks still waiting for someone."""
        if self._state is None:
            return None
        return self._state.model_copy(update={"open_tasks": self.open_tasks()})

    async def _assign_owner(self, data: OnboardingInput, tier: int) -> int:
        """The owner by the rule; when nobody is free, rounds of a director task until a valid pick."""
        rule = data.definition.manual_assignment
        round_number = 0
        while True:
            # Each round re-runs the rule first: a manager may have become free while the task waited.
            result: AssignResult = await workflow.execute_activity_method(
                OnboardingActivities.assign,
                AssignInput(customer_id=data.customer_id, tier=tier, region=data.region),
                **ACTIVITY_OPTIONS,
            )
            if result.owner_id is not None:
                return result.owner_id
            assert result.director_id is not None
            round_number += 1
            self._move("awaiting_assignment")
            outcome = await self.run_task(
                TaskSpec(
                    task_key=f"assign-{round_number}",
                    kind="form",
                    title=f"Choose an account manager for {data.name} (nobody is available)",
                    process_type=PROCESS,
                    assignee_id=result.director_id,
                    customer_id=data.customer_id,
                    form=OWNER_FORM,
                    context={"tier": tier, "region": data.region, "round": round_number},
                    due_in=rule.due_in,
                    reminders_before=list(rule.reminders_before),
                    escalation_levels=rule.escalation_levels,
                    final_outcome="expire",
                )
            )
            owner_id = (outcome.data or {}).get("owner_id") if outcome.outcome == "completed" else None
            if owner_id is None:
                continue
            manual = await workflow.execute_activity_method(
                OnboardingActivities.assign_manually,
                ManualAssignInput(customer_id=data.customer_id, owner_id=int(owner_id), decided_by=outcome.decided_by),
                **ACTIVITY_OPTIONS,
            )
            if manual.assigned:
                return int(owner_id)

    async def _approve(self, data: OnboardingInput, owner_id: int, rule: str) -> TaskOutcome:
        """The tier-1 approval: the definition's approval flow, or (runs started before flows) the director's task."""
        definition = data.definition
        flow = definition.flows.get(definition.approval_flow) if definition.approval_flow else None
        if flow is not None and workflow.patched(PATCH_APPROVAL_FLOW):
            return await self._approve_by_flow(data, flow, owner_id, rule)
        director = await workflow.execute_activity_method(
            OnboardingActivities.find_director,
            DirectorInput(staff_id=owner_id, region=data.region),
            **ACTIVITY_OPTIONS,
        )
        assert self._state is not None
        self._state.approver_id = director.director_id
        self._move("awaiting_approval")
        approval = data.definition.approval
        assert approval is not None  # the definition has approval or approval_flow; with no flow, approval
        return await self.run_task(
            TaskSpec(
                task_key="approval",
                kind="approval",
                title=f"Approve tier-1 customer {data.name}",
                process_type=PROCESS,
                assignee_id=director.director_id,
                requester_id=data.requester_id,
                customer_id=data.customer_id,
                context={
                    "tier": 1,
                    "rule": rule,
                    "owner_id": owner_id,
                    "region": data.region,
                    "industry": data.industry,
                    "declared_annual_value": str(data.declared_annual_value),
                },
                due_in=approval.due_in,
                reminders_before=list(approval.reminders_before),
                escalation_levels=approval.escalation_levels,
                final_outcome=approval.final_outcome,
            )
        )

    async def _approve_by_flow(
        self, data: OnboardingInput, flow: FlowDefinition, owner_id: int, rule: str
    ) -> TaskOutcome:
        """Run the tier-1 flow as an ApprovalWorkflow child; its tasks are filed under this onboarding."""
        self._move("awaiting_approval")
        workflow_id = workflow.info().workflow_id
        approval_id = str(uuid.uuid5(_APPROVAL_NAMESPACE, f"{data.customer_id}:tier1"))
        assert self._state is not None
        self._state.approval_workflow_id = approval_workflow_id(approval_id)
        title = f"Approve tier-1 customer {data.name}"[:300]
        context = {
            "tier": 1,
            "rule": rule,
            "owner_id": owner_id,
            "region": data.region,
            "industry": data.industry,
            "declared_annual_value": str(data.declared_annual_value),
        }
        result = await workflow.execute_child_workflow(
            ApprovalWorkflow.run,
            ApprovalInput(
                approval_id=approval_id,
                flow=flow,
                title=title,
                fields={**context, "declared_annual_value": float(data.declared_annual_value)},
                requester=process_requester(data.requested_by, data.requester_id),
                customer_id=data.customer_id,
                subject_type="customer",
                subject_id=str(data.customer_id),
                owner_id=owner_id,
                process=ProcessTasks(
                    workflow_id=workflow_id, process_type=PROCESS, key_prefix="approval", title=title, context=context
                ),
            ),
            id=self._state.approval_workflow_id,
        )
        return outcome_of(result, "approval")

    async def _close(self, data: OnboardingInput, status: str, reason: str, outcome: TaskOutcome) -> None:
        await workflow.execute_activity_method(
            OnboardingActivities.close,
            CloseInput(
                customer_id=data.customer_id,
                status=status,
                reason=reason,
                decided_by=outcome.decided_by,
                details={
                    "task_key": outcome.task_key,
                    "outcome": outcome.outcome,
                    "escalation_level": outcome.escalation_level,
                },
            ),
            **ACTIVITY_OPTIONS,
        )
        self._move(status)

    def _move(self, stage: str) -> None:
        """Record the stage and keep the search attributes (stage, tier, manager) in step with it."""
        assert self._state is not None
        self._state.stage = stage
        updates = [SA_STAGE.value_set(stage)]
        if self._state.tier is not None:
            updates.append(SA_TIER.value_set(str(self._state.tier)))
        if self._state.owner_id is not None:
            updates.append(SA_MANAGER_ID.value_set(str(self._state.owner_id)))
        workflow.upsert_search_attributes(updates)


SPEC = ProcessSpec(
    name=PROCESS,
    workflows=(OnboardingWorkflow,),
    activities=(OnboardingActivities, TaskActivities),
    definition=OnboardingDefinition,
    timeline_kinds=("onboarding",),
    timeline_actions=frozenset(
        {
            "customer.created",
            "customer.assigned",
            "customer.assignment_pending",
            "customer.assignment_refused",
            "customer.activated",
            "customer.rejected",
        }
    ),
    history_fields=frozenset({"declared_annual_value", "industry", "region"}),
)
