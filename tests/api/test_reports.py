"""Reports over HTTP: every section within the viewer's subtree (sibling teams see nothing of each other), CSV."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import Factory
from tests.incentives.dataset import PERIOD, Quarter, build_quarter


@pytest.fixture
async def quarter(factory: Factory) -> Quarter:
    return await build_quarter(factory)


async def report(api, quarter: Quarter, who: str, section: str, **params) -> dict:
    response = await api.get(f"/v1/reports/{section}", params=params, headers=quarter.headers(who))
    assert response.status_code == 200, response.text
    return response.json()


async def test_attainment_by_person_and_team_stays_in_the_subtree(api, quarter: Quarter) -> None:
    q = quarter
    body = await report(api, q, "director_a", "attainment", period=PERIOD)
    assert body["scope"] == "subtree" and body["period"] == PERIOD
    people = {(r["staff_id"], r["metric"]): r for r in body["rows"] if r["level"] == "person"}
    assert {staff for staff, _ in people} == {q.a1.id, q.a2.id}
    assert people[(q.a1.id, "new_customers")]["actual"] == 3
    assert people[(q.a1.id, "new_customers")]["attainment"] == round(3 / 20, 4)  # the packaged default target
    assert people[(q.a2.id, "revenue")]["actual"] == 900.0
    teams = {(r["team_id"], r["metric"]): r for r in body["rows"] if r["level"] == "team"}
    assert {team for team, _ in teams} == {q.director_a.id}
    assert teams[(q.director_a.id, "new_customers")]["actual"] == 4  # 3 + 1
    assert teams[(q.director_a.id, "new_customers")]["target"] == 40  # two people × 20
    assert teams[(q.director_a.id, "avg_satisfaction")]["actual"] == 4.0  # (5 + 4 + 3) / 3, pooled

    sibling = await report(api, q, "director_b", "attainment", period=PERIOD)
    assert {r["staff_id"] for r in sibling["rows"] if r["level"] == "person"} == {q.b1.id}
    assert {r["team_id"] for r in sibling["rows"]} == {q.director_b.id}
    own = await report(api, q, "a1", "attainment", period=PERIOD)
    assert {r["staff_id"] for r in own["rows"] if r["level"] == "person"} == {q.a1.id}
    everyone = await report(api, q, "ops", "attainment", period=PERIOD)
    assert everyone["scope"] == "all"
    assert {r["staff_id"] for r in everyone["rows"] if r["level"] == "person"} == {q.a1.id, q.a2.id, q.b1.id}


async def test_sla_by_severity_and_category(api, quarter: Quarter) -> None:
    q = quarter
    body = await report(api, q, "director_a", "sla", period=PERIOD)
    rows = {(r["dimension"], r["value"]): r for r in body["rows"]}
    assert rows[("severity", "critical")] == {
        "dimension": "severity",
        "value": "critical",
        "complaints": 2,
        "sla_response": 0.5,
        "sla_resolution": 1.0,
        "sla_compliance": 0.5,
    }
    assert (
        rows[("severity", "minor")]["sla_compliance"] == 1.0 and rows[("severity", "minor")]["sla_resolution"] is None
    )
    assert rows[("category", "billing")]["sla_compliance"] == 1.0
    assert rows[("category", "delivery")]["complaints"] == 2 and rows[("category", "delivery")]["sla_compliance"] == 0.5
    assert (await report(api, q, "director_b", "sla", period=PERIOD))["rows"] == []
    mine = await report(api, q, "a2", "sla", period=PERIOD)
    assert {(r["dimension"], r["value"], r["complaints"]) for r in mine["rows"]} == {
        ("severity", "critical", 1),
        ("category", "delivery", 1),
    }


async def test_trends_and_satisfaction_month_by_month(api, quarter: Quarter) -> None:
    q = quarter
    trends = await report(api, q, "director_a", "trends", months=24)
    assert len(trends["months"]) == 24
    figures = {(r["month"], r["metric"]): r["value"] for r in trends["rows"]}
    assert figures[("2025-08", "new_customers")] == 4 and figures[("2025-07", "revenue")] == 600.0
    assert figures[("2025-09", "revenue")] == 400.0
    sibling = await report(api, q, "director_b", "trends", months=24)
    assert {r["value"] for r in sibling["rows"] if r["metric"] in ("new_customers", "revenue")} == {0}
    satisfaction = {r["month"]: r for r in (await report(api, q, "director_a", "satisfaction", months=24))["rows"]}
    assert (satisfaction["2025-08"]["avg_satisfaction"], satisfaction["2025-08"]["scores"]) == (4.0, 2)
    assert (satisfaction["2025-09"]["avg_satisfaction"], satisfaction["2025-09"]["scores"]) == (4.0, 1)
    assert satisfaction["2025-06"]["avg_satisfaction"] is None
    b = await report(api, q, "director_b", "satisfaction", months=24)
    assert {r["scores"] for r in b["rows"]} == {0}


async def test_reclaimed_and_overdue_per_person(api, quarter: Quarter) -> None:
    q = quarter
    reclaimed = await report(api, q, "director_b", "reclaimed", period=PERIOD)
    assert [(r["staff_id"], r["customers_reclaimed"]) for r in reclaimed["rows"]] == [(q.b1.id, 1)]
    a = await report(api, q, "director_a", "reclaimed", period=PERIOD)
    assert {(r["staff_id"], r["customers_reclaimed"]) for r in a["rows"]} == {(q.a1.id, 0), (q.a2.id, 0)}
    overdue = await report(api, q, "director_a", "overdue")
    assert [(r["staff_id"], r["overdue_tasks"], r["escalated"]) for r in overdue["rows"]] == [(q.a1.id, 2, 1)]
    assert [r["staff_id"] for r in (await report(api, q, "director_b", "overdue"))["rows"]] == [q.b1.id]
    assert (await report(api, q, "a2", "overdue"))["rows"] == []
    assert {r["staff_id"] for r in (await report(api, q, "admin", "overdue"))["rows"]} == {q.a1.id, q.b1.id}


async def test_csv_export_matches_the_section(api, quarter: Quarter) -> None:
    q = quarter
    response = await api.get("/v1/reports/reclaimed.csv", params={"period": PERIOD}, headers=q.headers("director_b"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="reclaimed-{PERIOD}.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows == [["staff_id", "name", "customers_reclaimed", "customers_held"], [str(q.b1.id), "Bella", "1", "0"]]
    sla = await api.get("/v1/reports/sla.csv", params={"period": PERIOD}, headers=q.headers("director_a"))
    lines = list(csv.DictReader(io.StringIO(sla.text)))
    assert {
        "dimension": "severity",
        "value": "minor",
        "complaints": "1",
        "sla_response": "1.0",
        "sla_resolution": "",
        "sla_compliance": "1.0",
    } in lines
    for section in ("attainment", "trends", "satisfaction", "overdue"):
        exported = await api.get(f"/v1/reports/{section}.csv", headers=q.headers("director_b"))
        assert exported.status_code == 200, section
        header = next(csv.reader(io.StringIO(exported.text)))
        assert header == (await report(api, q, "director_b", section))["columns"]
        assert str(q.a1.id) not in [row[0] for row in csv.reader(io.StringIO(exported.text))][1:] or section in (
            "trends",
            "satisfaction",
        )
    assert (await api.get("/v1/reports/nope.csv", headers=q.headers("ops"))).status_code == 404


async def test_roles_and_bad_input_are_refused(api, quarter: Quarter) -> None:
    q = quarter
    for section in ("attainment", "trends", "sla", "satisfaction", "reclaimed", "overdue"):
        assert (await api.get(f"/v1/reports/{section}", headers=q.headers("service"))).status_code == 403
        assert (await api.get(f"/v1/reports/{section}")).status_code == 401
        assert (await api.get(f"/v1/reports/{section}.csv", headers=q.headers("service"))).status_code == 403
    assert (
        await api.get("/v1/reports/attainment", params={"period": "2025Q5"}, headers=q.headers("ops"))
    ).status_code == 422
    assert (await api.get("/v1/reports/trends", params={"months": 0}, headers=q.headers("ops"))).status_code == 422
    assert (await api.get("/v1/reports/trends", params={"months": 25}, headers=q.headers("ops"))).status_code == 422


async def test_a_report_narrows_to_one_subtree_within_the_viewers(api, quarter: Quarter) -> None:
    q = quarter
    narrowed = await report(api, q, "director_a", "attainment", period=PERIOD, staff_id=q.a1.id)
    assert narrowed["scope"] == "subtree" and narrowed["staff_id"] == q.a1.id
    assert {r["staff_id"] for r in narrowed["rows"] if r["level"] == "person"} == {q.a1.id}
    ops = await report(api, q, "ops", "overdue", staff_id=q.director_b.id)
    assert [r["staff_id"] for r in ops["rows"]] == [q.b1.id] and ops["scope"] == "subtree"
    for who, staff_id in (("director_b", q.a1.id), ("a1", q.a2.id), ("a2", q.director_a.id)):
        hidden = await api.get(
            "/v1/reports/sla", params={"period": PERIOD, "staff_id": staff_id}, headers=q.headers(who)
        )
        assert hidden.status_code == 404, who
    exported = await api.get(
        "/v1/reports/reclaimed.csv", params={"period": PERIOD, "staff_id": q.a2.id}, headers=q.headers("director_a")
    )
    assert [row.split(",")[0] for row in exported.text.splitlines()[1:]] == [str(q.a2.id)]


async def test_a_section_pages_its_rows_and_the_csv_has_them_all(api, quarter: Quarter) -> None:
    q = quarter
    whole = await report(api, q, "ops", "attainment", period=PERIOD)
    assert whole["total"] == len(whole["rows"]) > 4 and whole["offset"] == 0 and whole["limit"] == 200
    pages = [await report(api, q, "ops", "attainment", period=PERIOD, limit=4, offset=start) for start in (0, 4, 8)]
    assert [page["total"] for page in pages] == [whole["total"]] * 3
    assert [row for page in pages for row in page["rows"]][: whole["total"]] == whole["rows"][:12]
    assert all(len(page["rows"]) <= 4 for page in pages)
    beyond = await report(api, q, "ops", "attainment", period=PERIOD, offset=whole["total"])
    assert beyond["rows"] == [] and beyond["total"] == whole["total"]
    exported = await api.get(
        "/v1/reports/attainment.csv", params={"period": PERIOD, "limit": 1}, headers=q.headers("ops")
    )
    assert len(list(csv.DictReader(io.StringIO(exported.text)))) == whole["total"]
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}):
        refused = await api.get("/v1/reports/overdue", params=bad, headers=q.headers("ops"))
        assert refused.status_code == 422, bad
