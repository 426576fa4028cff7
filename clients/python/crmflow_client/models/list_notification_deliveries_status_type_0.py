from enum import StrEnum


class ListNotificationDeliveriesStatusType0(StrEnum):
    DELIVERED = "delivered"
    FAILED = "failed"
    HELD = "held"
    PENDING = "pending"
    SENDING = "sending"

    def __str__(self) -> str:
        return str(self.value)
