from enum import StrEnum


class ApprovalCreateSubjectTypeType0(StrEnum):
    COMPLAINT = "complaint"
    CUSTOMER = "customer"
    NONE = "none"
    TASK = "task"

    def __str__(self) -> str:
        return str(self.value)
