"""Pages over real HTTP: sign-in, sessions, CSRF, role denials, escaping, languages, headers, /docs offline."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
from babel.messages.pofile import read_po
from sqlalchemy import select

from db.models import FollowUp, LoginAttempt, Notification, NotificationDelivery, StaffRole, Task
from tests.web.conftest import PASSWORD, Person, World, _person, _staff, csrf_of, principal, sign_in, wait_for
from web.i18n import TRANSLATIONS_DIR, I18n, extract_messages, negotiate, zone
from web.security import hash_password

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def client(world: World, **kwargs) -> httpx.AsyncClient:
    """A cookie-keeping HTTP client that prefers English pages."""
    return httpx.AsyncClient(base_url=world.base_url, timeout=30, headers={"Accept-Language": "en"}, **kwargs)


async def test_root_and_home_pages_by_role(world: World) -> None:
    async with client(world) as anonymous:
        root = await anonymous.get("/")
        assert root.status_code == 303 and root.headers["location"] == "/signin"
        page = await anonymous.get("/inbox")
        assert page.status_code == 303 and page.headers["location"] == "/signin?next=/inbox"
    for who, home in (
        ("l2", "/inbox"),
        ("director", "/inbox"),
        ("ops", "/ops/processes"),
        ("service", "/customers/new"),
    ):
        async with client(world) as browser:
            signed = await sign_in(browser, world[who])
            assert signed.status_code == 303 and signed.headers["location"] == home, (who, signed.text[:300])
            assert (await browser.get("/")).headers["location"] == home


async def test_session_cookie_is_httponly_samesite_and_signout_revokes_it(world: World) -> None:
    async with client(world) as browser:
        signed = await sign_in(browser, world["l1"])
        cookie = signed.headers["set-cookie"]
        assert "crmflow_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        stolen = browser.cookies["crmflow_session"]
        inbox = await browser.get("/inbox")
        assert inbox.status_code == 200
        out = await browser.post("/signout", data={"csrf_token": csrf_of(inbox.text)})
        assert out.status_code == 303 and out.headers["location"] == "/signin"
    async with client(world, cookies={"crmflow_session": stolen}) as replay:
        # The row is revoked: the old cookie is worth nothing.
        assert (await replay.get("/inbox")).status_code == 303
    async with client(world, cookies={"crmflow_session": stolen[:-2] + "xx"}) as forged:
        assert (await forged.get("/inbox")).status_code == 303


async def test_wrong_passwords_lock_the_email_for_a_while(world: World) -> None:
    staff = await _staff(
        world.sessions, StaffRole.ACCOUNT_MANAGER_L2, "Locked Out", "locked@web.test", world["l1"].staff, "east"
    )
    person = await _person(
        world.sessions, hash_password(PASSWORD), role="manager", email="locked@web.test", staff=staff
    )
    async with client(world) as browser:
        for _ in range(4):
            wrong = await sign_in(browser, person, password="not the password")
            assert wrong.status_code == 401 and "Wrong email or password" in wrong.text
        fifth = await sign_in(browser, person, password="still wrong")
        assert fifth.status_code == 401 and "Too many failed sign-ins" in fifth.text
        # Locked: even the right password is refused until the lock ends, without checking it.
        locked = await sign_in(browser, person)
        assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
        async with world.sessions() as session:
            attempt = await session.get(LoginAttempt, "locked@web.test")
            assert attempt.failures == 5 and attempt.locked_until is not None
        # Someone else's email is not affected.
        assert (await sign_in(browser, world["l2"])).status_code == 303


async def test_deactivated_staff_lose_their_session_at_once(world: World) -> None:
    staff = await _staff(
        world.sessions, StaffRole.ACCOUNT_MANAGER_L2, "Leaving Soon", "leaving@web.test", world["l1"].staff, "east"
    )
    person = await _person(
        world.sessions, hash_password(PASSWORD), role="manager", email="leaving@web.test", staff=staff
    )
    async with client(world) as browser:
        assert (await sign_in(browser, person)).status_code == 303
        assert (await browser.get("/inbox")).status_code == 200
        async with client(world) as api:
            patched = await api.patch(f"/v1/staff/{staff.id}", json={"active": False}, headers=world["admin"].headers)
            assert patched.status_code == 200, patched.text
            # The same rule for the token of the same person.
            assert (await api.get("/v1/tasks", headers=person.headers)).status_code == 401
        assert (await browser.get("/inbox")).status_code == 303
        again = await sign_in(browser, person)
        assert again.status_code == 401


async def test_a_form_post_without_its_csrf_token_is_refused(world: World) -> None:
    customer = await world.customer(world["l2"].staff, name="CSRF Target")
    async with client(world) as browser:
        await sign_in(browser, world["l2"])
        page = await browser.get(f"/customers/{customer.id}")
        url = f"/customers/{customer.id}/follow-ups"
        missing = await browser.post(url, data={"channel": "phone", "note": "forged"})
        assert missing.status_code == 403 and "security token" in missing.text
        wrong = await browser.post(url, data={"channel": "phone", "note": "forged", "csrf_token": "x" * 43})
        assert wrong.status_code == 403
        async with world.sessions() as session:
            assert (await session.scalars(select(FollowUp).where(FollowUp.customer_id == customer.id))).all() == []
        good = await browser.post(url, data={"channel": "phone", "note": "called", "csrf_token": csrf_of(page.text)})
        assert good.status_code == 303
        shown = await browser.get(f"/customers/{customer.id}")
        assert "called" in shown.text
    async with client(world) as anonymous:
        # The sign-in form carries its own token (double submit): a cross-site post without it is refused.
        forged = await anonymous.post("/signin", data={"email": world["l2"].email, "password": PASSWORD})
        assert forged.status_code == 403


async def test_role_denials_match_the_api(world: World) -> None:
    other = await world.customer(world["m2"].staff, name="Northern Customer")
    complaint = await world.complaint(other)
    async with client(world) as manager:
        await sign_in(manager, world["l2"])
        hidden = await manager.get(f"/complaints/{complaint['id']}")
        assert hidden.status_code == 404 and "Northern" not in hidden.text
        assert (await manager.get(f"/customers/{other.id}")).status_code == 404
        assert "Northern Customer" not in (await manager.get("/customers")).text
        assert (await manager.get("/ops/processes")).status_code == 403
        assert (await manager.get(f"/ops/processes/{complaint['process_id']}")).status_code == 403
        assert (await manager.get("/ops/schedules")).status_code == 403  # directors, ops, admin only
        inbox = await manager.get("/inbox")
        acted = await manager.post(
            f"/complaints/{complaint['id']}/acknowledge", data={"csrf_token": csrf_of(inbox.text)}
        )
        assert acted.status_code == 404
    async with client(world) as ops:
        await sign_in(ops, world["ops"])
        page = await ops.get(f"/complaints/{complaint['id']}")
        assert page.status_code == 200 and 'action="/complaints/' not in page.text  # ops read, never act
        refused = await ops.post(f"/complaints/{complaint['id']}/acknowledge", data={"csrf_token": csrf_of(page.text)})
        assert refused.status_code == 403
        decided = await ops.post("/tasks/1/decision", data={"decision": "approve", "csrf_token": csrf_of(page.text)})
        assert decided.status_code == 403
    async with client(world) as service:
        await sign_in(service, world["service"])
        assert (await service.get("/staff")).status_code == 403
        assert (await service.get("/reviews")).status_code == 403
        assert (await service.get("/customers/new")).status_code == 200


async def test_user_input_is_escaped_everywhere(world: World) -> None:
    evil = await world.customer(world["l2"].staff, name='<script>alert("x")</script>', external_ref="EVIL-1")
    complaint = await world.complaint(evil, description='<img src=x onerror="alert(1)">')
    async with client(world) as browser:
        await sign_in(browser, world["l2"])
        for url in ("/customers", f"/customers/{evil.id}", "/complaints", f"/complaints/{complaint['id']}"):
            page = await browser.get(url)
            assert page.status_code == 200, url
            assert "<script>alert" not in page.text and "<img src=x" not in page.text, url
            assert "&lt;script&gt;" in page.text or "&lt;img" in page.text, url


async def test_customer_filters_and_onboarding_duplicate(world: World) -> None:
    l2 = world["l2"].staff
    await world.customer(l2, name="Filter Alpha Trading", external_ref="FLT-1", region="east", tier=2)
    await world.customer(l2, name="Filter Beta Foods", external_ref="FLT-2", region="west", tier=2)
    async with client(world) as browser:
        await sign_in(browser, world["director"])
        by_name = (await browser.get("/customers", params={"q": "alpha"})).text
        assert "Filter Alpha Trading" in by_name and "Filter Beta Foods" not in by_name
        by_ref = (await browser.get("/customers", params={"q": "flt-2"})).text
        assert "Filter Beta Foods" in by_ref and "Filter Alpha Trading" not in by_ref
        by_region = (await browser.get("/customers", params={"region": "west", "q": "filter"})).text
        assert "Filter Beta Foods" in by_region and "Filter Alpha" not in by_region
        assert (await browser.get("/customers", params={"tier": "abc"})).status_code == 422
        form = await browser.get("/customers/new")
        data = {
            "name": "Filter Alpha Trading",
            "region": "east",
            "industry": "",
            "declared_annual_value": "100",
            "external_ref": "",
            "csrf_token": csrf_of(form.text),
        }
        duplicate = await browser.post("/customers/new", data=data)
        assert duplicate.status_code == 409
        assert re.search(r'href="/customers/\d+" id="duplicate-link"', duplicate.text)


async def test_language_from_preference_else_accept_language(world: World) -> None:
    async with client(world) as browser:
        await sign_in(browser, world["l1"])
        zh = await browser.get("/inbox", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        assert "我的待办" in zh.text and '<html lang="zh-CN">' in zh.text
        en = await browser.get("/inbox", headers={"Accept-Language": "en-GB,en;q=0.8"})
        assert "My inbox" in en.text and "我的待办" not in en.text
        saved = await browser.post(
            "/preferences", data={"language": "en", "back": "/inbox", "csrf_token": csrf_of(en.text)}
        )
        assert saved.status_code == 303 and saved.headers["location"] == "/inbox"
        # The saved preference wins over the browser's header.
        assert "My inbox" in (await browser.get("/inbox", headers={"Accept-Language": "zh-CN"})).text
        bad = await browser.post("/preferences", data={"language": "xx", "csrf_token": csrf_of(en.text)})
        assert bad.status_code == 422
        await browser.post("/preferences", data={"language": "zh_CN", "csrf_token": csrf_of(en.text)})


def test_accept_language_negotiation_and_formatting() -> None:
    assert negotiate("en-US,en;q=0.9,zh;q=0.8") == "en"
    assert negotiate("fr-FR,zh-TW;q=0.5") == "zh_CN"
    assert negotiate("de") == "zh_CN" and negotiate(None) == "zh_CN"
    assert negotiate("zh;q=0.1,en;q=0.9") == "en"
    zh = I18n("zh_CN", zone(None, "Asia/Shanghai"))
    en = I18n("en", zone("Europe/London", "Asia/Shanghai"))
    assert zh.gettext("My inbox") == "我的待办" and en.gettext("My inbox") == "My inbox"
    assert zh.money(1234.5) == "¥1,234.50" and en.number(1234567) == "1,234,567"
    moment = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    assert "10:00" in zh.datetime(moment) and "2:00:00" in en.datetime(moment)  # each in its own zone


def test_the_chinese_catalogue_translates_every_message() -> None:
    """Every msgid in templates and code has a zh-CN translation with the same placeholders."""
    with (TRANSLATIONS_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id: m.string for m in catalog if m.id}
    used = extract_messages()
    missing = sorted(m for m in used if not translated.get(m))
    assert not missing, f"untranslated (add them to messages.po): {missing}"
    for msgid in used:
        assert set(re.findall(r"{\w+}", msgid)) == set(re.findall(r"{\w+}", translated[msgid])), msgid
    assert not sorted(set(translated) - used), "messages.po has entries nothing uses"


def test_templates_have_no_inline_script_style_or_handlers() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert not re.search(r"\sstyle\s*=", text) and "<style" not in text, template.name


async def test_security_headers_and_offline_docs(world: World) -> None:
    async with client(world) as browser:
        page = await browser.get("/signin")
        csp = page.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert page.headers["x-frame-options"] == "DENY" and page.headers["referrer-policy"] == "same-origin"
        docs = await browser.get("/docs")
        assert docs.status_code == 200 and "cdn" not in docs.text.lower()
        assert "/static/swagger/swagger-ui-bundle.js" in docs.text
        assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', docs.text):
            assert (await browser.get(asset)).status_code == 200, asset
        assert (await browser.get("/static/app.js")).status_code == 200


async def test_set_password_command(world: World) -> None:
    """`crmflow users set-password EMAIL --password-stdin`, for a staff member who had no web sign-in yet."""
    staff = await _staff(
        world.sessions, StaffRole.ACCOUNT_MANAGER_L2, "New Starter", "starter@web.test", world["l1"].staff, "east"
    )
    env = {**os.environ, "CRMFLOW_DATABASE_URL": world.settings.database_url, "CRMFLOW_LOG_LEVEL": "WARNING"}

    def run(email: str, password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "crmflow", "users", "set-password", email, "--password-stdin"],
            input=password + "\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    assert run("nobody@web.test", "long enough pass").returncode == 1
    short = run("starter@web.test", "short")
    assert short.returncode == 1 and "at least 8" in short.stderr
    done = run("Starter@Web.test", "a fine new password")
    assert done.returncode == 0, done.stderr
    async with client(world) as browser:
        person = Person("starter@web.test", 0, staff, "")
        assert (await sign_in(browser, person, password="a fine new password")).headers["location"] == "/inbox"
        assert "New Starter" in (await browser.get("/inbox")).text


async def _compensation_task(world: World, amount: str = "1500"):
    """A complaint of l2's resolved with compensation: an approval task for l1, requested by l2."""
    customer = await world.customer(world["l2"].staff, name=f"Compensation Co {amount}")
    complaint = await world.complaint(customer)
    async with client(world) as api:
        url = f"/v1/complaints/{complaint['id']}"
        assert (await api.post(f"{url}/acknowledge", json={}, headers=world["l2"].headers)).status_code == 200
        resolved = await api.post(
            f"{url}/resolve", json={"resolution": "refund", "compensation_amount": amount}, headers=world["l2"].headers
        )
        assert resolved.status_code == 200, resolved.text

    async def task():
        async with world.sessions() as session:
            return await session.scalar(
                select(Task).where(Task.workflow_id == complaint["process_id"], Task.status == "open")
            )

    return complaint, await wait_for(task, what="the compensation approval")


async def test_delegate_then_the_delegate_decides_and_others_may_not(world: World) -> None:
    complaint, task = await _compensation_task(world)
    async with client(world) as l1, client(world) as director, client(world) as ops, client(world) as m2:
        await sign_in(l1, world["l1"])
        page = await l1.get(f"/tasks/{task.id}")
        assert 'id="approve"' in page.text and f'action="/tasks/{task.id}/delegate"' in page.text
        assert f'action="/tasks/{task.id}/recall"' not in page.text  # l1 did not request it
        await sign_in(ops, world["ops"])
        ops_page = await ops.get(f"/tasks/{task.id}")
        assert ops_page.status_code == 200 and 'id="approve"' not in ops_page.text  # ops read, never decide
        refused = await ops.post(
            f"/tasks/{task.id}/decision", data={"decision": "approve", "csrf_token": csrf_of(ops_page.text)}
        )
        assert refused.status_code == 403
        await sign_in(m2, world["m2"])
        assert (await m2.get(f"/tasks/{task.id}")).status_code == 403  # another team's task
        delegated = await l1.post(
            f"/tasks/{task.id}/delegate",
            data={"to_staff_id": str(world["director"].staff.id), "csrf_token": csrf_of(page.text)},
        )
        assert delegated.status_code == 303
        await sign_in(director, world["director"])
        inbox = await director.get("/inbox")
        assert f'href="/tasks/{task.id}"' in inbox.text
        decided = await director.post(
            f"/tasks/{task.id}/decision",
            data={"decision": "reject", "comment": "too much", "csrf_token": csrf_of(inbox.text)},
        )
        assert decided.status_code == 303 and decided.headers["location"] == "/inbox"
        shown = await director.get(f"/tasks/{task.id}")
        assert "Rejected" in shown.text and "too much" in shown.text


async def test_the_requester_recalls_an_open_task(world: World) -> None:
    complaint, task = await _compensation_task(world, "1200")
    async with client(world) as l2:
        await sign_in(l2, world["l2"])
        page = await l2.get(f"/tasks/{task.id}")
        assert f'action="/tasks/{task.id}/recall"' in page.text and 'id="approve"' not in page.text
        recalled = await l2.post(f"/tasks/{task.id}/recall", data={"csrf_token": csrf_of(page.text)})
        assert recalled.status_code == 303
        assert "Recalled" in (await l2.get(f"/tasks/{task.id}")).text
        again = await l2.post(f"/tasks/{task.id}/recall", data={"csrf_token": csrf_of(page.text)})
        assert again.status_code == 409


async def test_the_service_desk_onboards_and_a_manager_asks_a_tier_reevaluation(world: World) -> None:
    from db.models import Customer

    async with client(world) as desk:
        await sign_in(desk, world["service"])
        form = await desk.get("/customers/new")
        created = await desk.post(
            "/customers/new",
            data={
                "name": "Fresh Noodles 新面馆",
                "region": "east",
                "industry": "food",
                "declared_annual_value": "80000",
                "external_ref": "NEW-42",
                "csrf_token": csrf_of(form.text),
            },
        )
        assert created.status_code == 303 and created.headers["location"] == "/customers/new"
        assert "onboarding has started" in (await desk.get("/customers/new")).text
        bad = await desk.post("/customers/new", data={"name": "", "region": "east", "csrf_token": csrf_of(form.text)})
        assert bad.status_code == 422
    async with world.sessions() as session:
        customer = await session.scalar(select(Customer).where(Customer.external_ref == "NEW-42"))
        assert customer is not None and customer.process_id.startswith("onboarding-")  # written by its process

    active = await world.customer(world["l2"].staff, name="Re-evaluated Co", tier=2, declared_annual_value=50_000)
    async with client(world) as manager:
        await sign_in(manager, world["l2"])
        page = await manager.get(f"/customers/{active.id}")
        asked = await manager.post(f"/customers/{active.id}/tier-reevaluation", data={"csrf_token": csrf_of(page.text)})
        assert asked.status_code == 303
        assert "Tier re-evaluated: score" in (await manager.get(f"/customers/{active.id}")).text


async def test_times_follow_the_saved_time_zone(world: World) -> None:
    async with client(world) as browser:
        await sign_in(browser, world["director2"])
        page = await browser.get("/preferences")
        assert 'value="Asia/Shanghai"' in page.text  # the company's zone until one is chosen
        assert (
            await browser.post("/preferences", data={"timezone": "Mars/Olympus", "csrf_token": csrf_of(page.text)})
        ).status_code == 422
        saved = await browser.post(
            "/preferences", data={"timezone": "Europe/London", "back": "/preferences", "csrf_token": csrf_of(page.text)}
        )
        assert saved.status_code == 303
        shown = await browser.get("/preferences")
        assert 'value="Europe/London"' in shown.text
        zone_of = await principal(world, world["director2"].principal_id)
        assert zone_of.timezone == "Europe/London"


# ---- notifications: the bell, the list, read / read-all, preferences, failed deliveries --------------------


async def _notified_person(world: World, name: str) -> Person:
    """A fresh manager of their own (other tests' processes never notify them)."""
    email = f"{name}@web.test"
    staff = await _staff(world.sessions, StaffRole.ACCOUNT_MANAGER_L2, name, email, world["l1"].staff, "east")
    return await _person(world.sessions, hash_password(PASSWORD), role="manager", email=email, staff=staff)


async def _notify(
    world: World, person: Person, kind: str, entity_type: str, entity_id: str, subject: str, *, read: bool = False
) -> int:
    async with world.sessions() as session, session.begin():
        row = Notification(
            recipient_id=person.staff.id,
            kind=kind,
            subject=subject,
            entity_type=entity_type,
            entity_id=entity_id,
            read_at=datetime.now(UTC) if read else None,
        )
        session.add(row)
    return row.id


def _bell(html: str) -> int:
    match = re.search(r'id="bell"[^>]*>[^<]*<span class="count">(\d+)</span>', html)
    assert match, "no bell on the page"
    return int(match.group(1))


async def test_the_bell_counts_my_unread_and_the_list_marks_them_read(world: World) -> None:
    me = await _notified_person(world, "Bell Owner")
    other = await _notified_person(world, "Bell Other")
    complaint = await _notify(world, me, "complaint.escalated", "complaint", "C-1", "Complaint <b>C-1</b> escalated")
    task = await _notify(world, me, "task.assigned", "task", "77", "Approve the compensation")
    await _notify(world, me, "customer.assigned", "customer", "55", "Customer 55 is yours", read=True)
    theirs = await _notify(world, other, "task.assigned", "task", "78", "Not for you")
    async with client(world) as browser:
        await sign_in(browser, me)
        inbox = await browser.get("/inbox")
        assert _bell(inbox.text) == 2
        page = await browser.get("/notifications")
        assert page.status_code == 200
        rows = re.findall(r'data-notification="(\d+)" class="(\w+)"', page.text)
        # Unread first (newest first within), then the read one; nobody else's.
        assert [int(i) for i, _ in rows[:2]] == [task, complaint] and [c for _, c in rows] == ["unread"] * 2 + ["read"]
        assert str(theirs) not in [i for i, _ in rows]
        assert 'href="/complaints/C-1"' in page.text and 'href="/tasks/77"' in page.text
        assert 'href="/customers/55"' in page.text
        assert "&lt;b&gt;C-1&lt;/b&gt;" in page.text  # the subject is escaped
        tasks_only = await browser.get("/notifications", params={"kind": "task"})
        assert re.findall(r'data-notification="(\d+)"', tasks_only.text) == [str(task)]
        token = csrf_of(page.text)
        assert (await browser.post(f"/notifications/{task}/read", data={})).status_code == 403  # no CSRF token
        marked = await browser.post(
            f"/notifications/{task}/read", data={"csrf_token": token, "back": "/notifications?kind=task"}
        )
        assert marked.status_code == 303 and marked.headers["location"] == "/notifications?kind=task"
        assert _bell((await browser.get("/notifications")).text) == 1
        # Someone else's notification: the same 403 the API gives, and it stays unread.
        denied = await browser.post(f"/notifications/{theirs}/read", data={"csrf_token": token})
        assert denied.status_code == 403
        assert (await browser.post("/notifications/999999999/read", data={"csrf_token": token})).status_code == 404
        async with world.sessions() as session:
            assert (await session.get(Notification, theirs)).read_at is None
        done = await browser.post("/notifications/read-all", data={"csrf_token": token, "back": "//evil.example"})
        assert done.status_code == 303 and done.headers["location"] == "/notifications"
        after = await browser.get(done.headers["location"])
        assert _bell(after.text) == 0 and "1 marked read." in after.text and 'class="unread"' not in after.text
    async with client(world) as browser:
        await sign_in(browser, other)
        assert _bell((await browser.get("/notifications")).text) == 1
    async with client(world) as browser:
        await sign_in(browser, world["ops"])
        processes = await browser.get("/ops/processes")
        assert 'id="bell"' not in processes.text  # not a staff member: no bell, and the list is refused as by the API
        assert (await browser.get("/notifications")).status_code == 403


async def test_the_notification_list_pages_by_cursor(world: World) -> None:
    me = await _notified_person(world, "Many Notices")
    ids = [await _notify(world, me, "review.overdue", "customer", str(n), f"Review {n} overdue") for n in range(27)]
    async with client(world) as browser:
        await sign_in(browser, me)
        first = await browser.get("/notifications", params={"kind": "review"})
        shown = re.findall(r'data-notification="(\d+)"', first.text)
        assert len(shown) == 25 and _bell(first.text) == 27
        link = re.search(r'href="\?([^"]+)" id="next-page"', first.text)
        assert link and "kind=review" in link.group(1)
        second = await browser.get("/notifications?" + link.group(1).replace("&amp;", "&"))
        rest = re.findall(r'data-notification="(\d+)"', second.text)
        assert sorted(int(i) for i in shown + rest) == sorted(ids) and 'id="next-page"' not in second.text
        assert (await browser.get("/notifications", params={"cursor": "garbage!"})).status_code == 400


async def test_notification_preferences_are_saved_and_refusals_shown_beside_their_fields(world: World) -> None:
    me = await _notified_person(world, "Quiet Person")
    async with client(world) as browser:
        await sign_in(browser, me)
        page = await browser.get("/preferences/notifications")
        assert page.status_code == 200 and 'data-kind="complaint.escalated"' in page.text
        token = csrf_of(page.text)
        bad = await browser.post(
            "/preferences/notifications",
            data={
                "csrf_token": token,
                "quiet_start": "25:00",
                "quiet_end": "08:00",
                "webhook_url": "ftp://chat.example/x",
                "ch:complaint.escalated:email": "on",
            },
        )
        assert bad.status_code == 422
        assert 'id="error-quiet-hours"' in bad.text and 'id="error-webhook"' in bad.text
        assert 'value="25:00"' in bad.text and 'value="ftp://chat.example/x"' in bad.text  # what I typed stays
        async with httpx.AsyncClient(base_url=world.base_url) as api:
            untouched = (await api.get("/v1/me/preferences", headers=me.headers)).json()
        assert untouched["quiet_hours"] is None and untouched["webhook"] is None
        assert (await browser.post("/preferences/notifications", data={"quiet_start": "22:00"})).status_code == 403
        checked = dict(re.findall(r'name="(ch:[^"]+)" aria-label="[^"]*" (checked)', page.text))
        checked.pop("ch:task.reminder:email", None)
        checked.pop("ch:task.reminder:webhook", None)
        saved = await browser.post(
            "/preferences/notifications",
            data={
                **{k: "on" for k in checked},
                "ch:complaint.escalated:email": "on",
                "ch:complaint.escalated:webhook": "on",
                "csrf_token": token,
                "quiet_start": "22:00",
                "quiet_end": "07:30",
                "webhook_url": "https://chat.example/robot",
                "webhook_format": "wecom",
            },
        )
        assert saved.status_code == 303, saved.text[:500]
        again = await browser.get(saved.headers["location"])
        assert "Saved." in again.text and 'value="22:00"' in again.text and "https://chat.example/robot" in again.text
    async with httpx.AsyncClient(base_url=world.base_url) as api:
        prefs = (await api.get("/v1/me/preferences", headers=me.headers)).json()
    assert prefs["quiet_hours"] == {"start": "22:00", "end": "07:30"}
    assert prefs["webhook"] == {"url": "https://chat.example/robot", "format": "wecom"}
    assert set(prefs["effective_channels"]["complaint.escalated"]) == {"in_app", "email", "webhook"}
    assert prefs["effective_channels"]["task.reminder"] == ["in_app"]
    # Only what I changed is mine; the rest keeps following the definition's defaults.
    assert "task.reminder" in prefs["channels"] and "review.overdue" not in prefs["channels"]


async def test_ops_retry_failed_deliveries_and_a_manager_is_refused(world: World) -> None:
    me = await _notified_person(world, "Unlucky Recipient")
    notification = await _notify(world, me, "complaint.escalated", "complaint", "C-9", "Escalated and undelivered")
    async with world.sessions() as session, session.begin():
        delivery = NotificationDelivery(
            notification_id=notification,
            recipient_id=me.staff.id,
            channel="in_app",
            status="failed",
            message_id=f"<n{notification}.in_app@web.test>",
            attempts=5,
            last_error="connection refused <script>",
            failed_at=datetime.now(UTC),
        )
        session.add(delivery)
    async with client(world) as manager:
        await sign_in(manager, world["l1"])
        assert (await manager.get("/ops/deliveries")).status_code == 403
        page = await manager.get("/inbox")
        assert 'href="/ops/deliveries"' not in page.text
        refused = await manager.post(f"/ops/deliveries/{delivery.id}/retry", data={"csrf_token": csrf_of(page.text)})
        assert refused.status_code == 403
    async with client(world) as ops:
        await sign_in(ops, world["ops"])
        page = await ops.get("/ops/deliveries")
        assert page.status_code == 200 and f'data-delivery="{delivery.id}"' in page.text
        row = page.text.split(f'data-delivery="{delivery.id}"')[1].split("</tr>")[0]
        assert "Unlucky Recipient" in row and "connection refused &lt;script&gt;" in row and "<td>5" in row
        retried = await ops.post(f"/ops/deliveries/{delivery.id}/retry", data={"csrf_token": csrf_of(page.text)})
        assert retried.status_code == 303 and retried.headers["location"] == "/ops/deliveries"
        listing = await ops.get("/ops/deliveries")
        assert "Retry started." in listing.text and f'data-delivery="{delivery.id}"' not in listing.text
        async with world.sessions() as session:
            row = await session.get(NotificationDelivery, delivery.id)
            assert row.status != "failed" and row.manual_retries == 1
        again = await ops.post(f"/ops/deliveries/{delivery.id}/retry", data={"csrf_token": csrf_of(page.text)})
        assert again.status_code == 409  # only a failed delivery is retried
