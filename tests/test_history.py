"""The readable timeline (crmflow/history.py), rendered from the recorded histories under tests/histories."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter

from crmflow.history import TimelineEntry, format_duration, render_timeline

HISTORIES = Path(__file__).parent / "histories"


async def _timeline(workflow_type: str) -> list[TimelineEntry]:
    path = HISTORIES / f"{workflow_type}.json"  # a type's base history, or a variant's: "<type>.<variant>"
    history = WorkflowHistory.from_json(workflow_type, path.read_text(encoding="utf-8"))
    return await render_timeline(history, pydantic_data_converter)


async def test_escalations_are_labelled_with_level_and_new_holder() -> None:
    entries = await _timeline("ComplaintWorkflow.before-perf")
    escalations = [e.what for e in entries if e.kind == "escalation" and "completed" in e.what]
    assert len(escalations) == 1
    assert escalations[0].startswith("escalation complaint.escalate completed (level 1, now with staff ")
    assert any(e.kind == "timer" and e.what.startswith("timer fired (") for e in entries)
    assert entries[-1].what == "workflow completed" and entries[-1].details["escalation_level"] == 1


async def test_review_decisions_show_the_supervisor_and_the_verdict_not_the_comment() -> None:
    entries = await _timeline("AccountReviewWorkflow.before-perf")
    verdicts = [
        (e.details["task_key"], e.actor, e.details.get("approved"), e.details.get("rating"))
        for e in entries
        if e.what == "update task.complete accepted"
    ]
    supervisor = verdicts[1][1]
    assert supervisor.startswith("manager:staff:") and verdicts[0][1] != supervisor
    assert [(key, approved) for key, _, approved, _ in verdicts] == [
        ("self-assessment-1", None),
        ("approval-1", False),
        ("self-assessment-2", None),
        ("approval-2", True),
    ]
    assert verdicts[3][3] == 4
    assert "add the revenue figures" not in "".join(e.model_dump_json() for e in entries)


async def test_decisions_show_who_decided_and_what() -> None:
    entries = await _timeline("TierChangeWorkflow")
    decided = next(e for e in entries if e.what == "update task.decide accepted")
    assert decided.actor.startswith("director:staff:")
    assert (decided.details["decision"], decided.details["task_key"]) == ("approve", "approval")
    assert any(e.kind == "stage" and e.what == "stage → applied" for e in entries)


async def test_updates_pair_with_their_completion_and_free_text_stays_out() -> None:
    entries = await _timeline("ComplaintWorkflow.before-perf")
    updates = [(e.what, e.actor) for e in entries if e.kind == "update"]
    assert ("update acknowledge completed", "manager:staff:1") in updates
    assert not any("?" in what for what, _ in updates)
    rendered = "".join(e.model_dump_json() for e in entries)
    assert "wrong invoice" not in rendered and "refunded" not in rendered  # description, resolution
    assert [e.event_id for e in entries] == sorted(e.event_id for e in entries)


def test_durations_read_compactly() -> None:
    assert format_duration(timedelta(days=1, hours=2)) == "1d2h"
    assert format_duration(timedelta(minutes=30)) == "30m"
    assert format_duration(timedelta(0)) == "0s"


async def test_a_process_started_in_its_first_stage_shows_it_on_the_start() -> None:
    entries = await _timeline("ComplaintWorkflow.slim")
    assert entries[0].what == "workflow ComplaintWorkflow started" and entries[0].details["stage"] == "open"
    assert not [e for e in entries if e.what.startswith("stage → open")]  # no upsert repeats it
