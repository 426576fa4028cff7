"""One module of pages per area; PAGE_ROUTERS is what the app mounts."""

from web.pages import auth, complaints, customers, inbox, notifications, ops, reviews, targets

PAGE_ROUTERS = [auth.router, inbox.router, complaints.router, customers.router, reviews.router, ops.router,
                notifications.router, targets.router]
