"""One router per resource; ROUTERS is what the app mounts."""

from api.routers import complaints, customers, definitions, health, pool, processes, staff, tasks, tiering

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
]
