"""The one Temporal client factory (pydantic data converter) and the search attributes crmflow uses."""

from __future__ import annotations

from collections.abc import Sequence

from temporalio.client import Client, Interceptor
from temporalio.common import SearchAttributeKey
from temporalio.contrib.pydantic import pydantic_data_converter
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
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        runtime=runtime,
        interceptors=[RequestContextInterceptor(), *interceptors],
    )


def metrics_runtime(settings: Settings) -> Runtime | None:
    """A runtime whose SDK metrics (workflow/activity task latencies, slots, polls…) Prometheus can scrape at
    `settings.worker_metrics_address`; None (the default runtime, no endpoint) when the address is empty."""
    if not settings.worker_metrics_address:
        return None
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=settings.worker_metrics_address)))
