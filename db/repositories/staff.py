"""Staff and principals: lookups, the supervisor chain, subtrees, token hashing, audited changes."""

from __future__ import annotations

import hashlib
import secrets
import time

from collections.abc import Awaitable, Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, event, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.models import Principal, Staff, StaffRole, utcnow
from db.repositories.audit import record_audit


def hash_token(token: str) -> str:
    """SHA-256 of a token: tokens are 32 random bytes, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh random API token (32 bytes, URL-safe)."""
    return secrets.token_urlsafe(32)


# How stale a token's recorded last use may get: at most one write a minute per token, not one per request.
LAST_USE_RESOLUTION = timedelta(minutes=1)


async def principal_by_token(session: AsyncSession, token: str, *, record_use: bool = True) -> Principal | None:
    """The principal a bearer token belongs to, if neither revoked nor expired; records its last use (and commits)
    unless `record_use` is false (callers inside a transaction of their own)."""
    now = utcnow()
    principal = await session.scalar(
        select(Principal).where(
            Principal.token_hash == hash_token(token),
            Principal.revoked_at.is_(None),
            or_(Principal.expires_at.is_(None), Principal.expires_at > now),
        )
    )
    if (
        record_use
        and principal is not None
        and (principal.last_used_at is None or now - principal.last_used_at >= LAST_USE_RESOLUTION)
    ):
        # A conditional UPDATE in its own short transaction: concurrent requests write at most once.
        await session.execute(
            update(Principal)
            .where(
                Principal.id == principal.id,
                or_(Principal.last_used_at.is_(None), Principal.last_used_at <= now - LAST_USE_RESOLUTION),
            )
            .values(last_used_at=now)
        )
        await session.commit()
    return principal


# Extra revokers (e.g. the web workspace's sessions) register here; revoke_staff_access calls each one.
ACCESS_REVOKERS: list[Callable[[AsyncSession, int], Awaitable[int]]] = []


async def revoke_staff_access(session: AsyncSession, staff_id: int, *, actor: str) -> int:
    """Revoke everything a staff member signs in with (tokens, and whatever revokers registered); the count."""
    now = utcnow()
    principals = list(
        await session.scalars(select(Principal).where(Principal.staff_id == staff_id, Principal.revoked_at.is_(None)))
    )
    for principal in principals:
        principal.revoked_at = now
        record_audit(
            session,
            actor=actor,
            action="principal.revoked",
            entity_type="principal",
            entity_id=principal.id,
            reason=f"staff {staff_id} deactivated",
            details={"role": principal.role, "staff_id": staff_id},
        )
    revoked = len(principals)
    forget_access(session)
    for revoker in ACCESS_REVOKERS:
        revoked += await revoker(session, staff_id)
    await session.flush()
    return revoked


async def create_principal(
    session: AsyncSession, *, name: str, role: str, staff_id: int | None = None, expires_at: datetime | None = None
) -> tuple[Principal, str]:
    """A new principal and its token (the token is returned once and never stored)."""
    token = new_token()
    principal = Principal(name=name, role=role, staff_id=staff_id, token_hash=hash_token(token), expires_at=expires_at)
    session.add(principal)
    await session.flush()
    return principal, token


async def supervisor_chain(session: AsyncSession, staff_id: int) -> list[Staff]:
    """The staff member's supervisors, nearest first (cycles are cut)."""
    chain: list[Staff] = []
    seen = {staff_id}
    current = await session.get(Staff, staff_id)
    while current is not None and current.supervisor_id is not None and current.supervisor_id not in seen:
        seen.add(current.supervisor_id)
        current = await session.get(Staff, current.supervisor_id)
        if current is not None:
            chain.append(current)
    return chain


async def top_level_id(session: AsyncSession, staff_id: int) -> int:
    """The head of the staff member's top-level organisation (the end of their supervisor chain)."""
    chain = await supervisor_chain(session, staff_id)
    return chain[-1].id if chain else staff_id


# How long a staff member's access view (active flag and subtree), and a bearer token's actor (api.deps), are
# reused between requests. Changes made through this module (deactivate, revoke, supervisor change, new staff)
# drop every cached view at once in this process; another process (the CLI, a second API) sees them within this
# many seconds.
ACCESS_CACHE_SECONDS = 5.0
_access_views: dict[int, tuple[float, int, bool, frozenset[int]]] = {}
_access_generation = 0


def access_generation() -> int:
    """Bumped by every `forget_access`: a cached view taken under an older generation is stale."""
    return _access_generation


def forget_access(session: AsyncSession | None = None) -> None:
    """Drop every cached access view (now, and again when `session` commits the change)."""
    global _access_generation
    _access_generation += 1
    _access_views.clear()
    if session is not None:
        session.info[_FORGET_ON_COMMIT] = True


_FORGET_ON_COMMIT = "crmflow.forget_access"


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    # A request that read between the change's flush and its commit may have cached the old view.
    if session.info.pop(_FORGET_ON_COMMIT, False):
        forget_access()


async def access_view(session: AsyncSession, staff_id: int) -> tuple[bool, frozenset[int]]:
    """Whether the staff member is active, and their subtree; reused for ACCESS_CACHE_SECONDS."""
    now = time.monotonic()
    cached = _access_views.get(staff_id)
    if cached is not None and cached[0] > now and cached[1] == _access_generation:
        return cached[2], cached[3]
    generation = _access_generation
    staff = await session.get(Staff, staff_id)
    active = staff is not None and staff.active
    subtree = frozenset(await subtree_ids(session, staff_id)) if active else frozenset()
    if generation == _access_generation:
        _access_views[staff_id] = (now + ACCESS_CACHE_SECONDS, generation, active, subtree)
    return active, subtree


async def subtree_ids(session: AsyncSession, staff_id: int) -> set[int]:
    """The staff member and everyone below them (one recursive query: it runs on every request)."""
    below = select(Staff.id).where(Staff.id == staff_id).cte("subtree", recursive=True)
    # UNION (not UNION ALL) drops rows already found, so a supervisor cycle cannot loop forever.
    below = below.union(select(Staff.id).where(Staff.supervisor_id == below.c.id))
    return set((await session.scalars(select(below.c.id))).all())


# --- staff administration (API and CLI write through these, audited) ----------------------------

STAFF_FIELDS = (
    "name",
    "email",
    "role",
    "supervisor_id",
    "region",
    "capacity",
    "active",
    "out_of_office_until",
    "delegate_id",
)


class StaffProblem(ValueError):
    """A staff change that cannot be made; `conflict` means it clashes with existing data (HTTP 409)."""

    def __init__(self, message: str, *, conflict: bool = False, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.conflict = conflict
        self.field = field


async def staff_by_email(session: AsyncSession, email: str) -> Staff | None:
    """The staff member with this e-mail (compared case-insensitively)."""
    return await session.scalar(select(Staff).where(func.lower(Staff.email) == email.strip().lower()))


def staff_query(
    *,
    visible_ids: Collection[int] | None = None,
    role: str | None = None,
    active: bool | None = None,
    region: str | None = None,
    supervisor_id: int | None = None,
) -> Select[tuple[Staff]]:
    """Staff filtered by visibility (None = all) and the usual list filters, by id."""
    query = select(Staff)
    if visible_ids is not None:
        query = query.where(Staff.id.in_(list(visible_ids)))
    if role is not None:
        query = query.where(Staff.role == role)
    if active is not None:
        query = query.where(Staff.active.is_(active))
    if region is not None:
        query = query.where(Staff.region == region)
    if supervisor_id is not None:
        query = query.where(Staff.supervisor_id == supervisor_id)
    return query.order_by(Staff.id)


async def list_staff(
    session: AsyncSession, *, limit: int = 50, offset: int = 0, **filters: Any
) -> tuple[list[Staff], int]:
    """One page of staff and the total matching count."""
    query = staff_query(**filters)
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = (await session.scalars(query.limit(limit).offset(offset))).all()
    return list(rows), total


async def check_staff_links(
    session: AsyncSession, *, staff_id: int | None, supervisor_id: int | None, delegate_id: int | None
) -> None:
    """Supervisor and delegate exist and are active; the supervisor line stays free of cycles."""
    if supervisor_id is not None:
        if supervisor_id == staff_id:
            raise StaffProblem("a staff member cannot be their own supervisor", conflict=True, field="supervisor_id")
        supervisor = await session.get(Staff, supervisor_id)
        if supervisor is None:
            raise StaffProblem(f"supervisor {supervisor_id} does not exist", field="supervisor_id")
        if not supervisor.active:
            raise StaffProblem(f"supervisor {supervisor_id} is inactive", conflict=True, field="supervisor_id")
        if staff_id is not None:
            above = [s.id for s in await supervisor_chain(session, supervisor_id)]
            if staff_id in above:
                line = " → ".join(str(i) for i in [supervisor_id, *above[: above.index(staff_id) + 1]])
                raise StaffProblem(
                    f"supervisor {supervisor_id} would create a cycle ({line})", conflict=True, field="supervisor_id"
                )
    if delegate_id is not None:
        if delegate_id == staff_id:
            raise StaffProblem("a staff member cannot be their own delegate", field="delegate_id")
        delegate = await session.get(Staff, delegate_id)
        if delegate is None:
            raise StaffProblem(f"delegate {delegate_id} does not exist", field="delegate_id")
        if not delegate.active:
            raise StaffProblem(f"delegate {delegate_id} is inactive", conflict=True, field="delegate_id")


async def _email_free(session: AsyncSession, email: str, staff_id: int | None) -> None:
    existing = await staff_by_email(session, email)
    if existing is not None and existing.id != staff_id:
        raise StaffProblem(
            f"a staff member with email {email} already exists (id {existing.id})", conflict=True, field="email"
        )


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


async def create_staff(
    session: AsyncSession,
    *,
    actor: str,
    name: str,
    email: str,
    role: str,
    supervisor_id: int | None = None,
    region: str = "",
    capacity: int = 50,
    out_of_office_until: datetime | None = None,
    delegate_id: int | None = None,
) -> Staff:
    """Validate and add a staff member (flushed, audited; the caller commits)."""
    role = StaffRole(role)
    await _email_free(session, email, None)
    await check_staff_links(session, staff_id=None, supervisor_id=supervisor_id, delegate_id=delegate_id)
    staff = Staff(
        name=name,
        email=email,
        role=role.value,
        supervisor_id=supervisor_id,
        region=region,
        capacity=capacity,
        out_of_office_until=out_of_office_until,
        delegate_id=delegate_id,
    )
    session.add(staff)
    await session.flush()
    if supervisor_id is not None:
        forget_access(session)  # the supervisor's subtree grew
    record_audit(
        session,
        actor=actor,
        action="staff.created",
        entity_type="staff",
        entity_id=staff.id,
        details={f: _json(getattr(staff, f)) for f in STAFF_FIELDS},
    )
    return staff


async def update_staff(
    session: AsyncSession, staff: Staff, *, actor: str, changes: dict[str, Any], reason: str | None = None
) -> dict[str, list[Any]]:
    """Validate and apply `changes` (field → new value); audited; returns {field: [old, new]} that changed."""
    unknown = set(changes) - set(STAFF_FIELDS)
    if unknown:
        raise StaffProblem(f"unknown staff fields: {', '.join(sorted(unknown))}")
    if "role" in changes:
        changes = {**changes, "role": StaffRole(changes["role"]).value}
    if "email" in changes:
        await _email_free(session, changes["email"], staff.id)
    if "supervisor_id" in changes or "delegate_id" in changes:
        await check_staff_links(
            session,
            staff_id=staff.id,
            supervisor_id=changes["supervisor_id"] if "supervisor_id" in changes else None,
            delegate_id=changes["delegate_id"] if "delegate_id" in changes else None,
        )
    diff = {
        field: [_json(getattr(staff, field)), _json(value)]
        for field, value in changes.items()
        if getattr(staff, field) != value
    }
    for field, value in changes.items():
        setattr(staff, field, value)
    if diff.keys() & {"active", "supervisor_id"}:
        forget_access(session)  # a subtree or an active flag changed
    if diff:
        action = "staff.deactivated" if diff.get("active") == [True, False] else "staff.updated"
        record_audit(
            session, actor=actor, action=action, entity_type="staff", entity_id=staff.id, reason=reason, details=diff
        )
        if action == "staff.deactivated":
            await revoke_staff_access(session, staff.id, actor=actor)  # in the same transaction: at once
    await session.flush()
    return diff


async def revoke_principal(session: AsyncSession, principal_id: int, *, actor: str) -> Principal:
    """Revoke an API user's token (its hash stays, so the token can never be reused)."""
    principal = await session.get(Principal, principal_id)
    if principal is None:
        raise StaffProblem(f"user {principal_id} does not exist")
    if principal.revoked_at is not None:
        raise StaffProblem(
            f"user {principal_id} was already revoked at {principal.revoked_at:%Y-%m-%d %H:%M} UTC", conflict=True
        )
    principal.revoked_at = utcnow()
    forget_access(session)  # its cached actor goes with it
    record_audit(
        session,
        actor=actor,
        action="principal.revoked",
        entity_type="principal",
        entity_id=principal.id,
        details={"role": principal.role, "staff_id": principal.staff_id},
    )
    await session.flush()
    return principal
