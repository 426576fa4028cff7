"""Customer surveys (DESIGN §3.9): start a wave by hand, a customer's survey contact and results, team figures."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field, field_validator
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.deps import Filer, Reader, Session, current_definition, get_temporal
from api.errors import ApiError, conflict, forbidden, not_found
from api.routers.customers import _visible
from api.schemas.common import MAX_INT, IdPath, unstorable
from api.updates import within
from crmflow.schedules import schedule_timezone
from db.models import CustomerStatus, PrincipalRole, SurveyInvitation, utcnow
from db.repositories.audit import record_audit
from db.repositories.surveys import customer_invitations, set_contact, team_figures
from definitions.survey import SurveyDefinition, SurveyWaveInput
from workflows.survey import SurveyWaveWorkflow, wave_workflow_id

router = APIRouter(tags=["surveys"])


class WaveRequest(BaseModel):
    """A hand-started wave: every due customer, or only these (the N-days rule always applies)."""

    model_config = ConfigDict(extra="forbid")
    customer_ids: list[Annotated[int, Field(ge=1, le=MAX_INT)]] | None = Field(
        default=None, min_length=1, max_length=500
    )


class WaveOut(BaseModel):
    wave_id: str
    process_id: str


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    language: Literal["zh-CN", "en"] = "zh-CN"

    @field_validator("name")
    @classmethod
    def _storable(cls, value: str) -> str:
        reason = unstorable(value)
        if reason:
            raise ValueError(f"name {reason}")
        return value.strip()


class ContactOut(ContactIn):
    # Its own title: api.schemas.contacts has a ContactOut too, and a generated client names models by title.
    model_config = ConfigDict(title="SurveyContactOut")

    customer_id: int


class InvitationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    customer_id: int
    wave_id: str
    trigger: str
    status: str
    process_id: str = Field(validation_alias="workflow_id")
    language: str
    invited_at: object = None
    expires_at: object = None
    reminders_sent: int
    answered_at: object = None
    csat: int | None = None
    nps: int | None = None
    answers: dict | None = None
    recovery_status: str | None = None
    recovery_actions: str | None = None
    recovery_closed_at: object = None


class FiguresOut(BaseModel):
    period: str
    invited: int
    answered: int
    response_rate: float | None
    csat: float | None
    nps: float | None


class TeamFiguresOut(BaseModel):
    owner_ids: list[int] | None
    months: int
    periods: list[FiguresOut]
    total: FiguresOut | None


# Ops and admins start whole waves (the demo, a missed schedule); managers and directors only for their customers.
@router.post("/v1/survey-waves", status_code=status.HTTP_202_ACCEPTED, response_model=WaveOut)
async def start_wave(body: WaveRequest, session: Session, actor: Reader, request: Request) -> WaveOut:
    """Start a survey wave now; its process invites every due customer (or the listed ones) by email."""
    if body.customer_ids is None and not actor.has_role(PrincipalRole.ADMIN, PrincipalRole.OPS):
        raise forbidden("only ops or an admin start a wave for every customer; list your customers' ids")
    for customer_id in body.customer_ids or []:
        customer = await _visible(session, actor, customer_id)
        if customer.status != CustomerStatus.ACTIVE.value:
            raise conflict(f"customer {customer_id} is {customer.status}; only active customers are surveyed")
    settings = request.app.state.settings
    definition = await current_definition(request, SurveyDefinition)
    client = await get_temporal(request)
    now = utcnow()
    wave_id = f"manual-{now:%Y%m%dT%H%M%S%f}"
    workflow_id = wave_workflow_id(wave_id)
    try:
        await within(
            settings.temporal_deadline_seconds,
            client.start_workflow(
                SurveyWaveWorkflow.run,
                SurveyWaveInput(
                    definition=definition,
                    wave_id=wave_id,
                    customer_ids=body.customer_ids,
                    trigger="manual",
                    timezone=schedule_timezone(definition, settings),
                ),
                id=workflow_id,
                task_queue=settings.task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            ),
            "the survey wave",
        )
    except WorkflowAlreadyStartedError:
        pass
    return WaveOut(wave_id=wave_id, process_id=workflow_id)


@router.put("/v1/customers/{customer_id}/survey-contact", response_model=ContactOut)
async def put_survey_contact(customer_id: IdPath, body: ContactIn, session: Session, actor: Filer) -> ContactOut:
    """Set the person at the customer who receives surveys (no email: the customer is not surveyed)."""
    customer = await _visible(session, actor, customer_id)
    await set_contact(session, customer_id=customer.id, name=body.name, email=body.email, language=body.language)
    record_audit(
        session,
        actor=actor.label,
        action="customer.survey_contact_set",
        entity_type="customer",
        entity_id=customer.id,
        customer_id=customer.id,
        details={"language": body.language, "has_email": body.email is not None},
    )
    await session.commit()
    return ContactOut(customer_id=customer.id, name=body.name, email=body.email, language=body.language)


class InvitationList(BaseModel):
    """Every survey of one customer (a few a year at most)."""

    items: list[InvitationOut]
    total: int


@router.get("/v1/customers/{customer_id}/surveys", response_model=InvitationList)
async def get_customer_surveys(customer_id: IdPath, session: Session, actor: Reader) -> InvitationList:
    """The customer's surveys, newest first: invitations, answers and recoveries."""
    customer = await _visible(session, actor, customer_id)
    rows: list[SurveyInvitation] = await customer_invitations(session, customer.id)
    return InvitationList(items=[InvitationOut.model_validate(row) for row in rows], total=len(rows))


@router.get("/v1/surveys/figures", response_model=TeamFiguresOut)
async def get_survey_figures(
    session: Session,
    actor: Reader,
    request: Request,
    owner_id: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
    months: Annotated[int, Query(ge=1, le=36)] = 12,
) -> TeamFiguresOut:
    """Response rate, CSAT and NPS per calendar month for the caller's team (or one owner within it)."""
    if owner_id is not None and not actor.can_see_staff(owner_id):
        raise not_found("staff", owner_id)
    owners = {owner_id} if owner_id is not None else actor.visible_staff_ids
    monthly, total = await team_figures(
        session, owner_ids=owners, months=months, timezone=request.app.state.settings.timezone
    )
    return TeamFiguresOut(
        owner_ids=sorted(owners) if owners is not None else None,
        months=months,
        periods=[FiguresOut(**f.__dict__) for f in monthly],
        total=FiguresOut(**total.__dict__) if total.invited or total.csat is not None else None,
    )


__all__ = ["ApiError", "router"]
