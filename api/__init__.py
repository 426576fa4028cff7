"""FastAPI layer: routers per resource, auth, error shape, HTTP schemas."""
