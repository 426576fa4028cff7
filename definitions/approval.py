"""Approval flows (DESIGN §3.10): the engine's definition, the flow files, approver rules and the contracts.

A flow is one `definitions/flows/<flow>.yaml`: a request form, ordered steps (approvers by rule, a mode,
a structured condition, due date, reminders, escalation) and a final outcome. Conditions are data, never
code. Pure pydantic and stdlib: imported by workflows (sandbox), activities, the API and the check alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from definitions.base import DefinitionMeta, DefinitionProblem, Duration, StrictModel
from definitions.calendar import BusinessCalendar
from definitions.tasks import RecordOutcomeInput, TaskActor, TaskOutcome, TaskView, value_problem

FieldKind = Literal["string", "integer", "number", "boolean", "choice"]
StaffRoleName = Literal["account_manager_l2", "account_manager_l1", "director"]
SubjectType = Literal["customer", "complaint", "task", "target", "none"]
StepMode = Literal["any", "all"]
# expire: nobody decided, so the request is rejected and the task shows "expired" (as a process's own did).
FlowOutcome = Literal["approve", "reject", "expire"]
Language = Literal["zh_CN", "en"]  # the web workspace's languages: a flow may name things in each
CUSTOMER_FACTS = ("tier", "region")  # customer facts a condition may test, besides the request's fields
REQUESTER = "requester"  # the send-back target that returns the request to whoever filed it

# Statuses of an approval request.
PENDING, RETURNED, APPROVED, REJECTED, RECALLED = "pending", "returned", "approved", "rejected", "recalled"
FINAL_STATUSES = (APPROVED, REJECTED, RECALLED)

# ---- the request form ---------------------------------------------------------------------------


class RequestField(StrictModel):
    """One typed field of a request; min/max bound numbers, or the length of strings."""

    type: FieldKind = "string"
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: list[str] | None = None
    label: str | None = None
    labels: dict[Language, str] = Field(default_factory=dict)  # the label per language (else `label`)

    @model_validator(mode="after")
    def _consistent(self) -> RequestField:
        if self.type == "choice" and not self.choices:
            raise DefinitionProblem("choices", "a choice field needs a non-empty list of choices")
        if self.type != "choice" and self.choices is not None:
            raise DefinitionProblem("choices", "only a choice field has choices")
        if self.type in ("boolean", "choice") and (self.min is not None or self.max is not None):
            raise DefinitionProblem("min", f"a {self.type} field has no min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise DefinitionProblem("max", "max must not be below min")
        return self


class RequestForm(StrictModel):
    """The fields a request carries: {"fields": {name: RequestField}}."""

    fields: dict[str, RequestField] = Field(default_factory=dict)


def validate_request(form: RequestForm, data: dict[str, Any]) -> dict[str, str]:
    """Check request fields against the flow's form; {field: message}, empty when valid."""
    errors: dict[str, str] = {}
    for name in data:
        if name not in form.fields:
            errors[name] = "unknown field"
    for name, spec in form.fields.items():
        value = data.get(name)
        if value is None or value == "":
            if spec.required:
                errors[name] = "is required"
            continue
        if spec.type == "choice":
            if not isinstance(value, str) or value not in (spec.choices or []):
                errors[name] = f"must be one of {', '.join(spec.choices or [])}"
            continue
        problem = value_problem(spec, value)
        if problem:
            errors[name] = problem
    return errors


# ---- approver rules -----------------------------------------------------------------------------


class ChainRule(StrictModel):
    """N levels up the supervisor chain of the requester or of the customer's owner (the top when shorter)."""

    of: Literal["requester", "owner"] = "requester"
    levels: int = Field(default=1, ge=1, le=10)


class ApproverRule(StrictModel):
    """Exactly one of: chain, director (of requester|owner), owner, staff (e-mails), role (in the requester's org)."""

    chain: ChainRule | None = None
    director: Literal["requester", "owner"] | None = None
    owner: Literal[True] | None = None
    staff: list[str] | None = Field(default=None, min_length=1)
    role: StaffRoleName | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> ApproverRule:
        chosen = [name for name in ("chain", "director", "owner", "staff", "role") if getattr(self, name) is not None]
        if len(chosen) != 1:
            raise ValueError(
                "an approver rule has exactly one of chain, director, owner, staff, role"
                + (f" (got {', '.join(chosen)})" if chosen else "")
            )
        return self

    @field_validator("staff")
    @classmethod
    def _emails(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            for email in value:
                if "@" not in email:
                    raise ValueError(f"{email!r} is not an e-mail address")
            return [email.strip().lower() for email in value]
        return value

    @property
    def needs_customer(self) -> bool:
        return bool(self.owner) or self.director == "owner" or (self.chain is not None and self.chain.of == "owner")

    def describe(self) -> str:
        if self.chain is not None:
            return f"{self.chain.levels} level(s) above the {self.chain.of}"
        if self.director is not None:
            return f"the director of the {self.director}"
        if self.owner:
            return "the customer's owner"
        if self.staff is not None:
            return "staff " + ", ".join(self.staff)
        return f"every {self.role} in the requester's organisation"


@dataclass(frozen=True)
class Person:
    """One staff member as approver resolution sees them."""

    id: int
    email: str
    role: str
    supervisor_id: int | None
    active: bool = True


@dataclass
class OrgView:
    """An organisation in memory (the sample org of the check, or the staff rows an activity read)."""

    people: dict[int, Person] = field(default_factory=dict)

    def chain(self, staff_id: int | None) -> list[Person]:
        """Active supervisors above `staff_id`, nearest first (cycles cut)."""
        found: list[Person] = []
        seen = {staff_id}
        current = self.people.get(staff_id) if staff_id is not None else None
        while current is not None and current.supervisor_id is not None and current.supervisor_id not in seen:
            seen.add(current.supervisor_id)
            current = self.people.get(current.supervisor_id)
            if current is not None and current.active:
                found.append(current)
        return found

    def top(self, staff_id: int) -> int:
        """The root of `staff_id`'s tree (its top-level organisation)."""
        seen = {staff_id}
        current = self.people.get(staff_id)
        while current is not None and current.supervisor_id is not None and current.supervisor_id not in seen:
            seen.add(current.supervisor_id)
            if current.supervisor_id not in self.people:
                break
            current = self.people[current.supervisor_id]
        return current.id if current is not None else staff_id

    def subtree(self, root: int) -> set[int]:
        below: dict[int | None, list[int]] = {}
        for person in self.people.values():
            below.setdefault(person.supervisor_id, []).append(person.id)
        found, todo = {root}, [root]
        while todo:
            for child in below.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found


def resolve_rule(rule: ApproverRule, org: OrgView, *, requester_id: int | None, owner_id: int | None) -> list[int]:
    """The active staff a rule names, in a stable order; the requester never approves their own request."""

    def active(ids: list[int]) -> list[int]:
        return [i for i in dict.fromkeys(ids) if i in org.people and org.people[i].active and i != requester_id]

    if rule.chain is not None:
        base = requester_id if rule.chain.of == "requester" else owner_id
        chain = org.chain(base)
        if not chain:
            return []
        return active([chain[min(rule.chain.levels, len(chain)) - 1].id])
    if rule.director is not None:
        base = requester_id if rule.director == "requester" else owner_id
        if base is None:
            return []
        me = org.people.get(base)
        if me is not None and me.role == "director" and me.active and base != requester_id:
            return [base]
        return active([p.id for p in org.chain(base) if p.role == "director"][:1])
    if rule.owner:
        return active([owner_id] if owner_id is not None else [])
    if rule.staff is not None:
        by_email = {p.email.lower(): p.id for p in org.people.values()}
        return active([by_email[e] for e in rule.staff if e in by_email])
    if requester_id is None or requester_id not in org.people:
        return []
    members = org.subtree(org.top(requester_id))
    return active(sorted(p.id for p in org.people.values() if p.id in members and p.role == rule.role))


def resolve_approvers(
    rules: list[ApproverRule], org: OrgView, *, requester_id: int | None, owner_id: int | None
) -> list[int]:
    """Every approver the rules of one step name, each once, in rule order."""
    found: list[int] = []
    for rule in rules:
        found.extend(resolve_rule(rule, org, requester_id=requester_id, owner_id=owner_id))
    return list(dict.fromkeys(found))


# ---- conditions ---------------------------------------------------------------------------------


class Comparison(StrictModel):
    """gt / gte / lt / lte / eq / in over one value; all given must hold. A bare value means eq."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None
    eq: str | float | bool | None = None
    in_: list[str | float] | None = Field(default=None, alias="in")

    @model_validator(mode="before")
    @classmethod
    def _bare_value(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {"eq": value}

    @model_validator(mode="after")
    def _something(self) -> Comparison:
        if all(getattr(self, name) is None for name in ("gt", "gte", "lt", "lte", "eq", "in_")):
            raise ValueError("a condition needs one of gt, gte, lt, lte, eq, in")
        return self

    @property
    def numeric(self) -> bool:
        return any(getattr(self, name) is not None for name in ("gt", "gte", "lt", "lte"))

    def holds(self, value: Any) -> bool:
        """Whether `value` satisfies every comparison given; a missing value satisfies none."""
        if value is None:
            return False
        if self.numeric:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return False
            if self.gt is not None and not value > self.gt:
                return False
            if self.gte is not None and not value >= self.gte:
                return False
            if self.lt is not None and not value < self.lt:
                return False
            if self.lte is not None and not value <= self.lte:
                return False
        if self.eq is not None and value != self.eq:
            return False
        return not (self.in_ is not None and value not in self.in_)


def condition_holds(
    when: dict[str, Comparison] | None, fields: dict[str, Any], customer: dict[str, Any] | None
) -> bool:
    """Every key of `when` holds (request fields first, then the customer's tier / region)."""
    for key, comparison in (when or {}).items():
        value = fields.get(key) if key not in CUSTOMER_FACTS else (customer or {}).get(key)
        if not comparison.holds(value):
            return False
    return True


# ---- the flow -----------------------------------------------------------------------------------


class Quorum(StrictModel):
    """`mode: {quorum: N}`: N approvals decide; a step rejects once N can no longer be reached."""

    quorum: int = Field(ge=1)


class FlowStep(StrictModel):
    """One step: who approves (rules), how (mode), when it applies, by when, and what a timeout does."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40)
    title: str | None = None
    titles: dict[Language, str] = Field(default_factory=dict)  # the title per language (else `title`)
    approvers: list[ApproverRule] = Field(min_length=1)
    mode: StepMode | Quorum = "any"
    when: dict[str, Comparison] | None = None
    due_in: Duration = timedelta(days=2)
    reminders_before: list[Duration] = Field(default_factory=list)
    escalation_levels: int = Field(default=1, ge=0, le=5)
    final_outcome: FlowOutcome | None = None  # None: the flow's
    send_back_to: list[str] = Field(default_factory=lambda: [REQUESTER])

    @field_validator("approvers", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _reminders_inside(self) -> FlowStep:
        for index, before in enumerate(self.reminders_before):
            if before >= self.due_in:
                raise DefinitionProblem(("reminders_before", index), "a reminder must come before due_in")
        return self

    def approvals_needed(self, approvers: int) -> int:
        if self.mode == "all":
            return approvers
        if isinstance(self.mode, Quorum):
            return min(self.mode.quorum, approvers)
        return 1

    @property
    def mode_label(self) -> str:
        return self.mode if isinstance(self.mode, str) else f"quorum:{self.mode.quorum}"


class TransferCustomer(StrictModel):
    """On approval, the customer's owner becomes the staff member whose id is in `owner_field`."""

    owner_field: str


class FlowActions(StrictModel):
    transfer_customer: TransferCustomer | None = None


class FlowDefinition(StrictModel):
    """One approval flow (`definitions/flows/<flow>.yaml`), versioned and content-hashed like a process."""

    flow: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)
    version: int = Field(ge=1)
    content_hash: str = ""
    title: str = Field(min_length=1, max_length=200)
    titles: dict[Language, str] = Field(default_factory=dict)  # the title per language (else `title`)
    subject: SubjectType = "none"
    customer_required: bool = False
    form: RequestForm = Field(default_factory=RequestForm)
    steps: list[FlowStep] = Field(min_length=1)
    final_outcome: FlowOutcome = "reject"  # when nobody decides in time (a step may override)
    on_approve: FlowActions = Field(default_factory=FlowActions)
    # process: started by a process (e.g. complaint compensation) as its approval, never by POST /v1/approvals.
    started_by: Literal["request", "process"] = "request"
    # Fields an approving decision must carry (e.g. a review's rating and comment); None: approvals carry none.
    decision_form: RequestForm | None = None

    @model_validator(mode="after")
    def _coherent(self) -> FlowDefinition:
        if self.customer_required and self.subject != "customer":
            raise DefinitionProblem("customer_required", "customer_required needs subject: customer")
        seen: dict[str, int] = {}
        for index, step in enumerate(self.steps):
            if step.name in seen:
                raise DefinitionProblem(
                    ("steps", index, "name"), f"duplicate step name {step.name!r} (first is step {seen[step.name] + 1})"
                )
            for j, target in enumerate(step.send_back_to):
                if target != REQUESTER and target not in seen:
                    raise DefinitionProblem(
                        ("steps", index, "send_back_to", j),
                        f"send-back target {target!r} is not an earlier step "
                        f"(use {REQUESTER!r} or one of: {', '.join(seen) or 'none'})",
                    )
            seen[step.name] = index
            for key, comparison in (step.when or {}).items():
                self._check_condition(index, key, comparison)
            for j, rule in enumerate(step.approvers):
                if rule.needs_customer and self.subject != "customer":
                    raise DefinitionProblem(
                        ("steps", index, "approvers", j), f"{rule.describe()} needs subject: customer"
                    )
        transfer = self.on_approve.transfer_customer
        if transfer is not None:
            spec = self.form.fields.get(transfer.owner_field)
            if spec is None or spec.type != "integer" or not spec.required:
                raise DefinitionProblem(
                    ("on_approve", "transfer_customer", "owner_field"),
                    f"{transfer.owner_field!r} must be a required integer field of the form",
                )
            if not self.customer_required:
                raise DefinitionProblem(
                    ("on_approve", "transfer_customer"),
                    "transferring a customer needs subject: customer and customer_required: true",
                )
        return self

    def _check_condition(self, index: int, key: str, comparison: Comparison) -> None:
        where = ("steps", index, "when", key)
        if key in CUSTOMER_FACTS:
            if self.subject != "customer":
                raise DefinitionProblem(where, f"a condition on the customer's {key} needs subject: customer")
            if comparison.numeric and key != "tier":
                raise DefinitionProblem(where, f"{key} is not a number: use eq or in")
            return
        spec = self.form.fields.get(key)
        if spec is None:
            known = ", ".join([*self.form.fields, *CUSTOMER_FACTS]) or "none"
            raise DefinitionProblem(where, f"condition on unknown field {key!r} (known: {known})")
        if comparison.numeric and spec.type not in ("integer", "number"):
            raise DefinitionProblem(where, f"{key!r} is a {spec.type} field: gt/gte/lt/lte need a number field")

    def step_index(self, name: str) -> int | None:
        return next((i for i, step in enumerate(self.steps) if step.name == name), None)


# ---- the engine's own definition (approval.yaml): the sample org the check resolves against ----------


class SampleStaff(StrictModel):
    email: str
    role: StaffRoleName
    supervisor: str | None = None  # e-mail


class SampleOrg(StrictModel):
    """The organisation every approver rule must resolve in (`crmflow definitions check`)."""

    staff: list[SampleStaff] = Field(min_length=1)
    requester: str  # e-mail of the sample requester
    owner: str  # e-mail of the sample customer's owner

    @model_validator(mode="after")
    def _known(self) -> SampleOrg:
        emails = [s.email.lower() for s in self.staff]
        for index, person in enumerate(self.staff):
            if person.supervisor is not None and person.supervisor.lower() not in emails:
                raise DefinitionProblem(("staff", index, "supervisor"), f"no sample staff {person.supervisor!r}")
        for key in ("requester", "owner"):
            if getattr(self, key).lower() not in emails:
                raise DefinitionProblem(key, f"no sample staff {getattr(self, key)!r}")
        return self

    def view(self) -> tuple[OrgView, int, int]:
        """The org in memory, with the sample requester's and owner's ids."""
        ids = {s.email.lower(): i + 1 for i, s in enumerate(self.staff)}
        org = OrgView(
            {
                ids[s.email.lower()]: Person(
                    id=ids[s.email.lower()],
                    email=s.email.lower(),
                    role=s.role,
                    supervisor_id=ids[s.supervisor.lower()] if s.supervisor else None,
                )
                for s in self.staff
            }
        )
        return org, ids[self.requester.lower()], ids[self.owner.lower()]


class ApprovalDefinition(DefinitionMeta):
    """The approval engine: flows live in definitions/flows/; this file holds what the check needs."""

    process: Literal["approval"] = "approval"
    sample_org: SampleOrg


# ---- workflow contracts -------------------------------------------------------------------------


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CustomerFacts(_Contract):
    customer_id: int
    name: str
    tier: int
    region: str | None = None
    owner_id: int | None = None


class ProcessTasks(_Contract):
    """How the tasks of an approval a process started look: filed under the process, as its own were."""

    workflow_id: str  # the process's workflow: its inbox rows, timeline and task pages
    process_type: str
    # The first task's key (the key the process's own task had); later ones are <key_prefix>.<n>.
    key_prefix: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=1, max_length=300)
    context: dict[str, Any] = Field(default_factory=dict)
    calendar: BusinessCalendar | None = None  # due dates in the process's business time
    recall_by_task: bool = True  # the requester recalling a task recalls the request (as the task did)


class ApprovalInput(_Contract):
    """Start of one approval: the flow snapshot (pinned), the request and who filed it."""

    approval_id: str
    flow: FlowDefinition
    title: str = Field(min_length=1, max_length=300)
    fields: dict[str, Any] = Field(default_factory=dict)
    requester: TaskActor
    customer_id: int | None = None
    subject_type: SubjectType = "none"
    subject_id: str | None = None
    owner_id: int | None = None  # owner rules route from this staff member instead of the customer's owner
    process: ProcessTasks | None = None  # set when a process started the approval as a child


class SlotView(_Contract):
    """One approver's place in a step: who, in order (added approvers included), and their vote."""

    queue: list[int]
    position: int = 0
    vote: str | None = None
    task_key: str | None = None


class StepView(_Contract):
    name: str
    title: str | None = None
    mode: str
    status: str  # waiting | skipped | running | approved | rejected | sent_back | recalled
    visit: int = 0
    approvers: list[SlotView] = Field(default_factory=list)
    decided_by: str | None = None
    reason: str | None = None


class ApprovalState(_Contract):
    """Where a request stands (query "status", and the row's snapshot)."""

    approval_id: str
    flow: str
    flow_version: int
    status: str
    current_step: str | None = None
    round: int = 1
    fields: dict[str, Any] = Field(default_factory=dict)
    steps: list[StepView] = Field(default_factory=list)
    open_tasks: list[TaskView] = Field(default_factory=list)
    outcome_reason: str | None = None


class OpenApprovalInput(_Contract):
    approval_id: str
    flow: str
    flow_version: int
    flow_hash: str
    title: str
    fields: dict[str, Any]
    requester: TaskActor
    customer_id: int | None = None
    subject_type: str = "none"
    subject_id: str | None = None
    state: ApprovalState


class OpenApprovalResult(_Contract):
    customer: CustomerFacts | None = None


class ResolveApproversInput(_Contract):
    rules: list[ApproverRule]
    requester_id: int | None = None
    owner_id: int | None = None


class ResolveApproversResult(_Contract):
    staff_ids: list[int]


class RecordApprovalInput(_Contract):
    """An audited event of the request, with its state snapshot written to the row."""

    approval_id: str
    action: str  # approval.<something>
    actor_label: str = "system"
    reason: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    state: ApprovalState
    final: bool = False


class ApprovalEvent(_Contract):
    """One audited event of a request, written in a batch with the events around it."""

    action: str  # approval.<something>
    actor_label: str = "system"
    reason: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    final: bool = False  # the request's outcome: stamps decided_at and notifies the requester


class RecordApprovalEventsInput(_Contract):
    """Events of the request in the order they happened, and the state after the last (written to the row);
    first, the outcomes of the tasks whose decisions led to them (approval-outcome-with-events)."""

    approval_id: str
    events: list[ApprovalEvent] = Field(min_length=1)
    state: ApprovalState
    task_outcomes: list[RecordOutcomeInput] = Field(default_factory=list)


class StartStepInput(_Contract):
    """Resolve a step's approvers and record that it started (after the events still waiting to be written)."""

    approval_id: str
    resolve: ResolveApproversInput
    step_index: int
    events: list[ApprovalEvent] = Field(default_factory=list)  # written first, whoever the step resolves to
    state: ApprovalState  # as the step starts; the activity fills in the step's approvers


class TransferCustomerInput(_Contract):
    approval_id: str
    customer_id: int
    to_staff_id: int
    decided_by: str


class TransferCustomerResult(_Contract):
    changed: bool
    refusal: str | None = None
    previous_owner_id: int | None = None


class ApprovalDecisionInput(_Contract):
    """Update "approval.decide": approve, reject or send back the actor's task of the current step."""

    actor: TaskActor
    decision: Literal["approve", "reject", "send_back"]
    comment: str | None = Field(default=None, max_length=4000)
    to_step: str | None = None  # send_back: an earlier step, or "requester" (default)
    task_key: str | None = None  # which of the actor's tasks (admin: whose place)
    fields: dict[str, Any] | None = None  # approve: checked against the flow's decision_form


class AddApproverInput(_Contract):
    """Update "approval.add_approver" (加签): someone decides before or after the actor."""

    actor: TaskActor
    staff_id: int
    position: Literal["before", "after"] = "after"
    comment: str | None = Field(default=None, max_length=4000)
    task_key: str | None = None


class RecallApprovalInput(_Contract):
    actor: TaskActor
    comment: str | None = Field(default=None, max_length=4000)


class ResubmitInput(_Contract):
    """Update "approval.resubmit": the requester amends the fields of a request sent back to them."""

    actor: TaskActor
    fields: dict[str, Any] | None = None  # replaces the fields when given
    comment: str | None = Field(default=None, max_length=4000)


class CommentInput(_Contract):
    actor: TaskActor
    text: str = Field(min_length=1, max_length=4000)


class ApprovalUpdateResult(_Contract):
    approval_id: str
    status: str
    current_step: str | None = None
    task_key: str | None = None


class ApprovalResult(_Contract):
    approval_id: str
    status: str
    outcome_reason: str | None = None
    transferred: bool = False
    # The task that decided the request (for a parent process's audit): its outcome, decider and comment.
    task_outcome: str | None = None
    decided_by: int | None = None
    comment: str | None = None
    decision_fields: dict[str, Any] | None = None  # what the decisive approval carried (flow's decision_form)


def outcome_of(result: ApprovalResult, task_key: str) -> TaskOutcome:
    """A process's approval ended: its result as the task outcome the process's own approval task gave."""
    if result.status == APPROVED:
        outcome = "approved"
    elif result.status == RECALLED:
        outcome = "recalled"
    else:
        outcome = "expired" if result.task_outcome == "expired" else "rejected"
    return TaskOutcome(
        task_id=0,
        task_key=task_key,
        outcome=outcome,
        decided_by=result.decided_by,
        comment=result.comment,
        data=result.decision_fields,
    )


def process_requester(label: str, staff_id: int | None) -> TaskActor:
    """The requester of a process's approval: the audit label's role prefix (e.g. "manager:staff:3")."""
    return TaskActor(role=label.split(":", 1)[0] or "system", staff_id=staff_id, label=label)


def approval_workflow_id(approval_id: str) -> str:
    return f"approval-{approval_id}"
