"""Target activities: the target set row, its audited versions, checkpoints, check-ins and daily progress."""

from __future__ import annotations

from sqlalchemy import select, update
from temporalio import activity

from activities.base import ActivitiesBase, operation_key, require_row
from db.models import ACCOUNT_MANAGER_ROLES, Staff, TargetCheckIn, TargetSet, TargetVersion, utcnow
from db.repositories.audit import record_audit, record_notification
from db.repositories.targets import AGREED, first_director_above, snapshot_progress
from definitions.targets import (
    AgreeInput,
    ChangeDecidedInput,
    CheckpointInput,
    CheckpointResult,
    OffPace,
    OpenBatchInput,
    OpenBatchResult,
    OpenTargetInput,
    OpenTargetResult,
    ProgressBatchInput,
    ProgressBatchResult,
    RecordVersionInput,
    SetStatusInput,
    UpdateCheckInInput,
)

_VERSION_ACTIONS = {
    "proposal": "target.proposed",
    "counter": "target.countered",
    "director": "target.decided",
    "fallback": "target.fallback",
    "change": "target.change_requested",
}


def _state(row: TargetSet, values: dict[str, float]) -> OpenTargetResult:
    return OpenTargetResult(
        target_set_id=row.id,
        supervisor_id=row.supervisor_id,
        director_id=row.director_id,
        status=row.status,
        turn=row.turn,
        counter_rounds=row.counter_rounds,
        current_version=row.current_version,
        agreed_version=row.agreed_version,
        values=values,
        agreed_values=row.agreed_values,
    )


class TargetActivities(ActivitiesBase):
    """Every write the targets process makes; each one idempotent under retries."""

    @activity.defn(name="targets.open")
    async def open(self, data: OpenTargetInput) -> OpenTargetResult:
        """The target set row, created once per period and manager; a rerun gets the state written so far."""
        async with self.transaction() as session:
            row = await session.scalar(select(TargetSet).where(TargetSet.workflow_id == data.workflow_id))
            if row is not None:
                latest = await session.scalar(
                    select(TargetVersion).where(
                        TargetVersion.target_set_id == row.id, TargetVersion.version == row.current_version
                    )
                )
                return _state(row, latest.values if latest is not None else {})
            staff = await require_row(session, Staff, data.staff_id)
            row = TargetSet(
                period=data.period,
                staff_id=staff.id,
                supervisor_id=staff.supervisor_id,
                director_id=await first_director_above(session, staff.id),
                workflow_id=data.workflow_id,
                status="negotiating",
                turn="supervisor",
                metrics=list(data.metrics),
                period_start=data.period_start,
                period_end=data.period_end,
                deadline_at=data.deadline_at,
                definition_version=data.definition_version,
            )
            session.add(row)
            await session.flush()
            record_audit(
                session,
                actor=data.opened_by,
                action="target.opened",
                entity_type="target",
                entity_id=row.id,
                workflow_id=data.workflow_id,
                reason=f"target setting for {data.period}",
                details={
                    "period": data.period,
                    "staff_id": staff.id,
                    "metrics": data.metrics,
                    "definition_version": data.definition_version,
                },
                operation_key=operation_key(),
            )
            if row.supervisor_id is not None:
                record_notification(
                    session,
                    recipient_id=row.supervisor_id,
                    kind="target.opened",
                    subject=f"Propose the {data.period} targets of {staff.name}",
                    entity_type="target",
                    entity_id=row.id,
                    workflow_id=data.workflow_id,
                    operation_key=operation_key("/notify"),
                )
            return _state(row, {})

    @activity.defn(name="targets.record_version")
    async def record_version(self, data: RecordVersionInput) -> None:
        """A new version of the values; the versions before it that were open are superseded. Audited."""
        async with self.transaction() as session:
            row = await require_row(session, TargetSet, data.target_set_id)
            exists = await session.scalar(
                select(TargetVersion.id).where(
                    TargetVersion.target_set_id == row.id, TargetVersion.version == data.version
                )
            )
            if exists is not None:
                return  # a retry: the version (and its audit) is there
            if data.kind != "change":
                await session.execute(
                    update(TargetVersion)
                    .where(TargetVersion.target_set_id == row.id, TargetVersion.status == "open")
                    .values(status="superseded")
                )
            session.add(
                TargetVersion(
                    target_set_id=row.id,
                    version=data.version,
                    kind=data.kind,
                    values=dict(data.values),
                    author_id=data.author_id,
                    actor=data.actor,
                    reason=data.reason,
                    status=data.status,
                    approval_id=data.approval_id,
                )
            )
            row.current_version = max(row.current_version, data.version)
            row.counter_rounds = data.counter_rounds
            if data.kind in ("proposal", "counter"):
                row.turn = data.turn
            record_audit(
                session,
                actor=data.actor,
                action=_VERSION_ACTIONS[data.kind],
                entity_type="target",
                entity_id=row.id,
                workflow_id=row.workflow_id,
                reason=data.reason,
                details={"version": data.version, "values": data.values, "approval_id": data.approval_id},
                operation_key=operation_key(),
            )
            recipient = {"proposal": row.staff_id, "counter": row.supervisor_id}.get(data.kind)
            if recipient is not None:
                verb = "proposed" if data.kind == "proposal" else "counter-proposed"
                record_notification(
                    session,
                    recipient_id=recipient,
                    kind=_VERSION_ACTIONS[data.kind],
                    subject=f"Targets for {row.period} {verb} (version {data.version})",
                    entity_type="target",
                    entity_id=row.id,
                    workflow_id=row.workflow_id,
                    operation_key=operation_key("/notify"),
                )

    @activity.defn(name="targets.agree")
    async def agree(self, data: AgreeInput) -> None:
        """Pin a version: its values are the targets in force from now on. Audited once."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return
            row = await require_row(session, TargetSet, data.target_set_id)
            await session.execute(
                update(TargetVersion)
                .where(TargetVersion.target_set_id == row.id, TargetVersion.version == data.version)
                .values(status="agreed")
            )
            if row.agreed_version is not None and row.agreed_version != data.version:
                await session.execute(
                    update(TargetVersion)
                    .where(TargetVersion.target_set_id == row.id, TargetVersion.version == row.agreed_version)
                    .values(status="superseded")
                )
            row.agreed_version, row.agreed_values = data.version, dict(data.values)
            row.status, row.turn = AGREED, None
            row.agreed_at = row.agreed_at or utcnow()
            record_audit(
                session,
                actor=data.actor,
                action="target.agreed" if data.how != "change" else "target.changed",
                entity_type="target",
                entity_id=row.id,
                workflow_id=row.workflow_id,
                reason=data.reason,
                details={"version": data.version, "values": data.values, "how": data.how},
                operation_key=key,
            )
            for recipient in {row.staff_id, row.supervisor_id} - {None}:
                record_notification(
                    session,
                    recipient_id=recipient,
                    kind="target.agreed",
                    subject=f"Targets for {row.period} pinned (version {data.version}, {data.how})",
                    entity_type="target",
                    entity_id=row.id,
                    workflow_id=row.workflow_id,
                    operation_key=f"{key}/notify/{recipient}",
                )

    @activity.defn(name="targets.set_status")
    async def set_status(self, data: SetStatusInput) -> None:
        """Move the target set to a status (director's decision, lapsed, closed). Audited once."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return
            row = await require_row(session, TargetSet, data.target_set_id)
            row.status, row.turn = data.status, data.turn
            if data.status == "closed":
                row.closed_at = utcnow()
            record_audit(
                session,
                actor=data.actor,
                action=f"target.{data.status}",
                entity_type="target",
                entity_id=row.id,
                workflow_id=row.workflow_id,
                reason=data.reason,
                operation_key=key,
            )
            if data.status == "director" and row.director_id is not None:
                record_notification(
                    session,
                    recipient_id=row.director_id,
                    kind="target.decision_needed",
                    subject=f"Decide the {row.period} targets of staff {row.staff_id}: no agreement by the deadline",
                    entity_type="target",
                    entity_id=row.id,
                    workflow_id=row.workflow_id,
                    operation_key=f"{key}/notify",
                )

    @activity.defn(name="targets.checkpoint")
    async def checkpoint(self, data: CheckpointInput) -> CheckpointResult:
        """Progress as of the checkpoint (stored as that day's snapshot); off-pace metrics open a check-in row."""
        async with self.transaction() as session:
            row = await require_row(session, TargetSet, data.target_set_id)
            existing = await session.scalar(
                select(TargetCheckIn).where(
                    TargetCheckIn.target_set_id == row.id, TargetCheckIn.checkpoint_day == data.checkpoint_day
                )
            )
            if existing is not None:  # a retry after the commit
                return CheckpointResult(off_pace=[OffPace(**o) for o in existing.off_pace], checkin_id=existing.id)
            rows = await snapshot_progress(session, [row], data.as_of, data.timezone)
            off = [
                OffPace(
                    metric=r["metric"], target=r["target"], actual=r["actual"], expected=r["expected"], pace=r["pace"]
                )
                for r in rows
                if r["pace"] is not None and r["pace"] < 1 - data.threshold
            ]
            if not off:
                return CheckpointResult()
            checkin = TargetCheckIn(
                target_set_id=row.id,
                checkpoint_day=data.checkpoint_day,
                status="open",
                off_pace=[o.model_dump() for o in off],
            )
            session.add(checkin)
            await session.flush()
            record_audit(
                session,
                actor="system",
                action="target.off_pace",
                entity_type="target",
                entity_id=row.id,
                workflow_id=row.workflow_id,
                reason=f"off pace at day {data.checkpoint_day}",
                details={"checkin_id": checkin.id, "off_pace": [o.model_dump() for o in off]},
                operation_key=operation_key(),
            )
            return CheckpointResult(off_pace=off, checkin_id=checkin.id)

    @activity.defn(name="targets.update_checkin")
    async def update_checkin(self, data: UpdateCheckInInput) -> None:
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return
            checkin = await require_row(session, TargetCheckIn, data.checkin_id)
            checkin.status = data.status
            if data.response is not None:
                checkin.response = data.response
            if data.acknowledged_by is not None:
                checkin.acknowledged_by = data.acknowledged_by
            if data.acknowledgement is not None:
                checkin.acknowledgement = data.acknowledgement
            row = await require_row(session, TargetSet, checkin.target_set_id)
            record_audit(
                session,
                actor=data.actor,
                action=f"target.checkin_{data.status}",
                entity_type="target",
                entity_id=row.id,
                workflow_id=row.workflow_id,
                details={"checkin_id": checkin.id, "checkpoint_day": checkin.checkpoint_day},
                operation_key=key,
            )

    @activity.defn(name="targets.change_decided")
    async def change_decided(self, data: ChangeDecidedInput) -> None:
        """The approval on a change request ended: its pending version is agreed (and pinned) or rejected."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return
            row = await require_row(session, TargetSet, data.target_set_id)
            version = await session.scalar(
                select(TargetVersion).where(
                    TargetVersion.target_set_id == row.id, TargetVersion.version == data.version
                )
            )
            if version is None:
                return
            if data.approved:
                if row.agreed_version is not None:
                    await session.execute(
                        update(TargetVersion)
                        .where(TargetVersion.target_set_id == row.id, TargetVersion.version == row.agreed_version)
                        .values(status="superseded")
                    )
                version.status = "agreed"
                row.agreed_version, row.agreed_values = data.version, dict(data.values)
            else:
                version.status = "rejected"
            record_audit(
                session,
                actor=f"approval:{data.approval_id}",
                action="target.changed" if data.approved else "target.change_rejected",
                entity_type="target",
                entity_id=row.id,
                workflow_id=row.workflow_id,
                reason=data.reason,
                details={"version": data.version, "values": data.values, "approval_id": data.approval_id},
                operation_key=key,
            )
            record_notification(
                session,
                recipient_id=row.staff_id,
                kind="target.changed" if data.approved else "target.change_rejected",
                subject=f"Your change to the {row.period} targets was {'approved' if data.approved else 'not approved'}",
                entity_type="target",
                entity_id=row.id,
                workflow_id=row.workflow_id,
                operation_key=f"{key}/notify",
            )

    @activity.defn(name="targets.progress_batch")
    async def progress_batch(self, data: ProgressBatchInput) -> ProgressBatchResult:
        """Snapshots of the next `limit` agreed target sets whose period has begun (set-based, one write)."""
        async with self.transaction() as session:
            sets = list(
                await session.scalars(
                    select(TargetSet)
                    .where(
                        TargetSet.id > data.after_id,
                        TargetSet.status == AGREED,
                        TargetSet.period_start < data.as_of,
                        TargetSet.period_end > data.as_of,
                    )
                    .order_by(TargetSet.id)
                    .limit(data.limit)
                )
            )
            rows = await snapshot_progress(session, sets, data.as_of, data.timezone)
            activity.heartbeat(len(sets))
            return ProgressBatchResult(
                cursor=sets[-1].id if sets else data.after_id,
                target_sets=len(sets),
                snapshots=len(rows),
                exhausted=len(sets) < data.limit,
            )

    @activity.defn(name="targets.open_batch")
    async def open_batch(self, data: OpenBatchInput) -> OpenBatchResult:
        """The next `limit` active account managers after the cursor."""
        async with self.transaction() as session:
            ids = list(
                await session.scalars(
                    select(Staff.id)
                    .where(
                        Staff.active.is_(True), Staff.role.in_(ACCOUNT_MANAGER_ROLES), Staff.id > data.after_staff_id
                    )
                    .order_by(Staff.id)
                    .limit(data.limit)
                )
            )
            return OpenBatchResult(
                staff_ids=ids, cursor=ids[-1] if ids else data.after_staff_id, exhausted=len(ids) < data.limit
            )
