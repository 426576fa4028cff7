"""Schedules: list every crmflow schedule; ops and admin pause, unpause or trigger one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from api.auth import Actor
from api.deps import Inspector, Overseer, Temporal
from api.errors import not_found
from crmflow.schedules import ScheduleView, UnknownSchedule, control_schedule, list_schedules

router = APIRouter(prefix="/v1/schedules", tags=["schedules"])

# Schedules start processes for the whole company: only operators steer them.
# Directors may see when the review cycle or the reclaim runs next.


class ScheduleList(BaseModel):
    """The schedules that exist in Temporal."""

    items: list[ScheduleView]
    total: int


class ScheduleControl(BaseModel):
    """Why a schedule was paused or unpaused (kept as the schedule's note)."""

    note: str | None = Field(default=None, max_length=500)


@router.get("", response_model=ScheduleList)
async def get_schedules(temporal: Temporal, actor: Overseer) -> ScheduleList:
    """Every crmflow schedule with its spec, state, next and recent runs."""
    schedules = await list_schedules(temporal)
    return ScheduleList(items=schedules, total=len(schedules))


async def _control(
    temporal, schedule_id: str, action: Literal["pause", "unpause", "trigger"], actor: Actor, note: str | None
) -> ScheduleView:
    try:
        return await control_schedule(temporal, schedule_id, action, note=f"{actor.label}: {note or action}")
    except UnknownSchedule:
        raise not_found("schedule", schedule_id) from None


@router.post("/{schedule_id}/pause", response_model=ScheduleView)
async def pause(
    schedule_id: str, temporal: Temporal, actor: Inspector, body: Annotated[ScheduleControl | None, Body()] = None
) -> ScheduleView:
    """Pause a schedule: no runs start until it is unpaused (a sync keeps it paused)."""
    return await _control(temporal, schedule_id, "pause", actor, body.note if body else None)


@router.post("/{schedule_id}/unpause", response_model=ScheduleView)
async def unpause(
    schedule_id: str, temporal: Temporal, actor: Inspector, body: Annotated[ScheduleControl | None, Body()] = None
) -> ScheduleView:
    """Resume a paused schedule."""
    return await _control(temporal, schedule_id, "unpause", actor, body.note if body else None)


@router.post("/{schedule_id}/trigger", response_model=ScheduleView, status_code=202)
async def trigger(schedule_id: str, temporal: Temporal, actor: Inspector) -> ScheduleView:
    """Start the schedule's process now (idempotent per period where the process is)."""
    return await _control(temporal, schedule_id, "trigger", actor, None)
