"""Surveys over real HTTP: who may start a wave, and the public answer page with its signed, single-use link."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from crmflow.survey_links import make_token
from db.models import AuditEvent, CustomerContact, SurveyInvitation, Task, utcnow
from tests.web.conftest import World, sign_in, wait_for


async def _counts(world: World) -> tuple[int, int]:
    """Audit events and answered invitations: what a refused link must leave unchanged."""
    async with world.sessions() as session:
        return (
            await session.scalar(select(func.count(AuditEvent.id))),
            await session.scalar(
                select(func.count(SurveyInvitation.id)).where(SurveyInvitation.answered_at.is_not(None))
            ),
        )


async def _surveyed_customer(world: World, language: str = "en") -> tuple[int, SurveyInvitation]:
    """A customer of l2 with a contact, invited by a hand-started wave (ops), once its process sent the invitation."""
    customer = await world.customer(world["l2"].staff, tier=2)
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        put = await client.put(
            f"/v1/customers/{customer.id}/survey-contact",
            headers=world["l2"].headers,
            json={"name": "Ms Buyer", "email": "buyer@acme.test", "language": language},
        )
        assert put.status_code == 200, put.text
        wave = await client.post("/v1/survey-waves", headers=world["ops"].headers, json={"customer_ids": [customer.id]})
        assert wave.status_code == 202, wave.text

    async def invited():
        async with world.sessions() as session:
            return await session.scalar(
                select(SurveyInvitation).where(
                    SurveyInvitation.customer_id == customer.id, SurveyInvitation.status == "invited"
                )
            )

    return customer.id, await wait_for(invited, what="the invitation")


async def test_who_may_start_a_wave_and_set_contacts(world: World) -> None:
    customer = await world.customer(world["l2"].staff, tier=2)
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        body = {"customer_ids": [customer.id]}
        assert (await client.post("/v1/survey-waves", json=body, headers=world["service"].headers)).status_code == 403
        assert (await client.post("/v1/survey-waves", json=body)).status_code == 401
        # A manager of another team does not see the customer; a manager may not start a wave for everyone.
        assert (await client.post("/v1/survey-waves", json=body, headers=world["m2"].headers)).status_code == 404
        assert (await client.post("/v1/survey-waves", json={}, headers=world["l2"].headers)).status_code == 403
        assert (
            await client.post("/v1/survey-waves", json={"customer_ids": []}, headers=world["ops"].headers)
        ).status_code == 422
        contact = {"name": "x", "email": "not-an-address", "language": "en"}
        assert (
            await client.put(f"/v1/customers/{customer.id}/survey-contact", json=contact, headers=world["l2"].headers)
        ).status_code == 422
        contact["email"] = "a@b.test"
        assert (
            await client.put(f"/v1/customers/{customer.id}/survey-contact", json=contact, headers=world["m2"].headers)
        ).status_code == 404
        assert (
            await client.put(f"/v1/customers/{customer.id}/survey-contact", json=contact, headers=world["ops"].headers)
        ).status_code == 403
        assert (
            await client.get(f"/v1/customers/{customer.id}/surveys", headers=world["m2"].headers)
        ).status_code == 404
        assert (
            await client.get(
                "/v1/surveys/figures", params={"owner_id": world["l2"].staff.id}, headers=world["m2"].headers
            )
        ).status_code == 404


async def test_answer_once_with_a_valid_link_then_refused(world: World) -> None:
    customer_id, invitation = await _surveyed_customer(world)
    token = make_token(world.settings, invitation.id, invitation.expires_at)
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        page = await client.get(f"/survey/{token}")
        assert page.status_code == 200 and "How satisfied are you" in page.text and 'lang="en"' in page.text
        before = await _counts(world)
        bad = await client.post(f"/survey/{token}", data={"csat": "7", "nps": "11", "comment": "x"})
        assert bad.status_code == 422 and "Please check the answers" in bad.text
        missing = await client.post(f"/survey/{token}", data={"nps": "8"})
        assert missing.status_code == 422 and "Please answer this question" in missing.text
        assert await _counts(world) == before  # invalid answers write nothing
        sent = await client.post(
            f"/survey/{token}", data={"csat": "2", "nps": "4", "channel": "phone", "comment": "late <b>again</b>"}
        )
        assert sent.status_code == 303
        thanks = await client.get(sent.headers["location"])
        assert thanks.status_code == 200 and "Thank you" in thanks.text

        async def recovery_task():
            async with world.sessions() as session:
                return await session.scalar(select(Task).where(Task.workflow_id == invitation.workflow_id))

        task = await wait_for(recovery_task, what="the recovery task")  # the score of 2 opened it
        after = await _counts(world)
        # Reused: a clear page, nothing written.
        again = await client.post(f"/survey/{token}", data={"csat": "5", "nps": "10"})
        assert again.status_code == 409 and "already been answered" in again.text
        assert (await client.get(f"/survey/{token}")).status_code == 409
        assert await _counts(world) == after
    async with world.sessions() as session:
        row = await session.get(SurveyInvitation, invitation.id)
        assert (row.status, row.csat, row.nps, row.answers["comment"]) == ("answered", 2, 4, "late <b>again</b>")
    assert (task.assignee_id, task.customer_id, task.kind, task.status) == (
        world["l2"].staff.id,
        customer_id,
        "form",
        "open",
    )
    # The owner sees the survey and its recovery through the API; figures count it.
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        surveys = (await client.get(f"/v1/customers/{customer_id}/surveys", headers=world["l2"].headers)).json()[
            "items"
        ]
        assert surveys[0]["csat"] == 2 and surveys[0]["recovery_status"] == "open"
        figures = (await client.get("/v1/surveys/figures", headers=world["l1"].headers)).json()
        assert figures["total"]["answered"] >= 1 and figures["total"]["invited"] >= 1
        # The customer's timeline shows the invitation, the answer and the recovery (kinds from the survey SPEC).
        timeline = (await client.get(f"/v1/customers/{customer_id}/timeline", headers=world["l2"].headers)).json()
        steps = [(item["kind"], item["action"]) for item in timeline["items"]]
        for step in [
            ("survey", "survey.invited"),
            ("survey", "survey.answered"),
            ("survey_recovery", "survey_recovery.opened"),
            ("task", "task.opened"),
        ]:
            assert step in steps, steps
        answered = next(item for item in timeline["items"] if item["action"] == "survey.answered")
        assert answered["why"] == "CSAT 2, NPS 4"


async def test_forged_and_expired_links_are_refused_and_write_nothing(world: World) -> None:
    _, invitation = await _surveyed_customer(world, language="zh-CN")
    good = make_token(world.settings, invitation.id, invitation.expires_at)
    forged = [
        good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),  # signature broken
        make_token(
            world.settings.model_copy(update={"web_secret": "another-secret"}), invitation.id, invitation.expires_at
        ),  # signed with another key
        make_token(world.settings, invitation.id, invitation.expires_at + timedelta(days=30)),  # expiry moved
        make_token(world.settings, 987_654_321, invitation.expires_at),  # no such invitation
        "x" * 600,
    ]
    customer = await world.customer(world["l2"].staff, tier=2)
    async with world.sessions() as session, session.begin():
        session.add(CustomerContact(customer_id=customer.id, name="Old", email="old@acme.test", language="en"))
        old = SurveyInvitation(
            customer_id=customer.id,
            wave_id=f"old-{uuid.uuid4().hex[:6]}",
            trigger="manual",
            workflow_id=f"survey-old-{uuid.uuid4().hex}",
            owner_id=world["l2"].staff.id,
            status="invited",
            language="en",
            invited_at=utcnow() - timedelta(days=8),
            expires_at=utcnow() - timedelta(days=1),
        )
        session.add(old)
    expired = make_token(world.settings, old.id, old.expires_at)
    before = await _counts(world)
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30, headers={"Accept-Language": "zh-CN"}) as client:
        for token in forged:
            for response in (
                await client.get(f"/survey/{token}"),
                await client.post(f"/survey/{token}", data={"csat": "5", "nps": "10"}),
            ):
                assert response.status_code == 404 and "链接无效" in response.text, token
        for response in (
            await client.get(f"/survey/{expired}"),
            await client.post(f"/survey/{expired}", data={"csat": "5", "nps": "10"}),
        ):
            assert response.status_code == 410 and "has closed" in response.text
        # The zh-CN contact's page is in Chinese.
        page = await client.get(f"/survey/{good}")
        assert page.status_code == 200 and 'lang="zh-CN"' in page.text and "您对我们最近的服务满意吗" in page.text
    assert await _counts(world) == before
    async with world.sessions() as session:
        assert (await session.get(SurveyInvitation, old.id)).status == "invited"


async def test_the_page_is_rate_limited_per_link(world: World) -> None:
    token = make_token(world.settings, 123_456_789, utcnow())
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        codes = [(await client.get(f"/survey/{token}")).status_code for _ in range(14)]
    assert codes[:12] == [404] * 12 and codes[12:] == [429, 429]


async def test_signed_in_pages_still_need_a_session(world: World) -> None:
    """Only the survey page is public: the survey results pages redirect to sign-in."""
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        response = await client.get("/surveys")
        assert response.status_code == 303 and "/signin" in response.headers["location"]
        await sign_in(client, world["l1"])
        assert (await client.get("/surveys")).status_code == 200


async def test_pages_refuse_what_the_api_refuses(world: World) -> None:
    """The survey forms run the API's rules: another team's manager, ops and the service desk are refused."""
    customer = await world.customer(world["l2"].staff, tier=2)
    for who, path, status in (
        ("m2", f"/customers/{customer.id}/survey", 404),
        ("m2", f"/customers/{customer.id}/survey-contact", 404),
        ("ops", f"/customers/{customer.id}/survey-contact", 403),
        ("l2", "/surveys/wave", 403),
    ):
        async with httpx.AsyncClient(base_url=world.base_url, timeout=30, headers={"Accept-Language": "en"}) as client:
            await sign_in(client, world[who])
            response = await client.post(
                path, data={"csrf_token": await _csrf(client), "email": "a@b.test", "language": "en"}
            )
            assert response.status_code == status, (who, path, response.status_code)
    async with world.sessions() as session:
        assert (
            await session.scalar(
                select(func.count(SurveyInvitation.id)).where(SurveyInvitation.customer_id == customer.id)
            )
            == 0
        )
        assert await session.get(CustomerContact, customer.id) is None
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        await sign_in(client, world["service"])
        assert (await client.get("/surveys")).status_code == 403


async def _csrf(client: httpx.AsyncClient) -> str:
    """This session's CSRF token, from a page every signed-in person has."""
    page = await client.get("/preferences")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
