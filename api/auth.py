"""Who is calling (bearer token → principal) and what their role lets them see and do (DESIGN §2)."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import PrincipalRole

READ_ALL_ROLES = frozenset({PrincipalRole.ADMIN, PrincipalRole.OPS})


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
