"""One module of pages per area; PAGE_ROUTERS is what the app mounts."""

from web.pages import (
    approvals,
    auth,
    awards,
    complaints,
    contacts,
    customers,
    inbox,
    notifications,
    ops,
    reports,
    reviews,
    survey,
    survey_results,
    targets,
)

PAGE_ROUTERS = [
    auth.router,
    inbox.router,
    complaints.router,
    customers.router,
    reviews.router,
    ops.router,
    notifications.router,
    approvals.router,
    contacts.router,
    survey.router,
    survey_results.router,
    reports.router,
    awards.router,
    targets.router,
]
