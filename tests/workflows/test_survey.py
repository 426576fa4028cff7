"""The survey process on the time-skipping server: invite, remind, expire; one answer; a low score's recovery."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from crmflow.settings import PACKAGED_DEFINITIONS_DIR, Settings
from db.models import AuditEvent, CustomerContact, Notification, SurveyInvitation, Task
from db.repositories.surveys import select_wave, survey_workflow_id
from definitions.loader import load_as
from definitions.survey import SurveyAnswerInput, SurveyAnswerResult, SurveyDefinition, SurveyInput, SurveyWaveInput
from definitions.tasks import TaskActor, TaskCompleteInput
from tests.factories import Factory
from tests.task_probe import open_view
from workflows.survey import RECOVERY_TASK, SurveyWaveWorkflow, SurveyWorkflow, wave_workflow_id

DEFINITION = load_as(PACKAGED_DEFINITIONS_DIR, SurveyDefinition)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"web_secret": "survey-test-secret", "public_url": "https://crm.example.test"})


async def _customer_with_contact(
    factory: Factory, owner, *, tier: int = 2, email: str | None = "buyer@acme.test", language: str = "en"
):
    customer = await factory.customer(owner, tier=tier)
    async with factory.sessions() as session, session.begin():
        session.add(CustomerContact(customer_id=customer.id, name="Ms Buyer", email=email, language=language))
    return customer


async def _invitation(sessions, customer_id: int, now, wave: str) -> SurveyInvitation:
    async with sessions() as session, session.begin():
        [invitation_id] = await select_wave(
            session, definition=DEFINITION, wave_id=wave, now=now, customer_ids=[customer_id], trigger="manual"
        )
    async with sessions() as session:
        return await session.get(SurveyInvitation, invitation_id)


async def invited(handle) -> None:
    """Wait (bounded) until the invitation went out: the link only exists from then on."""
    for _ in range(400):
        if (await handle.query("status"))["stage"] == "invited":
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the survey never reached 'invited'")


async def _rows(sessions, model, *where):
    async with sessions() as session:
        return list(await session.scalars(select(model).where(*where).order_by(model.id)))


async def test_unanswered_survey_is_reminded_then_expires(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings: Settings
) -> None:
    org = await factory.org()
    customer = await _customer_with_contact(factory, org.l2)
    now = await time_env.get_current_time()
    invitation = await _invitation(sessions, customer.id, now, f"t-{uuid.uuid4().hex[:6]}")
    async with run_worker(time_env.client):
        handle = await time_env.client.start_workflow(
            SurveyWorkflow.run,
            SurveyInput(invitation_id=invitation.id, customer_id=customer.id, definition=DEFINITION),
            id=invitation.workflow_id,
            task_queue=settings.task_queue,
        )
        result = await handle.result()  # nobody answers: time skips past the reminder and the expiry
        assert result.status == "expired"
        with pytest.raises(RPCError):  # the process is over: no answer reaches it any more
            await handle.execute_update("survey.answer", SurveyAnswerInput(answers={"csat": 5, "nps": 10}))
    [row] = await _rows(sessions, SurveyInvitation, SurveyInvitation.id == invitation.id)
    assert (row.status, row.reminders_sent, row.answered_at, row.answers) == ("expired", 1, None, None)
    assert row.expires_at - row.invited_at == DEFINITION.expires_after
    actions = [a.action for a in await _rows(sessions, AuditEvent, AuditEvent.customer_id == customer.id)]
    assert actions == ["survey.invited", "survey.reminded", "survey.expired"]
    mails = await _rows(sessions, Notification, Notification.entity_type == "survey")
    assert [(m.kind, m.recipient_id, m.details["to_email"]) for m in mails] == [
        ("survey.invitation", None, "buyer@acme.test"),
        ("survey.reminder", None, "buyer@acme.test"),
    ]


async def test_low_score_opens_recovery_that_escalates_and_closes(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings: Settings
) -> None:
    org = await factory.org()
    customer = await _customer_with_contact(factory, org.l2, language="zh-CN")
    now = await time_env.get_current_time()
    invitation = await _invitation(sessions, customer.id, now, f"t-{uuid.uuid4().hex[:6]}")
    async with run_worker(time_env.client):
        handle = await time_env.client.start_workflow(
            SurveyWorkflow.run,
            SurveyInput(invitation_id=invitation.id, customer_id=customer.id, definition=DEFINITION),
            id=invitation.workflow_id,
            task_queue=settings.task_queue,
        )
        await invited(handle)
        # The answer page asks the process for its questions when the definition changed since it started.
        assert await handle.query("survey.definition", result_type=SurveyDefinition) == DEFINITION
        # Invalid answers are refused by the validator: nothing is written.
        with pytest.raises(WorkflowUpdateFailedError) as bad:
            await handle.execute_update("survey.answer", SurveyAnswerInput(answers={"csat": 9, "nps": 3}))
        assert "csat" in str(bad.value.cause)
        answered = await handle.execute_update(
            "survey.answer",
            SurveyAnswerInput(answers={"csat": "2", "nps": 3, "comment": "slow delivery"}),
            result_type=SurveyAnswerResult,
        )
        assert answered.recovery is True
        # Answering twice is refused and writes nothing.
        with pytest.raises(WorkflowUpdateFailedError) as twice:
            await handle.execute_update("survey.answer", SurveyAnswerInput(answers={"csat": 5, "nps": 10}))
        assert "already been answered" in str(twice.value.cause)
        view = await open_view(handle, RECOVERY_TASK)
        assert view.assignee_id == org.l2.id and view.escalation_level == 0
        # Nobody acts within the SLA: the task moves up the owner's chain, like a complaint.
        await time_env.sleep(DEFINITION.recovery.due_in + timedelta(minutes=1))
        view = await open_view(handle, RECOVERY_TASK, level=1)
        assert view.assignee_id == org.l1.id
        actor = TaskActor(role="manager", staff_id=org.l1.id, label=f"manager:staff:{org.l1.id}")
        await handle.execute_update(
            "task.complete",
            TaskCompleteInput(
                task_key=RECOVERY_TASK, actor=actor, data={"actions": "called the buyer, replaced the shipment"}
            ),
        )
        result = await handle.result()
    assert (result.status, result.recovery_outcome) == ("answered", "completed")
    [row] = await _rows(sessions, SurveyInvitation, SurveyInvitation.id == invitation.id)
    assert (row.status, row.csat, row.nps, row.score) == ("answered", 2, 3, 0.25)
    assert row.answers == {"csat": 2, "nps": 3, "comment": "slow delivery"}
    assert (row.recovery_status, row.recovery_actions) == ("completed", "called the buyer, replaced the shipment")
    assert row.resurvey_after is not None and row.resurvey_after > row.recovery_closed_at
    [task] = await _rows(sessions, Task, Task.workflow_id == invitation.workflow_id)
    assert (task.status, task.assignee_id, task.escalation_level, task.customer_id) == (
        "completed",
        org.l1.id,
        1,
        customer.id,
    )
    actions = [a.action for a in await _rows(sessions, AuditEvent, AuditEvent.customer_id == customer.id)]
    assert actions[:3] == ["survey.invited", "survey.answered", "survey_recovery.opened"]
    assert actions[-1] == "survey_recovery.closed"
    # After the recovery the customer may be surveyed again once resurvey_after has passed (not before).
    async with sessions() as session, session.begin():
        assert (
            await select_wave(
                session,
                definition=DEFINITION,
                wave_id="again-early",
                now=row.recovery_closed_at,
                customer_ids=[customer.id],
                trigger="manual",
            )
            == []
        )
        again = await select_wave(
            session,
            definition=DEFINITION,
            wave_id="again",
            now=row.resurvey_after + timedelta(minutes=1),
            customer_ids=[customer.id],
            trigger="manual",
        )
    assert len(again) == 1


async def test_wave_starts_one_survey_per_due_customer(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings: Settings
) -> None:
    org = await factory.org()
    due = await _customer_with_contact(factory, org.l2)
    no_address = await _customer_with_contact(factory, org.l2, email=None)
    wave_id = f"w-{uuid.uuid4().hex[:6]}"
    async with run_worker(time_env.client):
        result = await time_env.client.execute_workflow(
            SurveyWaveWorkflow.run,
            SurveyWaveInput(
                definition=DEFINITION, wave_id=wave_id, customer_ids=[due.id, no_address.id], trigger="manual"
            ),
            id=wave_workflow_id(wave_id),
            task_queue=settings.task_queue,
        )
        assert (result.wave_id, result.invited) == (wave_id, 1)
        survey = time_env.client.get_workflow_handle(survey_workflow_id(due.id, wave_id))
        await invited(survey)
        await survey.terminate(reason="test over")  # a survey left without a worker would stall the server's clock
    [row] = await _rows(sessions, SurveyInvitation, SurveyInvitation.wave_id == wave_id)
    assert (row.customer_id, row.trigger, row.owner_id) == (due.id, "manual", org.l2.id)
