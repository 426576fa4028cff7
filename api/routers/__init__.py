"""One router per resource; ROUTERS is what the app mounts."""

from api.routers import (
    approvals,
    complaints,
    customers,
    definitions,
    health,
    metrics,
    notifications,
    pool,
    processes,
    reviews,
    schedules,
    staff,
    targets,
    tasks,
    tiering,
    timeline,
)

ROUTERS = [
    health.router,
    definitions.router,
    staff.router,
    complaints.router,
    customers.router,
    processes.router,
    tasks.router,
    tiering.router,
    pool.router,
    timeline.router,
    reviews.router,
    schedules.router,
    metrics.router,
    approvals.router,
    notifications.router,
    targets.router,
]
