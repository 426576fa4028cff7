from enum import StrEnum


class TasksListTasksScopeType0(StrEnum):
    ALL = "all"
    MINE = "mine"
    TEAM = "team"

    def __str__(self) -> str:
        return str(self.value)
