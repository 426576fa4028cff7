"""The process registry: every registered process is complete — worker, definition, schedule, timeline, history."""

from __future__ import annotations

from collections import Counter

from crmflow.history import safe_fields
from crmflow.registry import all_activity_classes, all_workflows, process_specs, scheduled_runs
from crmflow.schedules import schedule_context
from crmflow.settings import PACKAGED_DEFINITIONS_DIR, Settings
from db.repositories.timeline import kind_for
from definitions.loader import load_all, models
from worker import activity_methods


def test_every_process_is_registered_once_with_workflows_and_a_definition() -> None:
    specs = process_specs()
    assert {spec.name for spec in specs} >= {"complaint", "onboarding", "reclaim", "review", "tiering"}
    names = Counter(cls.__name__ for cls in all_workflows())
    assert all(count == 1 for count in names.values()), names
    types = Counter(t for spec in specs for t in spec.types)
    assert all(count == 1 for count in types.values()), types
    for spec in specs:
        assert spec.workflows, spec.name
        assert spec.definition is not None and models()[spec.name] is spec.definition


def test_every_registered_definition_ships_and_loads() -> None:
    loaded = load_all(PACKAGED_DEFINITIONS_DIR)
    for spec in process_specs():
        assert isinstance(loaded[spec.name], spec.definition)


def test_every_activity_class_contributes_activities_with_unique_names() -> None:
    names = Counter()
    for cls in all_activity_classes():
        methods = activity_methods(cls(None))
        assert methods, f"{cls.__name__} has no @activity.defn method"
        names.update(method.__temporal_activity_definition.name for method in methods)  # type: ignore[attr-defined]
    assert all(count == 1 for count in names.values()), names


def test_every_schedule_builds_an_input_for_its_own_workflow() -> None:
    settings = Settings(definitions_dir=PACKAGED_DEFINITIONS_DIR)
    context = schedule_context(settings)
    runs = scheduled_runs()
    assert len({run.schedule_id for _, run in runs}) == len(runs)
    for spec, run in runs:
        assert run.workflow in spec.workflows
        built = run.build_input(context.definitions[spec.name], context)
        # The input is the workflow's own contract, carrying the pinned definition.
        assert built.definition == context.definitions[spec.name]
        assert run.process_type in ("", *spec.types)


def test_every_process_names_its_timeline_kinds_and_history_fields() -> None:
    for spec in process_specs():
        assert spec.timeline_kinds, spec.name
        for kind in spec.timeline_kinds:
            assert kind_for(f"{kind}.something_happened") == kind
        for action in spec.timeline_actions:
            assert kind_for(action) == spec.timeline_kinds[0]
        assert spec.history_fields <= safe_fields()
    assert kind_for("task.decided") == "task"
    assert kind_for("customer.follow_up_recorded") == "follow_up"
    assert kind_for("nobody.claims_this") == "audit"
