from enum import StrEnum


class PersonalWebhookFormat(StrEnum):
    DINGTALK = "dingtalk"
    FEISHU = "feishu"
    GENERIC = "generic"
    WECOM = "wecom"

    def __str__(self) -> str:
        return str(self.value)
