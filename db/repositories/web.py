"""Web sign-in records: principals by email, server-side sessions, failed sign-in counters."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import LoginAttempt, Principal, Staff, WebSession, utcnow

# After FREE_FAILURES wrong passwords an email is locked, twice as long after each further failure.
FREE_FAILURES = 5
FIRST_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(minutes=15)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def principal_by_email(session: AsyncSession, email: str) -> Principal | None:
    """The live principal a person signs in as (newest first when several carry the email)."""
    return await session.scalar(
        select(Principal)
        .where(func.lower(Principal.email) == normalise_email(email), Principal.revoked_at.is_(None))
        .order_by(Principal.id.desc())
        .limit(1)
    )


async def web_principal_for_email(session: AsyncSession, email: str) -> Principal | None:
    """The principal carrying the email, else the newest live manager/director principal of the staff with it."""
    principal = await principal_by_email(session, email)
    if principal is not None:
        return principal
    staff = await session.scalar(select(Staff).where(func.lower(Staff.email) == normalise_email(email)))
    if staff is None:
        return None
    return await session.scalar(
        select(Principal)
        .where(
            Principal.staff_id == staff.id,
            Principal.revoked_at.is_(None),
            Principal.role.in_(("manager", "director", "admin", "ops")),
        )
        .order_by(Principal.id.desc())
        .limit(1)
    )


async def open_session(session: AsyncSession, *, principal_id: int, lifetime: timedelta) -> tuple[WebSession, str]:
    """A new web session; the random token goes into the cookie, only its hash into the table."""
    token = secrets.token_urlsafe(32)
    row = WebSession(
        token_hash=_hash(token),
        principal_id=principal_id,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=utcnow() + lifetime,
    )
    session.add(row)
    await session.flush()
    return row, token


async def live_session(session: AsyncSession, token: str) -> tuple[WebSession, Principal] | None:
    """The unexpired, unrevoked session of a cookie token and its live principal."""
    row = await session.execute(
        select(WebSession, Principal)
        .join(Principal, Principal.id == WebSession.principal_id)
        .where(
            WebSession.token_hash == _hash(token),
            WebSession.revoked_at.is_(None),
            WebSession.expires_at > utcnow(),
            Principal.revoked_at.is_(None),
        )
    )
    found = row.first()
    return (found[0], found[1]) if found else None


async def revoke_session(session: AsyncSession, token: str) -> None:
    await session.execute(
        update(WebSession)
        .where(WebSession.token_hash == _hash(token), WebSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def revoke_sessions_of(session: AsyncSession, principal_id: int) -> None:
    """Sign a principal out everywhere (e.g. after a password change)."""
    await session.execute(
        update(WebSession)
        .where(WebSession.principal_id == principal_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def locked_until(session: AsyncSession, email: str, now: datetime) -> datetime | None:
    """When the email may try again, if it is locked now."""
    attempt = await session.get(LoginAttempt, normalise_email(email))
    if attempt is not None and attempt.locked_until is not None and attempt.locked_until > now:
        return attempt.locked_until
    return None


async def record_failure(session: AsyncSession, email: str, now: datetime) -> datetime | None:
    """Count a failed sign-in; returns the lock's end once the free failures are used up."""
    key = normalise_email(email)[:320]
    attempt = await session.get(LoginAttempt, key)
    if attempt is None:
        attempt = LoginAttempt(email=key, failures=0)
        session.add(attempt)
    attempt.failures += 1
    attempt.last_failure_at = now
    if attempt.failures >= FREE_FAILURES:
        lock = min(FIRST_LOCK * 2 ** (attempt.failures - FREE_FAILURES), MAX_LOCK)
        attempt.locked_until = now + lock
    await session.flush()
    return attempt.locked_until


async def clear_failures(session: AsyncSession, email: str) -> None:
    attempt = await session.get(LoginAttempt, normalise_email(email))
    if attempt is not None:
        await session.delete(attempt)
