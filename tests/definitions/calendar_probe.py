"""A tiny workflow computing a business-time deadline inside the sandbox (proves the calendar is sandbox-safe)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from definitions.calendar import BusinessCalendar, add_business_time


class DeadlineInput(BaseModel):
    start: datetime
    duration: timedelta
    calendar: BusinessCalendar


@workflow.defn(name="test.business_deadline")
class BusinessDeadlineWorkflow:
    """Returns add_business_time(start, duration, calendar), computed in the workflow."""

    @workflow.run
    async def run(self, data: DeadlineInput) -> datetime:
        return add_business_time(data.start, data.duration, data.calendar)
