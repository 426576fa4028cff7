"""Approval-flow activities (DESIGN §3.10): the request row, approver resolution, audit, the customer transfer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.base import ActivitiesBase, operation_key, require_row
from activities.tasks import close_task_row
from db.models import ApprovalRequest, Customer, Staff, utcnow
from db.repositories.audit import applied_details, record_audit, record_notification
from db.repositories.customers import assign_owner, owner_refusal
from definitions.approval import (
    FINAL_STATUSES,
    ApprovalEvent,
    ApprovalState,
    CustomerFacts,
    OpenApprovalInput,
    OpenApprovalResult,
    OrgView,
    Person,
    RecordApprovalEventsInput,
    RecordApprovalInput,
    ResolveApproversInput,
    ResolveApproversResult,
    SlotView,
    StartStepInput,
    TransferCustomerInput,
    TransferCustomerResult,
    resolve_approvers,
)


class ApprovalActivities(ActivitiesBase):
    """Every write of an approval request; each idempotent under retries."""

    @activity.defn(name="approval.open")
    async def open_request(self, data: OpenApprovalInput) -> OpenApprovalResult:
        """Write the request row once (a retry finds it) and read the customer facts conditions use."""
        workflow_id = activity.info().workflow_id
        async with self.transaction() as session:
            customer = await session.get(Customer, data.customer_id) if data.customer_id is not None else None
            row = await session.get(ApprovalRequest, data.approval_id)
            if row is None:
                row = ApprovalRequest(
                    id=data.approval_id,
                    workflow_id=workflow_id,
                    flow=data.flow,
                    flow_version=data.flow_version,
                    flow_hash=data.flow_hash,
                    title=data.title,
                    requester_id=data.requester.staff_id,
                    requester_label=data.requester.label or data.requester.role,
                    customer_id=data.customer_id,
                    subject_type=data.subject_type,
                    subject_id=data.subject_id,
                    fields=data.fields,
                    status=data.state.status,
                    state=data.state.model_dump(mode="json"),
                )
                session.add(row)
                record_audit(
                    session,
                    actor=row.requester_label,
                    action="approval.submitted",
                    entity_type="approval",
                    entity_id=row.id,
                    customer_id=data.customer_id,
                    workflow_id=workflow_id,
                    details={
                        "flow": data.flow,
                        "flow_version": data.flow_version,
                        "flow_hash": data.flow_hash,
                        "title": data.title,
                        "fields": data.fields,
                    },
                )
            facts = None
            if customer is not None:
                facts = CustomerFacts(
                    customer_id=customer.id,
                    name=customer.name,
                    tier=customer.tier,
                    region=customer.region,
                    owner_id=customer.owner_id,
                )
            return OpenApprovalResult(customer=facts)

    @activity.defn(name="approval.resolve_approvers")
    async def resolve(self, data: ResolveApproversInput) -> ResolveApproversResult:
        """The active staff a step's rules name now (the org is read once, as the check's sample org is)."""
        async with self.sessions() as session:
            return await _resolve(session, data)

    @activity.defn(name="approval.start_step")
    async def start_step(self, data: StartStepInput) -> ResolveApproversResult:
        """Resolve a step's approvers; when there are some, write the waiting events, then `approval.step_started`
        with the approvers in the row's state, in one transaction. A retry answers the approvers it recorded."""
        key = operation_key()
        async with self.once(key, read_first=False) as (session, done):
            if done:
                return ResolveApproversResult(staff_ids=(await applied_details(session, key))["approvers"])
            resolved = await _resolve(session, data.resolve)
            if not resolved.staff_ids:
                return resolved
            view = data.state.steps[data.step_index]
            steps = list(data.state.steps)
            steps[data.step_index] = view.model_copy(
                update={"approvers": [SlotView(queue=[staff_id]) for staff_id in resolved.staff_ids]}
            )
            started = ApprovalEvent(
                action="approval.step_started",
                details={"step": view.name, "approvers": resolved.staff_ids, "mode": view.mode},
            )
            state = data.state.model_copy(update={"steps": steps})
            await _write_events(session, data.approval_id, [*data.events, started], state, key)
            return resolved

    @activity.defn(name="approval.record")
    async def record(self, data: RecordApprovalInput) -> None:
        """Audit one event of the request (step, decision, timeout, …) and store where it stands."""
        key = operation_key()
        async with self.once(key) as (session, done):
            if done:
                return
            event = ApprovalEvent(
                action=data.action,
                actor_label=data.actor_label,
                reason=data.reason,
                details=data.details,
                final=data.final,
            )
            await _write_events(session, data.approval_id, [event], data.state, key)

    @activity.defn(name="approval.record_events")
    async def record_events(self, data: RecordApprovalEventsInput) -> None:
        """Audit several events of the request in one transaction (e.g. step decided, outcome) and store where
        it stands; a retry writes none of them again."""
        key = operation_key()
        async with self.once(key, read_first=False) as (session, done):
            if done:
                return
            for outcome in data.task_outcomes:
                await close_task_row(session, outcome)
            await _write_events(session, data.approval_id, data.events, data.state, key)

    @activity.defn(name="approval.transfer_customer")
    async def transfer_customer(self, data: TransferCustomerInput) -> TransferCustomerResult:
        """Make the approved new owner the customer's owner, if they may own a customer of its tier."""
        key = operation_key()
        async with self.once(key) as (session, done):
            if done:
                details = await applied_details(session, key)
                return TransferCustomerResult(
                    changed=bool(details.get("changed")),
                    refusal=details.get("refusal"),
                    previous_owner_id=details.get("previous_owner_id"),
                )
            customer = await require_row(session, Customer, data.customer_id)
            staff = await session.get(Staff, data.to_staff_id)
            refusal = owner_refusal(staff, staff_id=data.to_staff_id, tier=customer.tier)
            previous = customer.owner_id
            changed = refusal is None and previous != data.to_staff_id
            if changed:
                assert staff is not None  # owner_refusal refuses a missing staff member
                assign_owner(customer, staff, utcnow())
                await self.move_next_contact(session, customer.id)
            record_audit(
                session,
                actor=data.decided_by,
                action="customer.assigned" if changed else "approval.transfer_refused",
                entity_type="customer",
                entity_id=customer.id,
                customer_id=customer.id,
                workflow_id=activity.info().workflow_id,
                reason=refusal or f"approval {data.approval_id}",
                details={
                    "changed": changed,
                    "refusal": refusal,
                    "previous_owner_id": previous,
                    "owner_id": customer.owner_id,
                    "approval_id": data.approval_id,
                },
                operation_key=key,
            )
            return TransferCustomerResult(changed=changed, refusal=refusal, previous_owner_id=previous)


async def _write_events(
    session: AsyncSession, approval_id: str, events: list[ApprovalEvent], state: ApprovalState, key: str
) -> None:
    """Store the request's state, audit each event (`key/0`, …, the last `key`) and notify the requester of an outcome."""
    row = await require_row(session, ApprovalRequest, approval_id)
    row.status = state.status
    row.current_step = state.current_step
    row.fields = state.fields
    row.state = state.model_dump(mode="json")
    row.outcome_reason = state.outcome_reason
    final = any(event.final for event in events)
    if final and state.status in FINAL_STATUSES:
        row.decided_at = utcnow()
    for index, event in enumerate(events):
        record_audit(
            session,
            actor=event.actor_label,
            action=event.action,
            entity_type="approval",
            entity_id=row.id,
            customer_id=row.customer_id,
            workflow_id=row.workflow_id,
            reason=event.reason,
            details={"flow": row.flow, "flow_version": row.flow_version, **event.details},
            # The last event carries the activity's key (the one a retry looks for and reads back).
            operation_key=key if index == len(events) - 1 else f"{key}/{index}",
        )
    if final and row.requester_id is not None:
        record_notification(
            session,
            recipient_id=row.requester_id,
            kind=f"approval.{row.status}",
            subject=f"Your request {row.title!r} is {row.status}",
            entity_type="approval",
            entity_id=row.id,
            workflow_id=row.workflow_id,
            details={"flow": row.flow},
        )


async def _resolve(session: AsyncSession, data: ResolveApproversInput) -> ResolveApproversResult:
    """The active staff a step's rules name now (the org is read once, as the check's sample org is)."""
    rows = (await session.execute(select(Staff.id, Staff.email, Staff.role, Staff.supervisor_id, Staff.active))).all()
    org = OrgView(
        {
            r.id: Person(
                id=r.id,
                email=(r.email or "").lower(),
                role=str(getattr(r.role, "value", r.role)),
                supervisor_id=r.supervisor_id,
                active=bool(r.active),
            )
            for r in rows
        }
    )
    return ResolveApproversResult(
        staff_ids=resolve_approvers(data.rules, org, requester_id=data.requester_id, owner_id=data.owner_id)
    )
