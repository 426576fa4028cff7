"""One registry of processes: each module in workflows/ declares a `SPEC`; every list of processes derives from them.

The worker (workflows, activities), the definitions loader (models), the schedules, the process search
(types), the process state (query), the customer timeline (kinds) and the history (safe fields) read
`process_specs()`; adding a process means adding its own modules, never editing a list elsewhere.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from temporalio.client import ScheduleOverlapPolicy

if TYPE_CHECKING:
    from definitions.base import DefinitionMeta

STATE_QUERY = "status"  # the query every crmflow workflow answers with its state


@dataclass(frozen=True)
class ScheduleContext:
    """What a schedule's input builder may use: the company's time zone and every definition that loaded."""

    timezone: str
    definitions: Mapping[str, DefinitionMeta]


@dataclass(frozen=True)
class ScheduledRun:
    """A Temporal Schedule a process asks for; its definition's `schedule` rule says when."""

    schedule_id: str
    workflow: type
    workflow_id: str  # the server appends the scheduled time to it for every run
    overlap: ScheduleOverlapPolicy
    build_input: Callable[[Any, ScheduleContext], Any]  # (the process's definition, context) → workflow input
    description: str
    process_type: str = ""  # CrmProcessType of the scheduled run (default: the process name)
    rule: str = "schedule"  # the definition's field holding this run's ScheduleRule


@dataclass(frozen=True)
class ProcessSpec:
    """Everything the platform needs to know about one process, declared beside its workflows."""

    name: str  # the process name; also its definition file `<name>.yaml`
    workflows: tuple[type, ...]  # @workflow.defn classes; each registers under its class name
    activities: tuple[type, ...] = ()  # classes whose @activity.defn methods the worker binds to a session factory
    definition: type[DefinitionMeta] | None = None
    process_types: tuple[str, ...] = ()  # CrmProcessType values its runs carry (default: the name)
    schedules: tuple[ScheduledRun, ...] = ()
    state_query: str = STATE_QUERY
    timeline_kinds: tuple[str, ...] = ()  # audit action prefixes that are this process's timeline kinds
    timeline_actions: frozenset[str] = field(default_factory=frozenset)  # other actions shown as its first kind
    history_fields: frozenset[str] = field(default_factory=frozenset)  # input fields safe to show in a history

    @property
    def types(self) -> tuple[str, ...]:
        return self.process_types or (self.name,)

    @property
    def workflow_types(self) -> tuple[str, ...]:
        return tuple(cls.__name__ for cls in self.workflows)


@cache
def process_specs() -> tuple[ProcessSpec, ...]:
    """Every process: the `SPEC` of each module of the workflows package, in module-name order."""
    import workflows

    specs = []
    for module_info in sorted(pkgutil.iter_modules(workflows.__path__), key=lambda m: m.name):
        spec = getattr(importlib.import_module(f"workflows.{module_info.name}"), "SPEC", None)
        if isinstance(spec, ProcessSpec):
            specs.append(spec)
    return tuple(specs)


def spec_named(name: str) -> ProcessSpec | None:
    return next((spec for spec in process_specs() if spec.name == name), None)


def all_workflows() -> list[type]:
    return [cls for spec in process_specs() for cls in spec.workflows]


def all_activity_classes() -> list[type]:
    """Each activities class once (the shared task activities serve several processes)."""
    return list(dict.fromkeys(cls for spec in process_specs() for cls in spec.activities))


def definition_models() -> dict[str, type[DefinitionMeta]]:
    return {spec.name: spec.definition for spec in process_specs() if spec.definition is not None}


def process_types() -> tuple[str, ...]:
    return tuple(t for spec in process_specs() for t in spec.types)


def scheduled_runs() -> tuple[tuple[ProcessSpec, ScheduledRun], ...]:
    return tuple((spec, run) for spec in process_specs() for run in spec.schedules)


def spec_for_workflow_type(workflow_type: str) -> ProcessSpec | None:
    return next((spec for spec in process_specs() if workflow_type in spec.workflow_types), None)
