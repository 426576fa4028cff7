"""The customer's side of a survey (DESIGN §3.9): check a link, then hand the answers to the survey's process.

Used by the public answer page, the only page without sign-in. Checking a link writes nothing: a forged, damaged,
expired or already used link is refused from the signature and the invitation row alone. Answers go to the survey
workflow as an Update ("survey.answer") whose validator refuses a second or late answer before anything reaches the
history, and whose activity writes the row only while it is still `invited` — single use holds even when two
submissions race, and the update id (one per invitation) makes a double click return the first answer.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from api.updates import DEADLINE_ERRORS
from crmflow.settings import Settings
from crmflow.survey_links import read_token
from db.models import Customer, SurveyInvitation, SurveyStatus, utcnow
from definitions.loader import load_as
from definitions.survey import (
    ERR_ANSWERED,
    ERR_EXPIRED,
    ERR_INVALID,
    SurveyAnswerInput,
    SurveyAnswerResult,
    SurveyDefinition,
    check_answers,
)

# What a link can be: open (the form), or one of the refusals the page explains.
OPEN, FORGED, EXPIRED, ANSWERED = "open", "forged", "expired", "answered"


@dataclass
class SurveyLink:
    """What a link opens: the invitation and its questions, or why not."""

    state: str
    invitation: SurveyInvitation | None = None
    customer_name: str = ""
    definition: SurveyDefinition | None = None

    @property
    def language(self) -> str | None:
        return self.invitation.language if self.invitation is not None else None


@dataclass
class Submitted:
    """The outcome of a submission: answered, refused (a link state), invalid answers, or try later."""

    state: str  # answered | forged | expired | invalid | unavailable
    problems: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


async def open_link(session: AsyncSession, settings: Settings, token: str, now: datetime | None = None) -> SurveyLink:
    """Check a link against its signature and its invitation; reads only."""
    parsed = read_token(settings, token)
    if parsed is None:
        return SurveyLink(FORGED)
    invitation = await session.get(SurveyInvitation, parsed.invitation_id)
    if (
        invitation is None
        or invitation.expires_at is None
        or int(invitation.expires_at.timestamp()) != int(parsed.expires_at.timestamp())
    ):
        return SurveyLink(FORGED)
    customer = await session.get(Customer, invitation.customer_id)
    link = SurveyLink(OPEN, invitation, customer.name if customer else "")
    if invitation.status == SurveyStatus.ANSWERED:
        link.state = ANSWERED
    elif invitation.status != SurveyStatus.INVITED or (now or utcnow()) >= invitation.expires_at:
        link.state = EXPIRED
    return link


async def questions_for(settings: Settings, temporal_client: Any, invitation: SurveyInvitation) -> SurveyDefinition:
    """The questions the survey started with: the current definition when unchanged, else the process's copy."""
    current = await asyncio.to_thread(load_as, settings.definitions_dir, SurveyDefinition)
    if current.content_hash == invitation.definition_hash:
        return current
    client: Client = await temporal_client()
    handle = client.get_workflow_handle(invitation.workflow_id)
    return await asyncio.wait_for(
        handle.query("survey.definition", result_type=SurveyDefinition), settings.temporal_deadline_seconds
    )


async def submit(
    client: Client,
    settings: Settings,
    link: SurveyLink,
    raw: dict[str, Any],
    *,
    client_ip: str,
) -> Submitted:
    """Check the answers, then send them to the survey's process; nothing is written unless it takes them."""
    assert link.invitation is not None and link.definition is not None
    clean, problems = check_answers(link.definition, raw)
    if problems:
        return Submitted("invalid", problems=problems, values=raw)
    handle = client.get_workflow_handle(link.invitation.workflow_id)
    try:
        await asyncio.wait_for(
            handle.execute_update(
                "survey.answer",
                SurveyAnswerInput(answers=clean, client=client_ip[:100]),
                id=f"survey-answer-{link.invitation.id}",
                result_type=SurveyAnswerResult,
            ),
            settings.temporal_deadline_seconds,
        )
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        kind = cause.type if isinstance(cause, ApplicationError) else None
        if kind == ERR_ANSWERED:
            return Submitted(ANSWERED)
        if kind == ERR_INVALID:
            details = cause.details[0] if isinstance(cause, ApplicationError) and cause.details else {}
            return Submitted("invalid", problems=dict(details) if isinstance(details, dict) else {}, values=raw)
        if kind == ERR_EXPIRED:
            return Submitted(EXPIRED)
        raise
    except RPCError:
        # The process is gone (expired and closed): nothing to answer any more.
        return Submitted(EXPIRED)
    except DEADLINE_ERRORS:
        return Submitted("unavailable", values=raw)
    return Submitted("answered")
