"""A workflow history as a readable timeline: when, what (activity, timer, update with who decided, …).

Payloads are decoded with the client's data converter into plain JSON values (no type hints: a dict per
model). Only ids, enum-like values and actor labels are shown — never free text such as descriptions,
notes or comments, which may carry personal data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from google.protobuf.duration_pb2 import Duration
from pydantic import BaseModel
from temporalio.api.common.v1 import Payloads
from temporalio.api.enums.v1 import EventType, StartChildWorkflowExecutionFailedCause
from temporalio.api.failure.v1 import Failure
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import WorkflowHistory
from temporalio.converter import DataConverter, decode_search_attributes

from crmflow.registry import process_specs

# Scalar input fields that are safe to show: ids, enums, amounts, decisions (no names, no free text).
# These are every process's (tasks, stages); each process adds its own in its ProcessSpec.history_fields.
COMMON_SAFE_FIELDS = frozenset(
    {
        "decision",
        "outcome",
        "task_key",
        "round",
        "timezone",
        "started_by",
        "requested_by",
        "kind",
        "status",
        "stage",
        "escalation_level",
        "approved",
    }
)


@cache
def safe_fields() -> frozenset[str]:
    """The input fields a history may show: the common ones and those every registered process declares."""
    return COMMON_SAFE_FIELDS.union(*(spec.history_fields for spec in process_specs()))


ACTOR_FIELDS = ("actor", "opened_by", "decided_by_actor")
ESCALATION_SUFFIXES = (".escalate", ".escalated")


class TimelineEntry(BaseModel):
    """One line of the timeline."""

    event_id: int
    time: datetime | None
    kind: str  # workflow | activity | escalation | timer | update | signal | child | stage | continue_as_new
    what: str
    actor: str | None = None
    details: dict[str, Any] = {}


def format_duration(value: Duration | timedelta) -> str:
    """A compact duration: 1d2h, 30m, 45s."""
    seconds = round(value.total_seconds() if isinstance(value, timedelta) else value.ToTimedelta().total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


def failure_message(failure: Failure) -> str:
    """The failure's message followed by the messages of its causes."""
    messages = []
    current: Failure | None = failure
    while current is not None and current.ByteSize():
        if current.message:
            messages.append(current.message)
        current = current.cause if current.HasField("cause") else None
    return ": ".join(messages) or "failed"


def actor_label(value: Any) -> str | None:
    """The actor label inside a decoded input (`actor.label`, `opened_by.label`), if any."""
    if not isinstance(value, dict):
        return None
    for field in ACTOR_FIELDS:
        nested = value.get(field)
        if isinstance(nested, dict) and nested.get("label"):
            return str(nested["label"])
    return None


def safe_summary(value: Any) -> dict[str, Any]:
    """The ids and enum-like fields of a decoded input/result (one level deep, plus the definition version)."""
    if not isinstance(value, dict):
        return {}
    summary: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict | list):
            continue
        if key in safe_fields() or key.endswith("_id") or key.endswith("_ids"):
            summary[key] = item
    form = value.get("data")
    if isinstance(form, dict):
        # Form answers: only the decision-like ones (approved, rating…), never the free-text fields.
        summary.update({k: v for k, v in form.items() if k in safe_fields() and not isinstance(v, dict | list)})
    # A review's input carries its definition's steps (with the version) instead of the whole definition.
    definition = value.get("definition") or value.get("steps")
    if isinstance(definition, dict):
        meta = definition.get("meta") if isinstance(definition.get("meta"), dict) else definition
        if meta.get("version") is not None:
            summary["definition_version"] = meta.get("version")
    return summary


class HistoryRenderer:
    """Turns the events of one run into timeline entries, remembering what scheduled events were."""

    def __init__(self, converter: DataConverter) -> None:
        self.converter = converter
        self.activities: dict[int, str] = {}  # scheduled event id → activity type
        self.timers: dict[str, str] = {}  # timer id → duration
        self.updates: dict[str, tuple[str, str | None]] = {}  # update id → (name, actor)
        self.children: dict[int, str] = {}  # initiated event id → "Type (workflow id)"

    async def decode(self, payloads: Payloads) -> Any:
        """The first value of a Payloads message as JSON-like Python (None when empty or undecodable)."""
        if not payloads.payloads:
            return None
        try:
            values = await self.converter.decode(payloads.payloads)
        except Exception:  # noqa: BLE001 - an undecodable payload must not hide the rest of the timeline
            return None
        return values[0] if values else None

    async def render(self, events: list[HistoryEvent]) -> list[TimelineEntry]:
        entries = []
        for event in events:
            entry = await self.entry(event)
            if entry is not None:
                entries.append(entry)
        return entries

    def _activity_entry(self, event: HistoryEvent, scheduled_id: int, verb: str, **details: Any) -> TimelineEntry:
        name = self.activities.get(scheduled_id, "?")
        kind = "escalation" if name.endswith(ESCALATION_SUFFIXES) else "activity"
        label = f"{kind} {name} {verb}"
        if kind == "escalation" and details.get("escalation_level") is not None:
            # Say where it went: "level 1, now with staff 11".
            holder = details.get("assignee_id") or details.get("owner_id")
            label += f" (level {details['escalation_level']}{f', now with staff {holder}' if holder else ''})"
        return self._make(event, kind, label, activity=name, **details)

    @staticmethod
    def _make(event: HistoryEvent, kind: str, what: str, actor: str | None = None, **details: Any) -> TimelineEntry:
        time = event.event_time.ToDatetime(tzinfo=UTC) if event.HasField("event_time") else None
        return TimelineEntry(
            event_id=event.event_id,
            time=time,
            kind=kind,
            what=what,
            actor=actor,
            details={k: v for k, v in details.items() if v is not None},
        )

    async def entry(self, event: HistoryEvent) -> TimelineEntry | None:  # noqa: C901, PLR0911, PLR0912 - a dispatch table
        """The timeline entry of one event, or None for bookkeeping events (workflow tasks, markers)."""
        t = event.event_type
        make = self._make
        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
            a = event.workflow_execution_started_event_attributes
            data = await self.decode(a.input)
            details = safe_summary(data)
            if a.continued_execution_run_id:
                details["continued_from_run_id"] = a.continued_execution_run_id
            if a.parent_workflow_execution.workflow_id:
                details["parent_workflow_id"] = a.parent_workflow_execution.workflow_id
            # A process started with its first stage set (no upsert follows for it) shows that stage here.
            started_in = decode_search_attributes(a.search_attributes).get("CrmStage")
            if started_in:
                details["stage"] = started_in[0]
            return make(
                event,
                "workflow",
                f"workflow {a.workflow_type.name} started",
                actor=actor_label(data) or details.get("requested_by") or details.get("started_by"),
                **details,
            )
        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
            result = await self.decode(event.workflow_execution_completed_event_attributes.result)
            return make(event, "workflow", "workflow completed", **safe_summary(result))
        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
            message = failure_message(event.workflow_execution_failed_event_attributes.failure)
            return make(event, "workflow", f"workflow failed: {message}", failure=message)
        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
            a = event.workflow_execution_terminated_event_attributes
            return make(
                event,
                "workflow",
                f"workflow terminated{': ' + a.reason if a.reason else ''}",
                actor=a.identity or None,
                reason=a.reason or None,
            )
        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
            return make(event, "workflow", "workflow canceled")
        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
            a = event.workflow_execution_cancel_requested_event_attributes
            return make(event, "workflow", "cancellation requested", actor=a.identity or None)
        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
            return make(event, "workflow", "workflow timed out")
        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
            a = event.workflow_execution_continued_as_new_event_attributes
            return make(event, "continue_as_new", "continued as new run", new_run_id=a.new_execution_run_id)
        if t == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
            a = event.workflow_task_failed_event_attributes
            message = failure_message(a.failure)
            return make(event, "workflow", f"workflow task failed: {message}", failure=message)

        if t == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            a = event.activity_task_scheduled_event_attributes
            self.activities[event.event_id] = a.activity_type.name
            return self._activity_entry(event, event.event_id, "scheduled", activity_id=a.activity_id)
        if t == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            a = event.activity_task_completed_event_attributes
            result = await self.decode(a.result)
            return self._activity_entry(event, a.scheduled_event_id, "completed", **safe_summary(result))
        if t == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
            a = event.activity_task_failed_event_attributes
            message = failure_message(a.failure)
            return self._activity_entry(event, a.scheduled_event_id, f"failed: {message}", failure=message)
        if t == EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
            a = event.activity_task_timed_out_event_attributes
            message = failure_message(a.failure)
            return self._activity_entry(event, a.scheduled_event_id, f"timed out: {message}", failure=message)
        if t == EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
            a = event.activity_task_canceled_event_attributes
            return self._activity_entry(event, a.scheduled_event_id, "canceled")

        if t == EventType.EVENT_TYPE_TIMER_STARTED:
            a = event.timer_started_event_attributes
            duration = format_duration(a.start_to_fire_timeout)
            self.timers[a.timer_id] = duration
            return make(event, "timer", f"timer started ({duration})", timer_id=a.timer_id, duration=duration)
        if t == EventType.EVENT_TYPE_TIMER_FIRED:
            a = event.timer_fired_event_attributes
            duration = self.timers.get(a.timer_id)
            return make(event, "timer", f"timer fired ({duration or '?'})", timer_id=a.timer_id, duration=duration)
        if t == EventType.EVENT_TYPE_TIMER_CANCELED:
            a = event.timer_canceled_event_attributes
            return make(event, "timer", f"timer canceled ({self.timers.get(a.timer_id, '?')})", timer_id=a.timer_id)

        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            request = event.workflow_execution_update_accepted_event_attributes.accepted_request
            data = await self.decode(request.input.args)
            actor = actor_label(data) or request.meta.identity or None
            self.updates[request.meta.update_id] = (request.input.name, actor)
            return make(
                event,
                "update",
                f"update {request.input.name} accepted",
                actor=actor,
                update=request.input.name,
                **safe_summary(data),
            )
        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_REJECTED:
            a = event.workflow_execution_update_rejected_event_attributes
            data = await self.decode(a.rejected_request.input.args)
            message = failure_message(a.failure)
            return make(
                event,
                "update",
                f"update {a.rejected_request.input.name} rejected: {message}",
                actor=actor_label(data),
                update=a.rejected_request.input.name,
                failure=message,
            )
        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
            a = event.workflow_execution_update_completed_event_attributes
            # By update id: the time-skipping test server leaves accepted_event_id unset.
            name, actor = self.updates.get(a.meta.update_id, ("?", None))
            if a.outcome.HasField("failure"):
                message = failure_message(a.outcome.failure)
                return make(
                    event, "update", f"update {name} failed: {message}", actor=actor, update=name, failure=message
                )
            result = await self.decode(a.outcome.success)
            return make(event, "update", f"update {name} completed", actor=actor, update=name, **safe_summary(result))

        if t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            a = event.workflow_execution_signaled_event_attributes
            data = await self.decode(a.input)
            return make(
                event,
                "signal",
                f"signal {a.signal_name}",
                actor=actor_label(data) or a.identity or None,
                signal=a.signal_name,
                **safe_summary(data),
            )

        if t == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
            a = event.start_child_workflow_execution_initiated_event_attributes
            self.children[event.event_id] = f"{a.workflow_type.name} ({a.workflow_id})"
            return make(
                event, "child", f"child {self.children[event.event_id]} requested", child_workflow_id=a.workflow_id
            )
        if t == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED:
            a = event.start_child_workflow_execution_failed_event_attributes
            return make(
                event,
                "child",
                f"child {a.workflow_type.name} ({a.workflow_id}) not started: {child_start_failure_cause(a.cause)}",
                child_workflow_id=a.workflow_id,
            )
        child_events = {
            EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED: ("child_workflow_execution_started", "started"),
            EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED: (
                "child_workflow_execution_completed",
                "completed",
            ),
            EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED: ("child_workflow_execution_failed", "failed"),
            EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED: ("child_workflow_execution_canceled", "canceled"),
            EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT: (
                "child_workflow_execution_timed_out",
                "timed out",
            ),
            EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED: (
                "child_workflow_execution_terminated",
                "terminated",
            ),
        }
        if t in child_events:
            field, verb = child_events[t]
            a = getattr(event, f"{field}_event_attributes")
            label = f"{a.workflow_type.name} ({a.workflow_execution.workflow_id})"
            details: dict[str, Any] = {"child_workflow_id": a.workflow_execution.workflow_id}
            if t == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
                details["failure"] = failure_message(a.failure)
                verb = f"failed: {details['failure']}"
            return make(event, "child", f"child {label} {verb}", **details)

        if t == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
            attributes = decode_search_attributes(
                event.upsert_workflow_search_attributes_event_attributes.search_attributes
            )
            values = {name: (v[0] if len(v) == 1 else v) for name, v in attributes.items()}
            stage = values.get("CrmStage")
            what = f"stage → {stage}" if stage is not None else "search attributes updated"
            others = ", ".join(f"{k}={v}" for k, v in values.items() if k != "CrmStage")
            if others:
                what = f"{what} ({others})"
            return make(event, "stage", what, search_attributes=values)
        return None


def child_start_failure_cause(cause: int) -> str:
    """The readable name of a StartChildWorkflowExecutionFailedCause."""
    name = StartChildWorkflowExecutionFailedCause.Name(cause)
    return name.removeprefix("START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_").lower().replace("_", " ")


async def render_timeline(history: WorkflowHistory, converter: DataConverter) -> list[TimelineEntry]:
    """The readable timeline of one workflow run."""
    return await HistoryRenderer(converter).render(list(history.events))
