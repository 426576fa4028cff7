"""All tables, importable from one place (Alembic and repositories use this)."""

from db.models.approval import ApprovalRequest
from db.models.audit import AuditEvent, Notification
from db.models.base import Base, utcnow
from db.models.complaint import Complaint
from db.models.customer import ContactReminder, Customer, CustomerStatus, FollowUp, Transaction
from db.models.incentive import IncentiveAward, IncentiveAwardLine
from db.models.notification import DeliveryStatus, NotificationDelivery, NotificationPreference
from db.models.review import Review, ReviewCycle, ReviewPlanItem
from db.models.survey import CustomerContact, SurveyInvitation, SurveyStatus
from db.models.staff import ACCOUNT_MANAGER_ROLES, Principal, PrincipalRole, Staff, StaffRole
from db.models.target import TargetCheckIn, TargetProgress, TargetSet, TargetVersion
from db.models.task import Task
from db.models.tiering import PoolClaim, ReclaimWarning, TierProposal
from db.models.web import LoginAttempt, WebSession

__all__ = [
    "ACCOUNT_MANAGER_ROLES",
    "ApprovalRequest",
    "AuditEvent",
    "Base",
    "Complaint",
    "Customer",
    "CustomerContact",
    "CustomerStatus",
    "FollowUp",
    "ContactReminder",
    "IncentiveAward",
    "IncentiveAwardLine",
    "LoginAttempt",
    "Notification",
    "NotificationDelivery",
    "NotificationPreference",
    "DeliveryStatus",
    "PoolClaim",
    "Principal",
    "PrincipalRole",
    "Staff",
    "ReclaimWarning",
    "Review",
    "ReviewCycle",
    "ReviewPlanItem",
    "StaffRole",
    "SurveyInvitation",
    "SurveyStatus",
    "TargetCheckIn",
    "TargetProgress",
    "TargetSet",
    "TargetVersion",
    "Task",
    "TierProposal",
    "Transaction",
    "WebSession",
    "utcnow",
]
