from enum import StrEnum


class StaffRole(StrEnum):
    ACCOUNT_MANAGER_L1 = "account_manager_l1"
    ACCOUNT_MANAGER_L2 = "account_manager_l2"
    DIRECTOR = "director"

    def __str__(self) -> str:
        return str(self.value)
