from enum import StrEnum


class TasksListTasksKindType0(StrEnum):
    APPROVAL = "approval"
    FORM = "form"

    def __str__(self) -> str:
        return str(self.value)
