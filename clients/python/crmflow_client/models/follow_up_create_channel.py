from enum import StrEnum


class FollowUpCreateChannel(StrEnum):
    EMAIL = "email"
    MEETING = "meeting"
    MESSAGE = "message"
    OTHER = "other"
    PHONE = "phone"
    VISIT = "visit"
    WECHAT = "wechat"

    def __str__(self) -> str:
        return str(self.value)
