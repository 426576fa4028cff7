"""Complaint activities — placeholder until the process lands."""

from activities.base import ActivitiesBase


class ComplaintActivities(ActivitiesBase):
    """Placeholder."""
