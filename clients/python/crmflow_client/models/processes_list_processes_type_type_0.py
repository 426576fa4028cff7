from enum import StrEnum


class ProcessesListProcessesTypeType0(StrEnum):
    APPROVAL = "approval"
    COMPLAINT = "complaint"
    HANDOVER = "handover"
    INCENTIVES = "incentives"
    NOTIFICATION = "notification"
    ONBOARDING = "onboarding"
    RECLAIM = "reclaim"
    REVIEW = "review"
    REVIEW_CYCLE = "review-cycle"
    REVIEW_PLAN = "review-plan"
    SURVEY = "survey"
    SURVEY_WAVE = "survey_wave"
    TARGETS = "targets"
    TARGET_CYCLE = "target-cycle"
    TARGET_PROGRESS = "target-progress"
    TIERING = "tiering"
    TIER_CHANGE = "tier_change"

    def __str__(self) -> str:
        return str(self.value)
