"""Settings read from the environment (prefix CRMFLOW_), never at import time."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGED_DEFINITIONS_DIR = Path(__file__).resolve().parent.parent / "definitions"


def async_database_url(url: str) -> str:
    """Map a plain sqlite/postgresql URL to the async driver crmflow uses."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sync_database_url(url: str) -> str:
    """Map any accepted URL to the synchronous driver (migrations, bulk import)."""
    url = async_database_url(url)
    return url.replace("sqlite+aiosqlite://", "sqlite://")


WebhookFormat = Literal["generic", "wecom", "dingtalk", "feishu"]


class WebhookEndpoint(BaseModel):
    """A chat webhook: a generic JSON receiver (HMAC-signed) or a WeCom / DingTalk / Feishu group robot."""

    url: str
    format: WebhookFormat = "generic"
    # generic: the HMAC-SHA256 key; dingtalk / feishu: the robot's signing secret ("加签"); wecom: unused.
    secret: SecretStr | None = None


class Settings(BaseSettings):
    """Process-wide configuration."""

    model_config = SettingsConfigDict(env_prefix="CRMFLOW_", extra="ignore")

    database_url: str = "sqlite:///./var/crmflow.db"
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    # Read the SDK's environment configuration (TEMPORAL_ADDRESS, TEMPORAL_API_KEY, a TOML profile…) when present;
    # `crmflow dev` turns it off, since it always talks to the dev server it starts.
    temporal_envconfig: bool = True
    task_queue: str = "crmflow"
    temporal_ui_port: int = 8233
    # The longest the API waits on Temporal to start a process or deliver an update (then 202 or 503).
    temporal_deadline_seconds: float = 5.0  # the dev server's Web UI (crmflow dev)
    definitions_dir: Path = PACKAGED_DEFINITIONS_DIR
    timezone: str = "Asia/Shanghai"
    log_level: str = "INFO"
    log_json: bool = True
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    max_body_bytes: int = 1_000_000  # larger request bodies get 413
    # On SIGTERM the API finishes its requests and the worker its activities for at most this long.
    shutdown_grace_seconds: float = 20.0
    var_dir: Path = Path("./var")
    schedules_sync_on_start: bool = True
    # Where the worker serves the Temporal SDK's Prometheus metrics (host:port); empty disables them.
    worker_metrics_address: str = "127.0.0.1:9464"
    # Workflow runs the worker keeps in memory (an evicted one is replayed from its history when it next acts):
    # bounds the worker's RSS however many processes are open (bench/README.md, "open processes").
    worker_max_cached_workflows: int = 500
    # Signs the web session cookie; empty: a random key kept in var_dir/web-secret (created once, 0600).
    web_secret: str = ""
    web_session_hours: int = 12
    web_cookie_secure: bool = False  # set true behind HTTPS
    # Where the Temporal Web UI answers, for links from the process page (empty: http://127.0.0.1:<ui port>).
    temporal_ui_url: str = ""
    # `crmflow dev`'s local SMTP sink (127.0.0.1): what it receives lands as .eml files in <var_dir>/mailbox.
    dev_smtp_port: int = 1025
    # OpenTelemetry traces are off unless the standard OTLP endpoint variable is set (no CRMFLOW_ prefix).
    otlp_endpoint: str | None = Field(
        default=None, validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
    )
    # Notifications (§3.7). False keeps them in the outbox and the in-app feed but starts no delivery
    # (a staging copy of real data that must not mail real people; the time-skipping test server).
    notifications_deliver: bool = True
    # Links in emails and chat messages point at pages under this URL.
    public_url: str = "http://127.0.0.1:8000"
    # Email over SMTP; an empty host turns the email channel off.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_security: Literal["none", "starttls", "tls"] = "none"  # tls = implicit TLS (port 465)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "crmflow <crmflow@localhost>"
    smtp_timeout: float = 15.0
    smtp_validate_certs: bool = True
    # Named chat webhooks (JSON: {"team": {"url": ..., "format": "wecom", "secret": ...}}); staff pick one
    # in their preferences or set their own URL; `webhook_default` is used for everyone else ("" = none).
    webhook_endpoints: dict[str, WebhookEndpoint] = {}
    webhook_default: str = ""
    # Signs the generic webhooks staff set up themselves (named endpoints carry their own secret).
    webhook_secret: SecretStr | None = None
    webhook_timeout: float = 10.0

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("CRMFLOW_DATABASE_URL must be a sqlite:/// or postgresql:// URL")
        return value

    @property
    def async_database_url(self) -> str:
        return async_database_url(self.database_url)

    @property
    def sync_database_url(self) -> str:
        return sync_database_url(self.database_url)

    @property
    def mailbox_dir(self) -> Path:
        """Where `crmflow dev`'s SMTP sink stores the messages it receives."""
        return self.var_dir / "mailbox"


@lru_cache
def get_settings() -> Settings:
    """The settings of this process (cached; tests clear the cache)."""
    return Settings()
