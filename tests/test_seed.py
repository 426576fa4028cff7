"""`crmflow seed demo`: idempotent, keeps its tokens, rotates them only on purpose."""

from __future__ import annotations

from sqlalchemy import func, select

from crmflow.seed import CUSTOMERS, PEOPLE, TOKEN_FILE, read_token_file, seed_demo
from db.models import AuditEvent, Customer, FollowUp, Principal, Staff, Transaction
from db.repositories.staff import principal_by_token


async def _counts(sessions) -> dict[str, int]:
    async with sessions() as session:
        return {
            model.__name__: await session.scalar(select(func.count()).select_from(model))
            for model in (Staff, Principal, Customer, Transaction, FollowUp, AuditEvent)
        }


async def test_seeding_twice_keeps_the_data_and_the_tokens(settings, sessions, tmp_path) -> None:
    settings = settings.model_copy(update={"var_dir": tmp_path / "var"})
    first = await seed_demo(settings)
    counts = await _counts(sessions)
    assert counts["Staff"] == len(PEOPLE) and counts["Customer"] == len(CUSTOMERS)
    assert counts["Transaction"] > 10 * len(CUSTOMERS) // 2 and counts["FollowUp"] > 5 * len(CUSTOMERS)
    assert read_token_file(tmp_path / "var" / TOKEN_FILE) == first.tokens
    assert oct((tmp_path / "var" / TOKEN_FILE).stat().st_mode & 0o777) == "0o600"
    async with sessions() as session:
        for spec in CUSTOMERS:
            customer = await session.get(Customer, first.customer_ids[spec.ref])
            assert customer.owner_id == first.staff_ids[spec.owner] and customer.tier == spec.tier
            days = await session.execute(
                select(func.min(Transaction.occurred_on), func.max(Transaction.occurred_on)).where(
                    Transaction.customer_id == customer.id
                )
            )
            oldest, newest = days.one()
            assert oldest is not None and (newest - oldest).days > 200, spec.ref  # about a year of deals

    second = await seed_demo(settings)
    assert second.tokens == first.tokens
    assert second.customer_ids == first.customer_ids and second.created_customers == 0
    assert await _counts(sessions) == counts


async def test_reset_tokens_rotates_every_token_and_the_old_ones_stop_working(settings, sessions, tmp_path) -> None:
    settings = settings.model_copy(update={"var_dir": tmp_path})
    old = await seed_demo(settings)
    new = await seed_demo(settings, reset_tokens=True)
    assert set(new.tokens) == set(old.tokens)
    assert all(new.tokens[label] != old.tokens[label] for label in old.tokens)
    assert read_token_file(tmp_path / TOKEN_FILE) == new.tokens
    async with sessions() as session:
        for label in old.tokens:
            assert await principal_by_token(session, old.tokens[label]) is None
            principal = await principal_by_token(session, new.tokens[label])
            assert principal is not None and principal.name == f"demo-{label}"
        # Rotated in place: one active principal per label, the same rows as before.
        assert await session.scalar(select(func.count()).select_from(Principal)) == len(old.tokens)
    # Without --reset-tokens the rotated tokens are kept again.
    assert (await seed_demo(settings)).tokens == new.tokens

    # A lost token file: the same principals get new tokens (nobody knows the old ones any more).
    (tmp_path / TOKEN_FILE).unlink()
    lost = await seed_demo(settings)
    assert all(lost.tokens[label] != new.tokens[label] for label in new.tokens)
    assert read_token_file(tmp_path / TOKEN_FILE) == lost.tokens
    async with sessions() as session:
        assert await principal_by_token(session, new.tokens["admin"]) is None
        assert await session.scalar(select(func.count()).select_from(Principal)) == len(old.tokens)
