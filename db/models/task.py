"""Human tasks (approvals and forms) opened by processes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped


class Task(Timestamped, Base):
    """One human step of a process, unique per workflow and task key."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("workflow_id", "task_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[str] = mapped_column(String(200), index=True)
    task_key: Mapped[str] = mapped_column(String(200))
    process_type: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    form: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    due_at: Mapped[datetime | None]
    escalation_level: Mapped[int] = mapped_column(default=0)
    decision: Mapped[str | None] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None]
    # 0003: who else may act, who it was meant for, and the escalation path known when it opened.
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    original_assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    chain: Mapped[list[int] | None] = mapped_column(JSON)
    allow_chain_override: Mapped[bool] = mapped_column(default=False, server_default=false())
    reminders_sent: Mapped[int] = mapped_column(default=0, server_default="0")
    # 0016: the workflow that takes this task's updates when it is not the process's own: an approval flow
    # the process started as a child files its tasks under the process (inbox, timeline), decides them itself.
    handler_workflow_id: Mapped[str | None] = mapped_column(String(200))

    @property
    def decided_in(self) -> str:
        """The workflow to send this task's updates to."""
        return self.handler_workflow_id or self.workflow_id
