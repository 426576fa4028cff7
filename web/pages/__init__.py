"""One module of pages per area; PAGE_ROUTERS is what the app mounts."""

from web.pages import auth, awards, complaints, customers, inbox, notifications, ops, reports, reviews

PAGE_ROUTERS = [auth.router, inbox.router, complaints.router, customers.router, reviews.router, ops.router,
                notifications.router, reports.router, awards.router]
