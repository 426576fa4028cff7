"""Onboarding activities (DESIGN §3.2): tier, owner, activation or rejection; each audited and idempotent."""

from __future__ import annotations


from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.base import ActivitiesBase, operation_key, require_row, staff_actor
from db.models import Customer, CustomerStatus, Staff, utcnow
from db.repositories.audit import applied_details, record_audit, record_notification
from db.repositories.customers import assign_owner, director_for, find_duplicate, owner_refusal, rule_owner
from definitions.assignment import level_for_tier
from definitions.onboarding import (
    AssignInput,
    AssignResult,
    CloseInput,
    CreateCustomerInput,
    CreateCustomerResult,
    DirectorInput,
    DirectorResult,
    ManualAssignInput,
    ManualAssignResult,
    SetTierInput,
)

ACTOR = "system:onboarding"


class OnboardingActivities(ActivitiesBase):
    """Every write the onboarding process makes."""

    @activity.defn(name="onboarding.create")
    async def create(self, data: CreateCustomerInput) -> CreateCustomerResult:
        """Write the pending customer once: a retry finds the row by its process; a duplicate names the existing one."""
        workflow_id = activity.info().workflow_id
        try:
            async with self.transaction() as session:
                mine = await session.scalar(select(Customer).where(Customer.process_id == workflow_id))
                if mine is not None:
                    return CreateCustomerResult(
                        customer_id=mine.id, status=str(getattr(mine.status, "value", mine.status))
                    )
                existing = await find_duplicate(
                    session, name=data.name, region=data.region, external_ref=data.external_ref
                )
                if existing is not None:
                    return _duplicate(existing, data)
                customer = Customer(
                    name=data.name,
                    region=data.region,
                    industry=data.industry,
                    declared_annual_value=data.declared_annual_value,
                    external_ref=data.external_ref,
                    status=CustomerStatus.PENDING,
                    tier=data.tier,
                    process_id=workflow_id,
                )
                session.add(customer)
                await session.flush()
                record_audit(
                    session,
                    actor=data.requested_by,
                    action="customer.created",
                    entity_type="customer",
                    entity_id=customer.id,
                    customer_id=customer.id,
                    workflow_id=workflow_id,
                    details={"region": customer.region, "external_ref": customer.external_ref},
                )
                return CreateCustomerResult(customer_id=customer.id)
        except IntegrityError:
            # A concurrent onboarding of the same customer won the unique constraint: this one is a duplicate.
            async with self.sessions() as session:
                existing = await find_duplicate(
                    session, name=data.name, region=data.region, external_ref=data.external_ref
                )
            if existing is None:
                raise
            return _duplicate(existing, data)

    @activity.defn(name="onboarding.set_tier")
    async def set_tier(self, data: SetTierInput) -> None:
        """Record the initial tier the definition's rules gave."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            customer = await require_row(session, Customer, data.customer_id)
            if not applied:
                customer.tier = data.tier
                await self.move_next_contact(session, customer.id)  # the rhythm is the tier's
                record_audit(
                    session,
                    actor=ACTOR,
                    action="customer.tier_set",
                    entity_type="customer",
                    entity_id=customer.id,
                    customer_id=customer.id,
                    workflow_id=activity.info().workflow_id,
                    reason=f"initial tier from {data.rule}",
                    details={"tier": data.tier, "rule": data.rule},
                    operation_key=key,
                )

    @activity.defn(name="onboarding.assign")
    async def assign(self, data: AssignInput) -> AssignResult:
        """Give the customer an owner by the assignment rule, or name the director who must pick one."""
        key = operation_key()
        workflow_id = activity.info().workflow_id
        async with self.once(key) as (session, applied):
            if applied:
                return AssignResult.model_validate(await applied_details(session, key))
            customer = await require_row(session, Customer, data.customer_id)
            now = utcnow()
            owner_id = await rule_owner(session, tier=data.tier, region=data.region, now=now)
            if owner_id is None:
                director_id = await director_for(session, staff_id=None, region=data.region)
                if director_id is None:
                    # Retried with backoff: the process resumes once staff data is fixed.
                    raise ApplicationError("no manager available and no active director to assign by hand")
                result = AssignResult(owner_id=None, director_id=director_id)
                record_audit(
                    session,
                    actor=ACTOR,
                    action="customer.assignment_pending",
                    entity_type="customer",
                    entity_id=customer.id,
                    customer_id=customer.id,
                    workflow_id=workflow_id,
                    reason=f"no {level_for_tier(data.tier)} available; the director assigns by hand",
                    details=result.model_dump(),
                    operation_key=key,
                )
                return result
            assign_owner(customer, await require_row(session, Staff, owner_id), now)
            await self.move_next_contact(session, customer.id)
            result = AssignResult(owner_id=owner_id)
            record_audit(
                session,
                actor=ACTOR,
                action="customer.assigned",
                entity_type="customer",
                entity_id=customer.id,
                customer_id=customer.id,
                workflow_id=workflow_id,
                reason="assignment rule",
                details=result.model_dump(),
                operation_key=key,
            )
            record_notification(
                session,
                recipient_id=owner_id,
                kind="customer.assigned",
                subject=f"New customer assigned to you: {customer.name}",
                entity_type="customer",
                entity_id=customer.id,
                workflow_id=workflow_id,
                operation_key=key,
            )
            return result

    @activity.defn(name="onboarding.assign_manually")
    async def assign_manually(self, data: ManualAssignInput) -> ManualAssignResult:
        """Make the director's pick the owner, if it is an active account manager."""
        key = operation_key()
        workflow_id = activity.info().workflow_id
        async with self.once(key) as (session, applied):
            if applied:
                return ManualAssignResult(assigned=True)
            customer = await require_row(session, Customer, data.customer_id)
            staff = await session.get(Staff, data.owner_id)
            reason = owner_refusal(staff, staff_id=data.owner_id, tier=customer.tier)
            if staff is None or reason is not None:
                record_audit(
                    session,
                    actor=staff_actor(data.decided_by, ACTOR),
                    action="customer.assignment_refused",
                    entity_type="customer",
                    entity_id=customer.id,
                    customer_id=customer.id,
                    workflow_id=workflow_id,
                    reason=reason,
                    details={"owner_id": data.owner_id},
                    operation_key=key,
                )
                return ManualAssignResult(assigned=False, reason=reason)
            assign_owner(customer, staff, utcnow())
            await self.move_next_contact(session, customer.id)
            record_audit(
                session,
                actor=staff_actor(data.decided_by, ACTOR),
                action="customer.assigned",
                entity_type="customer",
                entity_id=customer.id,
                customer_id=customer.id,
                workflow_id=workflow_id,
                reason="assigned by hand",
                details={"owner_id": staff.id, "director_id": data.decided_by},
                operation_key=key,
            )
            record_notification(
                session,
                recipient_id=staff.id,
                kind="customer.assigned",
                subject=f"New customer assigned to you: {customer.name}",
                entity_type="customer",
                entity_id=customer.id,
                workflow_id=workflow_id,
                operation_key=key,
            )
            return ManualAssignResult(assigned=True)

    @activity.defn(name="onboarding.find_director")
    async def find_director(self, data: DirectorInput) -> DirectorResult:
        """The director who approves: the nearest one above the owner (read only)."""
        async with self.transaction() as session:
            director_id = await director_for(session, staff_id=data.staff_id, region=data.region)
        if director_id is None:
            raise ApplicationError("no active director to approve the customer")  # retried until one exists
        return DirectorResult(director_id=director_id)

    @activity.defn(name="onboarding.close")
    async def close(self, data: CloseInput) -> None:
        """Activate or reject the customer: the last step of the process."""
        key = operation_key()
        workflow_id = activity.info().workflow_id
        async with self.once(key) as (session, applied):
            customer = await require_row(session, Customer, data.customer_id)
            if applied:
                return
            customer.status = data.status
            customer.status_reason = data.reason
            if data.status == CustomerStatus.ACTIVE.value:
                customer.activated_at = utcnow()
            await self.move_next_contact(session, customer.id)  # a rejected customer has no next contact
            record_audit(
                session,
                actor=staff_actor(data.decided_by, ACTOR),
                action="customer.activated" if data.status == CustomerStatus.ACTIVE.value else "customer.rejected",
                entity_type="customer",
                entity_id=customer.id,
                customer_id=customer.id,
                workflow_id=workflow_id,
                reason=data.reason,
                details=dict(data.details),
                operation_key=key,
            )
            if customer.owner_id is not None:
                record_notification(
                    session,
                    recipient_id=customer.owner_id,
                    kind=f"customer.{data.status}",
                    subject=f"Customer {customer.name} is {data.status}",
                    entity_type="customer",
                    entity_id=customer.id,
                    workflow_id=workflow_id,
                    details={"reason": data.reason},
                    operation_key=key,
                )


def _duplicate(existing: Customer, data: CreateCustomerInput) -> CreateCustomerResult:
    same_ref = bool(data.external_ref) and existing.external_ref == data.external_ref
    return CreateCustomerResult(
        customer_id=existing.id,
        duplicate_field="external_ref" if same_ref else "name and region",
        status=str(getattr(existing.status, "value", existing.status)),
    )
