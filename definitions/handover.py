"""The staff hand-over definition: how long a workflow that does not take a hand-over is tried again.

Also the workflow contracts of the hand-over process (sandbox-safe pydantic models).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from definitions.base import DefinitionMeta, DefinitionProblem, Duration, StrictModel


class HandOverRetry(StrictModel):
    """Each process holding a leaver's task is sent the hand-over until it answers, within these bounds."""

    initial_interval: Duration = timedelta(seconds=1)
    maximum_interval: Duration = timedelta(minutes=1)
    answer_timeout: Duration = timedelta(seconds=30)  # one attempt: the process takes the update and moves its rows
    give_up_after: Duration = timedelta(days=1)

    @model_validator(mode="after")
    def _bounds(self) -> HandOverRetry:
        if self.maximum_interval < self.initial_interval:
            raise DefinitionProblem("maximum_interval", "maximum_interval must not be shorter than initial_interval")
        if self.give_up_after < self.answer_timeout:
            raise DefinitionProblem("give_up_after", "give_up_after must not be shorter than answer_timeout")
        return self


class HandOverDefinition(DefinitionMeta):
    """When a staff member is deactivated, every process holding their open tasks is told to move them."""

    process: Literal["handover"] = "handover"
    reason: str = Field(default="previous holder deactivated", min_length=1, max_length=200)
    retry: HandOverRetry = Field(default_factory=HandOverRetry)


class StaffHandOverInput(BaseModel):
    """Start of the hand-over process of one deactivated staff member."""

    staff_id: int
    actor_label: str
    definition: HandOverDefinition


class HandOverSend(BaseModel):
    """Activity "handover.send": one process, one update (its id stable across retries)."""

    workflow_id: str
    staff_id: int
    actor_label: str
    reason: str
    update_id: str
    answer_timeout: timedelta


class HandOverSent(BaseModel):
    """What one process answered: the tasks it moved, or why it took none (closed, refused)."""

    workflow_id: str
    moved_task_ids: list[int] = Field(default_factory=list)
    missed: str | None = None


class StaffHandOverResult(BaseModel):
    """Every process that held the leaver's tasks and what each answered."""

    staff_id: int
    sent: list[HandOverSent] = Field(default_factory=list)
