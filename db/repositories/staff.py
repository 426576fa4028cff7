"""Staff and principals: lookups, the supervisor chain, subtrees, token hashing."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Principal, Staff


def hash_token(token: str) -> str:
    """SHA-256 of a token: tokens are 32 random bytes, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh random API token (32 bytes, URL-safe)."""
    return secrets.token_urlsafe(32)


async def principal_by_token(session: AsyncSession, token: str) -> Principal | None:
    """The active principal a bearer token belongs to."""
    return await session.scalar(
        select(Principal).where(Principal.token_hash == hash_token(token), Principal.revoked_at.is_(None))
    )


async def create_principal(
    session: AsyncSession, *, name: str, role: str, staff_id: int | None = None
) -> tuple[Principal, str]:
    """A new principal and its token (the token is returned once and never stored)."""
    token = new_token()
    principal = Principal(name=name, role=role, staff_id=staff_id, token_hash=hash_token(token))
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


async def subtree_ids(session: AsyncSession, staff_id: int) -> set[int]:
    """The staff member and everyone below them."""
    rows = (await session.execute(select(Staff.id, Staff.supervisor_id))).all()
    children: dict[int, list[int]] = {}
    for child, parent in rows:
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found, frontier = {staff_id}, [staff_id]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found
