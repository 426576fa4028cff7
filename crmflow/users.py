"""Creating API users (principals) from the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta

from db.engine import create_engine, create_session_factory
from db.models import PrincipalRole, Staff, utcnow
from db.repositories.audit import record_audit
from db.repositories.staff import create_principal
from crmflow.settings import Settings
from definitions.base import parse_duration

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
            principal, token = await create_principal(session, name=name, role=principal_role, staff_id=staff_id,
                                                      expires_at=expires_at)
            record_audit(session, actor="cli", action="principal.created", entity_type="principal",
                         entity_id=principal.id, details={"role": principal_role.value, "staff_id": staff_id,
                                                          "expires_at": expires_at.isoformat() if expires_at else None})
        return token
    finally:
        await engine.dispose()
