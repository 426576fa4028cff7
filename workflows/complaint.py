"""Complaint handling (DESIGN §3.1) — placeholder until the process lands."""

from temporalio import workflow


@workflow.defn
class ComplaintWorkflow:
    """Placeholder."""

    @workflow.run
    async def run(self) -> None:
        return None
