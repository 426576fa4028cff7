"""Contracts of the shared human-task helper (DESIGN §3.6): specs, outcomes, update and activity I/O.

Pure pydantic and stdlib only: imported by workflows (sandbox), activities and the API alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from definitions.base import Duration
from definitions.calendar import BusinessCalendar

TaskKind = Literal["approval", "form"]
# "returned": an approval sent back (to the requester or an earlier step) by its approver.
Outcome = Literal["approved", "rejected", "completed", "expired", "recalled", "cancelled", "returned"]
FinalOutcome = Literal["approve", "reject", "expire"]
FieldType = Literal["string", "integer", "number", "boolean"]

# Error types carried by ApplicationError from the update validators/handlers; the API maps them to HTTP.
ERR_FORBIDDEN = "TaskForbidden"  # 403
ERR_CONFLICT = "TaskConflict"  # 409: already decided / recalled / expired
ERR_INVALID = "TaskInvalid"  # 422: form data or decision wrong
ERR_NOT_FOUND = "TaskNotFound"  # 404: the workflow knows no such task (closed run, wrong key)
ERR_NOT_READY = "TaskNotReady"  # 409: the task row exists but the workflow has not seen it opened yet

OPEN = "open"


class _Contract(BaseModel):
    """Unknown keys are errors; contracts stay mutable so callers can build them step by step."""

    model_config = ConfigDict(extra="forbid")


class FormField(_Contract):
    """One field of a form task."""

    type: FieldType = "string"
    required: bool = False
    min: float | None = None  # numbers: smallest value; strings: shortest length
    max: float | None = None  # numbers: largest value; strings: longest length
    label: str | None = None


class TaskForm(_Contract):
    """The form of a form task: {"fields": {name: FormField}}."""

    fields: dict[str, FormField] = Field(default_factory=dict)


class TaskSpec(_Contract):
    """What a process asks of a human: who, what, by when, and what happens when nobody answers."""

    task_key: str = Field(min_length=1, max_length=200)  # unique within the workflow id (across runs)
    kind: TaskKind
    title: str = Field(min_length=1, max_length=300)
    process_type: str
    assignee_id: int
    # Resolved by the open activity (workflows cannot read the org chart): "supervisor" = the first active
    # supervisor above assignee_id, "director" = the first director above it (or assignee_id when none).
    assign_to: Literal["assignee", "supervisor", "director"] = "assignee"
    requester_id: int | None = None  # staff allowed to recall the task
    customer_id: int | None = None
    form: dict[str, Any] | None = None  # kind="form": {"fields": {...}} (see TaskForm)
    context: dict[str, Any] = Field(default_factory=dict)  # small values shown in the inbox
    due_in: Duration  # a timedelta, or "4h" / "3d" / ISO-8601 as in the definitions
    reminders_before: list[Duration] = Field(default_factory=list)  # offsets before each due date
    escalation_levels: int = Field(default=1, ge=0)  # times the task moves up the chain at timeout
    final_outcome: FinalOutcome = "expire"  # after the last escalation window times out
    allow_chain_override: bool = False  # may someone above the assignee decide in their place?
    calendar: BusinessCalendar | None = None  # due dates in business time when given
    # An approval flow started by a process files its tasks under the process's workflow (inbox, timeline,
    # task pages show them as the process's own) while the approval workflow takes their updates.
    process_workflow_id: str | None = None

    @field_validator("form")
    @classmethod
    def _form_is_valid(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            TaskForm.model_validate(value)
        return value

    @model_validator(mode="after")
    def _form_fits_kind(self) -> TaskSpec:
        if self.kind == "form" and self.final_outcome != "expire":
            raise ValueError("a form task can only expire when nobody completes it (final_outcome: expire)")
        return self


class TaskOutcome(_Contract):
    """How a task ended."""

    task_id: int
    task_key: str = ""
    outcome: Outcome
    decided_by: int | None = None  # staff id; None when automatic (timeout) or by a principal without staff
    comment: str | None = None
    data: dict[str, Any] | None = None  # form data
    escalation_level: int = 0

    @property
    def approved(self) -> bool:
        return self.outcome == "approved"


class TaskActor(_Contract):
    """Who sends a task update: the API fills it from the authenticated principal."""

    role: str  # admin | ops | director | manager | service
    staff_id: int | None = None
    label: str = ""  # for audit ("manager:staff:7")


class TaskDecisionInput(_Contract):
    """Update "task.decide": approve or reject an approval task."""

    task_key: str
    actor: TaskActor
    decision: Literal["approve", "reject"]
    comment: str | None = Field(default=None, max_length=4000)


class TaskCompleteInput(_Contract):
    """Update "task.complete": submit the data of a form task."""

    task_key: str
    actor: TaskActor
    data: dict[str, Any]
    comment: str | None = Field(default=None, max_length=4000)


class TaskDelegateInput(_Contract):
    """Update "task.delegate": the assignee hands the task to someone else (the API checks the staff exists)."""

    task_key: str
    actor: TaskActor
    to_staff_id: int
    comment: str | None = Field(default=None, max_length=4000)


class TaskRecallInput(_Contract):
    """Update "task.recall": the requester withdraws the task."""

    task_key: str
    actor: TaskActor
    comment: str | None = Field(default=None, max_length=4000)


class TaskReassignInput(_Contract):
    """Update "task.reassign": the row was already handed to someone else (e.g. the assignee left)."""

    task_key: str
    actor: TaskActor
    assignee_id: int
    chain: list[int] = Field(default_factory=list)  # the new assignee's supervisors, nearest first
    reason: str | None = None


class TaskHandOverInput(_Contract):
    """Update "task.hand_over": a staff member left; the workflow moves its own open tasks they hold or act on."""

    staff_id: int
    actor: TaskActor
    reason: str | None = Field(default=None, max_length=4000)


class HandOverTaskInput(_Contract):
    """Activity "task.hand_over": move one row off `from_staff_id` (up their chain, or drop the delegation)."""

    task_id: int
    from_staff_id: int
    actor_label: str
    reason: str | None = None


class HandOverTaskResult(_Contract):
    """Where the row is now; `moved` is False when nobody is above the leaver (it stays and escalates on its timer)."""

    task_id: int
    moved: bool
    assignee_id: int | None
    delegate_id: int | None = None
    chain: list[int] = Field(default_factory=list)


class TaskUpdateResult(_Contract):
    """What every task update answers."""

    task_id: int
    task_key: str
    status: str  # open | approved | rejected | completed | recalled ...
    assignee_id: int | None = None
    delegate_id: int | None = None
    decided_by: int | None = None


class TaskView(_Contract):
    """A task as the workflow sees it (query "task.open" and open_tasks())."""

    task_id: int | None
    task_key: str
    kind: TaskKind
    title: str
    status: str
    assignee_id: int | None
    delegate_id: int | None = None
    requester_id: int | None = None
    chain: list[int] = Field(default_factory=list)
    due_at: datetime | None = None
    escalation_level: int = 0
    allow_chain_override: bool = False


# ---- activity I/O ---------------------------------------------------------------------------------


class OpenTaskInput(_Contract):
    """Activity "task.open"."""

    spec: TaskSpec
    due_at: datetime


class OpenTaskResult(_Contract):
    """The opened (or already existing) row, with who actually holds it."""

    task_id: int
    status: str
    assignee_id: int
    original_assignee_id: int
    delegate_id: int | None = None
    chain: list[int] = Field(default_factory=list)  # assignee's active supervisors, nearest first
    due_at: datetime
    escalation_level: int = 0
    # Set when the row was already closed (same task key opened again, e.g. after a reset): its outcome.
    decided_by: int | None = None
    comment: str | None = None
    data: dict[str, Any] | None = None


class RecordOutcomeInput(_Contract):
    """Activity "task.record_outcome": decision, completion, recall or automatic final outcome."""

    task_id: int
    outcome: Outcome
    decision: Literal["approve", "reject"] | None = None
    decided_by: int | None = None
    actor_label: str = "system"
    comment: str | None = None
    data: dict[str, Any] | None = None


class RecordOutcomeResult(_Contract):
    task_id: int
    status: str
    changed: bool  # False when the row was already closed (a retry, or closed elsewhere)


class EscalateTaskInput(_Contract):
    """Activity "task.escalate": hand the task to the next active supervisor, with a fresh due window."""

    task_id: int
    from_assignee_id: int
    candidates: list[int]  # the chain known to the workflow, nearest first
    escalation_level: int
    due_at: datetime


class EscalateTaskResult(_Contract):
    task_id: int
    escalated: bool  # False when nobody is left up the chain
    assignee_id: int | None = None
    delegate_id: int | None = None
    chain: list[int] = Field(default_factory=list)
    escalation_level: int = 0
    due_at: datetime | None = None


class RemindTaskInput(_Contract):
    """Activity "task.remind": a reminder before the due date."""

    task_id: int
    assignee_id: int
    delegate_id: int | None = None
    due_at: datetime
    reminder_index: int = 0
    escalation_level: int = 0


class DelegateTaskInput(_Contract):
    """Activity "task.delegate"."""

    task_id: int
    to_staff_id: int
    actor_label: str
    comment: str | None = None


class DelegateTaskResult(_Contract):
    task_id: int
    delegate_id: int


# ---- form validation (pure; the API and the update validator both use it) -------------------------


def validate_form_data(form: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, str]:
    """Check `data` against a task form; returns {field: message} (empty when valid)."""
    fields = TaskForm.model_validate(form or {}).fields
    errors: dict[str, str] = {}
    for name in data:
        if name not in fields:
            errors[name] = "unknown field"
    for name, spec in fields.items():
        if name not in data or data[name] is None or data[name] == "":
            if spec.required:
                errors[name] = "is required"
            continue
        value = data[name]
        problem = value_problem(spec, value)
        if problem:
            errors[name] = problem
    return errors


def value_problem(spec: Any, value: Any) -> str | None:
    """Why a present form value breaks its field's type or bounds (`spec` has type, min, max); None if it fits."""
    problem = _type_problem(spec.type, value)
    if problem:
        return problem
    measure = len(value) if spec.type == "string" else value
    unit = " characters" if spec.type == "string" else ""
    if spec.min is not None and measure < spec.min:
        return f"must be at least {_plain(spec.min)}{unit}"
    if spec.max is not None and measure > spec.max:
        return f"must be at most {_plain(spec.max)}{unit}"
    return None


def _plain(bound: float) -> str:
    """A bound as people write it: 50, 0.5, 1000000 (never 1e+06)."""
    return format(bound, "f").rstrip("0").rstrip(".") or "0"


def _type_problem(kind: str, value: Any) -> str | None:
    # bool is an int in Python: keep booleans out of numeric fields and vice versa.
    if kind == "boolean":
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(value, bool):
        return f"must be a{'n' if kind == 'integer' else ''} {kind}"
    if kind == "integer":
        return None if isinstance(value, int) else "must be an integer"
    if kind == "number":
        return None if isinstance(value, int | float) else "must be a number"
    return None if isinstance(value, str) else "must be a string"
