"""One error shape for every failure: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    503: "unavailable",
}


# Every 401 says how to authenticate (RFC 9110 §11.6.1).
WWW_AUTHENTICATE = 'Bearer realm="crmflow"'


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorBody(BaseModel):
    """The one error shape: every 4xx/5xx answer of the API."""

    error: ErrorDetail


_DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing, unknown, expired or revoked bearer token",
    403: "Your role may not do this",
    404: "Not found (or not visible to you)",
    409: "Conflict with the current state",
    413: "Body too large",
    415: "Body is not application/json",
    422: "Invalid input",
    503: "A dependency (Temporal, a definition) is unavailable; retry later",
}
# Documented on every route, so the OpenAPI lists each status the API can answer, in the one shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description} for status, description in _DESCRIPTIONS.items()
}
ERROR_RESPONSES[401]["headers"] = {
    "WWW-Authenticate": {"description": "the scheme to authenticate with", "schema": {"type": "string"}}
}
ERROR_RESPONSES[503]["headers"] = {
    "Retry-After": {"description": "seconds to wait before retrying (when known)", "schema": {"type": "integer"}}
}


class ApiError(Exception):
    """An error with an HTTP status, a machine code and a plain message."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.details = details
        self.headers = dict(headers or {})
        if status == 401:
            self.headers.setdefault("WWW-Authenticate", WWW_AUTHENTICATE)


def not_found(what: str, ident: object) -> ApiError:
    return ApiError(404, f"{what} {ident} not found")


def forbidden(message: str = "your role may not do this") -> ApiError:
    return ApiError(403, message)


def conflict(message: str, details: Any = None) -> ApiError:
    return ApiError(409, message, details=details)


def _body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def install_error_handlers(app: FastAPI) -> None:
    """Map ApiError, HTTP and validation errors to the one error shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            _body(exc.code, exc.message, exc.details), status_code=exc.status, headers=exc.headers or None
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 401:
            headers.setdefault("WWW-Authenticate", WWW_AUTHENTICATE)
        return JSONResponse(
            _body(_CODES.get(exc.status_code, "error"), str(exc.detail)),
            status_code=exc.status_code,
            headers=headers or None,
        )

    @app.exception_handler(DataError)
    async def _data_error(_: Request, exc: DataError) -> JSONResponse:
        # Last line behind the bounded schemas: a value the database refuses is bad input, not a bug.
        log.warning("api.data_error", error=str(exc.orig).splitlines()[0] if exc.orig else "")
        return JSONResponse(_body("invalid", "a value is outside what the database can store"), status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # A bug, not bad input: logged with the request id, answered in the one error shape.
        log.exception("api.unexpected_error", error=exc.__class__.__name__)
        return JSONResponse(
            _body("internal", "internal error; the request id is in the x-request-id header"), status_code=500
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": ".".join(str(p) for p in err["loc"] if p != "body"), "message": err["msg"]}
            for err in exc.errors()
        ]
        message = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        return JSONResponse(_body("invalid", message or "invalid request", errors), status_code=422)
