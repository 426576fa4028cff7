from enum import StrEnum


class ApprovalDecisionBodyDecision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SEND_BACK = "send_back"

    def __str__(self) -> str:
        return str(self.value)
