"""The definition loader: every registered definition loads; broken files are reported with file, line, message."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from definitions.complaint import ComplaintDefinition, deadline_after
from definitions.loader import (
    models,
    DefinitionError,
    check_directory,
    load_all,
    load_as,
    load_definition,
)

# A complete, valid complaint definition; tests break one line at a time (line numbers matter).
COMPLAINT = """\
process: complaint
version: 3
clock: wall
sla:
  critical: {respond: 1h, resolve: 8h}
  high:
    respond: 4h
    resolve: 1d
  normal: {respond: 8h, resolve: 3d}
  low: {respond: 1d, resolve: 5d}
warning_fractions: [0.5, 0.75]
escalation:
  notify_director_for: [critical]
  max_level: 5
confirmation_window: 3d
compensation_approval:
  - {above: 1000, approver: supervisor}
  - {above: 10000, approver: director}
"""


def write(directory: Path, text: str, name: str = "complaint.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(directory: Path) -> list[tuple[str, int | None, str]]:
    _, issues = check_directory(directory, require_all=False)
    return [(issue.path.name, issue.line, issue.message) for issue in issues]


def test_every_packaged_definition_loads_and_every_registered_process_has_one() -> None:
    loaded, issues = check_directory(PACKAGED_DEFINITIONS_DIR)
    assert issues == []
    assert set(loaded) == set(models())
    for process, definition in loaded.items():
        assert definition.process == process
        assert definition.version >= 1 and len(definition.content_hash) == 16


def test_snapshots_survive_the_json_round_trip_of_the_data_converter() -> None:
    # The workflow input carries the definition; the pydantic converter must give back an equal model.
    for definition in load_all(PACKAGED_DEFINITIONS_DIR).values():
        assert type(definition).model_validate_json(definition.model_dump_json()) == definition


def test_valid_file_loads_with_version_and_content_hash(tmp_path: Path) -> None:
    write(tmp_path, COMPLAINT)
    definition = load_as(tmp_path, ComplaintDefinition)
    assert definition.version == 3
    assert definition.sla["high"].resolve == timedelta(days=1)
    first_hash = definition.content_hash
    write(tmp_path, COMPLAINT.replace("max_level: 5", "max_level: 4"))
    changed = load_definition(tmp_path, "complaint")
    assert changed.content_hash != first_hash and changed.version == 3
    assert load_all(tmp_path, require_all=False)["complaint"] == changed


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("    respond: 4h\n", "    respnd: 4h\n", 7, "unknown key 'sla.high.respnd' (did you mean 'respond'?)"),
        ("    resolve: 1d\n", "    resolve: soon\n", 8, "sla.high.resolve: 'soon' is not a duration"),
        ("  high:\n    respond: 4h\n", "  high:\n    respond: 2d\n", 6, "respond must not be longer than resolve"),
        ("clock: wall", "clock: sometimes", 3, "clock: should be 'wall' or 'business'"),
        ("[0.5, 0.75]", "[0.75, 0.5]", 11, "warning_fractions must be strictly ascending"),
        ("  max_level: 5", "  max_level: 0", 14, "escalation.max_level: should be greater than or equal to 1"),
        ("confirmation_window: 3d\n", "", 1, "missing required key 'confirmation_window'"),
        (
            "  - {above: 10000, approver: director}",
            "  - {above: 100, approver: director}",
            16,
            "compensation_approval thresholds must be strictly ascending",
        ),
        (
            "  - {above: 10000, approver: director}",
            "  - {above: 10000, approver: ceo}",
            18,
            "compensation_approval.1.approver: should be 'supervisor' or 'director'",
        ),
        ("  low: {respond: 1d, resolve: 5d}\n", "", 4, "sla is missing severities: low"),
        ("version: 3", "version: 0", 2, "version: should be greater than or equal to 1"),
        ("clock: wall", "clock: business", 3, "clock: business needs a calendar"),
        ("max_level: 5\n", "max_level: 5\n  max_level: 6\n", 15, "duplicate key 'max_level' (first at line 14)"),
        ("process: complaint", "process: review", 1, "process: should be 'complaint'"),
    ],
)
def test_broken_definitions_name_the_line_and_the_problem(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in COMPLAINT
    write(tmp_path, COMPLAINT.replace(old, new, 1))
    found = problems(tmp_path)
    assert any(name == "complaint.yaml" and at == line and message in text for name, at, text in found), found


def test_all_problems_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    broken = COMPLAINT.replace("respond: 4h", "respond: 4x").replace("max_level: 5", "max_level: 5\n  colour: red")
    write(tmp_path, broken)
    with pytest.raises(DefinitionError) as raised:
        load_definition(tmp_path, "complaint")
    rendered = str(raised.value).splitlines()
    assert rendered[0].startswith(f"{tmp_path / 'complaint.yaml'}:7: sla.high.respond: ")
    assert (
        rendered[1] == f"{tmp_path / 'complaint.yaml'}:15: unknown key 'escalation.colour' "
        "(allowed: notify_director_for, max_level, remind_top_every)"
    )


def test_yaml_syntax_errors_have_a_line(tmp_path: Path) -> None:
    write(tmp_path, COMPLAINT.replace("  normal: {respond: 8h, resolve: 3d}", "  normal: {respond: 8h, resolve: 3d"))
    ((name, line, message),) = problems(tmp_path)
    assert name == "complaint.yaml" and line is not None and 9 <= line <= 10
    assert message.startswith("not valid YAML")


def test_odd_files_and_missing_definitions_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "process: holiday\nversion: 1\n", name="holiday.yaml")
    write(tmp_path, "", name="complaint.yaml")
    write(tmp_path, "- a list\n", name=f"{sorted(models())[-1]}.yaml")
    _, issues = check_directory(tmp_path)
    text = "\n".join(str(issue) for issue in issues)
    assert "holiday.yaml:1: no process named 'holiday' is registered" in text
    assert "complaint.yaml:1: the file is empty" in text
    assert "a definition must be a mapping" in text
    missing = set(models()) - {"complaint", sorted(models())[-1]}
    for process in missing:
        assert f"{process}.yaml: missing: no definition for the registered process '{process}'" in text
    with pytest.raises(DefinitionError):
        load_all(tmp_path)


def test_business_clock_uses_the_calendar_block(tmp_path: Path) -> None:
    calendar = (
        "clock: business\n"
        "calendar:\n"
        "  timezone: Asia/Shanghai\n"
        "  working_hours: '09:00-18:00'\n"
        "  weekdays: [mon, tue, wed, thu, fri]\n"
        "  holidays_country: CN\n"
        "  holiday_years: [2026, 2027]\n"
        "  working_days: [2026-11-28]\n"
    )
    write(tmp_path, COMPLAINT.replace("clock: wall\n", calendar))
    definition = load_as(tmp_path, ComplaintDefinition)
    shanghai = ZoneInfo("Asia/Shanghai")
    friday_evening = datetime(2026, 11, 27, 17, 0, tzinfo=shanghai)
    # Saturday 11-28 is an extra working day in this definition; 2h from Fri 17:00 is Sat 10:00.
    assert deadline_after(friday_evening, timedelta(hours=2), definition) == datetime(
        2026, 11, 28, 10, 0, tzinfo=shanghai
    )
    # the snapshot carries the resolved CN holidays
    assert definition.calendar is not None and datetime(2026, 10, 1).date() in definition.calendar.resolved_holidays

    wall = load_as(PACKAGED_DEFINITIONS_DIR, ComplaintDefinition).model_copy(update={"clock": "wall"})
    assert deadline_after(friday_evening, timedelta(hours=2), wall) == friday_evening + timedelta(hours=2)


def test_calendar_errors_point_into_the_calendar_block(tmp_path: Path) -> None:
    calendar = "clock: business\ncalendar:\n  timezone: Asia/Shanghai\n  working_hours: '18:00-09:00'\n"
    write(tmp_path, COMPLAINT.replace("clock: wall\n", calendar))
    ((_, line, message),) = problems(tmp_path)
    assert line == 6
    assert "calendar.working_hours" in message and "must end after it starts" in message
