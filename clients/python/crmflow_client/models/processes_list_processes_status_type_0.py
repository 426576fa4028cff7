from enum import StrEnum


class ProcessesListProcessesStatusType0(StrEnum):
    CANCELED = "canceled"
    COMPLETED = "completed"
    CONTINUED_AS_NEW = "continued_as_new"
    FAILED = "failed"
    RUNNING = "running"
    TERMINATED = "terminated"
    TIMED_OUT = "timed_out"

    def __str__(self) -> str:
        return str(self.value)
