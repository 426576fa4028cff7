"""The public pool (客户公海): set-based reclaim warnings and reclaims, listing and claiming."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, and_, cast, exists, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from db.models import (
    AuditEvent,
    Complaint,
    Customer,
    CustomerStatus,
    Notification,
    PoolClaim,
    ReclaimWarning,
    Staff,
    StaffRole,
    Transaction,
)
from db.repositories.audit import mark_bulk_notifications, record_audit, record_notification
from db.repositories.contacts import days_after, schedule_next_contacts
from definitions.assignment import level_for_tier
from definitions.reclaim import PoolRules, ReclaimDefinition

ACTOR = "system:reclaim"
HELD_STATUSES = (CustomerStatus.PENDING.value, CustomerStatus.ACTIVE.value)
CLOSED_COMPLAINT_STATUSES = ("closed",)


def _not_exempt(definition: ReclaimDefinition, now: datetime) -> list[ColumnElement]:
    conditions: list[ColumnElement] = []
    exemptions = definition.exemptions
    if exemptions.open_complaint:
        conditions.append(
            ~exists().where(
                Complaint.customer_id == Customer.id,
                Complaint.closed_at.is_(None),
                Complaint.status.not_in(CLOSED_COMPLAINT_STATUSES),
            )
        )
    if exemptions.recent_transaction_days is not None:
        since: date = (now - timedelta(days=exemptions.recent_transaction_days)).date()
        conditions.append(~exists().where(Transaction.customer_id == Customer.id, Transaction.occurred_on >= since))
    return conditions


def _held(tier: int) -> list[ColumnElement]:
    return [Customer.status == CustomerStatus.ACTIVE.value, Customer.owner_id.is_not(None), Customer.tier == tier]


def _lapse_cutoff(definition: ReclaimDefinition, tier: int, now: datetime, *, days_early: int = 0) -> datetime:
    """Customers of `tier` whose next-contact date is at or before this lapse (`days_early` days from now)."""
    return now - timedelta(days=definition.lapse_after_contact_days(tier) - days_early)


async def warn_lapsing(
    session: AsyncSession, *, definition: ReclaimDefinition, now: datetime, run_key: str, workflow_id: str | None
) -> int:
    """Record a warning (once per customer and clock start) and notify the owner, for every customer
    whose follow-up lapses within the definition's warning days; returns the warnings of this run.

    One clock: the lapse is counted from the stored next-contact date (brought up to date first), the
    same date the owner was reminded of and the overdue lists show.
    """
    await schedule_next_contacts(session, definition=definition)
    for tier, days in sorted(definition.lapse_days.items()):
        # The clock start the next-contact date was counted from (what earlier warnings were keyed by).
        started = days_after(Customer.next_contact_at, -definition.contact_every_days(tier))
        lapse_cutoff = _lapse_cutoff(definition, tier, now)
        warn_cutoff = _lapse_cutoff(definition, tier, now, days_early=definition.warning_days_before)
        already = exists().where(
            ReclaimWarning.customer_id == Customer.id,
            ReclaimWarning.clock_started_at == started,
            ReclaimWarning.lapse_days == days,
        )
        await session.execute(
            insert(ReclaimWarning.__table__).from_select(
                ["customer_id", "owner_id", "tier", "clock_started_at", "lapse_days", "run_key", "created_at"],
                select(
                    Customer.id,
                    Customer.owner_id,
                    Customer.tier,
                    started,
                    literal(days),
                    literal(run_key),
                    literal(now, ReclaimWarning.created_at.type),
                ).where(
                    *_held(tier),
                    Customer.next_contact_at > lapse_cutoff,
                    Customer.next_contact_at <= warn_cutoff,
                    *_not_exempt(definition, now),
                    ~already,
                ),
            )
        )
    key = literal("reclaim.warning/") + cast(ReclaimWarning.id, String)
    subject = (
        literal("Follow up with ")
        + Customer.name
        + literal(f" within {definition.warning_days_before} days, or it returns to the public pool")
    )
    await session.execute(
        insert(Notification.__table__).from_select(
            [
                "created_at",
                "recipient_id",
                "kind",
                "subject",
                "entity_type",
                "entity_id",
                "workflow_id",
                "operation_key",
                "source_key",
            ],
            select(
                literal(now, Notification.created_at.type),
                ReclaimWarning.owner_id,
                literal("reclaim.warning"),
                subject,
                literal("customer"),
                cast(Customer.id, String),
                literal(workflow_id, String),
                key,
                literal(run_key, String),
            )
            .join_from(ReclaimWarning, Customer, Customer.id == ReclaimWarning.customer_id)
            .where(
                ReclaimWarning.run_key == run_key,
                ~exists().where(Notification.operation_key == key),
            ),
        )
    )
    mark_bulk_notifications(session)
    return (
        await session.scalar(select(func.count()).select_from(ReclaimWarning).where(ReclaimWarning.run_key == run_key))
        or 0
    )


async def reclaim_lapsed(
    session: AsyncSession, *, definition: ReclaimDefinition, now: datetime, run_key: str, workflow_id: str | None
) -> int:
    """Return every lapsed, non-exempt customer to the pool (owner cleared), auditing and notifying per
    customer with set-based inserts; returns how many this run reclaimed (counted from the next-contact date)."""
    await schedule_next_contacts(session, definition=definition)
    audit_prefix = f"reclaim/{run_key}/"
    for tier, days in sorted(definition.lapse_days.items()):
        await session.execute(
            update(Customer.__table__)
            .where(
                *_held(tier),
                Customer.next_contact_at <= _lapse_cutoff(definition, tier, now),
                *_not_exempt(definition, now),
            )
            .values(
                previous_owner_id=Customer.__table__.c.owner_id,
                owner_id=None,
                status=CustomerStatus.POOL.value,
                reclaimed_at=now,
                next_contact_at=None,
            )
        )
        # The rows just reclaimed are exactly those stamped with this run's `now` at this tier.
        just_reclaimed = and_(
            Customer.status == CustomerStatus.POOL.value, Customer.reclaimed_at == now, Customer.tier == tier
        )
        audit_key = literal(audit_prefix) + cast(Customer.id, String)
        await session.execute(
            insert(AuditEvent.__table__).from_select(
                [
                    "occurred_at",
                    "actor",
                    "action",
                    "entity_type",
                    "entity_id",
                    "customer_id",
                    "workflow_id",
                    "reason",
                    "operation_key",
                ],
                select(
                    literal(now, AuditEvent.occurred_at.type),
                    literal(ACTOR),
                    literal("customer.reclaimed"),
                    literal("customer"),
                    cast(Customer.id, String),
                    Customer.id,
                    literal(workflow_id, String),
                    literal(f"no follow-up for {days} days (tier {tier}); owner was staff ")
                    + cast(Customer.previous_owner_id, String),
                    audit_key,
                ).where(
                    just_reclaimed,
                    ~exists().where(
                        # Another run with the very same clock (only a replayed `now`) must not audit it again.
                        AuditEvent.customer_id == Customer.id,
                        AuditEvent.action == "customer.reclaimed",
                        AuditEvent.occurred_at == now,
                    ),
                ),
            )
        )
        note_key = literal(f"reclaim.reclaimed/{run_key}/") + cast(Customer.id, String)
        await session.execute(
            insert(Notification.__table__).from_select(
                [
                    "created_at",
                    "recipient_id",
                    "kind",
                    "subject",
                    "entity_type",
                    "entity_id",
                    "workflow_id",
                    "operation_key",
                    "source_key",
                ],
                select(
                    literal(now, Notification.created_at.type),
                    Customer.previous_owner_id,
                    literal("reclaim.reclaimed"),
                    Customer.name + literal(f" returned to the public pool after {days} days without a follow-up"),
                    literal("customer"),
                    cast(Customer.id, String),
                    literal(workflow_id, String),
                    note_key,
                    literal(run_key, String),
                ).where(
                    just_reclaimed,
                    ~exists().where(
                        Notification.kind == "reclaim.reclaimed",
                        Notification.entity_id == cast(Customer.id, String),
                        Notification.created_at == now,
                    ),
                ),
            )
        )
    mark_bulk_notifications(session)
    return (
        await session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.operation_key.startswith(audit_prefix))
        )
        or 0
    )


# ---- the pool over HTTP ---------------------------------------------------------------------------


async def list_pool(
    session: AsyncSession, *, tier: int | None, region: str | None, limit: int, offset: int
) -> tuple[list[Customer], int]:
    """A page of customers in the pool, longest there first, and the total."""
    conditions = [Customer.status == CustomerStatus.POOL.value]
    if tier is not None:
        conditions.append(Customer.tier == tier)
    if region is not None:
        conditions.append(Customer.region == region)
    total = await session.scalar(select(func.count(Customer.id)).where(*conditions)) or 0
    rows = await session.scalars(
        select(Customer).where(*conditions).order_by(Customer.reclaimed_at, Customer.id).limit(limit).offset(offset)
    )
    return list(rows), total


@dataclass
class ClaimStanding:
    """Where a manager stands against the pool caps (shown before they click, enforced when they do)."""

    claims_today: int
    claims_per_day: int
    held: int
    cap: int
    cooldown_days: int

    @property
    def may_claim(self) -> bool:
        return self.claims_today < self.claims_per_day and self.held < self.cap


async def claim_standing(
    session: AsyncSession, *, staff: Staff, rules: PoolRules, day_start: datetime
) -> ClaimStanding:
    """Claims made today, customers held and the cap that applies to this manager."""
    claims_today = (
        await session.scalar(
            select(func.count())
            .select_from(PoolClaim)
            .where(PoolClaim.staff_id == staff.id, PoolClaim.claimed_at >= day_start)
        )
        or 0
    )
    held = (
        await session.scalar(
            select(func.count())
            .select_from(Customer)
            .where(Customer.owner_id == staff.id, Customer.status.in_(HELD_STATUSES))
        )
        or 0
    )
    cap = min(staff.capacity, rules.max_customers_held) if rules.max_customers_held else staff.capacity
    return ClaimStanding(claims_today, rules.claims_per_day, held, cap, rules.former_owner_cooldown_days)


@dataclass
class ClaimRefused(Exception):
    """A claim the rules do not allow: `status` is the HTTP status it maps to."""

    status: int
    message: str
    details: dict | None = None


async def claim(
    session: AsyncSession,
    *,
    customer_id: int,
    staff_id: int,
    rules: PoolRules,
    now: datetime,
    day_start: datetime,
    actor: str,
) -> Customer:
    """Give a pool customer to `staff_id` within the caps; raises ClaimRefused with the reason."""
    customer = await session.get(Customer, customer_id)
    if customer is None:
        raise ClaimRefused(404, f"customer {customer_id} not found")
    if customer.status != CustomerStatus.POOL.value:
        raise ClaimRefused(409, f"customer {customer_id} is not in the public pool (status {customer.status})")
    # Cap check and claim are one atomic step: a no-op write to the claimer's row comes first. On PostgreSQL
    # it locks that row; on SQLite it takes the database's write lock before anything is counted (a deferred
    # transaction would let two claims count, then both write). A second claim waits, then counts the first.
    staff_table = Staff.__table__
    locked = await session.execute(
        update(staff_table).where(staff_table.c.id == staff_id).values(last_assigned_at=staff_table.c.last_assigned_at)
    )
    if locked.rowcount == 0:
        raise ClaimRefused(404, f"staff {staff_id} not found")
    staff = await session.scalar(select(Staff).where(Staff.id == staff_id).execution_options(populate_existing=True))
    assert staff is not None
    level = level_for_tier(customer.tier)
    if staff.role not in (StaffRole.ACCOUNT_MANAGER_L1.value, StaffRole.ACCOUNT_MANAGER_L2.value):
        raise ClaimRefused(409, f"staff {staff_id} is not an account manager")
    if not staff.active:
        raise ClaimRefused(409, f"staff {staff_id} is not active")
    if staff.role != level:
        raise ClaimRefused(
            409,
            f"a tier {customer.tier} customer needs an {level}; staff {staff_id} is {staff.role}",
            {"tier": customer.tier, "required_level": level},
        )
    cooldown = timedelta(days=rules.former_owner_cooldown_days)
    if (
        customer.previous_owner_id == staff_id
        and customer.reclaimed_at is not None
        and cooldown
        and now < customer.reclaimed_at + cooldown
    ):
        until = customer.reclaimed_at + cooldown
        raise ClaimRefused(
            409,
            f"the former owner may not claim this customer back before {until.isoformat()}",
            {"cooldown_until": until.isoformat()},
        )
    standing = await claim_standing(session, staff=staff, rules=rules, day_start=day_start)
    claims_today, held, cap = standing.claims_today, standing.held, standing.cap
    if claims_today >= rules.claims_per_day:
        raise ClaimRefused(
            409,
            f"daily claim limit reached ({rules.claims_per_day} claims per day)",
            {"claims_today": claims_today, "limit": rules.claims_per_day},
        )
    if held >= cap:
        raise ClaimRefused(
            409, f"staff {staff_id} already holds {held} customers (limit {cap})", {"held": held, "limit": cap}
        )
    # Conditional update: of two managers racing for one customer exactly one wins.
    result = await session.execute(
        update(Customer.__table__)
        .where(Customer.__table__.c.id == customer_id, Customer.__table__.c.status == CustomerStatus.POOL.value)
        .values(owner_id=staff_id, status=CustomerStatus.ACTIVE.value, owner_assigned_at=now)
    )
    if result.rowcount == 0:
        raise ClaimRefused(409, f"customer {customer_id} was just claimed by someone else")
    staff.last_assigned_at = now
    session.add(PoolClaim(customer_id=customer_id, staff_id=staff_id, claimed_by=actor, claimed_at=now))
    record_audit(
        session,
        actor=actor,
        action="customer.claimed",
        entity_type="customer",
        entity_id=customer_id,
        customer_id=customer_id,
        reason="claimed from the public pool",
        details={"owner_id": staff_id, "previous_owner_id": customer.previous_owner_id},
    )
    record_notification(
        session,
        recipient_id=staff_id,
        kind="customer.claimed",
        subject=f"{customer.name} claimed from the public pool is now yours",
        entity_type="customer",
        entity_id=customer_id,
    )
    await session.flush()
    await session.refresh(customer)
    return customer
