"""The survey link a customer's contact receives (DESIGN §3.9): signed with the app secret, expiring, single-use.

The token names the invitation and its expiry and is signed (itsdangerous, HMAC-SHA1 over the app secret with its
own salt, so a session cookie can never pass as a survey token nor the other way round). It is deterministic: the
reminder and a resent invitation carry the same link. Single use is not in the token but in the database (the
invitation's status) and in the survey workflow, which accepts one answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeSerializer

from crmflow.settings import Settings
from web.security import secret_key

_SALT = "crmflow-survey"


@dataclass(frozen=True)
class SurveyToken:
    invitation_id: int
    expires_at: datetime


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key(settings), salt=_SALT)


def make_token(settings: Settings, invitation_id: int, expires_at: datetime) -> str:
    return _serializer(settings).dumps([invitation_id, int(expires_at.timestamp())])


def read_token(settings: Settings, token: str) -> SurveyToken | None:
    """The invitation a token names, or None when it is forged, damaged or not a survey token."""
    if not token or len(token) > 500:
        return None
    try:
        value = _serializer(settings).loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)):
        return None
    return SurveyToken(invitation_id=value[0], expires_at=datetime.fromtimestamp(value[1], UTC))


def survey_link(settings: Settings, invitation_id: int, expires_at: datetime) -> str:
    return f"{settings.public_url.rstrip('/')}/survey/{make_token(settings, invitation_id, expires_at)}"
