from enum import StrEnum


class ListNotificationDeliveriesChannelType0(StrEnum):
    EMAIL = "email"
    IN_APP = "in_app"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
