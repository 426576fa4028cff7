"""Tier re-evaluation activities (DESIGN §3.3): set-based scoring in chunks, then one customer's tier change."""

from __future__ import annotations


from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.base import ActivitiesBase, operation_key, require_row, staff_actor
from db.models import Customer, CustomerStatus, Staff, utcnow
from db.repositories.audit import applied_details, record_audit, record_notification
from db.repositories.customers import assign_owner, director_for, owner_refusal, rule_owner
from db.repositories.staff import supervisor_chain
from db.repositories.tiering import (
    evaluate_one,
    next_proposals,
    proposal_for,
    score_customers,
    set_proposal_status,
)
from definitions.assignment import level_for_tier
from definitions.tiering import (
    CompleteChangeInput,
    DecisionInput,
    DecisionResult,
    ManualOwnerInput,
    ManualOwnerResult,
    NextProposalsInput,
    NextProposalsResult,
    PrepareChangeInput,
    PrepareChangeResult,
    ReassignInput,
    ReassignResult,
    ScoreInput,
    ScoreResult,
)

ACTOR = "system:tiering"


class TieringActivities(ActivitiesBase):
    """Scoring and every write a tier change makes; each idempotent under retries."""

    @activity.defn(name="tiering.score")
    async def score(self, data: ScoreInput) -> ScoreResult:
        """Score every customer (or one) set-based, chunk by chunk, and store the tier proposals.

        Each chunk commits on its own and heartbeats the next id range, so a retried attempt
        resumes where the last one stopped instead of starting over.
        """
        now = utcnow()
        if data.customer_id is not None:
            async with self.transaction() as session:
                evaluation = await evaluate_one(
                    session,
                    definition=data.definition,
                    as_of=data.as_of,
                    cycle_id=data.cycle_id,
                    customer_id=data.customer_id,
                    now=now,
                )
            if evaluation is None:
                raise ApplicationError(f"customer {data.customer_id} does not exist", non_retryable=True)
            return ScoreResult(scored=1, proposals=int(evaluation.proposed), chunks=1, evaluation=evaluation)
        details = activity.info().heartbeat_details
        resume_from = int(details[0]) if details else None
        return await score_customers(
            self.sessions,
            definition=data.definition,
            as_of=data.as_of,
            cycle_id=data.cycle_id,
            now=now,
            resume_from=resume_from,
            on_chunk=activity.heartbeat,
        )

    @activity.defn(name="tiering.next_proposals")
    async def next_proposals(self, data: NextProposalsInput) -> NextProposalsResult:
        """The next page of the cycle's proposals whose tier change has not started."""
        async with self.sessions() as session:
            proposals = await next_proposals(
                session, cycle_id=data.cycle_id, after_customer_id=data.after_customer_id, limit=data.limit
            )
        return NextProposalsResult(proposals=proposals)

    @activity.defn(name="tiering.prepare_change")
    async def prepare_change(self, data: PrepareChangeInput) -> PrepareChangeResult:
        """Check the customer still stands where it was scored, pick the approver, mark the proposal pending.

        Upgrade → the director above the owner; downgrade → the owner's supervisor (the director
        when the owner has none).
        """
        key = operation_key()
        workflow_id = activity.info().workflow_id
        async with self.once(key) as (session, applied):
            if applied:
                return PrepareChangeResult.model_validate(await applied_details(session, key))
            customer = await require_row(session, Customer, data.customer_id)
            result: PrepareChangeResult
            if customer.status != CustomerStatus.ACTIVE.value or customer.tier != data.from_tier:
                result = PrepareChangeResult(
                    proceed=False,
                    customer_name=customer.name,
                    owner_id=customer.owner_id,
                    reason=f"customer is now {customer.status} at tier {customer.tier}",
                )
                status = "skipped"
            else:
                approver = await self._approver(session, customer, upgrade=data.to_tier < data.from_tier)
                if approver is None:
                    # Retried with backoff: the change waits until someone can approve it.
                    raise ApplicationError("no active director or supervisor to approve the tier change")
                result = PrepareChangeResult(
                    proceed=True, customer_name=customer.name, owner_id=customer.owner_id, approver_id=approver
                )
                status = "pending"
            if await proposal_for(session, cycle_id=data.cycle_id, customer_id=data.customer_id) is not None:
                await set_proposal_status(
                    session,
                    cycle_id=data.cycle_id,
                    customer_id=data.customer_id,
                    status=status,
                    workflow_id=workflow_id,
                )
            record_audit(
                session,
                actor=ACTOR,
                action="tier_change.proposed" if result.proceed else "tier_change.skipped",
                entity_type="customer",
                entity_id=customer.id,
                customer_id=customer.id,
                workflow_id=workflow_id,
                reason=result.reason or f"score suggests tier {data.from_tier} → {data.to_tier}",
                details=result.model_dump(),
                operation_key=key,
            )
            return result

    async def _approver(self, session: AsyncSession, customer: Customer, *, upgrade: bool) -> int | None:
        if not upgrade and customer.owner_id is not None:
            for supervisor in await supervisor_chain(session, customer.owner_id):
                if supervisor.active:
                    return supervisor.id
        return await director_for(session, staff_id=customer.owner_id, region=customer.region)

    @activity.defn(name="tiering.record_decision")
    async def record_decision(self, data: DecisionInput) -> DecisionResult:
        """Approved → the new tier; rejected → a cooldown before the customer may be proposed again."""
        key = operation_key()
        workflow_id = activity.info().workflow_id
        async with self.once(key) as (session, applied):
            if applied:
                return DecisionResult.model_validate(await applied_details(session, key))
            customer = await require_row(session, Customer, data.customer_id)
            now = utcnow()
            status = {"approved": "applied", "rejected": "rejected"}.get(data.outcome, "expired")
            if data.outcome == "approved":
                customer.tier = data.to_tier
                await self.move_next_contact(session, customer.id)  # the new tier's contact rhythm
                result = DecisionResult(tier=data.to_tier)
                action, subject = "customer.tier_changed", f"{customer.name} moves to tier {data.to_tier}"
            else:
                cooldown_until = None
                if data.outcome == "rejected" and data.cooldown is not None:
                    cooldown_until = now + data.cooldown
                    customer.tier_cooldown_until = cooldown_until
                result = DecisionResult(
                    tier=customer.tier, cooldown_until=cooldown_until.isoformat() if cooldown_until else None
                )
                action = f"tier_change.{status}"
                subject = f"{customer.name} stays at tier {customer.tier} (change {data.outcome})"
            await set_proposal_status(
                session, cycle_id=data.cycle_id, customer_id=customer.id, status=status, decided_by=data.decided_by
            )
            record_audit(
                session,
                actor=staff_actor(data.decided_by, ACTOR),
                action=action,
                entity_type="customer",
                entity_id=customer.id,
                customer_id=customer.id,
                workflow_id=workflow_id,
                reason=data.comment or f"tier {data.from_tier} → {data.to_tier}: {data.outcome}",
                details={**result.model_dump(), "from_tier": data.from_tier, "to_tier": data.to_tier},
                operation_key=key,
            )
            if customer.owner_id is not None:
                record_notification(
                    session,
                    recipient_id=customer.owner_id,
                    kind=action,
                    subject=subject,
                    entity_type="customer",
                    entity_id=customer.id,
                    workflow_id=workflow_id,
                    operation_key=key,
                )
            return result

    @activity.defn(name="tiering.reassign_owner")
    async def reassign_owner(self, data: ReassignInput) -> ReassignResult:
        """Hand the customer to a manager of the level its new tier needs (the assignment rule), if needed."""
        key = operation_key()
        workflow_id = activity.info().workflow_id
        async with self.once(key) as (session, applied):
            if applied:
                return ReassignResult.model_validate(await applied_details(session, key))
            customer = await require_row(session, Customer, data.customer_id)
            level = level_for_tier(data.to_tier)
            owner = await session.get(Staff, customer.owner_id) if customer.owner_id is not None else None
            now = utcnow()
            if customer.status != CustomerStatus.ACTIVE.value:
                # Reclaimed to the pool while the approval waited: whoever claims it must fit the new tier.
                result = ReassignResult(
                    changed=False, owner_id=customer.owner_id, previous_owner_id=customer.previous_owner_id
                )
                action, reason = "customer.owner_kept", f"customer is {customer.status}; not reassigned"
            elif owner is not None and owner.role == level and owner.active:
                result = ReassignResult(changed=False, owner_id=owner.id, previous_owner_id=customer.previous_owner_id)
                action, reason = "customer.owner_kept", f"owner already is {level}"
            else:
                chosen = await rule_owner(session, tier=data.to_tier, region=customer.region, now=now)
                if chosen is None:
                    director_id = await director_for(session, staff_id=customer.owner_id, region=customer.region)
                    result = ReassignResult(
                        changed=False,
                        owner_id=customer.owner_id,
                        previous_owner_id=customer.previous_owner_id,
                        manual_assignment_needed=director_id is not None,
                        director_id=director_id,
                    )
                    action, reason = (
                        "customer.assignment_pending",
                        f"no {level} available; the director assigns by hand",
                    )
                else:
                    new_owner = await session.get(Staff, chosen)
                    assert new_owner is not None  # chosen by the rule from this session's staff rows
                    result = ReassignResult(changed=True, owner_id=chosen, previous_owner_id=customer.owner_id)
                    assign_owner(customer, new_owner, now)
                    await self.move_next_contact(session, customer.id)  # a new owner gets the full period
                    action, reason = "customer.reassigned", f"tier {data.to_tier} needs {level}"
                    self._notify_owners(session, customer, result, workflow_id, key)
            record_audit(
                session,
                actor=ACTOR,
                action=action,
                entity_type="customer",
                entity_id=customer.id,
                customer_id=customer.id,
                workflow_id=workflow_id,
                reason=reason,
                details=result.model_dump(),
                operation_key=key,
            )
            return result

    @activity.defn(name="tiering.assign_manually")
    async def assign_manually(self, data: ManualOwnerInput) -> ManualOwnerResult:
        """Make the director's pick the owner, if it is an active manager of the right level."""
        key = operation_key()
        workflow_id = activity.info().workflow_id
        async with self.once(key) as (session, applied):
            if applied:
                return ManualOwnerResult.model_validate(await applied_details(session, key))
            customer = await require_row(session, Customer, data.customer_id)
            staff = await session.get(Staff, data.owner_id)
            refusal = owner_refusal(staff, staff_id=data.owner_id, tier=customer.tier)
            if staff is None or refusal is not None:
                result = ManualOwnerResult(
                    changed=False,
                    owner_id=customer.owner_id,
                    previous_owner_id=customer.previous_owner_id,
                    reason=refusal,
                )
                action = "customer.assignment_refused"
            else:
                previous = customer.owner_id
                assign_owner(customer, staff, utcnow())
                await self.move_next_contact(session, customer.id)
                result = ManualOwnerResult(changed=previous != staff.id, owner_id=staff.id, previous_owner_id=previous)
                action = "customer.reassigned"
                if result.changed:
                    self._notify_owners(
                        session,
                        customer,
                        ReassignResult(changed=True, owner_id=staff.id, previous_owner_id=previous),
                        workflow_id,
                        key,
                    )
            record_audit(
                session,
                actor=staff_actor(data.decided_by, ACTOR),
                action=action,
                entity_type="customer",
                entity_id=customer.id,
                customer_id=customer.id,
                workflow_id=workflow_id,
                reason=result.reason or "assigned by hand",
                details=result.model_dump(),
                operation_key=key,
            )
            return result

    @staticmethod
    def _notify_owners(
        session: AsyncSession, customer: Customer, result: ReassignResult, workflow_id: str | None, key: str
    ) -> None:
        record_notification(
            session,
            recipient_id=result.owner_id,
            kind="customer.assigned",
            subject=f"{customer.name} (tier {customer.tier}) is now yours",
            entity_type="customer",
            entity_id=customer.id,
            workflow_id=workflow_id,
            operation_key=f"{key}/new",
        )
        if result.previous_owner_id is not None:
            record_notification(
                session,
                recipient_id=result.previous_owner_id,
                kind="customer.handed_over",
                subject=f"{customer.name} moves to another manager (tier {customer.tier})",
                entity_type="customer",
                entity_id=customer.id,
                workflow_id=workflow_id,
                operation_key=f"{key}/old",
            )

    @activity.defn(name="tiering.complete_change")
    async def complete_change(self, data: CompleteChangeInput) -> None:
        """Audit the end of the tier change (after the handover) and tell the owner."""
        key = operation_key()
        workflow_id = activity.info().workflow_id
        async with self.once(key) as (session, applied):
            if applied:
                return
            customer = await require_row(session, Customer, data.customer_id)
            record_audit(
                session,
                actor=ACTOR,
                action="tier_change.completed",
                entity_type="customer",
                entity_id=customer.id,
                customer_id=customer.id,
                workflow_id=workflow_id,
                reason=data.outcome,
                details=data.model_dump(mode="json"),
                operation_key=key,
            )
            if customer.owner_id is not None:
                record_notification(
                    session,
                    recipient_id=customer.owner_id,
                    kind="tier_change.completed",
                    subject=f"Tier change of {customer.name} completed: tier {customer.tier}",
                    entity_type="customer",
                    entity_id=customer.id,
                    workflow_id=workflow_id,
                    operation_key=key,
                )
