from enum import StrEnum


class ComplaintOutStatus(StrEnum):
    CLOSED = "closed"
    IN_PROGRESS = "in_progress"
    OPEN = "open"
    PENDING_APPROVAL = "pending_approval"
    RESOLVED = "resolved"
    WAITING_ON_CUSTOMER = "waiting_on_customer"

    def __str__(self) -> str:
        return str(self.value)
