"""The customer survey process definition (DESIGN §3.9) and its workflow contracts.

Pure pydantic and stdlib: imported by the survey workflows (sandbox), their activities, the API and the public page.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from definitions.base import DefinitionMeta, DefinitionProblem, Duration, ScheduleRule, StrictModel

LANGUAGES = ("zh-CN", "en")
QUESTION_KINDS = ("csat", "nps", "choice", "text")
# The range of each scored question kind (CSAT 1–5, NPS 0–10).
SCALES = {"csat": (1, 5), "nps": (0, 10)}


class Text(StrictModel):
    """A text shown to the customer, in both languages."""

    zh_CN: str = Field(alias="zh-CN", min_length=1, max_length=500)
    en: str = Field(min_length=1, max_length=500)

    # Written `zh-CN:` in YAML; snapshots serialise the field name, which loads back too.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def text(self, language: str) -> str:
        return self.zh_CN if language == "zh-CN" else self.en


class Choice(StrictModel):
    """One option of a single-choice question."""

    value: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    label: Text


class Question(StrictModel):
    """One question: CSAT 1–5, NPS 0–10, a single choice or free text."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    kind: Literal["csat", "nps", "choice", "text"]
    text: Text
    required: bool = True
    choices: list[Choice] = Field(default_factory=list)
    max_length: int = Field(default=2000, ge=1, le=10000)  # text questions

    @model_validator(mode="after")
    def _choices_fit_kind(self) -> Question:
        if self.kind == "choice":
            if len(self.choices) < 2:
                raise DefinitionProblem("choices", "a choice question needs at least two choices")
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise DefinitionProblem("choices", "choice values must be unique")
        elif self.choices:
            raise DefinitionProblem("choices", f"only choice questions have choices (this one is {self.kind})")
        return self


class Cadence(StrictModel):
    """When customers are surveyed: every N days per tier, and after a complaint closes."""

    every_days: dict[int, int]  # tier → days between two regular surveys
    after_complaint: bool = True  # a closed complaint makes the customer due (subject to the N-days rule)


class RecoveryRule(StrictModel):
    """A low score opens a recovery task for the customer's owner, with an SLA that escalates up the chain."""

    csat_below: int = Field(default=3, ge=2, le=5)  # CSAT strictly below this opens a recovery
    nps_below: int | None = Field(default=7, ge=1, le=10)  # NPS strictly below this too (None: CSAT only)
    due_in: Duration = timedelta(days=2)
    reminders_before: list[Duration] = Field(default_factory=lambda: [timedelta(hours=12)])
    escalation_levels: int = Field(default=2, ge=0, le=10)
    resurvey_after: Duration = timedelta(days=14)  # after a recovery closes, the customer may be surveyed again


class SurveyDefinition(DefinitionMeta):
    """Questions, cadence, the once-in-N-days rule, reminders, expiry, recovery and the wave schedule."""

    process: Literal["survey"] = "survey"
    questions: list[Question]
    cadence: Cadence
    min_days_between: int = Field(default=60, ge=1, le=3650)  # no customer gets two surveys within N days
    reminders_after: list[Duration] = Field(default_factory=lambda: [timedelta(days=3)])  # after the invitation
    expires_after: Duration = timedelta(days=7)
    recovery: RecoveryRule = Field(default_factory=RecoveryRule)
    max_per_wave: int = Field(default=1000, ge=1, le=20_000)  # invitation ids travel in the wave's history
    schedule: ScheduleRule = Field(default_factory=lambda: ScheduleRule(cron="0 9 * * 1"))

    @model_validator(mode="after")
    def _checks(self) -> SurveyDefinition:
        keys = [q.key for q in self.questions]
        if not keys:
            raise DefinitionProblem("questions", "a survey needs at least one question")
        if len(set(keys)) != len(keys):
            raise DefinitionProblem("questions", "question keys must be unique")
        if sum(1 for q in self.questions if q.kind == "csat") != 1:
            raise DefinitionProblem("questions", "a survey has exactly one CSAT question (it drives recovery)")
        if sum(1 for q in self.questions if q.kind == "nps") > 1:
            raise DefinitionProblem("questions", "a survey has at most one NPS question")
        if not self.cadence.every_days:
            raise DefinitionProblem(("cadence", "every_days"), "give the cadence of at least one tier")
        for tier, days in self.cadence.every_days.items():
            if tier < 1 or days < 1:
                raise DefinitionProblem(("cadence", "every_days", tier), "tiers start at 1 and days at 1")
        if any(after >= self.expires_after for after in self.reminders_after):
            raise DefinitionProblem("reminders_after", "every reminder must come before the survey expires")
        if any(b >= self.recovery.due_in for b in self.recovery.reminders_before):
            raise DefinitionProblem(("recovery", "reminders_before"), "reminders must fall inside the recovery SLA")
        return self

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def key_of(self, kind: str) -> str | None:
        return next((q.key for q in self.questions if q.kind == kind), None)

    def needs_recovery(self, csat: int | None, nps: int | None) -> bool:
        """A score below the definition's threshold opens a recovery."""
        if csat is not None and csat < self.recovery.csat_below:
            return True
        return nps is not None and self.recovery.nps_below is not None and nps < self.recovery.nps_below


def check_answers(definition: SurveyDefinition, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers typed and checked against the questions: (clean answers, problems by question key)."""
    clean: dict[str, Any] = {}
    problems: dict[str, str] = {}
    unknown = [k for k in raw if definition.question(k) is None]
    for key in unknown:
        problems[str(key)[:40]] = "unknown question"
    for question in definition.questions:
        value = raw.get(question.key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if question.required:
                problems[question.key] = "required"
            continue
        if question.kind in SCALES:
            low, high = SCALES[question.kind]
            try:
                number = int(value)
            except (TypeError, ValueError):
                problems[question.key] = f"a whole number from {low} to {high}"
                continue
            if isinstance(value, bool) or not low <= number <= high or str(number) != str(value).strip():
                problems[question.key] = f"a whole number from {low} to {high}"
                continue
            clean[question.key] = number
        elif question.kind == "choice":
            if value not in {c.value for c in question.choices}:
                problems[question.key] = "not one of the choices"
                continue
            clean[question.key] = value
        else:
            if not isinstance(value, str):
                problems[question.key] = "text expected"
                continue
            if len(value) > question.max_length:
                problems[question.key] = f"at most {question.max_length} characters"
                continue
            if "\x00" in value:
                problems[question.key] = "must not contain NUL characters"
                continue
            clean[question.key] = value
    return clean, problems


# ---- workflow / activity contracts ----------------------------------------------------------------


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Update refusals (ApplicationError types) the public page maps to its pages.
ERR_ANSWERED = "SurveyAnswered"
ERR_EXPIRED = "SurveyExpired"
ERR_INVALID = "SurveyInvalid"


class SurveyWaveInput(_Contract):
    """Workflow "SurveyWaveWorkflow": pick the due customers set-based, then start one survey per customer."""

    definition: SurveyDefinition
    wave_id: str | None = None  # None: the run date on the workflow clock ("2026-12-02")
    timezone: str | None = None
    customer_ids: list[int] | None = None  # a hand-triggered wave for these customers only (still N-days rule)
    trigger: Literal["cadence", "manual", "complaint"] = "cadence"


class SelectWaveInput(_Contract):
    """Activity "survey.select_wave"."""

    definition: SurveyDefinition
    wave_id: str
    now: datetime
    customer_ids: list[int] | None = None
    trigger: str = "cadence"


class SelectWaveResult(_Contract):
    invitation_ids: list[int]


class StartSurveysInput(_Contract):
    """Activity "survey.start_surveys": one SurveyWorkflow per invitation (ids from customer + wave)."""

    definition: SurveyDefinition
    invitation_ids: list[int]


class StartSurveysResult(_Contract):
    started: int


class SurveyWaveResult(_Contract):
    wave_id: str
    invited: int


class SurveyInput(_Contract):
    """Workflow "SurveyWorkflow": one customer's survey of one wave."""

    invitation_id: int
    customer_id: int
    definition: SurveyDefinition


class InviteInput(_Contract):
    """Activity "survey.invite"."""

    invitation_id: int
    now: datetime
    expires_at: datetime


class InviteResult(_Contract):
    invited: bool  # False: no contact address any more (the survey ends without an invitation)
    expires_at: datetime


class RemindInput(_Contract):
    """Activity "survey.remind"."""

    invitation_id: int
    reminder_index: int


class ExpireInput(_Contract):
    """Activity "survey.expire"."""

    invitation_id: int


class SurveyAnswerInput(_Contract):
    """Update "survey.answer": the customer's answers from the public page (checked by the validator)."""

    answers: dict[str, Any]
    client: str = Field(default="", max_length=100)  # e.g. the IP the page saw, for the audit


class RecordAnswersInput(_Contract):
    """Activity "survey.record_answers"."""

    invitation_id: int
    answers: dict[str, Any]
    csat: int | None = None
    nps: int | None = None
    score: float | None = None  # CSAT as 0..1, what tier scoring reads
    recovery: bool = False
    client: str = ""


class RecordAnswersResult(_Contract):
    recorded: bool  # False: already answered or expired in the database (nothing written)
    owner_id: int | None = None
    customer_name: str = ""


class SurveyAnswerResult(_Contract):
    status: str  # answered
    recovery: bool = False


class CloseRecoveryInput(_Contract):
    """Activity "survey.close_recovery"."""

    invitation_id: int
    outcome: str
    actions: str | None = None
    decided_by: int | None = None
    resurvey_after: datetime


class SurveyResult(_Contract):
    invitation_id: int
    status: str  # answered | expired | not_sent
    recovery_outcome: str | None = None
