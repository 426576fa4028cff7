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


async def test_an_unexpected_error_keeps_the_error_shape(settings, sessions) -> None:
    import httpx

    from api.app import create_app

    app = create_app(settings, sessions=sessions)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("bug")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://crmflow.test") as client:
        response = await client.get("/boom")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal"
    assert "bug" not in response.text  # internals are logged, not returned
