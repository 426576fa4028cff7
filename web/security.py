"""Passwords (argon2), the signed session cookie, CSRF tokens and the security headers of every page."""

from __future__ import annotations

import secrets
from pathlib import Path

import structlog
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeSerializer

from crmflow.settings import Settings

log = structlog.get_logger(__name__)

SESSION_COOKIE = "crmflow_session"
PRESIGN_COOKIE = "crmflow_presign"  # CSRF token of the sign-in form, before any session exists
FLASH_COOKIE = "crmflow_flash"

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the principal has a password."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def secret_key(settings: Settings) -> str:
    """The cookie-signing key: the setting, else a random key created once under var_dir."""
    if settings.web_secret:
        return settings.web_secret
    path = Path(settings.var_dir) / "web-secret"
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()
    except OSError as exc:
        # A read-only image without CRMFLOW_WEB_SECRET still serves; sessions then end when the process does.
        log.warning("web.secret_not_persisted", path=str(path), error=str(exc))
        return secrets.token_urlsafe(48)


class Signer:
    """Signs and checks cookie values (session token, pre-sign-in CSRF, flash messages)."""

    def __init__(self, key: str) -> None:
        self._serializer = URLSafeSerializer(key, salt="crmflow-web")

    def dumps(self, value: object) -> str:
        return self._serializer.dumps(value)

    def loads(self, value: str | None) -> object | None:
        if not value:
            return None
        try:
            return self._serializer.loads(value)
        except BadSignature:
            return None


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and secrets.compare_digest(str(expected), str(given))
