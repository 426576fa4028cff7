"""Demo data (`crmflow seed demo`): an organisation with a year of history and one token per role and person.

Only plain records are written here (staff, principals, customers with their transactions and follow-ups);
everything a process owns (complaints, reviews, reclaims, tasks) is started by `crmflow.demo` through the API.
Idempotent: a second run finds everything by natural key and keeps the tokens of ./var/demo-tokens.env.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crmflow.settings import Settings
from db.engine import create_engine, create_session_factory
from db.models import Customer, CustomerContact, CustomerStatus, Principal, Staff, StaffRole, utcnow
from db.repositories.audit import record_audit
from db.repositories.contacts import schedule_next_contacts
from db.repositories.customers import add_follow_up, add_transaction
from db.repositories.staff import create_principal, hash_token, new_token, principal_by_token
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition
from web.security import hash_password

DEMO_PREFIX = "demo-"
TOKEN_FILE = "demo-tokens.env"

# The one demo password of every seeded person: its argon2 hash goes on their principal (web sign-in).
DEMO_PASSWORD = "crmflow-demo"
SYSTEM_EMAIL = "{role}@crmflow-demo.cn"  # sign-in emails of the principals without a staff member


@dataclass(frozen=True)
class DemoPerson:
    """A seeded staff member; `label` names their token; `legacy_email` is what earlier seeds called them."""

    label: str
    name: str
    email: str
    role: StaffRole
    supervisor: str | None
    region: str
    capacity: int
    legacy_email: str


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "director", "赵敏", "zhao.min@crmflow-demo.cn", StaffRole.DIRECTOR, None, "east", 0, "director@demo.crmflow"
    ),
    DemoPerson(
        "manager_l1",
        "李伟",
        "li.wei@crmflow-demo.cn",
        StaffRole.ACCOUNT_MANAGER_L1,
        "director",
        "east",
        20,
        "l1-1@demo.crmflow",
    ),
    DemoPerson(
        "manager_l1_north",
        "王芳",
        "wang.fang@crmflow-demo.cn",
        StaffRole.ACCOUNT_MANAGER_L1,
        "director",
        "north",
        20,
        "l1-2@demo.crmflow",
    ),
    DemoPerson(
        "manager_l2",
        "张磊",
        "zhang.lei@crmflow-demo.cn",
        StaffRole.ACCOUNT_MANAGER_L2,
        "manager_l1",
        "east",
        40,
        "l2-1@demo.crmflow",
    ),
    DemoPerson(
        "manager_l2_east",
        "刘洋",
        "liu.yang@crmflow-demo.cn",
        StaffRole.ACCOUNT_MANAGER_L2,
        "manager_l1",
        "east",
        40,
        "l2-2@demo.crmflow",
    ),
    DemoPerson(
        "manager_l2_north",
        "陈静",
        "chen.jing@crmflow-demo.cn",
        StaffRole.ACCOUNT_MANAGER_L2,
        "manager_l1_north",
        "north",
        40,
        "l2-3@demo.crmflow",
    ),
    DemoPerson(
        "manager_l2_north2",
        "杨帆",
        "yang.fan@crmflow-demo.cn",
        StaffRole.ACCOUNT_MANAGER_L2,
        "manager_l1_north",
        "north",
        40,
        "l2-4@demo.crmflow",
    ),
)
SYSTEM_ROLES = ("admin", "ops", "service")  # principals without a staff member


@dataclass(frozen=True)
class DemoCustomer:
    """A seeded customer: `history` says how its follow-ups end (see `_history`)."""

    ref: str
    name: str
    region: str
    industry: str
    tier: int
    owner: str  # label of the owning person
    history: str = "active"  # active | warned | lapsed (no follow-up long enough to be reclaimed)


def _customers() -> tuple[DemoCustomer, ...]:
    east_l1 = [
        "杭州云帆科技有限公司",
        "上海恒远物流集团",
        "苏州精工制造股份有限公司",
        "南京金陵医药有限公司",
        "宁波海港贸易有限公司",
    ]
    north_l1 = ["北京华信软件有限公司", "天津渤海化工集团", "济南泉城能源有限公司", "青岛蓝海食品有限公司"]
    east_l2 = [
        "杭州青禾茶业有限公司",
        "上海小满咖啡连锁",
        "无锡锦程纺织有限公司",
        "嘉兴南湖文具厂",
        "温州鹿城鞋业有限公司",
        "合肥晨光电子有限公司",
        "绍兴古越酒业有限公司",
        "常州龙城家居有限公司",
        "扬州瘦西湖旅行社",
        "金华义乌小商品贸易行",
        "厦门鹭岛海鲜餐饮",
        "福州闽江印务有限公司",
    ]
    north_l2 = [
        "北京朝阳健身俱乐部",
        "天津津门糕点铺",
        "石家庄冀中农资有限公司",
        "太原晋阳汽配城",
        "大连星海渔具店",
        "沈阳盛京装饰工程有限公司",
        "呼和浩特草原乳业合作社",
        "唐山冀东建材有限公司",
        "烟台苹果园农场",
        "保定直隶书局",
        "郑州中原物流园",
        "洛阳牡丹文化传媒",
    ]
    industries = ["technology", "logistics", "manufacturing", "healthcare", "retail", "energy", "food", "services"]
    rows: list[DemoCustomer] = []
    n = 0

    def add(name: str, region: str, tier: int, owner: str, history: str = "active") -> None:
        nonlocal n
        n += 1
        rows.append(DemoCustomer(f"DEMO-{n:03d}", name, region, industries[n % len(industries)], tier, owner, history))

    for i, name in enumerate(east_l1):
        add(name, "east", 1, "manager_l1", "warned" if i == 4 else "active")
    for i, name in enumerate(north_l1):
        add(name, "north", 1, "manager_l1_north", "lapsed" if i == 3 else "active")
    owners_east = ("manager_l2", "manager_l2_east")
    owners_north = ("manager_l2_north", "manager_l2_north2")
    # A few of the small customers went quiet: two are about to be reclaimed, three already were.
    quiet = {9: "warned", 10: "lapsed", 11: "lapsed"}
    for i, name in enumerate(east_l2):
        add(name, "south" if i >= 10 else "east", 2, owners_east[i % 2], quiet.get(i, "active"))
    for i, name in enumerate(north_l2):
        add(name, "north", 2, owners_north[i % 2], {10: "warned", 11: "lapsed"}.get(i, "active"))
    return tuple(rows)


CUSTOMERS = _customers()
# Earlier seeds named their customers "Demo customer NN" (refs DEMO-001..020); they are renamed in place.
_LEGACY_NAME = "Demo customer "


@dataclass
class DemoOrg:
    """What seeding produced: the tokens by label, and who is who."""

    tokens: dict[str, str]
    staff_ids: dict[str, int]  # person label → staff id
    customer_ids: dict[str, int]  # customer ref → id
    created_customers: int = 0
    labels_by_staff: dict[int, str] = field(default_factory=dict)

    def token_for_staff(self, staff_id: int) -> str:
        return self.tokens[self.labels_by_staff[staff_id]]


async def _staff(session: AsyncSession, person: DemoPerson, supervisor: Staff | None) -> Staff:
    existing = await session.scalar(select(Staff).where(Staff.email.in_([person.email, person.legacy_email])))
    if existing is not None:
        if existing.email != person.email:
            # An earlier demo seed: same person, now with a real-looking name and email.
            existing.email, existing.name = person.email, person.name
            record_audit(
                session,
                actor="seed",
                action="staff.updated",
                entity_type="staff",
                entity_id=existing.id,
                details={"email": person.email, "name": person.name},
            )
        return existing
    staff = Staff(
        name=person.name,
        email=person.email,
        role=person.role,
        supervisor_id=supervisor.id if supervisor else None,
        region=person.region,
        capacity=person.capacity,
    )
    # Web sign-in: set the hash of DEMO_PASSWORD on `staff` here (only for staff created here, so a
    # password a person changed survives the next `make dev`).
    session.add(staff)
    await session.flush()
    record_audit(session, actor="seed", action="staff.created", entity_type="staff", entity_id=staff.id)
    return staff


def _history(customer: DemoCustomer, now: datetime, rng: random.Random) -> tuple[list[datetime], list[tuple]]:
    """Follow-up times and transactions (date, amount) over the past year, ending as `customer.history` says."""
    # Days since the last follow-up: reclaim lapses tier 1 after 60 days, tier 2 after 30, warning 7 days before.
    lapse = 60 if customer.tier == 1 else 30
    last_follow_up = {"active": rng.randint(1, 12), "warned": lapse - 4, "lapsed": lapse + 12}[customer.history]
    follow_ups: list[datetime] = []
    day = last_follow_up
    while day < 365:
        follow_ups.append(now - timedelta(days=day, hours=rng.randint(0, 8), minutes=rng.randint(0, 59)))
        day += rng.randint(18, 40)
    # A quiet customer's last deal is older than the reclaim exemption for recent deals (30 days).
    first_deal = 8 if customer.history == "active" else max(last_follow_up, 40) + 5
    base = 180_000 if customer.tier == 1 else 9_000
    deals = []
    day = first_deal + rng.randint(0, 10)
    while day < 365:
        amount = Decimal(round(base * rng.uniform(0.4, 1.8), -1)).quantize(Decimal("0.01"))
        deals.append(((now - timedelta(days=day)).date(), amount))
        day += rng.randint(20, 45) if customer.tier == 1 else rng.randint(25, 60)
    return follow_ups, deals


async def _customer(session: AsyncSession, spec: DemoCustomer, owner: Staff, now: datetime) -> tuple[Customer, bool]:
    existing = await session.scalar(select(Customer).where(Customer.external_ref == spec.ref))
    if existing is not None:
        if existing.name.startswith(_LEGACY_NAME):
            existing.name = spec.name
        return existing, False
    rng = random.Random(spec.ref)  # the same history for the same customer, run after run
    joined = now - timedelta(days=365 + rng.randint(0, 200))
    customer = Customer(
        name=spec.name,
        external_ref=spec.ref,
        region=spec.region,
        industry=spec.industry,
        declared_annual_value=Decimal(2_000_000 if spec.tier == 1 else rng.randint(5, 30) * 10_000),
        tier=spec.tier,
        status=CustomerStatus.ACTIVE,
        owner_id=owner.id,
        owner_assigned_at=joined,
        activated_at=joined,
        created_at=joined,
    )
    session.add(customer)
    await session.flush()
    created = record_audit(
        session,
        actor="seed",
        action="customer.created",
        entity_type="customer",
        entity_id=customer.id,
        customer_id=customer.id,
    )
    created.occurred_at = joined  # the customer's timeline starts when it became a customer
    follow_ups, deals = _history(spec, now, rng)
    channels = ("phone", "visit", "wechat", "email")
    notes = ("季度回访，客户反馈良好", "沟通续约意向", "介绍新产品方案", "处理开票问题", "节日问候", "确认交付进度")
    for at in sorted(follow_ups):
        await add_follow_up(
            session,
            customer=customer,
            staff_id=owner.id,
            channel=rng.choice(channels),
            note=rng.choice(notes),
            occurred_at=at,
        )
    for index, (on, amount) in enumerate(sorted(deals)):
        await add_transaction(
            session,
            customer_id=customer.id,
            amount=amount,
            occurred_on=on,
            external_ref=f"{spec.ref}-TX-{index + 1:03d}",
        )
    return customer, True


async def _survey_contact(session: AsyncSession, customer_id: int, spec: DemoCustomer) -> None:
    """Who answers the demo customer's surveys (DESIGN §3.9): mail lands in the local mailbox; every third in English."""
    if await session.get(CustomerContact, customer_id) is None:
        number = int(spec.ref.rsplit("-", 1)[-1])
        session.add(
            CustomerContact(
                customer_id=customer_id,
                name=f"{spec.name} 联系人" if number % 3 else "Alex Chen",
                email=f"contact+{spec.ref.lower()}@customer.example",
                language="en" if number % 3 == 0 else "zh-CN",
            )
        )


def read_token_file(path: Path) -> dict[str, str]:
    """Labels and tokens of a demo-tokens.env (missing or unreadable: none)."""
    tokens: dict[str, str] = {}
    try:
        text = path.read_text()
    except OSError:
        return tokens
    for line in text.splitlines():
        name, sep, value = line.removeprefix("export ").partition("=")
        if sep and name.endswith("_TOKEN") and value.strip():
            tokens[name.removesuffix("_TOKEN").lower()] = value.strip()
    return tokens


async def _token(
    session: AsyncSession, label: str, role: str, staff_id: int | None, known: str | None, reset: bool
) -> str:
    """The label's token: the one in the token file while it still works, else a new one."""
    name = DEMO_PREFIX + label
    if known is not None and not reset:
        principal = await principal_by_token(session, known, record_use=False)
        if principal is not None and principal.name == name:
            return known
    principal = await session.scalar(
        select(Principal).where(Principal.name == name, Principal.revoked_at.is_(None)).order_by(Principal.id.desc())
    )
    if principal is None:
        principal, token = await create_principal(session, name=name, role=role, staff_id=staff_id)
        record_audit(session, actor="seed", action="principal.created", entity_type="principal", entity_id=principal.id)
        return token
    # Rotate in place: the old token stops working, and the principal (whose id names what it started,
    # e.g. the demo complaints' idempotency keys) stays the same.
    token = new_token()
    principal.token_hash = hash_token(token)
    principal.staff_id = staff_id
    record_audit(
        session,
        actor="seed",
        action="principal.token_rotated",
        entity_type="principal",
        entity_id=principal.id,
        reason="--reset-tokens" if reset else "token file missing or stale",
    )
    return token


async def _sign_in(session: AsyncSession, label: str, email: str, password_hash: Callable[[], str]) -> None:
    """The demo principal signs in with its email and the demo password; a password already set is kept."""
    principal = await session.scalar(
        select(Principal).where(Principal.name == DEMO_PREFIX + label, Principal.revoked_at.is_(None))
    )
    if principal is None:
        return
    principal.email = email
    if principal.password_hash is None:
        principal.password_hash = password_hash()


async def seed_demo(settings: Settings, *, reset_tokens: bool = False) -> DemoOrg:
    """Create the demo organisation once; keep the demo tokens (rotate them with `reset_tokens`)."""
    token_path = settings.var_dir / TOKEN_FILE
    known = read_token_file(token_path)
    now = utcnow()
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            people: dict[str, Staff] = {}
            for person in PEOPLE:
                people[person.label] = await _staff(session, person, people.get(person.supervisor or ""))
            created = 0
            customer_ids: dict[str, int] = {}
            for spec in CUSTOMERS:
                customer, new = await _customer(session, spec, people[spec.owner], now)
                customer_ids[spec.ref] = customer.id
                await _survey_contact(session, customer.id, spec)
                created += new
            # Each demo customer's next-contact date from its history: some due soon, the quiet ones overdue.
            reclaim = load_as(settings.definitions_dir, ReclaimDefinition)
            await schedule_next_contacts(session, definition=reclaim, customer_ids=customer_ids.values())
            tokens: dict[str, str] = {}
            for role in SYSTEM_ROLES:
                tokens[role] = await _token(session, role, role, None, known.get(role), reset_tokens)
            for person in PEOPLE:
                role = "director" if person.role == StaffRole.DIRECTOR else "manager"
                tokens[person.label] = await _token(
                    session, person.label, role, people[person.label].id, known.get(person.label), reset_tokens
                )
            # One argon2 hash for every demo person, made only when someone still lacks one (argon2 is slow on purpose).
            demo_hash = functools.cache(lambda: hash_password(DEMO_PASSWORD))
            for role in SYSTEM_ROLES:
                await _sign_in(session, role, SYSTEM_EMAIL.format(role=role), demo_hash)
            for person in PEOPLE:
                await _sign_in(session, person.label, person.email, demo_hash)
        if tokens != known:
            _write_token_file(token_path, tokens)
        staff_ids = {label: staff.id for label, staff in people.items()}
        return DemoOrg(
            tokens=tokens,
            staff_ids=staff_ids,
            customer_ids=customer_ids,
            created_customers=created,
            labels_by_staff={staff_id: label for label, staff_id in staff_ids.items()},
        )
    finally:
        await engine.dispose()


def _write_token_file(path: Path, tokens: dict[str, str]) -> None:
    """Demo tokens as shell variables in ./var (dev convenience, readable by the owner only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.touch(mode=0o600)
    partial.write_text("".join(f"export {label.upper()}_TOKEN={token}\n" for label, token in tokens.items()))
    partial.replace(path)


def print_tokens(console: Console, org: DemoOrg) -> None:
    """A table of the demo tokens (one per role and per person), narrow enough for 80 columns."""
    names = {person.label: person.name for person in PEOPLE}
    table = Table(title="demo tokens (also in ./var/demo-tokens.env; kept between starts)")
    table.add_column("who")
    table.add_column("name")
    table.add_column("token", no_wrap=True)
    for label, token in org.tokens.items():
        table.add_row(label, names.get(label, ""), token)
    console.print(table)


def print_sign_in(console: Console, settings: Settings) -> None:
    """Who can sign in to the web workspace, and with which password."""
    table = Table(title=f"sign in at http://{settings.api_host}:{settings.api_port}/ (password: {DEMO_PASSWORD})")
    table.add_column("who")
    table.add_column("email", no_wrap=True)
    for person in PEOPLE:
        table.add_row(f"{person.label} {person.name}", person.email)
    for role in SYSTEM_ROLES:
        table.add_row(role, SYSTEM_EMAIL.format(role=role))
    console.print(table)
