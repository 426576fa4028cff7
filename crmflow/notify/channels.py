"""The channels a notification leaves crmflow by: email over SMTP and chat webhooks (generic JSON signed with
HMAC-SHA256, WeCom / DingTalk / Feishu group robots). Each sender raises on any failure; retries are Temporal's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from datetime import UTC, datetime
from typing import Any

import aiosmtplib
import httpx

from crmflow.settings import Settings, WebhookEndpoint

# Header names of the generic webhook (documented in README.md).
TIMESTAMP_HEADER = "X-Crmflow-Timestamp"
SIGNATURE_HEADER = "X-Crmflow-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
EVENT_HEADER = "X-Crmflow-Event"


class ChannelError(Exception):
    """A channel refused or could not take a message (retried by the delivery activity's policy).

    `maybe_sent`: the failure came after the message was handed over (a timeout or a dropped connection
    waiting for the answer), so the receiver may have it: the retry is then an uncertain resend.
    """

    def __init__(self, message: str, *, maybe_sent: bool = False) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent


@dataclass(frozen=True)
class OutgoingMessage:
    """A rendered notification for one channel: subject, text and HTML bodies, link, stable id."""

    message_id: str  # e.g. "n42.email@crmflow.example": the same on every retry
    kind: str
    subject: str
    text: str
    html: str
    markdown: str
    link: str
    language: str
    recipient_name: str
    recipient_email: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def message_id_header(message_id: str) -> str:
    return f"<{message_id}>"


def build_email(settings: Settings, message: OutgoingMessage) -> EmailMessage:
    """A multipart/alternative email (text, then HTML) carrying the stable Message-ID."""
    email = EmailMessage()
    email["From"] = settings.smtp_from
    email["To"] = formataddr((message.recipient_name, message.recipient_email or ""))
    email["Subject"] = message.subject
    email["Date"] = format_datetime(datetime.now(UTC))
    email["Message-ID"] = message_id_header(message.message_id)
    email["X-Crmflow-Kind"] = message.kind
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    # After the bodies: set_content() clears every Content-* header set before it.
    email["Content-Language"] = message.language
    return email


def mail_domain(settings: Settings) -> str:
    """The domain of the From address (Message-IDs are unique within it)."""
    address = parseaddr(settings.smtp_from)[1]
    return address.rpartition("@")[2] or "crmflow.localhost"


async def send_email(
    settings: Settings,
    message: OutgoingMessage,
    on_accepted: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Send over SMTP (STARTTLS / implicit TLS / auth from settings); `on_accepted` runs right after the 250.

    The caller records the delivery in `on_accepted`, before QUIT: the span in which the server has the
    message but crmflow does not know it yet is one reply plus one commit, not a whole session close.
    """
    if not settings.smtp_host:
        raise ChannelError("email is not configured (CRMFLOW_SMTP_HOST is empty)")
    if not message.recipient_email:
        raise ChannelError("the recipient has no email address")
    client = aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        timeout=settings.smtp_timeout,
        use_tls=settings.smtp_security == "tls",
        start_tls=True if settings.smtp_security == "starttls" else False,
        validate_certs=settings.smtp_validate_certs,
        username=settings.smtp_username or None,
        password=settings.smtp_password.get_secret_value() or None,
    )
    handed_over = False
    try:
        await client.connect()
        handed_over = True  # from here a lost answer may hide an accepted message
        errors, _ = await client.send_message(build_email(settings, message))
        if errors:
            raise ChannelError(f"the SMTP server refused recipients: {errors}")
        if on_accepted is not None:
            await on_accepted()
    except aiosmtplib.SMTPResponseException as exc:
        # The server answered with a refusal: it surely did not take the message.
        raise ChannelError(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {exc}") from exc
    except aiosmtplib.SMTPException as exc:
        raise ChannelError(
            f"SMTP {settings.smtp_host}:{settings.smtp_port}: {exc}",
            maybe_sent=handed_over and not isinstance(exc, aiosmtplib.SMTPConnectError),
        ) from exc
    except OSError as exc:
        raise ChannelError(
            f"SMTP {settings.smtp_host}:{settings.smtp_port} unreachable: {exc}", maybe_sent=handed_over
        ) from exc
    finally:
        if client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()


def sign_generic(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed "sha256=" (what receivers recompute)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _generic_payload(message: OutgoingMessage) -> dict[str, Any]:
    return {
        "id": message.message_id,
        "kind": message.kind,
        "subject": message.subject,
        "text": message.text,
        "link": message.link,
        "language": message.language,
        "recipient": message.recipient_name,
        "data": message.data,
    }


def _robot_text(message: OutgoingMessage) -> str:
    return f"{message.subject}\n\n{message.text}"


def webhook_request(
    endpoint: WebhookEndpoint,
    message: OutgoingMessage,
    now: float | None = None,
) -> tuple[str, bytes, dict[str, str]]:
    """URL, body and headers of the POST for the endpoint's format."""
    now = time.time() if now is None else now
    secret = endpoint.secret.get_secret_value() if endpoint.secret else ""
    url = endpoint.url
    headers = {"Content-Type": "application/json", IDEMPOTENCY_HEADER: message.message_id, EVENT_HEADER: message.kind}
    if endpoint.format == "generic":
        body = json.dumps(_generic_payload(message), ensure_ascii=False, sort_keys=True).encode()
        timestamp = str(int(now))
        headers[TIMESTAMP_HEADER] = timestamp
        if secret:
            headers[SIGNATURE_HEADER] = sign_generic(secret, timestamp, body)
        return url, body, headers
    if endpoint.format == "wecom":
        payload: dict[str, Any] = {"msgtype": "markdown", "markdown": {"content": message.markdown}}
    elif endpoint.format == "dingtalk":
        payload = {"msgtype": "markdown", "markdown": {"title": message.subject, "text": message.markdown}}
        if secret:
            # DingTalk "加签": HMAC-SHA256 of "<ms timestamp>\n<secret>" keyed by the secret, in the query.
            millis = str(int(now * 1000))
            mac = hmac.new(secret.encode(), f"{millis}\n{secret}".encode(), hashlib.sha256).digest()
            sign = urllib.parse.quote_plus(base64.b64encode(mac).decode())
            url += ("&" if "?" in url else "?") + f"timestamp={millis}&sign={sign}"
    else:  # feishu
        payload = {"msg_type": "text", "content": {"text": _robot_text(message)}}
        if secret:
            # Feishu signature: HMAC-SHA256 keyed by "<s timestamp>\n<secret>" over an empty message.
            seconds = str(int(now))
            mac = hmac.new(f"{seconds}\n{secret}".encode(), b"", hashlib.sha256).digest()
            payload["timestamp"] = seconds
            payload["sign"] = base64.b64encode(mac).decode()
    return url, json.dumps(payload, ensure_ascii=False).encode(), headers


def _robot_error(endpoint: WebhookEndpoint, response: httpx.Response) -> str | None:
    """Group robots answer 200 with an error code in the body; generic receivers answer with the status."""
    if endpoint.format == "generic":
        return None
    try:
        body = response.json()
    except ValueError:
        return f"{endpoint.format} robot answered with a non-JSON body"
    code = body.get("errcode", body.get("code", body.get("StatusCode", 0)))
    if code not in (0, "0", None):
        return f"{endpoint.format} robot error {code}: {body.get('errmsg') or body.get('msg')}"
    return None


async def send_webhook(
    endpoint: WebhookEndpoint,
    message: OutgoingMessage,
    *,
    timeout: float,
    on_accepted: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """POST the message in the endpoint's format; any non-2xx or robot error code raises ChannelError."""
    url, body, headers = webhook_request(endpoint, message)
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        # A read timeout may come after the receiver took the request (it deduplicates on Idempotency-Key).
        raise ChannelError(
            f"webhook {_safe_url(url)} unreachable: {exc.__class__.__name__}: {exc}",
            maybe_sent=isinstance(exc, httpx.ReadTimeout | httpx.RemoteProtocolError),
        ) from exc
    if not response.is_success:
        raise ChannelError(f"webhook {_safe_url(url)} answered {response.status_code}: {response.text[:200]}")
    error = _robot_error(endpoint, response)
    if error:
        raise ChannelError(error)
    if on_accepted is not None:
        await on_accepted()


def _safe_url(url: str) -> str:
    """The URL without its query (robot tokens and signatures live there)."""
    return url.split("?", 1)[0]
