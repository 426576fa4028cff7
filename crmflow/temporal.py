"""The one Temporal client factory (pydantic data converter) and the search attributes crmflow uses."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import structlog
from temporalio.client import Client, Interceptor
from temporalio.common import SearchAttributeKey
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.envconfig import ClientConfigProfile, ClientConnectConfig
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from crmflow.request_context import RequestContextInterceptor
from crmflow.settings import Settings, get_settings

# Keyword attributes carry ids and stages only: no personal data goes into visibility.
SA_PROCESS_TYPE = SearchAttributeKey.for_keyword("CrmProcessType")
SA_STAGE = SearchAttributeKey.for_keyword("CrmStage")
SA_CUSTOMER_ID = SearchAttributeKey.for_keyword("CrmCustomerId")
SA_MANAGER_ID = SearchAttributeKey.for_keyword("CrmManagerId")
SA_SEVERITY = SearchAttributeKey.for_keyword("CrmSeverity")
SA_TIER = SearchAttributeKey.for_keyword("CrmTier")
SA_PERIOD = SearchAttributeKey.for_keyword("CrmPeriod")
SA_DEFINITION_VERSION = SearchAttributeKey.for_keyword("CrmDefinitionVersion")

log = structlog.get_logger(__name__)

SEARCH_ATTRIBUTES: tuple[SearchAttributeKey, ...] = (
    SA_PROCESS_TYPE,
    SA_STAGE,
    SA_CUSTOMER_ID,
    SA_MANAGER_ID,
    SA_SEVERITY,
    SA_TIER,
    SA_PERIOD,
    SA_DEFINITION_VERSION,
)


async def connect_temporal(
    settings: Settings | None = None, runtime: Runtime | None = None, *, interceptors: Sequence[Interceptor] = ()
) -> Client:
    """Connect to Temporal with the pydantic data converter used everywhere in crmflow (and `runtime`'s telemetry).

    The request id travels on every call (workers built on this client inherit the interceptors), then any
    extra `interceptors` (tracing).
    """
    settings = settings or get_settings()
    config = temporal_connect_config(settings)
    log.debug(
        "temporal.connect",
        address=config["target_host"],
        namespace=config["namespace"],
        api_key="api_key" in config,
        tls=bool(config.get("tls")),
    )
    return await Client.connect(
        **config,
        data_converter=pydantic_data_converter,
        runtime=runtime,
        interceptors=[RequestContextInterceptor(), *interceptors],
    )


# The SDK's environment configuration (the same variables the `temporal` CLI reads). Any of them switches
# crmflow from the simple CRMFLOW_TEMPORAL_ADDRESS/NAMESPACE path to a profile: Temporal Cloud, mTLS, API keys.
ENVCONFIG_VARIABLES = (
    "TEMPORAL_CONFIG_FILE",
    "TEMPORAL_PROFILE",
    "TEMPORAL_ADDRESS",
    "TEMPORAL_NAMESPACE",
    "TEMPORAL_API_KEY",
    "TEMPORAL_TLS",
)


def uses_envconfig(environ: Mapping[str, str]) -> bool:
    """Whether the environment asks for an SDK environment-configuration profile."""
    return any(environ.get(name) for name in ENVCONFIG_VARIABLES) or any(
        name.startswith(("TEMPORAL_TLS_", "TEMPORAL_GRPC_META_")) and value for name, value in environ.items()
    )


def temporal_connect_config(settings: Settings, environ: Mapping[str, str] | None = None) -> ClientConnectConfig:
    """`Client.connect` arguments: the SDK profile when configured, else CRMFLOW_TEMPORAL_ADDRESS/NAMESPACE."""
    # What a profile leaves out (often the namespace, or everything but an API key) comes from the settings.
    environ = os.environ if environ is None else environ
    config = ClientConnectConfig(target_host=settings.temporal_address, namespace=settings.temporal_namespace)
    if not settings.temporal_envconfig or not uses_envconfig(environ):
        return config
    # A profile file is read only when named (TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE): a developer's own CLI
    # profile in ~/.config/temporalio must not redirect a service that was only given TEMPORAL_API_KEY.
    named_file = bool(environ.get("TEMPORAL_CONFIG_FILE") or environ.get("TEMPORAL_PROFILE"))
    profile = ClientConfigProfile.load(
        profile=environ.get("TEMPORAL_PROFILE") or None, disable_file=not named_file, override_env_vars=dict(environ)
    )
    config.update(profile.to_client_connect_config())
    return config


def metrics_runtime(settings: Settings) -> Runtime | None:
    """A runtime whose SDK metrics (workflow/activity task latencies, slots, polls…) Prometheus can scrape at
    `settings.worker_metrics_address`; None (the default runtime, no endpoint) when the address is empty."""
    if not settings.worker_metrics_address:
        return None
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=settings.worker_metrics_address)))
