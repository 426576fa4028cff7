"""Creating API users (principals) from the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from crmflow.settings import Settings
from db.engine import create_engine, create_session_factory
from db.models import PrincipalRole, Staff, utcnow
from db.repositories.audit import record_audit
from db.repositories.staff import create_principal
from db.repositories.web import normalise_email, revoke_sessions_of, web_principal_for_email
from definitions.base import parse_duration
from web.security import hash_password

STAFF_LINKED_ROLES = {PrincipalRole.MANAGER, PrincipalRole.DIRECTOR}


class UserError(ValueError):
    """A user that cannot be created as asked."""


def _expiry(expires_in: str | None) -> datetime | None:
    if expires_in is None:
        return None
    try:
        lifetime = parse_duration(expires_in)
    except ValueError as exc:
        raise UserError(f"--expires-in: {exc}") from None
    if lifetime <= timedelta(0) or lifetime > timedelta(days=3660):
        raise UserError("--expires-in must be more than 0 and at most 10 years")
    return utcnow() + lifetime


async def create_user(
    settings: Settings, *, name: str, role: str, staff_id: int | None, expires_in: str | None = None
) -> str:
    """Validate, store the hash, audit, and return the token."""
    try:
        principal_role = PrincipalRole(role)
    except ValueError:
        raise UserError(f"unknown role {role!r} (one of: {', '.join(r.value for r in PrincipalRole)})") from None
    expires_at = _expiry(expires_in)
    if principal_role in STAFF_LINKED_ROLES and staff_id is None:
        raise UserError(f"role {role} needs --staff-id")
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            if staff_id is not None and await session.get(Staff, staff_id) is None:
                raise UserError(f"staff {staff_id} does not exist")
            principal, token = await create_principal(
                session, name=name, role=principal_role, staff_id=staff_id, expires_at=expires_at
            )
            record_audit(
                session,
                actor="cli",
                action="principal.created",
                entity_type="principal",
                entity_id=principal.id,
                details={
                    "role": principal_role.value,
                    "staff_id": staff_id,
                    "expires_at": expires_at.isoformat() if expires_at else None,
                },
            )
        return token
    finally:
        await engine.dispose()


MIN_PASSWORD_LENGTH = 8


async def set_password(settings: Settings, *, email: str, password: str) -> str:
    """Give the person with this email a web password; returns the principal's name.

    The person is the live principal carrying the email, else the principal of the staff member with
    it (one is created for a staff member who has none: role director or manager, as their staff role).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    address = normalise_email(email)
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            principal = await web_principal_for_email(session, address)
            if principal is None:
                staff = await session.scalar(select(Staff).where(func.lower(Staff.email) == address))
                if staff is None:
                    raise UserError(f"no user or staff member has the email {email}")
                if not staff.active:
                    raise UserError(f"staff member {staff.id} ({email}) is deactivated")
                role = PrincipalRole.DIRECTOR if staff.role == "director" else PrincipalRole.MANAGER
                principal, _ = await create_principal(session, name=f"web-{address}", role=role, staff_id=staff.id)
                record_audit(
                    session,
                    actor="cli",
                    action="principal.created",
                    entity_type="principal",
                    entity_id=principal.id,
                    details={"role": role.value, "staff_id": staff.id, "web": True},
                )
            principal.email = address
            principal.password_hash = hash_password(password)
            await revoke_sessions_of(session, principal.id)  # a new password signs every browser out
            record_audit(
                session, actor="cli", action="principal.password_set", entity_type="principal", entity_id=principal.id
            )
            return principal.name
    finally:
        await engine.dispose()
