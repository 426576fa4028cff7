from enum import StrEnum


class AddApproverBodyPosition(StrEnum):
    AFTER = "after"
    BEFORE = "before"

    def __str__(self) -> str:
        return str(self.value)
