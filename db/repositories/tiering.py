"""Set-based tier scoring (one SQL statement per chunk of customer ids on PostgreSQL, three on SQLite)
and tier proposals.

Everything here is SQLAlchemy Core; the dialect-specific pieces are the number of days between two
dates (`days_between`) and PostgreSQL's single statement per chunk (data-modifying CTEs, which SQLite
lacks): both paths compute the same scores and proposals.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Float, case, cast, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from db.engine import SessionFactory
from db.models import Complaint, Customer, CustomerStatus, SurveyInvitation, TierProposal, Transaction, utcnow
from definitions.tiering import CustomerEvaluation, Proposal, ScoreResult, TieringDefinition

# Proposal states: a customer with a proposal in one of these has a tier change in flight.
IN_FLIGHT = ("pending",)
SCORED_STATUSES = (CustomerStatus.ACTIVE.value, CustomerStatus.POOL.value)


class days_between(FunctionElement):  # noqa: N801 - reads like the SQL function it stands for
    """Whole days from the second date to the first (PostgreSQL: date - date; SQLite: julianday)."""

    type = Float()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element, compiler, **kw) -> str:
    later, earlier = list(element.clauses)
    return f"CAST(({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)}) AS DOUBLE PRECISION)"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw) -> str:
    later, earlier = list(element.clauses)
    return f"(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)}))"


def _at_most_one(value: ColumnElement) -> ColumnElement:
    return case((value > 1.0, 1.0), else_=value)


def _clamp01(value: ColumnElement) -> ColumnElement:
    return case((value < 0.0, 0.0), (value > 1.0, 1.0), else_=value)


def _f(value: float) -> ColumnElement:
    return literal(float(value), Float)


def target_tier(definition: TieringDefinition, score: ColumnElement, current: ColumnElement) -> ColumnElement:
    """The tier a score leads to, with the hysteresis band: up only past threshold + band, down only
    below threshold - band, otherwise the current tier stays."""
    band = definition.hysteresis
    upper = definition.tiers[:-1]
    lowest = definition.lowest_tier
    up = case(*[(score >= _f(t.min_score + band), t.tier) for t in upper], else_=lowest)
    down = case(*[(score >= _f(t.min_score - band), t.tier) for t in upper], else_=lowest)
    return case((up < current, up), (down > current, down), else_=current)


@dataclass(frozen=True)
class ScoringWindow:
    """The dates and timestamps one scoring pass looks at."""

    as_of: date
    first_day: date  # exclusive: transactions after this day count
    start_ts: datetime  # complaints opened at or after
    end_ts: datetime  # … and before (the day after as_of, UTC midnight)

    @classmethod
    def of(cls, definition: TieringDefinition, as_of: date) -> ScoringWindow:
        first_day = as_of - timedelta(days=definition.window_days)
        return cls(
            as_of=as_of,
            first_day=first_day,
            start_ts=datetime.combine(first_day + timedelta(days=1), time(), UTC),
            end_ts=datetime.combine(as_of + timedelta(days=1), time(), UTC),
        )


def score_select(definition: TieringDefinition, window: ScoringWindow, lo: int, hi: int):
    """SELECT (customer id, tier, status, cooldown, new score) for the scored customers with lo <= id < hi:
    transactions and complaints are aggregated per customer first, turned into 0..1 factors, then combined
    into the weighted score."""
    weights, norm = definition.weights, definition.normalisation
    tx = (
        select(
            Transaction.customer_id.label("customer_id"),
            func.count().label("n"),
            func.sum(Transaction.amount).label("value"),
            func.max(Transaction.occurred_on).label("last_on"),
        )
        .where(
            Transaction.customer_id >= lo,
            Transaction.customer_id < hi,
            Transaction.occurred_on > window.first_day,
            Transaction.occurred_on <= window.as_of,
        )
        .group_by(Transaction.customer_id)
        .subquery("tx")
    )
    severity_weight = case(
        *[(Complaint.severity == name, _f(weight)) for name, weight in definition.severity_weights.items()],
        else_=_f(0),
    )
    cp = (
        select(
            Complaint.customer_id.label("customer_id"),
            func.avg(cast(Complaint.satisfaction, Float)).label("satisfaction"),
            func.sum(severity_weight).label("penalty"),
        )
        .where(
            Complaint.customer_id >= lo,
            Complaint.customer_id < hi,
            Complaint.created_at >= window.start_ts,
            Complaint.created_at < window.end_ts,
        )
        .group_by(Complaint.customer_id)
        .subquery("cp")
    )
    customer = Customer.__table__.alias("scored_customer")
    as_of = literal(window.as_of)
    neutral = (norm.neutral_satisfaction - 1) / 4
    complaint_satisfaction = (cp.c.satisfaction - 1.0) / 4.0
    satisfaction = case((cp.c.satisfaction.is_(None), _f(neutral)), else_=complaint_satisfaction)
    joined = customer.outerjoin(tx, tx.c.customer_id == customer.c.id).outerjoin(cp, cp.c.customer_id == customer.c.id)
    if weights.survey_share > 0:
        # Survey CSAT answered in the window (stored as 0..1), blended with complaint ratings by the share.
        sv = (
            select(SurveyInvitation.customer_id.label("customer_id"), func.avg(SurveyInvitation.score).label("score"))
            .where(
                SurveyInvitation.customer_id >= lo,
                SurveyInvitation.customer_id < hi,
                SurveyInvitation.score.is_not(None),
                SurveyInvitation.answered_at >= window.start_ts,
                SurveyInvitation.answered_at < window.end_ts,
            )
            .group_by(SurveyInvitation.customer_id)
            .subquery("sv")
        )
        share = weights.survey_share
        satisfaction = case(
            (sv.c.score.is_(None), satisfaction),
            (cp.c.satisfaction.is_(None), cast(sv.c.score, Float)),
            else_=_f(1 - share) * complaint_satisfaction + _f(share) * cast(sv.c.score, Float),
        )
        joined = joined.outerjoin(sv, sv.c.customer_id == customer.c.id)
    # Each factor is computed (and clamped) once per customer in `factors`; the weighted sum reads them.
    factors = (
        select(
            customer.c.id.label("customer_id"),
            customer.c.tier.label("tier"),
            customer.c.status.label("status"),
            customer.c.tier_cooldown_until.label("tier_cooldown_until"),
            case(
                (tx.c.last_on.is_(None), _f(0)),
                else_=1.0 - days_between(as_of, tx.c.last_on) / _f(definition.window_days),
            ).label("recency"),
            _at_most_one(cast(func.coalesce(tx.c.n, 0), Float) / _f(norm.frequency_cap)).label("frequency"),
            _clamp01(cast(func.coalesce(tx.c.value, 0), Float) / _f(norm.monetary_cap)).label("monetary"),
            satisfaction.label("satisfaction"),
            _at_most_one(cast(func.coalesce(cp.c.penalty, 0), Float) / _f(norm.complaint_cap)).label("complaints"),
        )
        .select_from(joined)
        .where(customer.c.id >= lo, customer.c.id < hi, customer.c.status.in_(SCORED_STATUSES))
        # OFFSET 0 keeps PostgreSQL from flattening this subquery into the score below: flattened, every
        # factor's expression was copied into each branch of the clamps and computed up to six times a row.
        .offset(0)
        .subquery("factors")
    )
    # Recency stays within 0..1 because only transactions inside the window count; satisfaction
    # because ratings are 1..5. The sum is clamped since the complaint penalty may push it below 0.
    score = _clamp01(
        _f(weights.recency) * factors.c.recency
        + _f(weights.frequency) * factors.c.frequency
        + _f(weights.monetary) * factors.c.monetary
        + _f(weights.satisfaction) * factors.c.satisfaction
        - _f(weights.complaints) * factors.c.complaints
    )
    return select(
        factors.c.customer_id,
        factors.c.tier,
        factors.c.status,
        factors.c.tier_cooldown_until,
        score.label("score"),
    )


def _proposable(
    definition: TieringDefinition,
    cycle_id: str,
    now: datetime,
    lo: int,
    hi: int,
    *,
    customer_id: ColumnElement,
    tier: ColumnElement,
    status: ColumnElement,
    score: ColumnElement,
    cooldown_until: ColumnElement,
):
    """The target tier and the conditions for a customer (lo <= id < hi, given by its columns) to get a
    proposal in `cycle_id`."""
    target = target_tier(definition, score, tier)
    # An uncorrelated NOT IN, not a correlated NOT EXISTS: PostgreSQL evaluates it once (hashed or
    # materialised) before the INSERT starts. A correlated anti-join against the table being
    # inserted into was planned as a per-row seq scan of it: quadratic in the proposals of a chunk.
    taken = select(TierProposal.customer_id).where(
        TierProposal.customer_id >= lo,
        TierProposal.customer_id < hi,
        or_(TierProposal.cycle_id == cycle_id, TierProposal.status.in_(IN_FLIGHT)),
    )
    return target, [
        status == CustomerStatus.ACTIVE.value,
        score.is_not(None),
        target != tier,
        or_(cooldown_until.is_(None), cooldown_until <= now),
        customer_id.not_in(taken),
    ]


PROPOSAL_COLUMNS = ["cycle_id", "customer_id", "from_tier", "to_tier", "score", "status", "created_at", "updated_at"]


def _proposal_rows(cycle_id: str, now: datetime, customer_id, tier, target, score):
    """The column values of PROPOSAL_COLUMNS for a new proposal."""
    stamp = literal(now, Customer.created_at.type)
    return (literal(cycle_id), customer_id, tier, target, score, literal("proposed"), stamp, stamp)


async def score_chunk(
    session: AsyncSession,
    *,
    definition: TieringDefinition,
    window: ScoringWindow,
    cycle_id: str,
    lo: int,
    hi: int,
    now: datetime,
) -> int:
    """Score customers lo <= id < hi and store proposals for those whose tier should move; returns how
    many were scored (the proposals are counted from the table: rowcount is unreliable across drivers)."""
    if session.bind.dialect.name == "postgresql":
        return await _score_chunk_in_one_statement(
            session, definition=definition, window=window, cycle_id=cycle_id, lo=lo, hi=hi, now=now
        )
    scored = score_select(definition, window, lo, hi).subquery("scores")
    # Only rows whose score changed are written: a re-run (or a retried chunk) rewrites nothing.
    await session.execute(
        update(Customer)
        .where(Customer.id == scored.c.customer_id, Customer.score.is_distinct_from(scored.c.score))
        .values(score=scored.c.score)
        .execution_options(synchronize_session=False)
    )
    count = await session.scalar(
        select(func.count()).where(Customer.id >= lo, Customer.id < hi, Customer.status.in_(SCORED_STATUSES))
    )
    target, conditions = _proposable(
        definition,
        cycle_id,
        now,
        lo,
        hi,
        customer_id=Customer.id,
        tier=Customer.tier,
        status=Customer.status,
        score=Customer.score,
        cooldown_until=Customer.tier_cooldown_until,
    )
    await session.execute(
        insert(TierProposal.__table__).from_select(
            PROPOSAL_COLUMNS,
            select(*_proposal_rows(cycle_id, now, Customer.id, Customer.tier, target, Customer.score)).where(
                Customer.id >= lo, Customer.id < hi, *conditions
            ),
        )
    )
    return count or 0


async def _score_chunk_in_one_statement(
    session: AsyncSession,
    *,
    definition: TieringDefinition,
    window: ScoringWindow,
    cycle_id: str,
    lo: int,
    hi: int,
    now: datetime,
) -> int:
    """score_chunk as one PostgreSQL statement: the scores are computed once (a CTE), the changed ones
    written by an UPDATE and the proposals inserted from the same rows, so `customers` is read once for
    the scores and once (by id range) to find the rows to write, and the proposals need no second scan.

    All parts see one snapshot, so the INSERT cannot see the UPDATE's rows: it decides on the new scores
    as `scored` has them, the values the UPDATE stores, which is what the separate statements read."""
    scored = score_select(definition, window, lo, hi).cte("scored")
    # Only rows whose score changed are written: a re-run (or a retried chunk) rewrites nothing. The id
    # range is repeated for the target table: the planner does not carry it over from `scored`, and
    # without it the UPDATE hash-joined a scan of every customer, once per chunk.
    changed = (
        update(Customer)
        .where(
            Customer.id == scored.c.customer_id,
            Customer.id >= lo,
            Customer.id < hi,
            Customer.score.is_distinct_from(scored.c.score),
        )
        # onupdate defaults are not applied to an UPDATE inside a CTE: the timestamp is set here.
        .values(score=scored.c.score, updated_at=utcnow())
        .cte("changed")
    )
    target, conditions = _proposable(
        definition,
        cycle_id,
        now,
        lo,
        hi,
        customer_id=scored.c.customer_id,
        tier=scored.c.tier,
        status=scored.c.status,
        score=scored.c.score,
        cooldown_until=scored.c.tier_cooldown_until,
    )
    proposed = (
        insert(TierProposal.__table__)
        .from_select(
            PROPOSAL_COLUMNS,
            select(*_proposal_rows(cycle_id, now, scored.c.customer_id, scored.c.tier, target, scored.c.score)).where(
                *conditions
            ),
        )
        .cte("proposed")
    )
    count = await session.scalar(select(func.count()).select_from(scored).add_cte(changed, proposed))
    return count or 0


ChunkDone = Callable[[int], Awaitable[None] | None]


async def score_customers(
    sessions: SessionFactory,
    *,
    definition: TieringDefinition,
    as_of: date,
    cycle_id: str,
    now: datetime,
    resume_from: int | None = None,
    on_chunk: ChunkDone | None = None,
) -> ScoreResult:
    """Score every customer chunk by chunk (one transaction each); `on_chunk(next_lo)` after each commit.

    Chunks are id ranges, so memory stays flat however many customers there are and a retried
    pass resumes at `resume_from` (the next id range not yet committed).
    """
    window = ScoringWindow.of(definition, as_of)
    async with sessions() as session:
        bounds = (await session.execute(select(func.min(Customer.id), func.max(Customer.id)))).one()
    low, high = bounds
    scored = chunks = 0
    if low is None:
        return ScoreResult(scored=0, proposals=0, chunks=0)
    lo = max(low, resume_from or low)
    while lo <= high:
        hi = lo + definition.chunk_size
        async with sessions() as session, session.begin():
            scored += await score_chunk(
                session, definition=definition, window=window, cycle_id=cycle_id, lo=lo, hi=hi, now=now
            )
        chunks, lo = chunks + 1, hi
        if on_chunk is not None:
            maybe = on_chunk(lo)
            if maybe is not None:
                await maybe
    async with sessions() as session:
        proposals = (
            await session.scalar(
                select(func.count()).select_from(TierProposal).where(TierProposal.cycle_id == cycle_id)
            )
            or 0
        )
    return ScoreResult(scored=scored, proposals=proposals, chunks=chunks)


async def evaluate_one(
    session: AsyncSession,
    *,
    definition: TieringDefinition,
    as_of: date,
    cycle_id: str,
    customer_id: int,
    now: datetime,
) -> CustomerEvaluation | None:
    """Score one customer (its own one-id chunk) and report where its tier should go."""
    customer = await session.get(Customer, customer_id)
    if customer is None:
        return None
    window = ScoringWindow.of(definition, as_of)
    await score_chunk(
        session, definition=definition, window=window, cycle_id=cycle_id, lo=customer_id, hi=customer_id + 1, now=now
    )
    proposed = await proposal_for(session, cycle_id=cycle_id, customer_id=customer_id)
    row = (
        await session.execute(
            select(
                Customer.score,
                Customer.tier,
                Customer.status,
                Customer.tier_cooldown_until,
                target_tier(definition, Customer.score, Customer.tier),
            ).where(Customer.id == customer_id)
        )
    ).one()
    pending = await session.scalar(
        select(TierProposal.workflow_id)
        .where(TierProposal.customer_id == customer_id, TierProposal.status.in_(IN_FLIGHT))
        .limit(1)
    )
    score, tier, status, cooldown, target = row
    return CustomerEvaluation(
        customer_id=customer_id,
        score=score,
        current_tier=tier,
        target_tier=target if score is not None else tier,
        status=status,
        cooldown_until=cooldown.isoformat() if cooldown is not None and cooldown > now else None,
        proposed=proposed is not None,
        pending_process_id=pending,
    )


async def next_proposals(session: AsyncSession, *, cycle_id: str, after_customer_id: int, limit: int) -> list[Proposal]:
    """The next page of a cycle's proposals not yet started, by customer id."""
    rows = await session.execute(
        select(TierProposal.customer_id, TierProposal.from_tier, TierProposal.to_tier, TierProposal.score)
        .where(
            TierProposal.cycle_id == cycle_id,
            TierProposal.status == "proposed",
            TierProposal.customer_id > after_customer_id,
        )
        .order_by(TierProposal.customer_id)
        .limit(limit)
    )
    return [Proposal(customer_id=r[0], from_tier=r[1], to_tier=r[2], score=r[3]) for r in rows]


async def proposal_for(session: AsyncSession, *, cycle_id: str, customer_id: int) -> TierProposal | None:
    return await session.scalar(
        select(TierProposal).where(TierProposal.cycle_id == cycle_id, TierProposal.customer_id == customer_id)
    )


async def set_proposal_status(
    session: AsyncSession,
    *,
    cycle_id: str,
    customer_id: int,
    status: str,
    workflow_id: str | None = None,
    decided_by: int | None = None,
) -> None:
    """Move a proposal along (proposed → pending → applied | rejected | expired | skipped)."""
    values: dict[str, object] = {"status": status}
    if workflow_id is not None:
        values["workflow_id"] = workflow_id
    if decided_by is not None:
        values["decided_by"] = decided_by
    await session.execute(
        update(TierProposal)
        .where(TierProposal.cycle_id == cycle_id, TierProposal.customer_id == customer_id)
        .values(**values)
    )
