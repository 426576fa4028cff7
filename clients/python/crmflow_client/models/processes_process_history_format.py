from enum import StrEnum


class ProcessesProcessHistoryFormat(StrEnum):
    TEMPORAL = "temporal"
    TIMELINE = "timeline"

    def __str__(self) -> str:
        return str(self.value)
