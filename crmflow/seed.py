"""Demo data: an organisation, customers and one token per role (`crmflow seed demo`)."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table
from sqlalchemy import select, update

from crmflow.settings import Settings
from db.engine import create_engine, create_session_factory
from db.models import Customer, CustomerStatus, Principal, Staff, StaffRole, utcnow
from db.repositories.audit import record_audit
from db.repositories.staff import create_principal
from web.security import hash_password

DEMO_PREFIX = "demo-"
DEMO_PASSWORD = "crmflow-demo"  # every demo person signs in to the web workspace with it (dev only)
REGIONS = ("east", "north")


async def _staff(session, *, name: str, email: str, role: StaffRole, supervisor: Staff | None,
                 region: str, capacity: int) -> Staff:
    existing = await session.scalar(select(Staff).where(Staff.email == email))
    if existing is not None:
        return existing
    staff = Staff(name=name, email=email, role=role, supervisor_id=supervisor.id if supervisor else None,
                  region=region, capacity=capacity)
    session.add(staff)
    await session.flush()
    record_audit(session, actor="seed", action="staff.created", entity_type="staff", entity_id=staff.id)
    return staff


async def seed_demo(settings: Settings) -> dict[str, str]:
    """Create the demo organisation once; issue fresh demo tokens (old demo tokens are revoked)."""
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            director = await _staff(session, name="Zhao Min (director)", email="director@demo.crmflow",
                                    role=StaffRole.DIRECTOR, supervisor=None, region="east", capacity=0)
            l1s = [
                await _staff(session, name=f"L1 manager {i + 1}", email=f"l1-{i + 1}@demo.crmflow",
                             role=StaffRole.ACCOUNT_MANAGER_L1, supervisor=director, region=REGIONS[i], capacity=20)
                for i in range(2)
            ]
            l2s = [
                await _staff(session, name=f"L2 manager {i + 1}", email=f"l2-{i + 1}@demo.crmflow",
                             role=StaffRole.ACCOUNT_MANAGER_L2, supervisor=l1s[i // 2], region=REGIONS[i // 2],
                             capacity=40)
                for i in range(4)
            ]
            for i in range(20):
                name = f"Demo customer {i + 1:02d}"
                if await session.scalar(select(Customer.id).where(Customer.name == name)) is not None:
                    continue
                tier = 1 if i < 4 else 2
                owner = l1s[i % 2] if tier == 1 else l2s[i % 4]
                customer = Customer(
                    name=name, external_ref=f"DEMO-{i + 1:03d}", region=owner.region, industry="retail",
                    declared_annual_value=Decimal(2_000_000 if tier == 1 else 50_000 + 10_000 * i), tier=tier,
                    status=CustomerStatus.ACTIVE, owner_id=owner.id, owner_assigned_at=utcnow(),
                    activated_at=utcnow(), last_follow_up_at=utcnow(),
                )
                session.add(customer)
                await session.flush()
                record_audit(session, actor="seed", action="customer.created", entity_type="customer",
                             entity_id=customer.id, customer_id=customer.id)
            await session.execute(
                update(Principal)
                .where(Principal.name.startswith(DEMO_PREFIX), Principal.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
            wanted = {
                "admin": ("admin", None),
                "ops": ("ops", None),
                "service": ("service", None),
                "director": ("director", director.id),
                "manager_l1": ("manager", l1s[0].id),
                "manager_l2": ("manager", l2s[0].id),
            }
            tokens: dict[str, str] = {}
            emails = {s.id: s.email for s in (director, *l1s, *l2s)}
            for label, (role, staff_id) in wanted.items():
                principal, tokens[label] = await create_principal(session, name=DEMO_PREFIX + label, role=role,
                                                                  staff_id=staff_id)
                # Web sign-in: the staff member's email (or <label>@demo.crmflow) and the one demo password.
                principal.email = emails.get(staff_id) or f"{label}@demo.crmflow"
                principal.password_hash = hash_password(DEMO_PASSWORD)
        _write_token_file(settings, tokens)
        return tokens
    finally:
        await engine.dispose()


def _write_token_file(settings: Settings, tokens: dict[str, str]) -> None:
    """Demo tokens as shell variables in ./var (dev convenience, readable by the owner only)."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    path = settings.var_dir / "demo-tokens.env"
    path.write_text("".join(f"export {label.upper()}_TOKEN={token}\n" for label, token in tokens.items()))
    path.chmod(0o600)


def print_tokens(console: Console, tokens: dict[str, str]) -> None:
    """A table of the demo tokens."""
    table = Table(title="demo tokens (also in ./var/demo-tokens.env)")
    table.add_column("who")
    table.add_column("token")
    for label, token in tokens.items():
        table.add_row(label, token)
    console.print(table)


def print_sign_in(console: Console, settings: Settings) -> None:
    """Who can sign in to the web workspace, and with which password."""
    table = Table(title=f"web workspace: http://{settings.api_host}:{settings.api_port}/ (password: {DEMO_PASSWORD})")
    table.add_column("who")
    table.add_column("email")
    for who, email in (("director", "director@demo.crmflow"), ("manager L1", "l1-1@demo.crmflow"),
                       ("manager L2", "l2-1@demo.crmflow"), ("ops", "ops@demo.crmflow"),
                       ("admin", "admin@demo.crmflow"), ("service desk", "service@demo.crmflow")):
        table.add_row(who, email)
    console.print(table)
