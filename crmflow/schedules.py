"""Temporal Schedules that the definitions ask for: sync (create or update, idempotently), list, control."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import structlog
from pydantic import BaseModel
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleDescription,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError, RPCStatusCode

from crmflow.registry import ProcessSpec, ScheduleContext, ScheduledRun, definition_models, scheduled_runs
from crmflow.settings import Settings, get_settings
from crmflow.temporal import SA_PROCESS_TYPE
from definitions.base import DefinitionMeta, ScheduledDefinition

log = structlog.get_logger(__name__)

# The memo key on a schedule's action that records what the last sync wrote (see _fingerprint).
FINGERPRINT_MEMO = "crmflow_schedule_fingerprint"


def schedule_timezone(definition: ScheduledDefinition, settings: Settings) -> str:
    """The time zone a definition's schedule runs in (definition first, then CRMFLOW_TIMEZONE)."""
    return definition.schedule.timezone or settings.timezone


def load_definitions(settings: Settings | None = None) -> dict[str, DefinitionMeta]:
    """Every registered process's definition that exists and loads (a broken one is logged and left out)."""
    from definitions.loader import DefinitionError, load_definition

    settings = settings or get_settings()
    found: dict[str, DefinitionMeta] = {}
    for name in definition_models():
        if not (settings.definitions_dir / f"{name}.yaml").exists():
            continue
        try:
            found[name] = load_definition(settings.definitions_dir, name)
        except DefinitionError as exc:
            log.warning("definition.unavailable", process=name, error=str(exc))
    return found


def schedule_context(settings: Settings, definitions: Mapping[str, DefinitionMeta] | None = None) -> ScheduleContext:
    """What schedule input builders see: the company's time zone and the definitions in force."""
    return ScheduleContext(
        timezone=settings.timezone, definitions=load_definitions(settings) if definitions is None else definitions
    )


def _build(
    spec: ProcessSpec, run: ScheduledRun, definition: Any, context: ScheduleContext, settings: Settings
) -> Schedule:
    rule = getattr(definition, run.rule)
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(
            run.workflow.__name__,
            run.build_input(definition, context),
            id=run.workflow_id,
            task_queue=settings.task_queue,
            typed_search_attributes=TypedSearchAttributes(
                [SearchAttributePair(SA_PROCESS_TYPE, run.process_type or spec.name)]
            ),
            static_summary=f"{run.description} (definition {definition.version}:{definition.content_hash})",
        ),
        spec=ScheduleSpec(cron_expressions=[rule.cron], time_zone_name=rule.timezone or context.timezone),
        policy=SchedulePolicy(overlap=run.overlap, catchup_window=rule.catchup_window),
        state=ScheduleState(paused=rule.paused, note="created by crmflow schedules sync"),
    )
    assert isinstance(schedule.action, ScheduleActionStartWorkflow)
    schedule.action.memo = {FINGERPRINT_MEMO: _fingerprint(schedule)}
    return schedule


def _fingerprint(schedule: Schedule) -> str:
    """A digest of everything a sync sets (action, spec, policy; not the state, which belongs to ops)."""
    action = schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    args = pydantic_data_converter.payload_converter.to_payloads(list(action.args))
    content = {
        "workflow": action.workflow,
        "id": action.id,
        "task_queue": action.task_queue,
        "args": [payload.SerializeToString(deterministic=True).hex() for payload in args],
        "search_attributes": sorted((p.key.name, str(p.value)) for p in action.typed_search_attributes),
        "summary": action.static_summary if isinstance(action.static_summary, str) else None,
        "cron": list(schedule.spec.cron_expressions),
        "timezone": schedule.spec.time_zone_name,
        "overlap": schedule.policy.overlap.name,
        "catchup": schedule.policy.catchup_window.total_seconds(),
        "pause_on_failure": schedule.policy.pause_on_failure,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _recorded_fingerprint(description: ScheduleDescription) -> str | None:
    action = description.schedule.action
    raw = getattr(action, "memo", None) or {}
    payload = raw.get(FINGERPRINT_MEMO)
    if payload is None:
        return None
    return pydantic_data_converter.payload_converter.from_payload(payload, str)


@dataclass(frozen=True)
class SyncResult:
    schedule_id: str
    workflow_type: str
    action: Literal["created", "updated", "unchanged", "skipped"]
    reason: str = ""


async def sync_schedules(
    client: Client,
    definitions: Mapping[str, DefinitionMeta] | None = None,
    *,
    settings: Settings | None = None,
) -> list[SyncResult]:
    """Create or update every schedule the definitions ask for; running it twice changes nothing more."""
    # Several workers start at once and each syncs: one create wins (the others find it exists), and a schedule
    # that already holds what this sync would write is not written again ("unchanged"), so concurrent starts
    # neither rewrite it nor race an operator's pause.
    settings = settings or get_settings()
    context = schedule_context(settings, definitions)
    results: list[SyncResult] = []
    for spec, run in scheduled_runs():
        workflow_type = run.workflow.__name__
        definition = context.definitions.get(spec.name)
        if definition is None:
            results.append(SyncResult(run.schedule_id, workflow_type, "skipped", "no definition"))
            continue
        schedule = _build(spec, run, definition, context, settings)
        action = await _create_or_update(client, run.schedule_id, schedule)
        log.info("schedule.synced", schedule_id=run.schedule_id, action=action, cron=getattr(definition, run.rule).cron)
        results.append(SyncResult(run.schedule_id, workflow_type, action))
    return results


async def _create_or_update(
    client: Client, schedule_id: str, schedule: Schedule
) -> Literal["created", "updated", "unchanged"]:
    # A schedule deleted between "already exists" and the update is simply created again.
    for _ in range(5):
        try:
            await client.create_schedule(schedule_id, schedule)
            return "created"
        except ScheduleAlreadyRunningError:
            pass
        outcome: list[Literal["updated", "unchanged"]] = []
        try:
            await client.get_schedule_handle(schedule_id).update(_keep_state(schedule, outcome))
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                continue
            raise
        return outcome[0]
    raise RuntimeError(f"schedule {schedule_id} kept disappearing while being synced")


def _keep_state(
    schedule: Schedule, outcome: list[Literal["updated", "unchanged"]]
) -> Callable[[ScheduleUpdateInput], ScheduleUpdate | None]:
    """Replace action, spec and policy but keep the state (a sync never unpauses what ops paused); None if equal."""

    def updater(current: ScheduleUpdateInput) -> ScheduleUpdate | None:
        assert isinstance(schedule.action, ScheduleActionStartWorkflow)
        if _recorded_fingerprint(current.description) == schedule.action.memo[FINGERPRINT_MEMO]:
            outcome.append("unchanged")
            return None
        schedule.state = current.description.schedule.state
        outcome.append("updated")
        return ScheduleUpdate(schedule=schedule)

    return updater


class ScheduleRun(BaseModel):
    scheduled_at: datetime
    started_at: datetime
    workflow_id: str


class ScheduleView(BaseModel):
    """A schedule as the API and CLI show it."""

    id: str
    process: str
    workflow_type: str
    cron: list[str]
    timezone: str | None
    overlap: str
    catchup_window_seconds: float | None
    paused: bool
    note: str | None
    next_runs: list[datetime]
    recent_runs: list[ScheduleRun]
    running: list[str]
    actions_taken: int


def _view(spec: ProcessSpec, run: ScheduledRun, description: ScheduleDescription) -> ScheduleView:
    schedule, info = description.schedule, description.info
    catchup = schedule.policy.catchup_window
    return ScheduleView(
        id=description.id,
        process=spec.name,
        workflow_type=run.workflow.__name__,
        cron=list(schedule.spec.cron_expressions) or [_as_cron(c) for c in schedule.spec.calendars],
        timezone=schedule.spec.time_zone_name,
        overlap=schedule.policy.overlap.name,
        catchup_window_seconds=catchup.total_seconds() if catchup else None,
        paused=schedule.state.paused,
        note=schedule.state.note,
        next_runs=list(info.next_action_times[:5]),
        recent_runs=[
            ScheduleRun(
                scheduled_at=r.scheduled_at, started_at=r.started_at, workflow_id=getattr(r.action, "workflow_id", "")
            )
            for r in info.recent_actions
        ],
        running=[getattr(r, "workflow_id", "") for r in info.running_actions],
        actions_taken=info.num_actions,
    )


_FULL = {"minute": (0, 59), "hour": (0, 23), "day_of_month": (1, 31), "month": (1, 12), "day_of_week": (0, 6)}


def _as_cron(calendar) -> str:
    """The server keeps a cron string as a calendar spec: show it as cron again."""
    fields = []
    for name, full in _FULL.items():
        ranges = getattr(calendar, name)
        if not ranges or (
            len(ranges) == 1
            and (ranges[0].start, ranges[0].end or ranges[0].start) == full
            and ranges[0].step in (0, 1)
        ):
            fields.append("*")
            continue
        parts = []
        for r in ranges:
            end = r.end or r.start
            part = str(r.start) if end == r.start else f"{r.start}-{end}"
            parts.append(part + (f"/{r.step}" if r.step > 1 else ""))
        fields.append(",".join(parts))
    return " ".join(fields)


class UnknownSchedule(LookupError):
    """No crmflow schedule with that id exists (not defined, or not synced yet)."""


async def describe_schedule(client: Client, schedule_id: str) -> ScheduleView:
    """One crmflow schedule; UnknownSchedule when it is not one of ours or not created."""
    found = next(((spec, run) for spec, run in scheduled_runs() if run.schedule_id == schedule_id), None)
    if found is None:
        raise UnknownSchedule(schedule_id)
    try:
        description = await client.get_schedule_handle(schedule_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise UnknownSchedule(schedule_id) from exc
        raise
    return _view(*found, description)


async def list_schedules(client: Client) -> list[ScheduleView]:
    """Every crmflow schedule that exists (described one by one: listing is only eventually consistent)."""
    views = []
    for _, run in scheduled_runs():
        try:
            views.append(await describe_schedule(client, run.schedule_id))
        except UnknownSchedule:
            continue
    return views


async def control_schedule(
    client: Client, schedule_id: str, action: Literal["pause", "unpause", "trigger"], *, note: str | None = None
) -> ScheduleView:
    """Pause, unpause or trigger a crmflow schedule now, then describe it."""
    await describe_schedule(client, schedule_id)
    handle = client.get_schedule_handle(schedule_id)
    if action == "pause":
        await handle.pause(note=note or "paused")
    elif action == "unpause":
        await handle.unpause(note=note or "unpaused")
    else:
        await handle.trigger()
    return await describe_schedule(client, schedule_id)
