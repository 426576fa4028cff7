"""Set-based tier scoring on a seeded data set whose scores are computed by hand below."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from temporalio.testing import ActivityEnvironment

from activities.tiering import TieringActivities
from db.models import Complaint, Customer, TierProposal, Transaction, utcnow
from definitions.loader import load_definition
from definitions.tiering import ScoreInput, TieringDefinition

AS_OF = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)  # complaints are dated from here; cooldowns from the real clock
DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"

# The packaged definition: weights recency .25, frequency .25, monetary .3, satisfaction .2, complaints .3;
# caps 12 transactions, 1 000 000 value, 10 weighted complaints; neutral satisfaction 3 → 0.5;
# severity weights critical 4, high 2; tier 1 at 0.6, hysteresis 0.05 (up at 0.65, down below 0.55).
STAR = 0.25 * (1 - 10 / 365) + 0.25 * 1 + 0.3 * 1 + 0.2 * 0.5  # 12 × 100 000, last 10 days ago
QUIET = 0.2 * 0.5  # nothing in the window: only the neutral satisfaction counts
MIDDLE_HIGH = 0.25 * (1 - 73 / 365) + 0.25 * (6 / 12) + 0.3 * 0.6 + 0.2 * 0.5  # 0.605: inside the band
MIDDLE_LOW = 0.25 * (1 - 73 / 365) + 0.25 * (6 / 12) + 0.3 * 0.5 + 0.2 * 0.5  # 0.575: inside the band
# STAR's transactions, but critical + critical + high (4+4+2 = 10 → full penalty) rated 1 and 2 (avg 1.5).
COMPLAINED = 0.25 * (1 - 10 / 365) + 0.25 + 0.3 + 0.2 * ((1.5 - 1) / 4) - 0.3 * 1


def definition(**changes) -> TieringDefinition:
    base = load_definition(DEFINITIONS, "tiering")
    return TieringDefinition.model_validate({**base.model_dump(), **changes})


async def _seed(sessions) -> dict[str, int]:
    """Customers named after what they test; returns name → id."""
    ids: dict[str, int] = {}
    async with sessions() as session, session.begin():

        def customer(key: str, tier: int, **fields) -> Customer:
            row = Customer(name=f"{key}-{uuid.uuid4().hex[:6]}", region="east", tier=tier, **fields)
            session.add(row)
            return row

        rows = {
            "star": customer("star", 2),
            "quiet": customer("quiet", 1),
            "middle_high": customer("middle_high", 2),
            "middle_low": customer("middle_low", 1),
            "cooling": customer("cooling", 2, tier_cooldown_until=utcnow() + timedelta(days=30)),
            "complained": customer("complained", 1),
            "old_news": customer("old_news", 2),
            "in_pool": customer("in_pool", 2, status="pool"),
            "in_flight": customer("in_flight", 2),
        }
        await session.flush()
        ids = {key: row.id for key, row in rows.items()}

        def deals(key: str, count: int, amount: int, days_ago: int) -> None:
            for _ in range(count):
                session.add(
                    Transaction(
                        customer_id=ids[key], amount=Decimal(amount), occurred_on=AS_OF - timedelta(days=days_ago)
                    )
                )

        for key in ("star", "cooling", "complained", "in_pool", "in_flight"):
            deals(key, 12, 100_000, 10)
        deals("middle_high", 5, 100_000, 100)
        deals("middle_high", 1, 100_000, 73)
        deals("middle_low", 4, 100_000, 120)
        deals("middle_low", 2, 50_000, 73)
        deals("old_news", 12, 500_000, 366)  # the day before the window
        deals("old_news", 1, 500_000, -1)  # after as_of

        def complaint(key: str, severity: str, satisfaction: int | None, days_ago: int) -> None:
            session.add(
                Complaint(
                    id=str(uuid.uuid4()),
                    customer_id=ids[key],
                    severity=severity,
                    category="service",
                    description="x",
                    channel="phone",
                    satisfaction=satisfaction,
                    created_at=NOW - timedelta(days=days_ago),
                )
            )

        complaint("complained", "critical", 1, 20)
        complaint("complained", "critical", 2, 40)
        complaint("complained", "high", None, 60)
        complaint("old_news", "critical", 1, 400)
        session.add(
            TierProposal(
                cycle_id="earlier",
                customer_id=ids["in_flight"],
                from_tier=2,
                to_tier=1,
                score=0.9,
                status="pending",
                workflow_id="tier-change-x-earlier",
            )
        )
    return ids


async def _score(sessions, data: ScoreInput, env: ActivityEnvironment | None = None):
    env = env or ActivityEnvironment()
    return await env.run(TieringActivities(sessions).score, data)


async def _proposals(sessions, cycle_id: str) -> dict[int, tuple[int, int]]:
    async with sessions() as session:
        rows = await session.execute(
            select(TierProposal.customer_id, TierProposal.from_tier, TierProposal.to_tier).where(
                TierProposal.cycle_id == cycle_id
            )
        )
        return {r[0]: (r[1], r[2]) for r in rows}


async def test_scores_and_proposals_match_the_hand_computed_tiers(any_db_sessions) -> None:
    sessions = any_db_sessions
    ids = await _seed(sessions)
    result = await _score(sessions, ScoreInput(cycle_id="2026-06", as_of=AS_OF, definition=definition(chunk_size=2)))

    assert result.scored == 9
    assert result.chunks == 5  # nine consecutive ids in chunks of two
    async with sessions() as session:
        scores = dict((await session.execute(select(Customer.id, Customer.score))).all())
    expected = {
        "star": STAR,
        "quiet": QUIET,
        "middle_high": MIDDLE_HIGH,
        "middle_low": MIDDLE_LOW,
        "cooling": STAR,
        "complained": COMPLAINED,
        "old_news": QUIET,
        "in_pool": STAR,
        "in_flight": STAR,
    }
    for key, score in expected.items():
        assert scores[ids[key]] == pytest.approx(score, abs=1e-9), key

    # star moves up (0.893 ≥ 0.65), quiet down (0.1 < 0.55), complained down (0.518 < 0.55);
    # middle_* stay inside the hysteresis band, cooling is in cooldown, in_pool is not held,
    # in_flight already has a tier change running.
    assert await _proposals(sessions, "2026-06") == {
        ids["star"]: (2, 1),
        ids["quiet"]: (1, 2),
        ids["complained"]: (1, 2),
    }
    assert result.proposals == 3


async def test_a_rerun_and_a_resumed_attempt_write_no_duplicates(sessions) -> None:
    ids = await _seed(sessions)
    data = ScoreInput(cycle_id="2026-06", as_of=AS_OF, definition=definition(chunk_size=3))
    beats: list[object] = []
    env = ActivityEnvironment()
    env.on_heartbeat = lambda *details: beats.extend(details)
    await _score(sessions, data, env)
    first_id = min(ids.values())
    assert beats == [first_id + 3, first_id + 6, first_id + 9]  # the next id range after each committed chunk

    # A retry after the second chunk committed resumes at the third and stores nothing twice.
    resumed = ActivityEnvironment()
    resumed.info = dataclasses.replace(resumed.info, heartbeat_details=[first_id + 6])
    result = await _score(sessions, data, resumed)
    assert result.chunks == 1
    assert result.proposals == 3
    assert len(await _proposals(sessions, "2026-06")) == 3


async def test_hysteresis_band_decides_at_the_edges(sessions) -> None:
    ids = await _seed(sessions)
    # Without the band the middle customers would move: 0.605 ≥ 0.6 up, 0.575 < 0.6 down.
    result = await _score(sessions, ScoreInput(cycle_id="no-band", as_of=AS_OF, definition=definition(hysteresis=0)))
    proposals = await _proposals(sessions, "no-band")
    assert proposals[ids["middle_high"]] == (2, 1)
    assert proposals[ids["middle_low"]] == (1, 2)
    assert result.proposals == 5


async def test_cooldown_ends_and_the_customer_is_proposed_again(sessions) -> None:
    ids = await _seed(sessions)
    async with sessions() as session, session.begin():
        (await session.get(Customer, ids["cooling"])).tier_cooldown_until = utcnow() - timedelta(seconds=1)
    await _score(sessions, ScoreInput(cycle_id="after-cooldown", as_of=AS_OF, definition=definition()))
    assert (await _proposals(sessions, "after-cooldown"))[ids["cooling"]] == (2, 1)


async def test_one_customer_evaluation(sessions) -> None:
    ids = await _seed(sessions)
    result = await _score(
        sessions, ScoreInput(cycle_id="manual-1", as_of=AS_OF, definition=definition(), customer_id=ids["cooling"])
    )
    evaluation = result.evaluation
    assert evaluation is not None and evaluation.score == pytest.approx(STAR)
    assert (evaluation.current_tier, evaluation.target_tier, evaluation.proposed) == (2, 1, False)
    assert evaluation.cooldown_until is not None
    assert await _proposals(sessions, "manual-1") == {}  # only this customer was looked at, and it cools down

    result = await _score(
        sessions, ScoreInput(cycle_id="manual-2", as_of=AS_OF, definition=definition(), customer_id=ids["star"])
    )
    assert result.evaluation.proposed and await _proposals(sessions, "manual-2") == {ids["star"]: (2, 1)}


async def test_a_second_pass_rewrites_no_unchanged_score_and_proposes_again_in_a_new_cycle(any_db_sessions) -> None:
    sessions = any_db_sessions
    ids = await _seed(sessions)
    data = ScoreInput(cycle_id="2026-06", as_of=AS_OF, definition=definition(chunk_size=4))
    await _score(sessions, data)
    async with sessions() as session:
        first = dict((await session.execute(select(Customer.id, Customer.updated_at))).all())

    again = await _score(sessions, data.model_copy(update={"cycle_id": "2026-06-again"}))
    async with sessions() as session:
        assert dict((await session.execute(select(Customer.id, Customer.updated_at))).all()) == first
    assert again.scored == 9
    # The first cycle's proposals are not in flight (nothing started them), so the same customers are proposed.
    assert await _proposals(sessions, "2026-06-again") == await _proposals(sessions, "2026-06")
    assert set(await _proposals(sessions, "2026-06")) == {ids["star"], ids["quiet"], ids["complained"]}
