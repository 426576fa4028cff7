"""Report and award pages over HTTP: the subtree, CSV exports with the session, and the same denials as the API."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlalchemy import select

from db.models import Task

from tests.web.conftest import World, csrf_of, sign_in, wait_for
from tests.web.reports_data import fill_quarter


@pytest.fixture(scope="module")
async def period(world: World) -> str:
    return await fill_quarter(world)


@asynccontextmanager
async def signed_in(world: World, who: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=world.base_url, timeout=60, headers={"Accept-Language": "en"}) as client:
        await sign_in(client, world[who])
        yield client


async def test_every_report_page_shows_only_the_viewers_subtree(world: World, period: str) -> None:
    async with signed_in(world, "director") as director, signed_in(world, "director2") as other:
        for section in ("attainment", "trends", "sla", "satisfaction", "reclaimed", "overdue"):
            page = await director.get(f"/reports/{section}")
            assert page.status_code == 200, (section, page.text[:300])
            assert "Other Manager" not in page.text, section
            assert "data-chart=" in page.text or section in ("reclaimed",) or "report-empty" in page.text
        attainment = (await director.get("/reports/attainment")).text
        assert "Li Lei L1" in attainment and "Han Mei L2" in attainment and 'id="chart-attainment-people"' in attainment
        mine = (await other.get("/reports/attainment")).text
        assert "Other Manager" in mine and "Li Lei L1" not in mine
        overdue = (await other.get("/reports/overdue")).text
        assert "Other Manager" in overdue and "Han Mei L2" not in overdue


async def test_csv_exports_through_the_session(world: World, period: str) -> None:
    async with signed_in(world, "director") as director:
        exported = await director.get("/reports/sla.csv", params={"period": period})
        assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        by = {(r["dimension"], r["value"]): r for r in rows}
        assert by[("severity", "critical")]["complaints"] == "1"  # l1's only: m2's is another team's
        assert by[("severity", "high")]["complaints"] == "2" and by[("severity", "high")]["sla_compliance"] == "0.0"
        overdue = list(csv.DictReader(io.StringIO((await director.get("/reports/overdue.csv")).text)))
        assert sorted(r["name"] for r in overdue) == ["Han Mei L2", "Li Lei L1"]


async def test_denials_match_the_api(world: World, period: str) -> None:
    async with signed_in(world, "service") as service:
        assert (await service.get("/reports/attainment")).status_code == 403
        assert (await service.get("/reports/overdue.csv")).status_code == 403
        assert (await service.get("/awards")).status_code == 403
    async with signed_in(world, "ops") as ops:
        assert (await ops.get("/reports/nope")).status_code == 404
        assert (await ops.get("/reports/attainment", params={"period": "2026Q7"})).status_code == 422
        assert (await ops.get("/reports/trends", params={"months": "99"})).status_code == 422
        awards = (await ops.get("/awards")).text
        assert "Other Manager" in awards and "Han Mei L2" in awards
    async with httpx.AsyncClient(base_url=world.base_url) as anonymous:
        assert (await anonymous.get("/reports/attainment")).status_code == 303


async def test_an_award_line_by_line_and_its_appeal_only_by_its_manager(world: World, period: str) -> None:
    async with signed_in(world, "m2") as m2, signed_in(world, "director2") as director2, signed_in(world, "l2") as l2:
        listing = (await m2.get("/awards")).text
        award_path = listing.split('href="/awards/')[1].split('"')[0]
        page = await m2.get(f"/awards/{award_path}")
        assert page.status_code == 200 and 'id="award-lines"' in page.text and "New customers" in page.text
        assert (await l2.get(f"/awards/{award_path}")).status_code == 404  # a sibling team's award
        boss = await director2.get(f"/awards/{award_path}")
        assert boss.status_code == 200 and 'id="appeal-form"' not in boss.text
        refused = await director2.post(
            f"/awards/{award_path}/appeal", data={"reason": "not mine to appeal", "csrf_token": csrf_of(boss.text)}
        )
        assert refused.status_code == 403
        no_token = await m2.post(f"/awards/{award_path}/appeal", data={"reason": "forgot the token"})
        assert no_token.status_code == 403
        filed = await m2.post(
            f"/awards/{award_path}/appeal",
            data={
                "reason": "the billing complaint was resolved early",
                "requested_points": "50",
                "csrf_token": csrf_of(page.text),
            },
            follow_redirects=True,
        )
        assert filed.status_code == 200 and 'id="appeal-status"' in filed.text and "Pending" in filed.text


async def test_the_director_decides_an_appeal_from_the_inbox(world: World, period: str) -> None:
    async with signed_in(world, "l2") as l2, signed_in(world, "director") as director:
        listing = (await l2.get("/awards")).text
        award_path = listing.split('id="my-awards"')[1].split('href="/awards/')[1].split('"')[0]
        page = await l2.get(f"/awards/{award_path}")
        filed = await l2.post(
            f"/awards/{award_path}/appeal",
            follow_redirects=True,
            data={"reason": "the late response was a system outage", "csrf_token": csrf_of(page.text)},
        )
        assert "Pending" in filed.text

        async def appeal_task():
            async with world.sessions() as session:
                return await session.scalar(
                    select(Task).where(
                        Task.process_type == "approval",
                        Task.status == "open",
                        Task.assignee_id == world["director"].staff.id,
                    )
                )

        task = await wait_for(appeal_task, what="the appeal in the director's inbox")
        inbox = (await director.get("/inbox")).text
        assert f"/tasks/{task.id}" in inbox
        task_page = await director.get(f"/tasks/{task.id}")
        decided = await director.post(
            f"/tasks/{task.id}/decision",
            data={"decision": "approve", "comment": "outage confirmed", "csrf_token": csrf_of(task_page.text)},
        )
        assert decided.status_code == 303

        async def approved():
            text = (await l2.get(f"/awards/{award_path}")).text
            return "Approved" in text.split('id="appeal-status"')[1] if 'id="appeal-status"' in text else False

        await wait_for(approved, what="the appeal approved on the award page")


async def test_ops_compute_a_period_from_the_awards_page_and_managers_may_not(world: World, period: str) -> None:
    async with signed_in(world, "ops") as ops, signed_in(world, "l1") as l1:
        page = await ops.get("/awards")
        assert 'id="compute-awards"' in page.text
        bad = await ops.post("/awards/compute", data={"period": "2025Q9", "csrf_token": csrf_of(page.text)})
        assert bad.status_code == 422
        started = await ops.post("/awards/compute", data={"period": "2025Q1", "csrf_token": csrf_of(page.text)})
        assert started.status_code == 303

        async def computed():
            text = (await ops.get("/awards")).text
            return text.count('">2025Q1</a>') == 3  # l1, l2 and m2

        await wait_for(computed, what="the 2025Q1 awards")
        mine = await l1.get("/awards")
        assert 'id="compute-awards"' not in mine.text
        refused = await l1.post("/awards/compute", data={"period": "2025Q2", "csrf_token": csrf_of(mine.text)})
        assert refused.status_code == 403


async def test_a_report_page_narrows_to_one_subtree(world: World, period: str) -> None:
    l2 = world["l2"].staff.id
    async with signed_in(world, "director") as director, signed_in(world, "director2") as other:
        page = await director.get("/reports/overdue", params={"staff_id": l2})
        assert page.status_code == 200 and 'id="narrowed"' in page.text
        table = page.text.split('id="report-table"')[1]
        assert "Han Mei L2" in table and "Li Lei L1" not in table
        csv_text = (await director.get("/reports/overdue.csv", params={"staff_id": l2})).text
        assert "Han Mei L2" in csv_text and "Li Lei L1" not in csv_text
        assert (await other.get("/reports/overdue", params={"staff_id": l2})).status_code == 404


async def test_a_long_report_pages_its_table_and_keeps_the_filters(world: World, period: str) -> None:
    async with signed_in(world, "director") as director:
        first = await director.get("/reports/attainment", params={"period": period, "limit": 3})
        assert first.status_code == 200 and 'id="report-pager"' in first.text and 'rel="prev"' not in first.text
        assert f"period={period}" in first.text.split('rel="next"')[0].rsplit("href=", 1)[1]
        second = await director.get("/reports/attainment", params={"period": period, "limit": 3, "offset": 3})
        assert 'rel="prev"' in second.text and "Rows 4–6 of" in second.text
        rows_of = lambda page: page.text.split('id="report-table"')[1].split("</table>")[0]  # noqa: E731
        assert rows_of(first) != rows_of(second)
        exported = await director.get("/reports/attainment.csv", params={"period": period, "limit": 3})
        total = int(second.text.split("Rows 4–6 of ")[1].split("<")[0].split()[0].replace(",", ""))
        assert len(list(csv.DictReader(io.StringIO(exported.text)))) == total
