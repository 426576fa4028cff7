"""The survey definition: what it refuses (with the line of the key), and how answers are checked against it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from definitions.loader import DefinitionError, load_as, parse_definition
from definitions.survey import SurveyDefinition, check_answers

SURVEY = load_as(PACKAGED_DEFINITIONS_DIR, SurveyDefinition)
TEXT = (PACKAGED_DEFINITIONS_DIR / "survey.yaml").read_text(encoding="utf-8")


def test_packaged_definition_loads_hashes_and_round_trips() -> None:
    assert SURVEY.version == 1 and len(SURVEY.content_hash) == 16
    assert SURVEY.cadence.every_days == {1: 90, 2: 180} and SURVEY.min_days_between == 60
    assert SURVEY.questions[0].text.text("zh-CN").startswith("您对") and SURVEY.questions[0].text.text("en")
    # Snapshots travel through the data converter as JSON (field names, not the `zh-CN` alias) and come back equal.
    assert SurveyDefinition.model_validate_json(SURVEY.model_dump_json()) == SURVEY


def _changed(change) -> str:
    document = yaml.safe_load(TEXT)
    change(document)
    return yaml.safe_dump(document, allow_unicode=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"].pop(0), "exactly one CSAT"),
        (lambda d: d["questions"].append(dict(d["questions"][1])), "keys must be unique"),
        (lambda d: d["questions"][2].update(choices=[]), "at least two choices"),
        (
            lambda d: d["questions"][3].update(choices=[{"value": "a", "label": {"zh-CN": "甲", "en": "A"}}]),
            "only choice questions",
        ),
        (lambda d: d["questions"][0]["text"].pop("zh-CN"), "zh-CN"),
        (lambda d: d["questions"][0].update(kind="stars"), "csat"),
        (lambda d: d.update(reminders_after=["8d"]), "before the survey expires"),
        (lambda d: d["recovery"].update(reminders_before=["3d"]), "inside the recovery SLA"),
        (lambda d: d["cadence"].update(every_days={}), "at least one tier"),
        (lambda d: d.update(min_days_between=0), "greater than or equal"),
        (lambda d: d.update(surprise=1), "surprise"),
    ],
)
def test_bad_definitions_are_refused_with_a_reason(change, message) -> None:
    with pytest.raises(DefinitionError) as raised:
        parse_definition(_changed(change), Path("survey.yaml"))
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("answers", "problems"),
    [
        ({"csat": 5, "nps": 10}, {}),
        ({"csat": "4", "nps": "0", "channel": "visit", "comment": " fine "}, {}),
        ({"nps": 3}, {"csat": "required"}),
        ({"csat": 6, "nps": 3}, {"csat": "a whole number from 1 to 5"}),
        ({"csat": "05", "nps": 3}, {"csat": "a whole number from 1 to 5"}),
        ({"csat": "4.0", "nps": 3}, {"csat": "a whole number from 1 to 5"}),
        ({"csat": True, "nps": 3}, {"csat": "a whole number from 1 to 5"}),
        ({"csat": 3, "nps": 11}, {"nps": "a whole number from 0 to 10"}),
        ({"csat": 3, "nps": 5, "channel": "pigeon"}, {"channel": "not one of the choices"}),
        ({"csat": 3, "nps": 5, "comment": "x" * 2001}, {"comment": "at most 2000 characters"}),
        ({"csat": 3, "nps": 5, "comment": "nul\x00"}, {"comment": "must not contain NUL characters"}),
        ({"csat": 3, "nps": 5, "extra": "?"}, {"extra": "unknown question"}),
    ],
)
def test_answers_are_checked_against_the_questions(answers, problems) -> None:
    clean, found = check_answers(SURVEY, answers)
    assert found == problems
    if not problems:
        assert clean["csat"] == int(answers["csat"]) and "comment" not in clean or clean["comment"] == "fine"


def test_recovery_threshold() -> None:
    assert SURVEY.needs_recovery(2, 9) and SURVEY.needs_recovery(4, 6) and not SURVEY.needs_recovery(3, 7)
