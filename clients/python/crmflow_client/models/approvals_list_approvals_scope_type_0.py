from enum import StrEnum


class ApprovalsListApprovalsScopeType0(StrEnum):
    ALL = "all"
    AWAITING_ME = "awaiting_me"
    MINE = "mine"
    TEAM = "team"

    def __str__(self) -> str:
        return str(self.value)
