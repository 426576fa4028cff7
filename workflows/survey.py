"""Customer surveys (DESIGN §3.9): a wave picks the due customers set-based; one survey process per customer.

The wave is one SQL statement (the cadence per tier and the once-in-N-days rule) and then one `SurveyWorkflow` per
invited customer, id `survey-<customer>-<wave>`: a person and timers are involved (invite, remind, expire, and a
recovery task with an SLA when the score is low), so each customer gets a durable process of its own.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

from workflows.options import ActivityOptions, activity_options

with workflow.unsafe.imports_passed_through():
    from activities.survey import SurveyActivities
    from activities.tasks import TaskActivities
    from crmflow.registry import ProcessSpec, ScheduledRun
    from crmflow.temporal import SA_CUSTOMER_ID, SA_DEFINITION_VERSION, SA_PERIOD, SA_PROCESS_TYPE, SA_STAGE
    from definitions.base import local_date
    from definitions.survey import (
        ERR_ANSWERED,
        ERR_EXPIRED,
        ERR_INVALID,
        SCALES,
        CloseRecoveryInput,
        ExpireInput,
        InviteInput,
        RecordAnswersInput,
        RemindInput,
        SelectWaveInput,
        StartSurveysInput,
        SurveyAnswerInput,
        SurveyAnswerResult,
        SurveyDefinition,
        SurveyInput,
        SurveyResult,
        SurveyWaveInput,
        SurveyWaveResult,
        check_answers,
    )
    from definitions.tasks import TaskSpec
    from temporalio.client import ScheduleOverlapPolicy
    from workflows.human_task import HumanTaskMixin

PROCESS = "survey"
WAVE_PROCESS = "survey_wave"
RECOVERY_TASK = "recovery"
_STEP: ActivityOptions = activity_options(timedelta(seconds=30), RetryPolicy(maximum_interval=timedelta(minutes=1)))
# The wave's statements and starts run over many customers: generous, heartbeating, retried.
_WAVE_STEP: ActivityOptions = activity_options(
    timedelta(minutes=30),
    RetryPolicy(maximum_interval=timedelta(minutes=5), maximum_attempts=10),
    heartbeat=timedelta(minutes=2),
)
_START_BATCH = 200  # surveys started per activity call (a retry restarts only its batch; starts are idempotent)


def wave_workflow_id(wave_id: str) -> str:
    return f"{WAVE_PROCESS}-{wave_id}"


@workflow.defn
class SurveyWaveWorkflow:
    """Pick the due customers in one statement, then start their surveys in batches."""

    def __init__(self) -> None:
        self._state: dict[str, Any] = {"stage": "selecting"}

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return self._state

    @workflow.run
    async def run(self, data: SurveyWaveInput) -> SurveyWaveResult:
        now = workflow.now()
        # A scheduled wave is named after its day in the company's time zone (a re-run of that day picks nobody new).
        wave_id = data.wave_id or local_date(now, data.timezone).isoformat()
        workflow.upsert_search_attributes(
            [SA_PROCESS_TYPE.value_set(WAVE_PROCESS), SA_PERIOD.value_set(wave_id), SA_STAGE.value_set("selecting")]
        )
        self._state = {"stage": "selecting", "wave_id": wave_id}
        selected = await workflow.execute_activity_method(
            SurveyActivities.select_wave,
            SelectWaveInput(
                definition=data.definition,
                wave_id=wave_id,
                now=now,
                customer_ids=data.customer_ids,
                trigger=data.trigger,
            ),
            **_WAVE_STEP,
        )
        ids = selected.invitation_ids
        self._state.update(stage="starting", invited=len(ids), started=0)
        workflow.upsert_search_attributes([SA_STAGE.value_set("starting")])
        for first in range(0, len(ids), _START_BATCH):
            await workflow.execute_activity_method(
                SurveyActivities.start_surveys,
                StartSurveysInput(definition=data.definition, invitation_ids=ids[first : first + _START_BATCH]),
                **_WAVE_STEP,
            )
            self._state["started"] = min(first + _START_BATCH, len(ids))
        self._state["stage"] = "done"
        workflow.upsert_search_attributes([SA_STAGE.value_set("done")])
        return SurveyWaveResult(wave_id=wave_id, invited=len(ids))


def _refuse(kind: str, message: str, *details: Any) -> ApplicationError:
    return ApplicationError(message, *details, type=kind, non_retryable=True)


@workflow.defn
class SurveyWorkflow(HumanTaskMixin):
    """Invite one customer's contact, remind, expire; take one answer; a low score opens a recovery task."""

    def __init__(self) -> None:
        self._state: dict[str, Any] = {"stage": "inviting"}
        self._definition: SurveyDefinition | None = None
        self._invitation_id = 0
        self._accepting = False  # the link is live: the validator lets an answer through
        self._answering = False  # an answer is being written: the expiry timer waits for it
        self._answer: SurveyAnswerResult | None = None
        self._closed_elsewhere = False  # the database refused the answer (already answered or expired)

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return {**self._state, "open_tasks": [t.model_dump(mode="json") for t in self.open_tasks()]}

    @workflow.query(name="survey.definition")
    def definition_query(self) -> SurveyDefinition | None:
        """The questions this survey started with (the answer page shows them when the definition changed since)."""
        return self._definition

    @workflow.run
    async def run(self, data: SurveyInput) -> SurveyResult:
        definition = self._definition = data.definition
        self._invitation_id = data.invitation_id
        now = workflow.now()
        expires_at = now + definition.expires_after
        workflow.upsert_search_attributes(
            [
                SA_PROCESS_TYPE.value_set(PROCESS),
                SA_STAGE.value_set("inviting"),
                SA_CUSTOMER_ID.value_set(str(data.customer_id)),
                SA_DEFINITION_VERSION.value_set(str(definition.version)),
            ]
        )
        self._state = {"stage": "inviting", "invitation_id": data.invitation_id, "customer_id": data.customer_id}
        invited = await workflow.execute_activity_method(
            SurveyActivities.invite,
            InviteInput(invitation_id=data.invitation_id, now=now, expires_at=expires_at),
            **_STEP,
        )
        if not invited.invited:
            self._stage("not_sent")
            return SurveyResult(invitation_id=data.invitation_id, status="not_sent")
        expires_at = invited.expires_at
        self._state["expires_at"] = expires_at.isoformat()
        self._accepting = True
        self._stage("invited")
        answered = False
        for index, after in enumerate(sorted(definition.reminders_after)):
            if await self._answered_by(now + after):
                answered = True
                break
            await workflow.execute_activity_method(
                SurveyActivities.remind, RemindInput(invitation_id=data.invitation_id, reminder_index=index), **_STEP
            )
            self._state["reminders"] = index + 1
        if not answered and not await self._answered_by(expires_at):
            # The link dies here: no answer can pass the validator from now on, then the row is marked expired.
            self._accepting = False
            await workflow.execute_activity_method(
                SurveyActivities.expire, ExpireInput(invitation_id=data.invitation_id), **_STEP
            )
            self._stage("expired")
            await workflow.wait_condition(workflow.all_handlers_finished)
            return SurveyResult(invitation_id=data.invitation_id, status="expired")
        if self._answer is None:  # the database had it closed already: nothing more to do here
            await workflow.wait_condition(workflow.all_handlers_finished)
            return SurveyResult(invitation_id=data.invitation_id, status="closed")
        self._stage("answered")
        recovery_outcome = None
        if self._answer.recovery and self._state.get("owner_id") is not None:
            recovery_outcome = await self._recover(data)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return SurveyResult(invitation_id=data.invitation_id, status="answered", recovery_outcome=recovery_outcome)

    async def _answered_by(self, moment: datetime) -> bool:
        """Wait until an answer is written (True) or `moment` passes with none being written (False)."""
        remaining = (moment - workflow.now()).total_seconds()
        if remaining > 0:
            try:
                await workflow.wait_condition(
                    lambda: self._answer is not None or self._closed_elsewhere, timeout=remaining
                )
            except asyncio.TimeoutError:
                pass
        if self._answering:  # an answer arrived as the timer fired: it wins
            await workflow.wait_condition(lambda: not self._answering)
        return self._answer is not None or self._closed_elsewhere

    async def _recover(self, data: SurveyInput) -> str:
        """A recovery form task for the owner, escalating up their chain like a complaint; then close it."""
        definition = data.definition
        rule = definition.recovery
        self._stage("recovery")
        scores = self._state.get("scores", "")
        outcome = await self.run_task(
            TaskSpec(
                task_key=RECOVERY_TASK,
                kind="form",
                title=f"Recover {self._state.get('customer_name', '')}: {scores}"[:300],
                process_type=PROCESS,
                assignee_id=self._state["owner_id"],
                customer_id=data.customer_id,
                form={
                    "fields": {
                        "actions": {"type": "string", "required": True, "min": 3, "max": 4000, "label": "What was done"}
                    }
                },
                context={"invitation_id": data.invitation_id, "scores": scores},
                due_in=rule.due_in,
                reminders_before=list(rule.reminders_before),
                escalation_levels=rule.escalation_levels,
                final_outcome="expire",
                allow_chain_override=True,
            )
        )
        actions = (outcome.data or {}).get("actions") if outcome.data else None
        await workflow.execute_activity_method(
            SurveyActivities.close_recovery,
            CloseRecoveryInput(
                invitation_id=data.invitation_id,
                outcome=outcome.outcome,
                actions=str(actions) if actions is not None else outcome.comment,
                decided_by=outcome.decided_by,
                resurvey_after=workflow.now() + rule.resurvey_after,
            ),
            **_STEP,
        )
        self._state["recovery"] = outcome.outcome
        self._stage("done")
        return outcome.outcome

    def _stage(self, stage: str) -> None:
        self._state["stage"] = stage
        workflow.upsert_search_attributes([SA_STAGE.value_set(stage)])

    # ---- the customer's answer ------------------------------------------------------------------

    def _check_answer(self, data: SurveyAnswerInput) -> dict[str, Any]:
        """Refuse a second answer, a late one, or answers the questions do not allow (reads only)."""
        if self._answer is not None or self._answering or self._closed_elsewhere:
            raise _refuse(ERR_ANSWERED, "this survey has already been answered")
        if not self._accepting:
            raise _refuse(ERR_EXPIRED, "this survey is not open for answers")
        assert self._definition is not None
        clean, problems = check_answers(self._definition, data.answers)
        if problems:
            raise _refuse(
                ERR_INVALID, "invalid answers: " + "; ".join(f"{k}: {v}" for k, v in problems.items()), problems
            )
        return clean

    @workflow.update(name="survey.answer")
    async def answer(self, data: SurveyAnswerInput) -> SurveyAnswerResult:
        """The customer's answers from the public page: written once, then a recovery if the score is low."""
        clean = self._check_answer(data)
        definition = self._definition
        assert definition is not None
        # No await between the check and these flags: a second answer in the same workflow task is refused.
        self._accepting, self._answering = False, True
        csat_key, nps_key = definition.key_of("csat"), definition.key_of("nps")
        csat = clean.get(csat_key) if csat_key else None
        nps = clean.get(nps_key) if nps_key else None
        low, high = SCALES["csat"]
        score = (csat - low) / (high - low) if csat is not None else None
        recovery = definition.needs_recovery(csat, nps)
        try:
            result = await workflow.execute_activity_method(
                SurveyActivities.record_answers,
                RecordAnswersInput(
                    invitation_id=self._invitation_id,
                    answers=clean,
                    csat=csat,
                    nps=nps,
                    score=score,
                    recovery=recovery,
                    client=data.client,
                ),
                **_STEP,
            )
        finally:
            self._answering = False
        if not result.recorded:
            self._closed_elsewhere = True
            raise _refuse(ERR_ANSWERED, "this survey has already been answered or has expired")
        self._state.update(
            owner_id=result.owner_id,
            customer_name=result.customer_name,
            scores=", ".join(
                p for p in (f"CSAT {csat}" if csat is not None else "", f"NPS {nps}" if nps is not None else "") if p
            ),
        )
        self._answer = SurveyAnswerResult(status="answered", recovery=recovery)
        return self._answer

    @answer.validator
    def _validate_answer(self, data: SurveyAnswerInput) -> None:
        self._check_answer(data)


SPEC = ProcessSpec(
    name=PROCESS,
    workflows=(SurveyWaveWorkflow, SurveyWorkflow),
    activities=(SurveyActivities, TaskActivities),
    definition=SurveyDefinition,
    process_types=(PROCESS, WAVE_PROCESS),
    schedules=(
        # SKIP: a wave still starting surveys when the next one is due would pick the same customers anyway
        # (their invitations block them), so an overlapping run adds nothing.
        ScheduledRun(
            schedule_id="survey-waves",
            workflow=SurveyWaveWorkflow,
            workflow_id="survey_wave-scheduled",
            overlap=ScheduleOverlapPolicy.SKIP,
            build_input=lambda definition, context: SurveyWaveInput(
                definition=definition, timezone=definition.schedule.timezone or context.timezone
            ),
            description="Satisfaction survey waves: invite every customer whose tier cadence is due",
            process_type=WAVE_PROCESS,
        ),
    ),
    timeline_kinds=("survey", "survey_recovery"),
    history_fields=frozenset({"invitation_id", "customer_id", "wave_id", "trigger", "customer_ids"}),
)
