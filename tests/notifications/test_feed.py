"""The in-app feed (mine only, unread first, kinds, cursor, unread count, read / read-all) and preferences."""

from __future__ import annotations

from db.repositories.audit import record_notification


async def _notes(sessions, staff_id: int, kinds: list[str]) -> list[int]:
    async with sessions() as session, session.begin():
        rows = [
            record_notification(
                session,
                recipient_id=staff_id,
                kind=kind,
                subject=f"About {kind}",
                entity_type="customer",
                entity_id="1",
            )
            for kind in kinds
        ]
    return [r.id for r in rows]


async def test_feed_unread_first_with_count_kinds_cursor_and_read_all(stack, factory, sessions) -> None:
    org = await factory.org()
    http = stack.http
    ids = await _notes(
        sessions,
        org.l2.id,
        ["task.reminder", "complaint.sla_warning", "task.assigned", "complaint.reopened", "task.delegated"],
    )
    await _notes(sessions, org.l1.id, ["task.reminder"])

    feed = (await http.get("/v1/notifications", headers=org.headers("l2"))).json()
    assert feed["unread"] == 5 and [n["id"] for n in feed["items"]] == ids[::-1]
    assert feed["items"][0]["link"] == "https://crm.example.test/customers/1"

    # Reading one moves it behind the unread ones; the count follows.
    read = await http.post(f"/v1/notifications/{ids[-1]}/read", headers=org.headers("l2"))
    assert read.status_code == 200 and read.json()["read_at"] is not None
    again = await http.post(f"/v1/notifications/{ids[-1]}/read", headers=org.headers("l2"))
    assert again.json()["read_at"] == read.json()["read_at"]  # idempotent
    feed = (await http.get("/v1/notifications", headers=org.headers("l2"))).json()
    assert feed["unread"] == 4 and [n["id"] for n in feed["items"]] == [*ids[-2::-1], ids[-1]]

    # Cursor pages walk the same order without gaps or repeats.
    seen, cursor = [], None
    while True:
        page = (
            await http.get(
                "/v1/notifications",
                params={"limit": 2, **({"cursor": cursor} if cursor else {})},
                headers=org.headers("l2"),
            )
        ).json()
        seen += [n["id"] for n in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [*ids[-2::-1], ids[-1]]
    bad = await http.get("/v1/notifications", params={"cursor": "not-a-cursor"}, headers=org.headers("l2"))
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"

    complaint_kinds = await http.get("/v1/notifications", params={"kind": "complaint"}, headers=org.headers("l2"))
    assert {n["kind"] for n in complaint_kinds.json()["items"]} == {"complaint.sla_warning", "complaint.reopened"}
    exact = (
        await http.get("/v1/notifications", params={"kind": "task.reminder", "unread": True}, headers=org.headers("l2"))
    ).json()
    assert [n["id"] for n in exact["items"]] == [ids[0]]

    marked = await http.post("/v1/notifications/read-all", headers=org.headers("l2"))
    assert marked.json() == {"marked": 4, "unread": 0}
    # Someone else's feed is untouched.
    assert (await http.get("/v1/notifications", headers=org.headers("l1"))).json()["unread"] == 1


async def test_nobody_reads_or_marks_another_persons_notification(stack, factory, sessions) -> None:
    org = await factory.org()
    [mine] = await _notes(sessions, org.l2.id, ["task.assigned"])
    for who in ("l1", "director"):  # not even their supervisors
        for method, path in (("get", f"/v1/notifications/{mine}"), ("post", f"/v1/notifications/{mine}/read")):
            denied = await getattr(stack.http, method)(path, headers=org.headers(who))
            assert denied.status_code == 403, (who, path)
            assert denied.json()["error"]["message"] == "only its recipient may read or mark a notification"
        assert (await stack.http.get("/v1/notifications", headers=org.headers(who))).json()["items"] == []
    for who in ("admin", "ops"):  # principals without a staff member have no feed
        assert (await stack.http.get("/v1/notifications", headers=org.headers(who))).status_code == 403
        assert (await stack.http.post(f"/v1/notifications/{mine}/read", headers=org.headers(who))).status_code == 403
    assert (await stack.http.get("/v1/notifications/999999", headers=org.headers("l2"))).status_code == 404
    assert (await stack.http.get("/v1/notifications", headers={})).status_code == 401
    after = (await stack.http.get("/v1/notifications", headers=org.headers("l2"))).json()
    assert after["unread"] == 1


async def test_preferences_for_the_person_and_for_admin(stack, factory) -> None:
    org = await factory.org()
    http = stack.http
    mine = (await http.get("/v1/me/preferences", headers=org.headers("l2"))).json()
    assert mine["language"] == "zh-CN" and mine["timezone"] == "Asia/Shanghai" and mine["quiet_hours"] is None
    assert mine["effective_channels"]["complaint.sla_warning"] == ["in_app", "email"]
    assert "complaint.escalated" in mine["never_held"] and mine["available_endpoints"] == ["team"]

    document = {
        "language": "en",
        "timezone": "Europe/Berlin",
        "channels": {"task.reminder": ["in_app"]},
        "quiet_hours": {"start": "22:00", "end": "07:30"},
        "webhook": {"url": "https://qyapi.example.test/robot?key=k", "format": "wecom"},
    }
    put = await http.put("/v1/me/preferences", json=document, headers=org.headers("l2"))
    assert put.status_code == 200, put.text
    body = put.json()
    assert (body["language"], body["timezone"], body["quiet_hours"]) == (
        "en",
        "Europe/Berlin",
        {"start": "22:00", "end": "07:30"},
    )
    assert body["effective_channels"]["task.reminder"] == ["in_app"]
    assert body["webhook"] == {"url": "https://qyapi.example.test/robot?key=k", "format": "wecom"}

    for bad, message in (
        ({"timezone": "Mars/Olympus"}, "unknown timezone"),
        ({"quiet_hours": {"start": "25:00", "end": "07:00"}}, "not a time of day"),
        ({"channels": {"task.reminder": ["pigeon"]}}, "channels.task.reminder.0"),
        ({"webhook_endpoint": "nope"}, "unknown webhook endpoint"),
        ({"colour": "red"}, "colour"),
    ):
        refused = await http.put("/v1/me/preferences", json=bad, headers=org.headers("l2"))
        assert refused.status_code == 422 and message in refused.text, (bad, refused.text)
    assert (await http.get("/v1/me/preferences", headers=org.headers("l2"))).json()["timezone"] == "Europe/Berlin"

    # Admin sets another person's; nobody else may.
    by_admin = await http.put(
        f"/v1/staff/{org.l1.id}/preferences", json={"language": "en"}, headers=org.headers("admin")
    )
    assert by_admin.status_code == 200 and by_admin.json()["language"] == "en"
    assert (await http.get(f"/v1/staff/{org.l1.id}/preferences", headers=org.headers("admin"))).json()[
        "language"
    ] == "en"
    for who in ("director", "l2", "ops"):
        denied = await http.put(f"/v1/staff/{org.l1.id}/preferences", json={}, headers=org.headers(who))
        assert denied.status_code == 403
    assert (await http.get("/v1/staff/999999/preferences", headers=org.headers("admin"))).status_code == 404
    assert (await http.get("/v1/me/preferences", headers=org.headers("ops"))).status_code == 403
