"""Quarterly review activities: cycles, review rows, set-based KPIs, progress and the per-team summary."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.base import ActivitiesBase, operation_key
from db.models import (
    ACCOUNT_MANAGER_ROLES,
    Complaint,
    Customer,
    CustomerStatus,
    FollowUp,
    Review,
    ReviewCycle,
    ReviewPlanItem,
    Staff,
    utcnow,
)
from db.repositories.audit import record_audit, record_notification
from db.repositories.kpis import METRIC_INFO, KpiWindow, MetricValue, compute_metrics
from definitions.kpis import Direction
from definitions.tasks import OpenTaskResult
from db.repositories.targets import agreed_targets_of, target_vs_actual
from activities.tasks import open_task_row
from db.repositories.staff import subtree_ids
from definitions.review import (
    AtRiskRules,
    ComputeKpisInput,
    ComputeKpisResult,
    CycleProgress,
    CycleProgressInput,
    ManagerKpis,
    MeasurePlanItemInput,
    OpenBatchInput,
    OpenBatchResult,
    OpenCycleInput,
    OpenCycleResult,
    OpenReviewTaskInput,
    PlanItemOutcome,
    PlanItemRef,
    RemindPlanItemInput,
    ReviewKpis,
    ReviewRef,
    SavePlanInput,
    SummarizeCycleInput,
    UpdateReviewInput,
)

OPEN_STATUSES = ("open",)
AT_RISK_LIMIT = 500  # ids kept per review; the count is in the KPIs


def review_workflow_id(period: str, manager_id: int) -> str:
    """The business-key workflow id of one manager's review."""
    return f"review-{period}-{manager_id}"


def period_dates(period: str) -> tuple[date, date]:
    """Calendar dates of a quarter (transactions carry a date, not a time)."""
    year, quarter = int(period[:4]), int(period[5])
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


REVIEW_METRICS = (
    "customers_held",
    "customers_lost",
    "retention",
    "revenue",
    "new_customers",
    "complaints",
    "sla_compliance",
    "avg_satisfaction",
    "followup_coverage",
)


def review_window(period: str, start: datetime, end: datetime) -> KpiWindow:
    """The review's period for the catalogue: its bounds, and the quarter's calendar dates for dated rows."""
    first_day, last_day = period_dates(period)
    return KpiWindow(start=start, end=end, first_day=first_day, last_day=last_day)


async def compute_kpis(
    session: AsyncSession, manager_ids: list[int], period: str, start: datetime, end: datetime
) -> dict[int, ReviewKpis]:
    """KPIs of many managers at once, from the KPI catalogue (one statement, never a row-by-row loop)."""
    figures = await compute_metrics(session, REVIEW_METRICS, manager_ids, review_window(period, start, end))
    return {manager_id: _review_kpis(figures[manager_id]) for manager_id in manager_ids}


def _review_kpis(figures: dict[str, MetricValue]) -> ReviewKpis:
    """The review's KPIs from one manager's catalogue figures."""
    values = {key: value.value for key, value in figures.items()}
    return ReviewKpis(
        customers_held=values["customers_held"] or 0,
        customers_lost=values["customers_lost"] or 0,
        retention=values["retention"],
        revenue=float(values["revenue"] or 0),
        new_customers=values["new_customers"] or 0,
        complaints=values["complaints"] or 0,
        sla_compliance=values["sla_compliance"],
        average_satisfaction=values["avg_satisfaction"],
        follow_up_coverage=values["followup_coverage"],
    )


async def batch_review_kpis(
    session: AsyncSession, manager_ids: list[int], period: str, start: datetime, end: datetime, rules: AtRiskRules
) -> dict[int, tuple[dict[str, Any], list[int]]]:
    """Per manager of a batch: the review's stored KPIs (the figures, the at-risk count and the target table) and
    their at-risk customers; set-based over the whole batch (three grouped statements, whatever its size)."""
    if not manager_ids:
        return {}
    agreed = await agreed_targets_of(session, manager_ids, period)
    target_keys = [key for row in agreed.values() for key in row.agreed_values or {} if key in METRIC_INFO]
    # One catalogue statement for the review's metrics and every metric some manager has a target for.
    figures = await compute_metrics(
        session, [*REVIEW_METRICS, *target_keys], manager_ids, review_window(period, start, end)
    )
    at_risk = await at_risk_customers(session, manager_ids, end, rules)
    result: dict[int, tuple[dict[str, Any], list[int]]] = {}
    for manager_id in manager_ids:
        ids = at_risk.get(manager_id, [])
        targets = agreed.get(manager_id)
        actuals = {key: value.value for key, value in figures[manager_id].items()}
        stored = {
            **_review_kpis(figures[manager_id]).model_dump(),
            "at_risk_customers": len(ids),
            "targets": target_vs_actual(targets.agreed_values, actuals) if targets is not None else [],
        }
        result[manager_id] = (stored, ids)
    return result


async def targets_of_review(
    session: AsyncSession, manager_id: int, period: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """The manager's agreed targets for the period beside their actuals and attainment (the review's table)."""
    agreed = (await agreed_targets_of(session, [manager_id], period)).get(manager_id)
    if agreed is None:
        return []
    keys = [key for key in agreed.agreed_values or {} if key in METRIC_INFO]
    figures = (await compute_metrics(session, keys, [manager_id], review_window(period, start, end)))[manager_id]
    return target_vs_actual(agreed.agreed_values, {key: value.value for key, value in figures.items()})


async def at_risk_customers(
    session: AsyncSession, manager_ids: list[int], end: datetime, rules: AtRiskRules
) -> dict[int, list[int]]:
    """Customers with no follow-up for N days before the period end, or a low average satisfaction."""
    cutoff = end - timedelta(days=rules.no_follow_up_days)
    last_follow_up = (
        select(FollowUp.customer_id, func.max(FollowUp.occurred_at).label("last_at"))
        .where(FollowUp.occurred_at < end)
        .group_by(FollowUp.customer_id)
        .subquery()
    )
    satisfaction = (
        select(Complaint.customer_id, func.avg(Complaint.satisfaction).label("avg_sat"))
        .where(Complaint.satisfaction.is_not(None), Complaint.created_at < end)
        .group_by(Complaint.customer_id)
        .subquery()
    )
    last_at = func.coalesce(last_follow_up.c.last_at, Customer.last_follow_up_at)
    query = (
        select(Customer.owner_id, Customer.id)
        .outerjoin(last_follow_up, last_follow_up.c.customer_id == Customer.id)
        .outerjoin(satisfaction, satisfaction.c.customer_id == Customer.id)
        .where(
            Customer.owner_id.in_(manager_ids),
            Customer.status == CustomerStatus.ACTIVE.value,
            or_(last_at.is_(None), last_at < cutoff, satisfaction.c.avg_sat < literal(rules.low_satisfaction_below)),
        )
        .order_by(Customer.owner_id, Customer.id)
    )
    found: dict[int, list[int]] = defaultdict(list)
    for owner_id, customer_id in (await session.execute(query)).all():
        if len(found[owner_id]) < AT_RISK_LIMIT:  # type: ignore[index]  # never NULL: owner_id IN manager_ids
            found[owner_id].append(customer_id)  # type: ignore[index]  # (as above)
    return found


async def _batch_kpis(session: AsyncSession, data: OpenBatchInput, rows: dict[int, Review]) -> dict[int, ManagerKpis]:
    """The batch's KPIs stored on its review rows (as each review's own KPI step stored them) and handed to the
    reviews; a row that has them already (a retried batch) keeps what it has."""
    request = data.kpis
    assert request is not None
    missing = [manager_id for manager_id, row in rows.items() if row.kpis is None]
    computed = await batch_review_kpis(
        session, missing, data.period, request.period_start, request.period_end, request.at_risk
    )
    for manager_id, (stored, at_risk) in computed.items():
        rows[manager_id].kpis = stored
        rows[manager_id].at_risk_customer_ids = at_risk
    return {manager_id: _manager_kpis(row, request.at_risk_ids) for manager_id, row in rows.items()}


def _manager_kpis(row: Review, at_risk_ids: int) -> ManagerKpis:
    """A review's stored KPIs as its input carries them, with its first `at_risk_ids` at-risk customers."""
    stored = row.kpis or {}
    figures = {key: stored[key] for key in ReviewKpis.model_fields if stored.get(key) is not None}
    return ManagerKpis(
        kpis=ReviewKpis.model_validate(figures),
        at_risk_customers=stored.get("at_risk_customers") or 0,
        at_risk_customer_ids=list(row.at_risk_customer_ids or [])[:at_risk_ids],
    )


async def _apply_update(session: AsyncSession, data: UpdateReviewInput, key: str) -> None:
    """The review's stage move and what the step produced, audited under `key`."""
    review = await session.get(Review, data.review_id)
    if review is None:
        return
    review.stage = data.stage
    changes: dict[str, Any] = {"stage": data.stage}
    for field in ("status", "self_assessment", "rework_rounds", "rating", "decided_by", "comment"):
        value = getattr(data, field)
        if value is not None:
            setattr(review, field, value)
            changes[field] = value
    if data.completed:
        review.completed_at = utcnow()
    record_audit(
        session,
        actor=data.actor,
        action=f"review.{data.stage}",
        entity_type="review",
        entity_id=review.id,
        workflow_id=review.workflow_id,
        reason=data.reason,
        details=changes,
        operation_key=key,
    )
    if data.completed and data.status == "overdue" and review.supervisor_id:
        record_notification(
            session,
            recipient_id=review.supervisor_id,
            kind="review.overdue",
            subject=f"Review {review.period} of staff {review.manager_id} is overdue",
            entity_type="review",
            entity_id=review.id,
            workflow_id=review.workflow_id,
            operation_key=key,
        )


class ReviewActivities(ActivitiesBase):
    """Every write the review process makes; each one idempotent under retries."""

    @activity.defn(name="review.open_cycle")
    async def open_cycle(self, data: OpenCycleInput) -> OpenCycleResult:
        """The period's cycle row, created once (the period is unique)."""
        async with self.transaction() as session:
            cycle = await session.scalar(select(ReviewCycle).where(ReviewCycle.workflow_id == data.workflow_id))
            if cycle is not None:
                return OpenCycleResult(cycle_id=cycle.id, created=False)
            cycle = ReviewCycle(
                period=data.period,
                workflow_id=data.workflow_id,
                scope_staff_id=data.scope_staff_id,
                period_start=data.period_start,
                period_end=data.period_end,
                started_by=data.started_by,
                status="running",
                definition_version=data.definition_version,
            )
            session.add(cycle)
            await session.flush()
            record_audit(
                session,
                actor=data.started_by,
                action="review_cycle.opened",
                entity_type="review_cycle",
                entity_id=cycle.id,
                workflow_id=data.workflow_id,
                reason=f"quarterly review for {data.period}",
                details={"period": data.period, "definition_version": data.definition_version},
            )
            return OpenCycleResult(cycle_id=cycle.id, created=True)

    @activity.defn(name="review.open_batch")
    async def open_batch(self, data: OpenBatchInput) -> OpenBatchResult:
        """The next `limit` active managers after the cursor, each with a review row (created once)."""
        async with self.transaction() as session:
            query = (
                select(Staff.id, Staff.supervisor_id)
                .where(Staff.active.is_(True), Staff.role.in_(ACCOUNT_MANAGER_ROLES), Staff.id > data.after_manager_id)
                # A manager is reviewed once per period: one reviewed in another cycle (e.g. their director's
                # own) is not opened again.
                .where(
                    ~select(Review.id)
                    .where(
                        Review.period == data.period, Review.manager_id == Staff.id, Review.cycle_id != data.cycle_id
                    )
                    .exists()
                )
                .order_by(Staff.id)
                .limit(data.limit)
            )
            if data.scope_staff_id is not None:
                query = query.where(Staff.id.in_(await subtree_ids(session, data.scope_staff_id)))
            managers = (await session.execute(query)).all()
            ids = [m[0] for m in managers]
            rows: dict[int, Review] = (
                {
                    r.manager_id: r
                    for r in await session.scalars(
                        select(Review).where(Review.cycle_id == data.cycle_id, Review.manager_id.in_(ids))
                    )
                }
                if ids
                else {}
            )
            for manager_id, supervisor_id in managers:
                if manager_id not in rows:
                    rows[manager_id] = Review(
                        cycle_id=data.cycle_id,
                        period=data.period,
                        manager_id=manager_id,
                        supervisor_id=supervisor_id,
                        workflow_id=review_workflow_id(data.period, manager_id),
                        status="open",
                        stage="kpis",
                    )
                    session.add(rows[manager_id])
            await session.flush()  # the batch's new rows in one flush
            kpis = await _batch_kpis(session, data, rows) if data.kpis is not None else {}
            refs = [
                ReviewRef(
                    review_id=rows[manager_id].id,
                    manager_id=manager_id,
                    supervisor_id=rows[manager_id].supervisor_id,
                    workflow_id=rows[manager_id].workflow_id,
                    kpis=kpis.get(manager_id),
                )
                for manager_id in ids
            ]
            cycle = await session.get(ReviewCycle, data.cycle_id)
            if cycle is not None:
                cycle.manager_count = (
                    await session.scalar(
                        select(func.count()).select_from(Review).where(Review.cycle_id == data.cycle_id)
                    )
                    or 0
                )
            return OpenBatchResult(
                reviews=refs, cursor=ids[-1] if ids else data.after_manager_id, exhausted=len(ids) < data.limit
            )

    @activity.defn(name="review.compute_kpis")
    async def compute_kpis(self, data: ComputeKpisInput) -> ComputeKpisResult:
        """The manager's KPIs and at-risk customers for the period, stored on the review."""
        async with self.transaction() as session:
            review = await session.get(Review, data.review_id)
            period = review.period if review is not None else None
            kpis = (
                await compute_kpis(session, [data.manager_id], period or "1970Q1", data.period_start, data.period_end)
            )[data.manager_id]
            at_risk = (await at_risk_customers(session, [data.manager_id], data.period_end, data.at_risk)).get(
                data.manager_id, []
            )
            if review is not None:
                review.kpis = {
                    **kpis.model_dump(),
                    "at_risk_customers": len(at_risk),
                    "targets": await targets_of_review(
                        session, data.manager_id, period or "1970Q1", data.period_start, data.period_end
                    ),
                }
                review.at_risk_customer_ids = at_risk
            return ComputeKpisResult(kpis=kpis, at_risk_customer_ids=at_risk)

    @activity.defn(name="review.update")
    async def update_review(self, data: UpdateReviewInput) -> None:
        """Move the review to a stage and record what the step produced (audited once)."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            if not applied:
                await _apply_update(session, data, key)

    @activity.defn(name="review.open_task")
    async def open_review_task(self, data: OpenReviewTaskInput) -> OpenTaskResult:
        """Move the review to its task's stage and open the task, in one transaction (one activity, not two)."""
        key = operation_key()
        async with self.once(key, read_first=False) as (session, applied):
            if not applied:
                await _apply_update(session, data.move, key)
            return await open_task_row(session, data.task, activity.info().workflow_id)

    @activity.defn(name="review.cycle_progress")
    async def cycle_progress(self, data: CycleProgressInput) -> CycleProgress:
        """How many of the cycle's reviews exist and how many are still open."""
        async with self.transaction() as session:
            total, still_open = (
                await session.execute(
                    select(
                        func.count(), func.coalesce(func.sum(case((Review.status.in_(OPEN_STATUSES), 1), else_=0)), 0)
                    ).where(Review.cycle_id == data.cycle_id)
                )
            ).one()
            return CycleProgress(total=total or 0, open=int(still_open or 0))

    @activity.defn(name="review.summarize_cycle")
    async def summarize_cycle(self, data: SummarizeCycleInput) -> dict[str, Any]:
        """Roll the reviews up per team (the manager's supervisor) and close the cycle."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            cycle = await session.get(ReviewCycle, data.cycle_id)
            if cycle is None:
                return {}
            if applied:
                return cycle.summary or {}
            grouped = (
                await session.execute(
                    select(Review.supervisor_id, Review.status, func.count(), func.avg(Review.rating))
                    .where(Review.cycle_id == data.cycle_id)
                    .group_by(Review.supervisor_id, Review.status)
                )
            ).all()
            teams: dict[str, dict[str, Any]] = {}
            for supervisor_id, status, count, avg_rating in grouped:
                team = teams.setdefault(
                    str(supervisor_id or "none"),
                    {
                        "supervisor_id": supervisor_id,
                        "reviews": 0,
                        "by_status": {},
                        "rated": 0,
                        "rating_sum": 0.0,
                        "revenue": 0.0,
                        "customers_held": 0,
                        "complaints": 0,
                        "at_risk_customers": 0,
                    },
                )
                team["reviews"] += count
                team["by_status"][status] = count
                if avg_rating is not None:
                    rated = await session.scalar(
                        select(func.count())
                        .select_from(Review)
                        .where(
                            Review.cycle_id == data.cycle_id,
                            Review.supervisor_id == supervisor_id,
                            Review.status == status,
                            Review.rating.is_not(None),
                        )
                    )
                    team["rated"] += rated or 0
                    team["rating_sum"] += float(avg_rating) * (rated or 0)
            # KPI totals live in the JSON column: summed here in one pass over the cycle's rows.
            for supervisor_id, kpis in (
                await session.execute(select(Review.supervisor_id, Review.kpis).where(Review.cycle_id == data.cycle_id))
            ).all():
                team = teams[str(supervisor_id or "none")]
                for name in ("revenue", "customers_held", "complaints", "at_risk_customers"):
                    team[name] += (kpis or {}).get(name) or 0
            for team in teams.values():
                rating_sum = team.pop("rating_sum")
                team["average_rating"] = round(rating_sum / team["rated"], 2) if team["rated"] else None
            summary = {"period": cycle.period, "reviews": sum(t["reviews"] for t in teams.values()), "teams": teams}
            cycle.summary = summary
            cycle.status = "completed"
            cycle.completed_at = utcnow()
            record_audit(
                session,
                actor="system",
                action="review_cycle.completed",
                entity_type="review_cycle",
                entity_id=cycle.id,
                workflow_id=cycle.workflow_id,
                reason="every review of the cycle finished",
                details={"reviews": summary["reviews"], "teams": len(teams)},
                operation_key=key,
            )
            return summary


def plan_item_met(metric_key: str, value: float | None, target: float) -> bool:
    """Whether a measured value reaches the target, in the metric's direction (no figure: missed)."""
    if value is None:
        return False
    higher = METRIC_INFO[metric_key].direction == Direction.HIGHER
    return value >= target if higher else value <= target


class ReviewPlanActivities(ActivitiesBase):
    """Writes of an improvement plan: the items once, a reminder once per item, the measurement once per item."""

    @activity.defn(name="review.plan_save")
    async def save_plan(self, data: SavePlanInput) -> list[PlanItemRef]:
        """Write the items (a retry finds them: unique per review and position)."""
        async with self.transaction() as session:
            existing = {
                row.position: row
                for row in await session.scalars(
                    select(ReviewPlanItem).where(ReviewPlanItem.review_id == data.review_id)
                )
            }
            added = False
            for position, item in enumerate(data.items, start=1):
                if position not in existing:
                    added = True
                    row = ReviewPlanItem(
                        review_id=data.review_id,
                        position=position,
                        manager_id=data.manager_id,
                        metric=item.metric,
                        baseline=item.baseline,
                        target=item.target,
                        due_on=item.due_on,
                        status="open",
                    )
                    session.add(row)
                    existing[position] = row
            await session.flush()
            if added:  # a retry after the commit finds every item and audits nothing again
                review = await session.get(Review, data.review_id)
                record_audit(
                    session,
                    actor="system",
                    action="review.plan_added",
                    entity_type="review",
                    entity_id=data.review_id,
                    workflow_id=review.workflow_id if review else None,
                    details={"items": [i.model_dump(mode="json") for i in data.items]},
                    operation_key=operation_key(),
                )
            return [
                PlanItemRef(item_id=row.id, position=row.position, due_on=row.due_on)
                for _, row in sorted(existing.items())
            ]

    @activity.defn(name="review.plan_remind")
    async def remind(self, data: RemindPlanItemInput) -> None:
        """Tell the manager an item is due soon (once: the notification's operation key)."""
        async with self.transaction() as session:
            row = await session.get(ReviewPlanItem, data.item_id)
            if row is None or row.reminded_at is not None:
                return
            row.reminded_at = utcnow()
            label = METRIC_INFO[row.metric].label
            record_notification(
                session,
                recipient_id=row.manager_id,
                kind="review.plan_reminder",
                subject=f"Improvement plan: {label} should reach {row.target:g} by {row.due_on.isoformat()}",
                entity_type="review",
                entity_id=row.review_id,
                details={
                    "item_id": row.id,
                    "metric": row.metric,
                    "target": row.target,
                    "due_on": row.due_on.isoformat(),
                },
                operation_key=f"review-plan-reminder-{row.id}",
            )

    @activity.defn(name="review.plan_measure")
    async def measure(self, data: MeasurePlanItemInput) -> PlanItemOutcome:
        """Measure the item's metric (KPI catalogue) from the reviewed period's end to its due date; met or missed."""
        async with self.transaction() as session:
            row = await session.get(ReviewPlanItem, data.item_id)
            if row is None:
                raise ValueError(f"plan item {data.item_id} not found")
            if row.status != "open":  # a retry after the write committed
                return PlanItemOutcome(item_id=row.id, status=row.status, measured_value=row.measured_value)
            due = datetime.combine(row.due_on, datetime.min.time(), tzinfo=data.since.tzinfo)
            window = KpiWindow.between(data.since, max(due, data.since))
            figures = await compute_metrics(session, [row.metric], [row.manager_id], window)
            value = figures[row.manager_id][row.metric].value
            row.measured_value = float(value) if value is not None else None
            row.measured_at = utcnow()
            row.status = "met" if plan_item_met(row.metric, row.measured_value, row.target) else "missed"
            record_audit(
                session,
                actor="system",
                action=f"review.plan_item_{row.status}",
                entity_type="review",
                entity_id=row.review_id,
                details={"item_id": row.id, "metric": row.metric, "target": row.target, "measured": row.measured_value},
                operation_key=f"review-plan-measured-{row.id}",
            )
            return PlanItemOutcome(item_id=row.id, status=row.status, measured_value=row.measured_value)
