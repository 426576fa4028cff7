"""Display names of codes (roles, stages, statuses, processes), marked for translation and translated on the page."""

from __future__ import annotations

import re

from web.i18n import N_, I18n

ROLES = {
    "admin": N_("Administrator"),
    "ops": N_("Operations"),
    "director": N_("Director"),
    "manager": N_("Account manager"),
    "service": N_("Service desk"),
    "account_manager_l1": N_("Account manager L1"),
    "account_manager_l2": N_("Account manager L2"),
}
STAGES = {
    "open": N_("Open"),
    "in_progress": N_("In progress"),
    "waiting_on_customer": N_("Waiting on customer"),
    "pending_approval": N_("Pending approval"),
    "resolved": N_("Resolved"),
    "closed": N_("Closed"),
}
SEVERITIES = {"low": N_("Low"), "normal": N_("Normal"), "high": N_("High"), "critical": N_("Critical")}
TASK_STATUSES = {
    "open": N_("Open"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "completed": N_("Completed"),
    "expired": N_("Expired"),
    "recalled": N_("Recalled"),
    "cancelled": N_("Cancelled"),
}
PROCESSES = {
    "complaint": N_("Complaint"),
    "onboarding": N_("Onboarding"),
    "tiering": N_("Tier re-evaluation"),
    "tier_change": N_("Tier change"),
    "reclaim": N_("Follow-up and reclaim"),
    "review": N_("Quarterly review"),
    "review-cycle": N_("Review cycle"),
    "approval": N_("Approval flow"),
    "handover": N_("Staff hand-over"),
    "survey": N_("Customer survey"),
    "survey_wave": N_("Survey wave"),
}
KINDS = {"approval": N_("Approval"), "form": N_("Form")}
CUSTOMER_STATUSES = {
    "pending": N_("Pending"),
    "active": N_("Active"),
    "rejected": N_("Rejected"),
    "pool": N_("In the public pool"),
    "inactive": N_("Inactive"),
}
REVIEW_STATUSES = {
    "pending": N_("Pending"),
    "self_assessment": N_("Self-assessment"),
    "awaiting_approval": N_("Awaiting approval"),
    "approved": N_("Approved"),
    "rework": N_("Returned for rework"),
    "expired": N_("Expired"),
    "running": N_("Running"),
    "completed": N_("Completed"),
    "rejected": N_("Rejected"),
}
CHANNELS = {
    "phone": N_("Phone"),
    "visit": N_("Visit"),
    "email": N_("Email"),
    "wechat": N_("WeChat"),
    "meeting": N_("Meeting"),
    "message": N_("Message"),
    "other": N_("Other"),
    "web": N_("Web"),
}
FIELD_NAMES = {
    "summary": N_("Summary"),
    "achievements": N_("Achievements"),
    "next_quarter_goals": N_("Goals for next quarter"),
    "self_rating": N_("Self rating"),
    "decision": N_("Decision"),
    "rating": N_("Rating"),
    "comment": N_("Comment"),
    "owner_id": N_("Owner"),
    "note": N_("Note"),
    "approved": N_("Approve (unticked: return for rework)"),
    "amount": N_("Amount"),
    "severity": N_("Severity"),
    "resolution": N_("Resolution"),
    "tier": N_("Tier"),
    "region": N_("Region"),
    "period": N_("Period"),
    "round": N_("Round"),
    "kpis": N_("KPIs"),
    "complaint_id": N_("Complaint"),
    "self_assessment": N_("Self-assessment"),
    "feedback": N_("Feedback"),
    "manager_id": N_("Manager"),
    "actions": N_("What was done"),
}
SURVEY_STATUSES = {
    "pending": N_("Pending"),
    "invited": N_("Invited"),
    "answered": N_("Answered"),
    "expired": N_("Expired"),
    "not_sent": N_("Not sent (no address)"),
    "recovery_open": N_("Recovery open"),
    "recovery_completed": N_("Recovered"),
    "recovery_expired": N_("Recovery not done in time"),
    "recovery_cancelled": N_("Recovery cancelled"),
}

# Targets (§3.8): the KPI catalogue's metrics, target statuses, and the fields of the check-in and decision forms.
METRICS = {
    "new_customers": N_("New customers"),
    "new_customers_tier1": N_("New tier-1 customers"),
    "new_customers_tier2": N_("New tier-2 customers"),
    "revenue": N_("Revenue"),
    "customers_held": N_("Customers held"),
    "customers_lost": N_("Customers lost"),
    "retention": N_("Retention"),
    "avg_satisfaction": N_("Average satisfaction"),
    "sla_compliance": N_("SLA compliance"),
    "sla_response": N_("SLA compliance (response)"),
    "sla_resolution": N_("SLA compliance (resolution)"),
    "followup_coverage": N_("Follow-up coverage"),
    "complaints": N_("Complaints"),
    "complaints_closed": N_("Complaints closed"),
    "customers_reclaimed": N_("Customers reclaimed to the pool"),
}
TARGET_STATUSES = {
    "negotiating": N_("Negotiating"),
    "director": N_("Director decides"),
    "agreed": N_("Agreed"),
    "closed": N_("Closed"),
    "lapsed": N_("Lapsed"),
    "open": N_("Open"),
    "superseded": N_("Superseded"),
    "pending": N_("Pending approval"),
    "rejected": N_("Rejected"),
    "submitted": N_("Submitted"),
    "acknowledged": N_("Acknowledged"),
    "expired": N_("Expired"),
    "proposal": N_("Proposal"),
    "counter": N_("Counter-proposal"),
    "fallback": N_("Last proposal kept"),
    "change": N_("Change request"),
    "supervisor": N_("Supervisor"),
    "manager": N_("Account manager"),
}
FIELD_NAMES |= {
    **METRICS,
    "cause": N_("Cause"),
    "actions": N_("Actions"),
    "help_needed": N_("Help needed"),
    "checkpoint_day": N_("Checkpoint (day)"),
    "off_pace": N_("Behind pace"),
    "target_set_id": N_("Target"),
    "staff_id": N_("Account manager"),
    "latest": N_("Latest proposal"),
    "version": N_("Version"),
    "counter_rounds": N_("Counter-proposals"),
    "response": N_("Answer"),
}


def label(i18n: I18n, table: dict[str, str], code: str | None) -> str:
    """The translated label of a code; the code itself when it has none."""
    if code is None:
        return "—"
    return i18n.gettext(table[code]) if code in table else code


_AT_LEAST = re.compile(r"must be at least ([\d.]+)( characters)?$")
_AT_MOST = re.compile(r"must be at most ([\d.]+)( characters)?$")


def field_message(i18n: I18n, message: str) -> str:
    """The form validator's message for a field, in the reader's language."""
    if message == "is required":
        return i18n.gettext("This field is required.")
    if message == "unknown field":
        return i18n.gettext("Unknown field.")
    for pattern, chars, plain in (
        (_AT_LEAST, N_("At least {n} characters."), N_("At least {n}.")),
        (_AT_MOST, N_("At most {n} characters."), N_("At most {n}.")),
    ):
        match = pattern.match(message)
        if match:
            return i18n.gettext(chars if match.group(2) else plain, n=match.group(1))
    if message.startswith("must be"):
        return i18n.gettext("This value has the wrong type.")
    return message


# KPI catalogue metrics as reports and awards name them (keys of definitions/kpis.py).
METRICS = {
    "new_customers": N_("New customers"),
    "revenue": N_("Revenue"),
    "retention": N_("Retention"),
    "avg_satisfaction": N_("Average satisfaction"),
    "sla_compliance": N_("SLA compliance"),
    "sla_response": N_("SLA response"),
    "sla_resolution": N_("SLA resolution"),
    "complaints": N_("Complaints"),
    "complaints_closed": N_("Complaints closed"),
    "customers_reclaimed": N_("Customers reclaimed"),
    "customers_held": N_("Customers held"),
    "followup_coverage": N_("Follow-up coverage"),
}
AWARD_LINES = {"metric": N_("Metric"), "gate": N_("Gate"), "cap": N_("Cap")}
APPEAL_STATUSES = {
    "pending": N_("Pending"),
    "returned": N_("Returned"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "recalled": N_("Recalled"),
}

# Improvement-plan items of a review (open until due, then met or missed).
PLAN_STATUSES = {"open": N_("Open"), "met": N_("Met"), "missed": N_("Missed")}
