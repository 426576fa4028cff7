"""All tables, importable from one place (Alembic and repositories use this)."""

from db.models.audit import AuditEvent, Notification
from db.models.base import Base, utcnow
from db.models.complaint import Complaint
from db.models.customer import Customer, CustomerStatus, FollowUp, Transaction
from db.models.notification import DeliveryStatus, NotificationDelivery, NotificationPreference
from db.models.review import Review, ReviewCycle
from db.models.staff import ACCOUNT_MANAGER_ROLES, Principal, PrincipalRole, Staff, StaffRole
from db.models.task import Task
from db.models.tiering import PoolClaim, ReclaimWarning, TierProposal

__all__ = [
    "ACCOUNT_MANAGER_ROLES",
    "AuditEvent",
    "Base",
    "Complaint",
    "Customer",
    "CustomerStatus",
    "FollowUp",
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
    "StaffRole",
    "Task",
    "TierProposal",
    "Transaction",
    "utcnow",
]
