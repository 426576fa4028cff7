from enum import StrEnum


class CustomersListCustomersRouteStatusType0(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    POOL = "pool"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
