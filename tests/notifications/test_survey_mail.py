"""The survey invitation reaches the customer's contact by email (not a staff member), in their language, with a
signed link that opens the answer page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from crmflow.survey_links import read_token
from db.models import CustomerContact, NotificationDelivery, SurveyInvitation
from tests.notifications.conftest import eventually


@pytest.fixture
def notify_settings(notify_settings):
    return notify_settings.model_copy(update={"web_secret": "survey-mail-secret"})


@pytest.mark.parametrize("language, greeting", [("zh-CN", "您好"), ("en", "Dear")])
async def test_the_contact_gets_the_invitation_with_a_signed_link(
    stack, factory, sessions, smtp, language, greeting
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2, name="Acme Trading")
    put = await stack.http.put(
        f"/v1/customers/{customer.id}/survey-contact",
        headers=org.headers("l2"),
        json={"name": "Ms Buyer", "email": "buyer@acme.test", "language": language},
    )
    assert put.status_code == 200, put.text
    wave = await stack.http.post("/v1/survey-waves", headers=org.headers("l2"), json={"customer_ids": [customer.id]})
    assert wave.status_code == 202, wave.text
    [mail] = await eventually(
        lambda: [m for m in smtp.to("buyer@acme.test") if m["X-Crmflow-Kind"] == "survey.invitation"],
        what="the invitation email",
    )
    assert "Acme Trading" in mail["Subject"] and mail["Content-Language"] == language
    text = mail.get_body(("plain",)).get_content()
    assert greeting in text and "Ms Buyer" in text
    link = re.search(r"https://crm\.example\.test/survey/(\S+)", text)
    assert link, text
    token = read_token(stack.settings, link.group(1))
    async with sessions() as session:
        invitation = await session.scalar(select(SurveyInvitation).where(SurveyInvitation.customer_id == customer.id))
        assert (await session.get(CustomerContact, customer.id)).language == language
    assert token is not None and token.invitation_id == invitation.id

    async def delivered():
        async with sessions() as session:
            return await session.scalar(
                select(NotificationDelivery).where(
                    NotificationDelivery.target == "buyer@acme.test", NotificationDelivery.status == "delivered"
                )
            )

    delivery = await eventually(delivered, what="the delivery recorded")
    assert (delivery.recipient_id, delivery.channel) == (None, "email")
    # No staff member got this mail (the owner is not the recipient of the customer's survey).
    assert [m for m in smtp.to(org.l2.email) if m["X-Crmflow-Kind"] == "survey.invitation"] == []
    page = await stack.http.get(f"/survey/{link.group(1)}")
    assert page.status_code == 200 and f'lang="{language}"' in page.text
