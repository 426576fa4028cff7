"""The assignment rule: level, region, load, tie-break and the managers it must skip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from definitions.assignment import Candidate, choose_manager, level_for_tier

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
L1 = "account_manager_l1"
L2 = "account_manager_l2"


def cand(staff_id: int, **fields) -> Candidate:
    fields.setdefault("role", L2)
    fields.setdefault("region", "east")
    fields.setdefault("capacity", 10)
    return Candidate(staff_id=staff_id, **fields)


def choose(candidates, *, tier: int = 2, region: str = "east", **kw) -> int | None:
    return choose_manager(candidates, tier=tier, region=region, now=NOW, **kw)


def test_tier_picks_the_level() -> None:
    people = [cand(1, role=L1), cand(2, role=L2), cand(3, role="director")]
    assert level_for_tier(1) == L1 and level_for_tier(2) == L2
    assert choose(people, tier=1) == 1
    assert choose(people, tier=2) == 2


def test_same_region_beats_lower_load_elsewhere() -> None:
    people = [cand(1, region="west", load=0), cand(2, region="east", load=8)]
    assert choose(people, region="east") == 2
    assert choose(people, region="west") == 1


def test_other_region_when_nobody_local_is_available() -> None:
    people = [cand(1, region="east", load=10), cand(2, region="west", load=9)]
    assert choose(people, region="east") == 2


def test_lowest_load_relative_to_capacity() -> None:
    # 3/10 = 30 % beats 2/4 = 50 % although its absolute load is higher.
    people = [cand(1, load=2, capacity=4), cand(2, load=3, capacity=10)]
    assert choose(people) == 2


def test_equal_ratio_ties_go_to_least_recently_assigned() -> None:
    people = [
        cand(1, load=1, capacity=2, last_assigned_at=NOW - timedelta(days=1)),
        cand(2, load=5, capacity=10, last_assigned_at=NOW - timedelta(days=3)),
        cand(3, load=2, capacity=4, last_assigned_at=NOW - timedelta(days=2)),
    ]
    assert choose(people) == 2


def test_never_assigned_wins_a_tie() -> None:
    people = [cand(1, last_assigned_at=NOW - timedelta(days=30)), cand(2, last_assigned_at=None)]
    assert choose(people) == 2


def test_full_tie_is_reproducible_by_id() -> None:
    assert choose([cand(7), cand(4), cand(9)]) == 4


def test_inactive_is_skipped() -> None:
    assert choose([cand(1, active=False), cand(2, load=9)]) == 2


def test_out_of_office_is_skipped_until_back() -> None:
    away = cand(1, out_of_office_until=NOW + timedelta(hours=1))
    back = cand(1, out_of_office_until=NOW - timedelta(hours=1))
    other = cand(2, load=5)
    assert choose([away, other]) == 2
    assert choose([back, other]) == 1


def test_full_capacity_is_skipped() -> None:
    assert choose([cand(1, load=10, capacity=10), cand(2, load=0, capacity=0), cand(3, load=9)]) == 3


def test_excluded_staff_are_skipped() -> None:
    assert choose([cand(1), cand(2, load=5)], exclude={1}) == 2


@pytest.mark.parametrize(
    "people",
    [
        [],
        [cand(1, active=False)],
        [cand(1, load=10)],
        [cand(1, out_of_office_until=NOW + timedelta(days=1))],
        [cand(1, role=L1)],
    ],
    ids=["empty", "inactive", "full", "out-of-office", "wrong-level"],
)
def test_nobody_available_is_none(people: list[Candidate]) -> None:
    assert choose(people) is None
