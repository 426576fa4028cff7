"""Request limits checked before any route runs: body size (413), JSON only (415), storable URLs (422)."""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.schemas.common import unstorable

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def _answer(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message, "details": None}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """Pure ASGI middleware: the body is read (at most `max_body_bytes`) before the app sees it."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, json_prefix: str = "/v1/") -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.json_prefix = json_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self._url_problem(scope)
        if problem:
            await _answer(send, 422, "invalid", problem)
            return
        if scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await _answer(send, 413, "too_large", f"the body exceeds {self.max_body_bytes} bytes")
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await _answer(send, 413, "too_large", f"the body exceeds {self.max_body_bytes} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and scope["path"].startswith(self.json_prefix) and not _is_json(headers.get("content-type", "")):
            await _answer(send, 415, "unsupported_media_type", "send the body as application/json")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _url_problem(scope: Scope) -> str | None:
        reason = unstorable(scope.get("path", ""))
        if reason:
            return f"the path {reason}"
        query = unquote_to_bytes(scope.get("query_string", b"").replace(b"+", b" "))
        try:
            text = query.decode("utf-8")
        except UnicodeDecodeError:
            return "the query string is not valid UTF-8"
        reason = unstorable(text)
        return f"the query string {reason}" if reason else None
