"""Health and readiness need no token; everything else does."""

from __future__ import annotations


async def test_healthz_needs_no_token(api) -> None:
    response = await api.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_checks_database_and_temporal(api) -> None:
    response = await api.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": "ok", "temporal": "ok"}
