"""Complaint activities: every write of the complaint process, idempotent and audited in one transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.base import ActivitiesBase, operation_key, require_row
from db.models import Complaint, Customer, StaffRole
from db.repositories.audit import record_audit, record_notification
from db.repositories.staff import supervisor_chain
from definitions.complaint import (
    SYSTEM_ACTOR,
    ComplaintChanges,
    ComplaintState,
    EscalateInput,
    EscalateResult,
    NotificationSpec,
    OpenComplaintInput,
    OpenComplaintResult,
    OpenFailedInput,
    RecordChangeInput,
    RecordChangeResult,
    RemindTopInput,
    SlaWarningInput,
    SlaWarningResult,
)

ENTITY = "complaint"


def _state_values(state: ComplaintState) -> dict[str, Any]:
    """The row's columns for the workflow's state (the whole snapshot, so a replayed write is harmless)."""
    # The row keeps the first deadlines it was opened with.
    return {
        field: value
        for field, value in state.model_dump().items()
        if not (field.startswith("original_") and value is None)
    }


def _apply_state(row: Complaint, state: ComplaintState) -> None:
    """Copy the workflow's state onto a loaded row."""
    for field, value in _state_values(state).items():
        setattr(row, field, value)


def _state_details(state: ComplaintState | ComplaintChanges) -> dict[str, Any]:
    return {"status": state.status, "owner_id": state.owner_id, "escalation_level": state.escalation_level}


class ComplaintActivities(ActivitiesBase):
    """DB writes of the complaint process; each runs once per operation key."""

    def _notify(
        self, session: AsyncSession, key: str, data_workflow_id: str, complaint_id: str, specs: list[NotificationSpec]
    ) -> None:
        for index, spec in enumerate(specs):
            record_notification(
                session,
                recipient_id=spec.recipient_id,
                kind=spec.kind,
                subject=spec.subject,
                entity_type=ENTITY,
                entity_id=complaint_id,
                workflow_id=data_workflow_id,
                details=spec.details,
                operation_key=f"{key}/n{index}",
            )

    @activity.defn(name="complaint.open")
    async def open(self, data: OpenComplaintInput) -> OpenComplaintResult:
        """Create the complaint row with its deadlines; owner = the customer's account manager (notified)."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            row = await session.get(Complaint, data.complaint_id)
            if applied or row is not None:
                # The complaint id is the natural key: a retry or a re-run finds the row and adds nothing.
                return OpenComplaintResult(owner_id=row.owner_id if row else None)
            customer = await session.get(Customer, data.customer_id)
            if customer is None:
                raise ApplicationError(
                    f"customer {data.customer_id} does not exist", type="UnknownCustomer", non_retryable=True
                )
            row = Complaint(
                id=data.complaint_id,
                customer_id=data.customer_id,
                severity=data.severity,
                category=data.category,
                description=data.description,
                channel=data.channel,
                status="open",
                owner_id=customer.owner_id,
                escalation_level=0,
                respond_by=data.respond_by,
                resolve_by=data.resolve_by,
                original_respond_by=data.respond_by,
                original_resolve_by=data.resolve_by,
                paused_seconds=0,
                reopen_count=0,
                process_id=data.workflow_id,
                definition_version=str(data.definition_version),
                created_at=data.opened_at,
            )
            session.add(row)
            record_audit(
                session,
                actor=data.actor.label,
                action="complaint.opened",
                entity_type=ENTITY,
                entity_id=data.complaint_id,
                customer_id=data.customer_id,
                workflow_id=data.workflow_id,
                details={
                    "severity": data.severity,
                    "owner_id": customer.owner_id,
                    "respond_by": data.respond_by.isoformat(),
                    "resolve_by": data.resolve_by.isoformat(),
                    "definition_version": data.definition_version,
                },
                operation_key=key,
            )
            if customer.owner_id is not None:
                self._notify(
                    session,
                    key,
                    data.workflow_id,
                    data.complaint_id,
                    [
                        NotificationSpec(
                            recipient_id=customer.owner_id,
                            kind="complaint.assigned",
                            subject=f"New {data.severity} complaint from {customer.name}",
                            details={"respond_by": data.respond_by.isoformat(), "severity": data.severity},
                        )
                    ],
                )
            return OpenComplaintResult(owner_id=customer.owner_id)

    @activity.defn(name="complaint.open_failed")
    async def open_failed(self, data: OpenFailedInput) -> None:
        """Audit a complaint that could not be opened, so ops see why its process failed."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return
            record_audit(
                session,
                actor=SYSTEM_ACTOR,
                action="complaint.open_failed",
                entity_type=ENTITY,
                entity_id=data.complaint_id,
                workflow_id=data.workflow_id,
                reason=data.reason[:2000],
                operation_key=key,
            )

    @activity.defn(name="complaint.record_change")
    async def record_change(self, data: RecordChangeInput) -> RecordChangeResult:
        """Write the new state of a step (acknowledge, resolve, pause, …), its audit event and notifications."""
        key = operation_key()
        async with self.once(key, read_first=False) as (session, applied):
            if applied:
                return RecordChangeResult(applied=False)
            # The step's changed columns (older runs send the whole state, written whole).
            written_state: ComplaintState | ComplaintChanges
            if data.changes is not None:
                written_state, values = data.changes, data.changes.columns()
            else:
                assert data.state is not None, "a change carries its columns or the whole state"
                written_state, values = data.state, _state_values(data.state)
            # A plain UPDATE: the workflow owns the state, so the row need not be loaded first.
            written = await session.execute(
                update(Complaint)
                .where(Complaint.id == data.complaint_id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if written.rowcount == 0:  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult; SQLAlchemy types it as Result
                raise ApplicationError(
                    f"complaint {data.complaint_id} does not exist", type="ComplaintMissing", non_retryable=True
                )
            record_audit(
                session,
                actor=data.actor,
                action=data.action,
                entity_type=ENTITY,
                entity_id=data.complaint_id,
                customer_id=data.customer_id,
                workflow_id=data.workflow_id,
                reason=data.note,
                details=_state_details(written_state),
                operation_key=key,
            )
            self._notify(session, key, data.workflow_id, data.complaint_id, data.notifications)
            return RecordChangeResult(applied=True)

    @activity.defn(name="complaint.escalate")
    async def escalate(self, data: EscalateInput) -> EscalateResult:
        """Record a breach and hand the complaint to the next active one up the owner's supervisor chain."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            row = await require_row(session, Complaint, data.complaint_id)
            # The breach's columns (older runs send the whole state, written whole).
            state: ComplaintState | ComplaintChanges
            if data.changes is not None:
                state = data.changes
            else:
                assert data.state is not None, "an escalation carries its columns or the whole state"
                state = data.state
            previous_owner, level = state.owner_id, state.escalation_level
            chain = [s for s in await supervisor_chain(session, previous_owner) if s.active] if previous_owner else []
            if applied:
                return EscalateResult(
                    escalated=row.escalation_level > level,
                    owner_id=row.owner_id,
                    escalation_level=row.escalation_level,
                    can_climb_further=len(chain) > 1,
                )
            next_owner = chain[0] if chain and level < data.max_level else None
            if next_owner is not None:
                state = state.model_copy(update={"owner_id": next_owner.id, "escalation_level": level + 1})
            if isinstance(state, ComplaintChanges):
                for column, value in state.columns().items():
                    setattr(row, column, value)
            else:
                _apply_state(row, state)
            # The deadline in force after the breach (the row's when the breach did not move it).
            moved = state.respond_by if data.phase == "respond" else state.resolve_by
            deadline = moved or (row.respond_by if data.phase == "respond" else row.resolve_by)
            assert deadline is not None, "an open complaint has its deadlines"
            details = {
                **_state_details(state),
                "phase": data.phase,
                "previous_owner_id": previous_owner,
                "severity": data.severity,
                "deadline": deadline.isoformat(),
            }
            record_audit(
                session,
                actor="system:sla",
                action="complaint.escalated" if next_owner else "complaint.sla_breached",
                entity_type=ENTITY,
                entity_id=data.complaint_id,
                customer_id=data.customer_id,
                workflow_id=data.workflow_id,
                reason=f"{data.phase} SLA breached",
                details=details,
                operation_key=key,
            )
            notices: list[NotificationSpec] = []
            customer = await session.get(Customer, data.customer_id)
            subject = (
                f"{data.phase} SLA breached on {data.severity} complaint from "
                f"{customer.name if customer else data.customer_id}"
            )
            if next_owner is not None:
                notices.append(
                    NotificationSpec(
                        recipient_id=next_owner.id, kind="complaint.escalated", subject=subject, details=details
                    )
                )
            if previous_owner is not None:
                notices.append(
                    NotificationSpec(
                        recipient_id=previous_owner, kind="complaint.sla_breached", subject=subject, details=details
                    )
                )
            director = next((s for s in chain if s.role == StaffRole.DIRECTOR), None)
            if data.notify_director and director is not None and director.id not in {state.owner_id, previous_owner}:
                notices.append(
                    NotificationSpec(
                        recipient_id=director.id, kind="complaint.director_alert", subject=subject, details=details
                    )
                )
            self._notify(session, key, data.workflow_id, data.complaint_id, notices)
            return EscalateResult(
                escalated=next_owner is not None,
                owner_id=state.owner_id,
                escalation_level=state.escalation_level,
                can_climb_further=next_owner is not None and len(chain) > 1,
            )

    @activity.defn(name="complaint.remind_top")
    async def remind_top(self, data: RemindTopInput) -> SlaWarningResult:
        """The top of the chain was reached and nobody acted: remind the owner again (once per reminder)."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return SlaWarningResult(applied=False)
            customer = await session.get(Customer, data.customer_id)
            details = {
                "phase": data.phase,
                "severity": data.severity,
                "escalation_level": data.escalation_level,
                "deadline": data.next_reminder_at.isoformat() if data.next_reminder_at else None,
            }
            record_audit(
                session,
                actor="system:sla",
                action="complaint.escalation_reminder",
                entity_type=ENTITY,
                entity_id=data.complaint_id,
                customer_id=data.customer_id,
                workflow_id=data.workflow_id,
                details=details,
                operation_key=key,
            )
            self._notify(
                session,
                key,
                data.workflow_id,
                data.complaint_id,
                [
                    NotificationSpec(
                        recipient_id=data.recipient_id,
                        kind="complaint.escalation_reminder",
                        subject=f"Still waiting for you: {data.severity} complaint from "
                        f"{customer.name if customer else data.customer_id}",
                        details=details,
                    )
                ],
            )
            return SlaWarningResult(applied=True)

    @activity.defn(name="complaint.sla_warning")
    async def sla_warning(self, data: SlaWarningInput) -> SlaWarningResult:
        """Warn the owner that a share of an SLA window has passed."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return SlaWarningResult(applied=False)
            details = {"phase": data.phase, "fraction": data.fraction, "deadline": data.deadline.isoformat()}
            customer = await session.get(Customer, data.customer_id)
            record_audit(
                session,
                actor="system:sla",
                action="complaint.sla_warning",
                entity_type=ENTITY,
                entity_id=data.complaint_id,
                customer_id=data.customer_id,
                workflow_id=data.workflow_id,
                details=details,
                operation_key=key,
            )
            self._notify(
                session,
                key,
                data.workflow_id,
                data.complaint_id,
                [
                    NotificationSpec(
                        recipient_id=data.recipient_id,
                        kind="complaint.sla_warning",
                        subject=f"{int(data.fraction * 100)}% of the {data.phase} window used on the complaint from "
                        f"{customer.name if customer else data.customer_id}",
                        details=details,
                    )
                ],
            )
            return SlaWarningResult(applied=True)
