"""Staff administration: admins write; directors and managers read their subtree; ops read all."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Query, Request, status

from api.schemas.common import IdPath, IdQuery, Offset
from api.auth import Actor
from api.deps import Session, require_roles
from api.errors import ApiError, conflict, not_found
from api.schemas.staff import StaffCreate, StaffList, StaffOut, StaffUpdate
from db.models import PrincipalRole, Staff, StaffRole
from db.repositories.staff import StaffProblem, create_staff, list_staff, update_staff
from db.repositories.tasks import hand_over_open_tasks

log = structlog.get_logger(__name__)

router = APIRouter(prefix="/v1/staff", tags=["staff"])

_READERS = (PrincipalRole.ADMIN, PrincipalRole.OPS, PrincipalRole.DIRECTOR, PrincipalRole.MANAGER)
Reader = Annotated[Actor, Depends(require_roles(*_READERS))]
Admin = Annotated[Actor, Depends(require_roles(PrincipalRole.ADMIN))]


def _problem(exc: StaffProblem) -> ApiError:
    details = {"field": exc.field} if exc.field else None
    return conflict(exc.message, details) if exc.conflict else ApiError(422, exc.message, details=details)


async def _visible_staff(session: Session, actor: Actor, staff_id: int) -> Staff:
    staff = await session.get(Staff, staff_id)
    # Outside the caller's subtree answers like a missing id: existence is not disclosed.
    if staff is None or not actor.can_see_staff(staff.id):
        raise not_found("staff", staff_id)
    return staff


@router.get("", response_model=StaffList)
async def list_staff_members(
    session: Session,
    actor: Reader,
    role: StaffRole | None = None,
    active: bool | None = None,
    region: str | None = None,
    supervisor_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> StaffList:
    """Staff the caller may see (directors and managers: their subtree), filtered and paged."""
    rows, total = await list_staff(
        session, visible_ids=actor.visible_staff_ids, role=role.value if role else None, active=active,
        region=region, supervisor_id=supervisor_id, limit=limit, offset=offset,
    )
    return StaffList(items=[StaffOut.model_validate(row) for row in rows], total=total, limit=limit, offset=offset)


@router.post("", response_model=StaffOut, status_code=status.HTTP_201_CREATED)
async def create_staff_member(body: StaffCreate, session: Session, actor: Admin) -> StaffOut:
    """Add a staff member (admin)."""
    try:
        staff = await create_staff(session, actor=actor.label, **body.model_dump())
    except StaffProblem as exc:
        raise _problem(exc) from None
    await session.commit()
    await session.refresh(staff)
    return StaffOut.model_validate(staff)


@router.get("/{staff_id}", response_model=StaffOut)
async def get_staff_member(staff_id: IdPath, session: Session, actor: Reader) -> StaffOut:
    """One staff member within the caller's view."""
    return StaffOut.model_validate(await _visible_staff(session, actor, staff_id))


@router.patch("/{staff_id}", response_model=StaffOut)
async def update_staff_member(
    staff_id: IdPath, body: StaffUpdate, session: Session, actor: Admin, request: Request
) -> StaffOut:
    """Change a staff member (admin); deactivating hands their open tasks up the supervisor chain."""
    staff = await _visible_staff(session, actor, staff_id)
    was_active = staff.active
    try:
        diff = await update_staff(session, staff, actor=actor.label, changes=body.changes())
    except StaffProblem as exc:
        raise _problem(exc) from None
    if was_active and "active" in diff and not staff.active:
        try:
            temporal = await request.app.state.temporal()
        except Exception as exc:  # noqa: BLE001 - the rows still move (committed); logged so ops can re-send
            log.warning("staff.handover_no_temporal", staff_id=staff.id, error=str(exc))
            temporal = None
        await hand_over_open_tasks(session, temporal, staff_id=staff.id, actor_label=actor.label)
    else:
        await session.commit()
    await session.refresh(staff)
    return StaffOut.model_validate(staff)
