"""Surveys set-based: which customers a wave picks (cadence per tier, once in N days), and scores in tiering."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from temporalio.testing import ActivityEnvironment

from activities.tiering import TieringActivities
from db.models import Complaint, Customer, CustomerContact, Staff, SurveyInvitation
from db.repositories.surveys import select_wave
from definitions.loader import load_definition
from definitions.survey import SurveyDefinition
from definitions.tiering import ScoreInput, TieringDefinition

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)
DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
SURVEY: SurveyDefinition = load_definition(DEFINITIONS, "survey")  # tier 1 every 90 days, tier 2 every 180, N = 60


async def _seed(sessions) -> dict[str, int]:
    """Customers named after the case they test; every one but `no_contact` has a contact address."""
    async with sessions() as session, session.begin():
        owner = Staff(
            name=f"owner-{uuid.uuid4().hex[:6]}", email="o@example.test", role="account_manager_l2", region="east"
        )
        session.add(owner)
        await session.flush()
        rows: dict[str, Customer] = {}

        def customer(key: str, tier: int, **fields) -> None:
            fields.setdefault("owner_id", owner.id)
            rows[key] = Customer(name=f"{key}-{uuid.uuid4().hex[:6]}", region="east", tier=tier, **fields)
            session.add(rows[key])

        customer("never_surveyed", 1)
        customer("tier1_100_days_ago", 1)  # quarterly cadence passed, N-days rule passed → due
        customer("tier2_100_days_ago", 2)  # twice a year: not yet
        customer("tier1_30_days_ago", 1)  # inside the N days
        customer("complaint_since", 2)  # tier 2 surveyed 100 days ago, complaint closed 10 days ago → due
        customer("complaint_too_soon", 2)  # complaint closed, but surveyed 30 days ago → N days win
        customer("no_contact", 1)
        customer("in_pool", 1, owner_id=None, status="pool")
        customer("recovered", 1)  # surveyed 20 days ago, recovery closed, resurvey time passed → due again
        customer("recovering", 1)  # surveyed 20 days ago, resurvey time not yet
        await session.flush()
        ids = {key: row.id for key, row in rows.items()}
        for key, row in rows.items():
            if key != "no_contact":
                session.add(CustomerContact(customer_id=row.id, name="Buyer", email=f"{key}@acme.test", language="en"))

        def surveyed(key: str, days_ago: int, **fields) -> None:
            session.add(
                SurveyInvitation(
                    customer_id=ids[key],
                    wave_id=f"old-{days_ago}",
                    trigger="cadence",
                    workflow_id=f"survey-{ids[key]}-old-{uuid.uuid4().hex[:6]}",
                    owner_id=owner.id,
                    status="answered",
                    created_at=NOW - timedelta(days=days_ago),
                    **fields,
                )
            )

        surveyed("tier1_100_days_ago", 100)
        surveyed("tier2_100_days_ago", 100)
        surveyed("tier1_30_days_ago", 30)
        surveyed("complaint_since", 100)
        surveyed("complaint_too_soon", 30)
        surveyed("recovered", 20, recovery_status="completed", resurvey_after=NOW - timedelta(days=1))
        surveyed("recovering", 20, recovery_status="completed", resurvey_after=NOW + timedelta(days=1))
        for key in ("complaint_since", "complaint_too_soon"):
            session.add(
                Complaint(
                    id=str(uuid.uuid4()),
                    customer_id=ids[key],
                    severity="normal",
                    category="service",
                    description="x",
                    channel="phone",
                    status="closed",
                    closed_at=NOW - timedelta(days=10),
                    created_at=NOW - timedelta(days=15),
                )
            )
    return ids


async def _wave(sessions, wave_id: str, **kwargs) -> dict[int, str]:
    async with sessions() as session, session.begin():
        invitation_ids = await select_wave(session, definition=SURVEY, wave_id=wave_id, now=NOW, **kwargs)
    async with sessions() as session:
        rows = await session.scalars(select(SurveyInvitation).where(SurveyInvitation.id.in_(invitation_ids)))
        return {row.customer_id: row.trigger for row in rows}


async def test_wave_follows_cadence_per_tier_and_once_in_n_days(any_db_sessions) -> None:
    sessions = any_db_sessions
    ids = await _seed(sessions)
    picked = await _wave(sessions, "2026-06-30")
    assert picked == {
        ids["never_surveyed"]: "cadence",
        ids["tier1_100_days_ago"]: "cadence",
        ids["complaint_since"]: "complaint",
        ids["recovered"]: "cadence",
    }
    # The same wave again (a retried activity) inserts nothing new and answers the same invitations.
    assert await _wave(sessions, "2026-06-30") == picked
    # Another wave the same day finds everyone surveyed just now: nobody is asked twice within N days.
    assert await _wave(sessions, "2026-06-30-again") == {}
    async with sessions() as session:
        rows = list(await session.scalars(select(SurveyInvitation).where(SurveyInvitation.wave_id == "2026-06-30")))
    assert {row.workflow_id for row in rows} == {f"survey-{row.customer_id}-2026-06-30" for row in rows}
    assert {(row.status, row.language, row.definition_hash) for row in rows} == {("pending", "en", SURVEY.content_hash)}


async def test_hand_picked_wave_skips_cadence_but_not_the_n_days_rule(any_db_sessions) -> None:
    sessions = any_db_sessions
    ids = await _seed(sessions)
    asked = [ids[k] for k in ("tier2_100_days_ago", "tier1_30_days_ago", "no_contact", "in_pool", "recovering")]
    assert await _wave(sessions, "manual-1", customer_ids=asked, trigger="manual") == {
        ids["tier2_100_days_ago"]: "manual"
    }


async def _scores(sessions, definition: TieringDefinition) -> dict[int, float]:
    await ActivityEnvironment().run(
        TieringActivities(sessions).score,
        ScoreInput(cycle_id=f"c-{uuid.uuid4().hex[:6]}", as_of=date(2026, 6, 30), definition=definition),
    )
    async with sessions() as session:
        return dict((await session.execute(select(Customer.id, Customer.score))).all())


async def test_survey_scores_change_the_tier_score(any_db_sessions) -> None:
    sessions = any_db_sessions
    async with sessions() as session, session.begin():
        happy, unhappy, rated_both = (
            Customer(name=f"{k}-{uuid.uuid4().hex[:6]}", region="east", tier=2) for k in ("happy", "unhappy", "both")
        )
        session.add_all([happy, unhappy, rated_both])
        await session.flush()

        def answered(customer: Customer, csat: int, days_ago: int = 10) -> None:
            session.add(
                SurveyInvitation(
                    customer_id=customer.id,
                    wave_id=f"w-{uuid.uuid4().hex[:6]}",
                    trigger="cadence",
                    workflow_id=f"survey-{uuid.uuid4().hex}",
                    status="answered",
                    csat=csat,
                    score=(csat - 1) / 4,
                    answered_at=NOW - timedelta(days=days_ago),
                    created_at=NOW - timedelta(days=days_ago + 1),
                )
            )

        answered(happy, 5)
        answered(unhappy, 1)
        answered(unhappy, 5, days_ago=400)  # outside the scoring window: does not count
        answered(rated_both, 5)
        session.add(
            Complaint(
                id=str(uuid.uuid4()),
                customer_id=rated_both.id,
                severity="low",
                category="service",
                description="x",
                channel="phone",
                satisfaction=2,
                created_at=NOW - timedelta(days=5),
            )
        )
    base: TieringDefinition = load_definition(DEFINITIONS, "tiering")
    assert base.weights.survey_share == 0.5
    with_surveys = await _scores(sessions, base)
    without = await _scores(
        sessions,
        TieringDefinition.model_validate(
            {**base.model_dump(), "weights": {**base.weights.model_dump(), "survey_share": 0}}
        ),
    )
    # No transactions: the score is the satisfaction factor × 0.2 (minus the complaint penalty 0.5/10 × 0.3).
    penalty = 0.3 * 0.5 / 10
    assert without[happy.id] == pytest.approx(0.2 * 0.5) and without[unhappy.id] == pytest.approx(0.2 * 0.5)
    assert with_surveys[happy.id] == pytest.approx(0.2 * 1.0)  # CSAT 5 → 1
    assert with_surveys[unhappy.id] == pytest.approx(0.0)  # CSAT 1 → 0 (the 400-day-old 5 is outside the window)
    assert without[rated_both.id] == pytest.approx(0.2 * 0.25 - penalty)  # complaint rating 2 → 0.25
    assert with_surveys[rated_both.id] == pytest.approx(0.2 * (0.5 * 0.25 + 0.5 * 1.0) - penalty)


async def test_survey_metrics_in_the_kpi_catalogue(any_db_sessions) -> None:
    from db.repositories.kpis import CATALOGUE, KpiWindow, Unit, compute_metrics, compute_team_metrics

    sessions = any_db_sessions
    start = datetime(2026, 4, 1, tzinfo=UTC)
    async with sessions() as session, session.begin():
        a, b = (
            Staff(
                name=f"{k}-{uuid.uuid4().hex[:6]}", email=f"{k}@example.test", role="account_manager_l2", region="east"
            )
            for k in "ab"
        )
        session.add_all([a, b])
        await session.flush()
        customer = Customer(name=f"kpi-{uuid.uuid4().hex[:6]}", region="east", tier=2, owner_id=a.id)
        session.add(customer)
        await session.flush()

        def survey(
            owner: Staff,
            invited_days: int,
            csat: int | None = None,
            nps: int | None = None,
            answered_days: int | None = None,
        ) -> None:
            session.add(
                SurveyInvitation(
                    customer_id=customer.id,
                    wave_id=f"w-{uuid.uuid4().hex[:6]}",
                    trigger="cadence",
                    workflow_id=f"survey-{uuid.uuid4().hex}",
                    owner_id=owner.id,
                    status="answered" if csat is not None else "invited",
                    csat=csat,
                    nps=nps,
                    invited_at=start + timedelta(days=invited_days),
                    answered_at=start + timedelta(days=answered_days) if answered_days is not None else None,
                )
            )

        survey(a, 1, csat=2, nps=10, answered_days=2)
        survey(a, 3, csat=4, nps=3, answered_days=4)
        survey(a, 5)  # not answered (yet)
        survey(a, -30, csat=1, nps=0, answered_days=-29)  # before the period
        survey(b, 10, csat=5, nps=9, answered_days=11)
    window = KpiWindow.between(start, start + timedelta(days=90))
    keys = ["survey_csat", "survey_nps", "survey_response_rate"]
    async with sessions() as session:
        mine = await compute_metrics(session, keys, [a.id], window)
        team = await compute_team_metrics(session, keys, {"team": [a.id, b.id]}, window)
    assert {k: v.value for k, v in mine[a.id].items()} == {
        "survey_csat": 3.0,
        "survey_nps": 0.0,
        "survey_response_rate": 0.6667,
    }
    assert {k: v.value for k, v in team["team"].items()} == {
        "survey_csat": 3.67,
        "survey_nps": 33.33,
        "survey_response_rate": 0.75,
    }
    assert CATALOGUE["survey_nps"].unit == Unit.NPS and CATALOGUE["survey_nps"].info.check_target(-20) is None
    assert CATALOGUE["survey_nps"].info.check_target(120) and CATALOGUE["survey_csat"].info.check_target(6)
    # The /surveys page's months read the same catalogue: sent by invitation month, scores by answer month.
    from db.repositories.surveys import team_figures

    async with sessions() as session:
        monthly, total = await team_figures(
            session, owner_ids=[a.id, b.id], months=3, timezone="UTC", now=start + timedelta(days=60)
        )
    assert [(f.period, f.invited, f.answered, f.response_rate, f.csat, f.nps) for f in monthly] == [
        ("2026-03", 1, 1, 1.0, 1.0, -100.0),
        ("2026-04", 4, 3, 0.75, 3.67, 33.33),
    ]
    assert (total.invited, total.answered, total.csat) == (5, 4, 3.0)
