from enum import StrEnum


class ContactsListContactsRouteStatus(StrEnum):
    OVERDUE = "overdue"
    UPCOMING = "upcoming"

    def __str__(self) -> str:
        return str(self.value)
