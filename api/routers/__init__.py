"""One router per resource; ROUTERS is what the app mounts."""

from api.routers import health

ROUTERS = [
    health.router,
]
