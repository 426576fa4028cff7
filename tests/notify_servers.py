"""Real servers the notification tests deliver to: an SMTP server (aiosmtpd) and an HTTP webhook receiver."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from crmflow.notify.channels import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from crmflow.ports import free_port


class _Recorder:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd hook
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.sink.lock:
            self.sink.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class SmtpSink:
    """An SMTP server on a fixed local port that records every message it accepts; can be stopped and restarted."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        self._controller = Controller(_Recorder(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for rcpt, m in self.messages if address in rcpt]

    def all(self) -> list[tuple[list[str], EmailMessage]]:
        with self.lock:
            return list(self.messages)


@dataclass
class WebhookReceiver:
    """An HTTP server that checks the generic webhook's HMAC signature and records each delivery."""

    secret: str
    port: int = field(default_factory=free_port)
    fail_with: int | None = None  # answer every request with this status (a receiver that is broken)
    received: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _hook(self, request: Request) -> JSONResponse:
        body = await request.body()
        timestamp = request.headers.get(TIMESTAMP_HEADER, "")
        expected = (
            "sha256=" + hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        )
        if not hmac.compare_digest(expected, request.headers.get(SIGNATURE_HEADER, "")):
            self.rejected.append("bad signature")
            return JSONResponse({"error": "bad signature"}, status_code=401)
        if self.fail_with is not None:
            return JSONResponse({"error": "receiver is broken"}, status_code=self.fail_with)
        self.received.append({"key": request.headers.get(IDEMPOTENCY_HEADER), **json.loads(body)})
        return JSONResponse({"ok": True})

    async def _robot(self, request: Request) -> JSONResponse:
        self.received.append(
            {
                "robot": request.path_params["kind"],
                "query": str(request.query_params),
                **json.loads(await request.body()),
            }
        )
        return JSONResponse({"errcode": 0, "errmsg": "ok", "code": 0})

    async def start(self) -> WebhookReceiver:
        app = Starlette(
            routes=[Route("/hook", self._hook, methods=["POST"]), Route("/robot/{kind}", self._robot, methods=["POST"])]
        )
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        )
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            await asyncio.sleep(0.02)
        return self

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
