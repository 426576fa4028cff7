"""Mount the web workspace on the API's app: pages, static assets, offline /docs, security headers."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.pages import PAGE_ROUTERS
from web.security import CSP, Signer, secret_key

STATIC_DIR = Path(__file__).resolve().parent / "static"


def _docs_page() -> tuple[bytes, str]:
    """Swagger UI with local assets; its one inline script is allowed by hash, nothing else inline."""
    html = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="crmflow API",
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="/static/swagger/favicon-32x32.png",
    ).body
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in re.findall(r"<script>(.*?)</script>", html.decode(), flags=re.S)
    ]
    csp = (
        f"default-src 'self'; script-src 'self' {' '.join(hashes)}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
    return html, csp


class SecurityHeaders:
    """The security headers every answer carries; pure ASGI (a BaseHTTPMiddleware cost ~10 % of the API's CPU)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                headers["X-Content-Type-Options"] = "nosniff"
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_web(app: FastAPI) -> None:
    """Pages, /static, /docs (offline) and the security headers every answer carries."""
    app.state.web_signer = Signer(secret_key(app.state.settings))
    docs_html, docs_csp = _docs_page()

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return Response(docs_html, media_type="text/html", headers={"Content-Security-Policy": docs_csp})

    app.add_middleware(SecurityHeaders)

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in PAGE_ROUTERS:
        app.include_router(router)
