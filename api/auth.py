"""Who is calling (bearer token → principal) and what their role lets them see and do (DESIGN §2).

The role matrix every router follows:
- admin: everything (incl. principals); may decide any task.
- ops: reads everything, inspects processes and histories, controls schedules; decides nothing.
- director: reads their subtree (`visible_staff_ids`); decides the tasks assigned or delegated to them
  (and those of their subtree where the task allows a chain override).
- manager: their own customers and those of the staff below them (the subtree, themselves included);
  decides the tasks assigned or delegated to them.
- service (integrations): writes — creates customers and complaints, records customer responses.
  Decision: it may also read customers and complaints (GET one and list), because an integration must
  read back what it created and look a customer up (e.g. by external ref) before filing a complaint;
  so its `visible_staff_ids` is None. It sees no staff, tasks or processes (READER_ROLES / deps.Reader
  gate those) and can never decide, complete, delegate or recall a task (TASK_ACTOR_ROLES: 403).
"""

from __future__ import annotations

from dataclasses import dataclass

from db.models import PrincipalRole

READ_ALL_ROLES = frozenset({PrincipalRole.ADMIN, PrincipalRole.OPS})
# Humans who read through the API (lists, inboxes, staff); service is left out on purpose.
READER_ROLES = frozenset({PrincipalRole.ADMIN, PrincipalRole.OPS, PrincipalRole.DIRECTOR, PrincipalRole.MANAGER})
# Who may act on human tasks at all (which task exactly is the workflow's validator to say).
TASK_ACTOR_ROLES = frozenset({PrincipalRole.ADMIN, PrincipalRole.DIRECTOR, PrincipalRole.MANAGER})


@dataclass(frozen=True)
class Actor:
    """The authenticated caller: its principal, role, staff link and the staff it may see."""

    principal_id: int
    name: str
    role: PrincipalRole
    staff_id: int | None
    visible_staff_ids: frozenset[int] | None  # None = everything

    @property
    def label(self) -> str:
        """How the actor appears in audit events."""
        who = f"staff:{self.staff_id}" if self.staff_id is not None else f"principal:{self.principal_id}"
        return f"{self.role.value}:{who}"

    @property
    def sees_all(self) -> bool:
        return self.visible_staff_ids is None

    def can_see_staff(self, staff_id: int | None) -> bool:
        """Whether records owned by `staff_id` are within the actor's view."""
        return self.visible_staff_ids is None or (staff_id is not None and staff_id in self.visible_staff_ids)

    def has_role(self, *roles: PrincipalRole) -> bool:
        return self.role in roles

    @property
    def is_admin(self) -> bool:
        return self.role == PrincipalRole.ADMIN

    @property
    def is_service(self) -> bool:
        return self.role == PrincipalRole.SERVICE

    @property
    def can_inspect(self) -> bool:
        """Ops and admin inspect every process and its history."""
        return self.role in READ_ALL_ROLES

    @property
    def can_act_on_tasks(self) -> bool:
        """Admin, or a director/manager linked to a staff member."""
        return self.is_admin or (self.role in TASK_ACTOR_ROLES and self.staff_id is not None)

    def can_see_customer(self, owner_id: int | None) -> bool:
        """A customer is visible to those who see its owner (pool customers: only to read-all roles and service)."""
        return self.can_see_staff(owner_id)
