"""FastAPI dependencies (Annotated): DB session, Temporal client, the authenticated actor."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

import structlog

from activities.base import start_delivery_workflows
from api.auth import READ_ALL_ROLES, READER_ROLES, TASK_ACTOR_ROLES, Actor
from api.errors import ApiError, forbidden
from db.models import Principal, PrincipalRole, utcnow
from db.repositories.audit import NEW_NOTIFICATIONS
from db.repositories.staff import (
    ACCESS_CACHE_SECONDS,
    access_generation,
    access_view,
    hash_token,
    principal_by_token,
)
from definitions.loader import DefinitionError, DefinitionT, load_as

_bearer = HTTPBearer(auto_error=False)
log = structlog.get_logger(__name__)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for the request; routes commit explicitly when they write.

    Notifications a route wrote (and committed) start their delivery once the route is done.
    """
    async with request.app.state.sessions() as session:
        yield session
        written = [n for n in session.info.pop(NEW_NOTIFICATIONS, []) if n.id is not None]
        if written and request.app.state.settings.notifications_deliver:
            await _deliver(request, written)


async def _deliver(request: Request, notifications: list) -> None:
    try:
        client = await request.app.state.temporal()
        await start_delivery_workflows(client, request.app.state.settings.task_queue, notifications)
    except Exception as exc:  # noqa: BLE001 - the change is committed; the feed shows it even if Temporal is down
        log.warning("notifications.not_started", notification_ids=[n.id for n in notifications], error=str(exc))


async def get_temporal(request: Request) -> Client:
    """The shared Temporal client (connected on first use so the API starts without Temporal); 503 if down."""
    try:
        return await request.app.state.temporal()
    except Exception as exc:  # noqa: BLE001 - any connection failure means "try again later"
        raise ApiError(503, f"Temporal is unavailable ({exc.__class__.__name__})") from None


async def current_definition(request: Request, model: type[DefinitionT]) -> DefinitionT:
    """The definition in force now (the loader caches by content); 503 when its file is broken."""
    try:
        # Read and parsed in a thread: a slow disk or a large file never stalls the event loop.
        return await asyncio.to_thread(load_as, request.app.state.settings.definitions_dir, model)
    except DefinitionError as exc:
        # The server's configuration is broken, not the request.
        raise ApiError(
            503, f"the {model.__name__} cannot be loaded", code="definition_invalid", details=str(exc)
        ) from None


Session = Annotated[AsyncSession, Depends(get_session)]
Temporal = Annotated[Client, Depends(get_temporal)]


async def actor_for(session: AsyncSession, principal: Principal) -> Actor | None:
    """The Actor of a principal, shared by bearer tokens and web sessions; None once its staff is inactive."""
    role = PrincipalRole(principal.role)
    visible: frozenset[int] | None = None
    subtree: frozenset[int] = frozenset()
    if principal.staff_id is not None:
        # Cached briefly (db.repositories.staff.ACCESS_CACHE_SECONDS): this ran two queries on every request.
        active, subtree = await access_view(session, principal.staff_id)
        if not active:
            return None  # a deactivated person loses every way in at once
    if role not in READ_ALL_ROLES:
        visible = subtree
        if role == PrincipalRole.SERVICE:
            visible = None  # integrations look customers up to file complaints; they decide nothing
    return Actor(principal.id, principal.name, role, principal.staff_id, visible)


# A token's actor by token hash: (monotonic deadline, access generation, actor). It lives as long as the access
# view it was built from (db.repositories.staff.ACCESS_CACHE_SECONDS, and not past the token's expiry) and goes
# with every revoke, deactivation or supervisor change made in this process. Only accepted tokens are kept.
_token_actors: dict[str, tuple[float, int, Actor]] = {}
_TOKEN_ACTORS_MAX = 10_000  # past this many live tokens the cache starts over rather than grow


async def get_actor(
    session: Session,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """Authenticate the bearer token; 401 when it is missing, unknown or revoked."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "missing bearer token (Authorization: Bearer <token>)")
    key = hash_token(credentials.credentials)
    now = time.monotonic()
    cached = _token_actors.get(key)
    if cached is not None and cached[0] > now and cached[1] == access_generation():
        return cached[2]
    generation = access_generation()
    principal = await principal_by_token(session, credentials.credentials)
    if principal is None:
        raise ApiError(401, "unknown, expired or revoked token")
    expires_at = principal.expires_at
    actor = await actor_for(session, principal)
    if actor is None:
        raise ApiError(401, "the staff member of this token is deactivated")
    lifetime = ACCESS_CACHE_SECONDS
    if expires_at is not None:
        lifetime = min(lifetime, (expires_at - utcnow()).total_seconds())
    if generation == access_generation():
        if len(_token_actors) >= _TOKEN_ACTORS_MAX:
            _token_actors.clear()
        _token_actors[key] = (now + lifetime, generation, actor)
    return actor


CurrentActor = Annotated[Actor, Depends(get_actor)]


def require_roles(*roles: PrincipalRole) -> Callable[[Actor], Actor]:
    """A dependency admitting only the given roles (403 otherwise)."""

    async def _check(actor: CurrentActor) -> Actor:
        if actor.role not in roles:
            allowed = ", ".join(r.value for r in PrincipalRole if r in roles)  # declaration order: stable
            raise forbidden(f"role {actor.role.value} may not do this (allowed: {allowed})")
        return actor

    return _check


# The role gates, one definition each (see api/auth.py for the matrix); routers use these, not require_roles directly.
Reader = Annotated[Actor, Depends(require_roles(*READER_ROLES))]  # humans: admin, ops, director, manager
TaskActorDep = Annotated[Actor, Depends(require_roles(*TASK_ACTOR_ROLES))]  # may act on tasks: not ops, not service
AdminActor = Annotated[Actor, Depends(require_roles(PrincipalRole.ADMIN))]
Inspector = Annotated[Actor, Depends(require_roles(*READ_ALL_ROLES))]  # ops and admin: metrics, deliveries, schedules
# Those who file records (customers, complaints, responses, approvals): the task actors and service integrations.
Filer = Annotated[Actor, Depends(require_roles(*TASK_ACTOR_ROLES, PrincipalRole.SERVICE))]
# Those who oversee across teams (start review cycles, compute incentives, view schedules): ops, admin, director.
Overseer = Annotated[Actor, Depends(require_roles(*READ_ALL_ROLES, PrincipalRole.DIRECTOR))]
# Those whose own figures are at stake (appeal an incentive): manager and director, not admin or ops.
Appellant = Annotated[Actor, Depends(require_roles(PrincipalRole.MANAGER, PrincipalRole.DIRECTOR))]
