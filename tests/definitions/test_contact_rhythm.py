"""The contact rhythm in definitions/reclaim.yaml: strict, consistent with the reclaim, content-hashed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition

RECLAIM = load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)


def with_contact(**contact) -> ReclaimDefinition:
    return ReclaimDefinition.model_validate({**RECLAIM.model_dump(), "contact": contact})


def test_the_packaged_rhythm_and_the_one_clock() -> None:
    assert RECLAIM.contact.every_days == {1: 14, 2: 21} and RECLAIM.contact.remind_days_before == 2
    # Lapse days count from the same clock start: tier 2 is reclaimed 9 days after its next-contact date.
    assert (RECLAIM.lapse_after_contact_days(1), RECLAIM.lapse_after_contact_days(2)) == (46, 9)
    # A tier without a rhythm of its own is due when its reclaim warning would come.
    fallback = with_contact(every_days={1: 14})
    assert fallback.contact_every_days(2) == 30 - 7 and fallback.lapse_after_contact_days(2) == 7


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ({"every_days": {2: 24}}, "fall due after the reclaim warning"),
        ({"every_days": {3: 10}}, "tier 3 has no lapse_days"),
        ({"every_days": {1: 0}}, "at least 1 day"),
        ({"remind_days_before": -1}, "greater than or equal"),
        ({"every_days": {1: 14}, "remind_every": 3}, "Extra inputs"),
    ],
)
def test_inconsistent_rhythms_are_refused(contact: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        with_contact(**contact)


def test_a_changed_rhythm_is_a_new_version(tmp_path: Path) -> None:
    folder = tmp_path / "definitions"
    shutil.copytree(PACKAGED_DEFINITIONS_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / "reclaim.yaml"
    path.write_text(path.read_text().replace("    2: 21", "    2: 20"))
    changed = load_as(folder, ReclaimDefinition)
    assert changed.contact.every_days[2] == 20 and changed.content_hash != RECLAIM.content_hash
