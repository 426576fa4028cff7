"""Temporal Schedules that the definitions ask for: sync (create or update, idempotently), list, control."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import structlog
from pydantic import BaseModel
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleDescription,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.service import RPCError, RPCStatusCode

from crmflow.settings import Settings, get_settings
from crmflow.temporal import SA_PROCESS_TYPE

log = structlog.get_logger(__name__)


def tiering_snapshot(definition: BaseModel, settings: Settings) -> dict[str, Any] | None:
    """The tiering definition a review passes to the re-evaluations it starts (only when its switch is on)."""
    at_risk = getattr(definition, "at_risk", None)
    if not getattr(at_risk, "start_tier_reevaluations", False):
        return None
    from definitions.loader import MODELS, DefinitionError, load_definition

    if "tiering" not in MODELS:
        return None
    try:
        return load_definition(settings.definitions_dir, "tiering").model_dump(mode="json")
    except DefinitionError:
        log.warning("review.tiering_definition_unavailable")
        return None


def _review_input(definition: BaseModel, settings: Settings) -> Any:
    from definitions.review import ReviewCycleInput, ReviewDefinition

    assert isinstance(definition, ReviewDefinition)
    return ReviewCycleInput(definition=definition, timezone=schedule_timezone(definition, settings),
                            tiering_definition=tiering_snapshot(definition, settings))


def _definition_input(definition: BaseModel, settings: Settings) -> Any:
    """Inputs of workflows owned elsewhere, built without importing them: the definition and the time zone."""
    return {"definition": definition.model_dump(mode="json"), "timezone": schedule_timezone(definition, settings)}


@dataclass(frozen=True)
class ScheduledProcess:
    """A process that runs on a Temporal Schedule, found by its definition and workflow type NAME."""

    schedule_id: str
    process: str  # definition file <process>.yaml; its `schedule` field says when
    workflow_type: str
    workflow_id: str  # the server appends the scheduled time to it for every run
    overlap: ScheduleOverlapPolicy
    default_catchup: timedelta
    build_input: Callable[[BaseModel, Settings], Any]
    description: str
    process_type: str = ""  # CrmProcessType of the scheduled run (default: the process name)


# Overlap policies, argued:
# - review: SKIP. The scheduled run is a launcher that only starts `review-cycle-<period>` (seconds),
#   and a period gets one cycle anyway; buffering a quarterly start behind a stuck one adds nothing.
# - tiering: SKIP. A monthly scoring still running when the next month starts means something is
#   stuck or slow; a buffered second run would re-score the same data right after and could open
#   duplicate approvals; the next month's run picks up everything.
# - reclaim: BUFFER_ONE. The daily run is short and computes against "now"; if yesterday's run is
#   still going, running once right after it (not skipping a whole day) keeps warnings and reclaims
#   on time, while never piling up more than one extra run.
SCHEDULED_PROCESSES: tuple[ScheduledProcess, ...] = (
    ScheduledProcess(
        schedule_id="review-quarterly",
        process="review",
        workflow_type="ReviewScheduleWorkflow",
        workflow_id="review-schedule",
        overlap=ScheduleOverlapPolicy.SKIP,
        default_catchup=timedelta(days=7),
        build_input=_review_input,
        description="Quarterly account reviews for the quarter just ended",
        process_type="review-cycle",  # the run only launches the period's cycle
    ),
    ScheduledProcess(
        schedule_id="tiering-monthly",
        process="tiering",
        workflow_type="TieringCycleWorkflow",
        workflow_id="tiering-cycle",
        overlap=ScheduleOverlapPolicy.SKIP,
        default_catchup=timedelta(days=1),
        build_input=_definition_input,
        description="Monthly tier re-evaluation of every customer",
    ),
    ScheduledProcess(
        schedule_id="reclaim-daily",
        process="reclaim",
        workflow_type="ReclaimWorkflow",
        workflow_id="reclaim-daily",
        overlap=ScheduleOverlapPolicy.BUFFER_ONE,
        default_catchup=timedelta(hours=6),
        build_input=_definition_input,
        description="Daily follow-up warnings and reclaim to the public pool",
    ),
)

BY_ID: dict[str, ScheduledProcess] = {p.schedule_id: p for p in SCHEDULED_PROCESSES}


@dataclass(frozen=True)
class ScheduleRule:
    """The `schedule` field of a definition, whatever shape its owner chose (cron string or object)."""

    cron: str
    timezone: str
    catchup_window: timedelta
    paused: bool = False


def _rule(definition: BaseModel, process: ScheduledProcess, settings: Settings) -> ScheduleRule | None:
    raw = getattr(definition, "schedule", None)
    if raw is None or raw is False:
        return None
    if isinstance(raw, str):
        return ScheduleRule(raw, settings.timezone, process.default_catchup)
    cron = getattr(raw, "cron", None)
    if not cron:
        return None
    catchup = getattr(raw, "catchup_window", None)
    return ScheduleRule(
        cron=cron,
        timezone=getattr(raw, "timezone", None) or getattr(definition, "timezone", None) or settings.timezone,
        catchup_window=catchup if isinstance(catchup, timedelta) else process.default_catchup,
        paused=bool(getattr(raw, "paused", False)),
    )


def schedule_timezone(definition: BaseModel, settings: Settings) -> str:
    """The time zone a definition's schedule runs in (definition first, then CRMFLOW_TIMEZONE)."""
    raw = getattr(definition, "schedule", None)
    return getattr(raw, "timezone", None) or settings.timezone


def load_scheduled_definitions(settings: Settings | None = None) -> dict[str, BaseModel]:
    """The definitions of every scheduled process whose definition file and model exist."""
    from definitions.loader import MODELS, load_definition

    settings = settings or get_settings()
    found: dict[str, BaseModel] = {}
    for process in SCHEDULED_PROCESSES:
        if process.process in MODELS and (settings.definitions_dir / f"{process.process}.yaml").exists():
            found[process.process] = load_definition(settings.definitions_dir, process.process)
    return found


def registered_workflow_types() -> set[str]:
    """Workflow type names the worker registers (imported lazily: worker.py may call sync at start)."""
    from temporalio.workflow import _Definition

    from worker import WORKFLOWS

    return {_Definition.must_from_class(cls).name or cls.__name__ for cls in WORKFLOWS}


def _build(process: ScheduledProcess, definition: BaseModel, rule: ScheduleRule, settings: Settings) -> Schedule:
    version = f"{getattr(definition, 'version', '?')}:{getattr(definition, 'content_hash', '')}"
    return Schedule(
        action=ScheduleActionStartWorkflow(
            process.workflow_type,
            process.build_input(definition, settings),
            id=process.workflow_id,
            task_queue=settings.task_queue,
            typed_search_attributes=TypedSearchAttributes([SearchAttributePair(SA_PROCESS_TYPE, process.process_type or process.process)]),
            static_summary=f"{process.description} (definition {version})",
        ),
        spec=ScheduleSpec(cron_expressions=[rule.cron], time_zone_name=rule.timezone),
        policy=SchedulePolicy(overlap=process.overlap, catchup_window=rule.catchup_window),
        state=ScheduleState(paused=rule.paused, note="created by crmflow schedules sync"),
    )


@dataclass(frozen=True)
class SyncResult:
    schedule_id: str
    workflow_type: str
    action: Literal["created", "updated", "skipped"]
    reason: str = ""


async def sync_schedules(
    client: Client,
    definitions: Mapping[str, BaseModel] | None = None,
    *,
    settings: Settings | None = None,
    workflow_types: Iterable[str] | None = None,
) -> list[SyncResult]:
    """Create or update every schedule the definitions ask for; running it twice changes nothing more."""
    settings = settings or get_settings()
    definitions = load_scheduled_definitions(settings) if definitions is None else definitions
    known_types = set(workflow_types) if workflow_types is not None else registered_workflow_types()
    results: list[SyncResult] = []
    for process in SCHEDULED_PROCESSES:
        definition = definitions.get(process.process)
        if definition is None or process.workflow_type not in known_types:
            why = "no definition" if definition is None else f"workflow {process.workflow_type} not registered"
            results.append(SyncResult(process.schedule_id, process.workflow_type, "skipped", why))
            continue
        rule = _rule(definition, process, settings)
        if rule is None:
            results.append(SyncResult(process.schedule_id, process.workflow_type, "skipped", "no schedule"))
            continue
        schedule = _build(process, definition, rule, settings)
        try:
            await client.create_schedule(process.schedule_id, schedule)
            action: Literal["created", "updated"] = "created"
        except ScheduleAlreadyRunningError:
            await client.get_schedule_handle(process.schedule_id).update(_keep_state(schedule))
            action = "updated"
        log.info("schedule.synced", schedule_id=process.schedule_id, action=action, cron=rule.cron, tz=rule.timezone)
        results.append(SyncResult(process.schedule_id, process.workflow_type, action))
    return results


def _keep_state(schedule: Schedule) -> Callable[[ScheduleUpdateInput], ScheduleUpdate]:
    """Replace action, spec and policy but keep the state: a sync never unpauses what ops paused."""

    def updater(current: ScheduleUpdateInput) -> ScheduleUpdate:
        schedule.state = current.description.schedule.state
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


def _view(process: ScheduledProcess, description: ScheduleDescription) -> ScheduleView:
    schedule, info = description.schedule, description.info
    catchup = schedule.policy.catchup_window
    return ScheduleView(
        id=description.id,
        process=process.process,
        workflow_type=process.workflow_type,
        cron=list(schedule.spec.cron_expressions) or [_as_cron(c) for c in schedule.spec.calendars],
        timezone=schedule.spec.time_zone_name,
        overlap=schedule.policy.overlap.name,
        catchup_window_seconds=catchup.total_seconds() if catchup else None,
        paused=schedule.state.paused,
        note=schedule.state.note,
        next_runs=list(info.next_action_times[:5]),
        recent_runs=[
            ScheduleRun(scheduled_at=r.scheduled_at, started_at=r.started_at,
                        workflow_id=getattr(r.action, "workflow_id", ""))
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
        if not ranges or (len(ranges) == 1 and (ranges[0].start, ranges[0].end or ranges[0].start) == full
                          and ranges[0].step in (0, 1)):
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
    process = BY_ID.get(schedule_id)
    if process is None:
        raise UnknownSchedule(schedule_id)
    try:
        description = await client.get_schedule_handle(schedule_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise UnknownSchedule(schedule_id) from exc
        raise
    return _view(process, description)


async def list_schedules(client: Client) -> list[ScheduleView]:
    """Every crmflow schedule that exists (described one by one: listing is only eventually consistent)."""
    views = []
    for process in SCHEDULED_PROCESSES:
        try:
            views.append(await describe_schedule(client, process.schedule_id))
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
