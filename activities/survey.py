"""Survey activities (DESIGN §3.9): pick a wave set-based, start its surveys, invite, remind, expire, record.

Every step writes an audit event carrying the customer id (the timeline shows it) in the transaction of the change.
Retries never write twice: the wave's INSERT … SELECT re-selects its own rows, workflow starts are refused for an id
that exists, and the per-invitation steps run under `once()` with the activity's stable operation key or change a
row only from the state they expect (a second answer finds it answered and writes nothing).
"""

from __future__ import annotations

from sqlalchemy import update
from temporalio import activity
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from activities.base import ActivitiesBase, operation_key, require_row
from db.models import Customer, CustomerContact, SurveyInvitation, SurveyStatus, utcnow
from db.repositories.audit import record_audit, record_notification
from db.repositories.surveys import select_wave
from definitions.survey import (
    CloseRecoveryInput,
    ExpireInput,
    InviteInput,
    InviteResult,
    RecordAnswersInput,
    RecordAnswersResult,
    RemindInput,
    SelectWaveInput,
    SelectWaveResult,
    StartSurveysInput,
    StartSurveysResult,
    SurveyInput,
)

# Registered by workflows/survey.py; named here so activities import no workflow module.
SURVEY_WORKFLOW = "SurveyWorkflow"
SYSTEM = "system:survey"


class SurveyActivities(ActivitiesBase):
    """The survey steps that touch the database or Temporal; each one short transaction."""

    @activity.defn(name="survey.select_wave")
    async def select_wave(self, data: SelectWaveInput) -> SelectWaveResult:
        """One INSERT … SELECT of the due customers' invitations (the N-days rule and cadence in SQL)."""
        async with self.transaction() as session:
            ids = await select_wave(
                session,
                definition=data.definition,
                wave_id=data.wave_id,
                now=data.now,
                customer_ids=data.customer_ids,
                trigger=data.trigger,
            )
        return SelectWaveResult(invitation_ids=ids)

    @activity.defn(name="survey.start_surveys")
    async def start_surveys(self, data: StartSurveysInput) -> StartSurveysResult:
        """Start one SurveyWorkflow per invitation; an id already started (a retry) is left alone."""
        client = activity.client()
        task_queue = activity.info().task_queue
        async with self.sessions() as session:
            rows = [
                (row.id, row.customer_id, row.workflow_id)
                for row in [await require_row(session, SurveyInvitation, i) for i in data.invitation_ids]
            ]
        started = 0
        for index, (invitation_id, customer_id, workflow_id) in enumerate(rows):
            activity.heartbeat(index)
            try:
                await client.start_workflow(
                    SURVEY_WORKFLOW,
                    SurveyInput(invitation_id=invitation_id, customer_id=customer_id, definition=data.definition),
                    id=workflow_id,
                    task_queue=task_queue,
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                )
                started += 1
            except WorkflowAlreadyStartedError:
                pass
        return StartSurveysResult(started=started)

    @activity.defn(name="survey.invite")
    async def invite(self, data: InviteInput) -> InviteResult:
        """Email the customer's contact their personal link (through the notification outbox) and audit it."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            invitation = await require_row(session, SurveyInvitation, data.invitation_id)
            if applied or invitation.status != SurveyStatus.PENDING:
                return InviteResult(
                    invited=invitation.status != SurveyStatus.NOT_SENT,
                    expires_at=invitation.expires_at or data.expires_at,
                )
            customer = await require_row(session, Customer, invitation.customer_id)
            contact = await session.get(CustomerContact, invitation.customer_id)
            if contact is None or not contact.email:
                invitation.status = SurveyStatus.NOT_SENT
                record_audit(
                    session,
                    actor=SYSTEM,
                    action="survey.not_sent",
                    entity_type="survey",
                    entity_id=invitation.id,
                    customer_id=customer.id,
                    workflow_id=invitation.workflow_id,
                    reason="the customer has no contact address",
                    operation_key=key,
                )
                return InviteResult(invited=False, expires_at=data.expires_at)
            invitation.status, invitation.invited_at, invitation.expires_at = (
                SurveyStatus.INVITED,
                data.now,
                data.expires_at,
            )
            invitation.email, invitation.language = contact.email, contact.language
            record_notification(
                session,
                recipient_id=None,
                kind="survey.invitation",
                subject=f"Survey: {customer.name}",
                entity_type="survey",
                entity_id=invitation.id,
                workflow_id=invitation.workflow_id,
                details={"to_email": contact.email, "customer_id": customer.id},
                operation_key=f"{key}/mail",
            )
            record_audit(
                session,
                actor=SYSTEM,
                action="survey.invited",
                entity_type="survey",
                entity_id=invitation.id,
                customer_id=customer.id,
                workflow_id=invitation.workflow_id,
                reason=f"{invitation.trigger} survey, wave {invitation.wave_id}",
                details={
                    "wave_id": invitation.wave_id,
                    "trigger": invitation.trigger,
                    "expires_at": data.expires_at.isoformat(),
                    "language": contact.language,
                },
                operation_key=key,
            )
        return InviteResult(invited=True, expires_at=data.expires_at)

    @activity.defn(name="survey.remind")
    async def remind(self, data: RemindInput) -> bool:
        """Remind a contact who has not answered yet; False when there is nothing to remind of any more."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            invitation = await require_row(session, SurveyInvitation, data.invitation_id)
            if applied:
                return True
            if invitation.status != SurveyStatus.INVITED or not invitation.email:
                return False
            invitation.reminders_sent += 1
            customer = await require_row(session, Customer, invitation.customer_id)
            record_notification(
                session,
                recipient_id=None,
                kind="survey.reminder",
                subject=f"Survey reminder: {customer.name}",
                entity_type="survey",
                entity_id=invitation.id,
                workflow_id=invitation.workflow_id,
                details={
                    "to_email": invitation.email,
                    "customer_id": customer.id,
                    "reminder_index": data.reminder_index,
                },
                operation_key=f"{key}/mail",
            )
            record_audit(
                session,
                actor=SYSTEM,
                action="survey.reminded",
                entity_type="survey",
                entity_id=invitation.id,
                customer_id=customer.id,
                workflow_id=invitation.workflow_id,
                details={"reminder": data.reminder_index + 1},
                operation_key=key,
            )
        return True

    @activity.defn(name="survey.expire")
    async def expire(self, data: ExpireInput) -> bool:
        """No answer before the expiry: invited → expired (an answered survey is left alone)."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return True
            changed = await session.execute(
                update(SurveyInvitation)
                .where(SurveyInvitation.id == data.invitation_id, SurveyInvitation.status == SurveyStatus.INVITED)
                .values(status=SurveyStatus.EXPIRED, updated_at=utcnow())
            )
            if not changed.rowcount:  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult; SQLAlchemy types it as Result
                return False
            invitation = await require_row(session, SurveyInvitation, data.invitation_id)
            record_audit(
                session,
                actor=SYSTEM,
                action="survey.expired",
                entity_type="survey",
                entity_id=invitation.id,
                customer_id=invitation.customer_id,
                workflow_id=invitation.workflow_id,
                reason="no answer before the link expired",
                operation_key=key,
            )
        return True

    @activity.defn(name="survey.record_answers")
    async def record_answers(self, data: RecordAnswersInput) -> RecordAnswersResult:
        """Write the answers once: only an invitation still `invited` takes them (single use in the database)."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            invitation = await require_row(session, SurveyInvitation, data.invitation_id)
            customer = await require_row(session, Customer, invitation.customer_id)
            if applied:
                return RecordAnswersResult(recorded=True, owner_id=customer.owner_id, customer_name=customer.name)
            now = utcnow()
            changed = await session.execute(
                update(SurveyInvitation)
                .where(SurveyInvitation.id == data.invitation_id, SurveyInvitation.status == SurveyStatus.INVITED)
                .values(
                    status=SurveyStatus.ANSWERED,
                    answered_at=now,
                    answers=data.answers,
                    csat=data.csat,
                    nps=data.nps,
                    score=data.score,
                    recovery_status="open" if data.recovery else None,
                    updated_at=now,
                )
            )
            if not changed.rowcount:  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult; SQLAlchemy types it as Result
                return RecordAnswersResult(recorded=False, owner_id=customer.owner_id, customer_name=customer.name)
            record_audit(
                session,
                actor="customer",
                action="survey.answered",
                entity_type="survey",
                entity_id=invitation.id,
                customer_id=customer.id,
                workflow_id=invitation.workflow_id,
                reason=_scores(data.csat, data.nps),
                details={"csat": data.csat, "nps": data.nps, "recovery": data.recovery, "client": data.client[:100]},
                operation_key=key,
            )
            if data.recovery:
                record_audit(
                    session,
                    actor=SYSTEM,
                    action="survey_recovery.opened",
                    entity_type="survey",
                    entity_id=invitation.id,
                    customer_id=customer.id,
                    workflow_id=invitation.workflow_id,
                    reason=f"low score ({_scores(data.csat, data.nps)}): recovery task for the owner",
                    details={"owner_id": customer.owner_id},
                    operation_key=f"{key}/recovery",
                )
        return RecordAnswersResult(recorded=True, owner_id=customer.owner_id, customer_name=customer.name)

    @activity.defn(name="survey.close_recovery")
    async def close_recovery(self, data: CloseRecoveryInput) -> None:
        """The recovery task closed: what was done, and from when the customer may be surveyed again."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return
            invitation = await require_row(session, SurveyInvitation, data.invitation_id)
            invitation.recovery_status = data.outcome
            invitation.recovery_actions = (data.actions or "")[:4000] or None
            invitation.recovery_closed_at = utcnow()
            invitation.resurvey_after = data.resurvey_after
            record_audit(
                session,
                actor=f"staff:{data.decided_by}" if data.decided_by else SYSTEM,
                action="survey_recovery.closed",
                entity_type="survey",
                entity_id=invitation.id,
                customer_id=invitation.customer_id,
                workflow_id=invitation.workflow_id,
                reason=data.actions or f"recovery {data.outcome}",
                details={"outcome": data.outcome, "resurvey_after": data.resurvey_after.isoformat()},
                operation_key=key,
            )


def _scores(csat: int | None, nps: int | None) -> str:
    return ", ".join(
        part for part in (f"CSAT {csat}" if csat is not None else "", f"NPS {nps}" if nps is not None else "") if part
    )
