from enum import StrEnum


class PreferencesInChannelsAdditionalPropertyItem(StrEnum):
    EMAIL = "email"
    IN_APP = "in_app"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
