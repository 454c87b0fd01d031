"""The demo's registries 一标三实, so that 基础台账 is not empty after `make run`: two grids of the main community
(枫溪商业街, leader1's, and 榆林巷片区, leader3's) registered room by room — standard addresses building → unit →
floor → room in the demo's buildings (named with their estate), a house at each (owner-occupied, rented, vacant,
business use), their households (head, spouse, children, a parent) registered or floating, a few in special groups,
phones and fictional identity numbers with a valid GB 11643 check digit and plausible birth dates, the rentals'
tenancies, and a few changes over the past weeks (moves in and out, a move within the grid, a tenancy ended, a
death, a special group added). Every grid's units get a contact person and a duty phone.

Written with set-based inserts, as the rest of the demo; identity numbers and phones only through the encryption
of registries/personal.py (never in clear). The households and people match the grid's demo figures, so that the
figures the registry gives (registries.service.recount) are the ones the map showed before. A grid that already
holds a house is left alone, so running it again changes nothing."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wangge.accounts.models import Role, User
from wangge.config import Settings
from wangge.hierarchy.models import Building, Grid, Place
from wangge.registries import personal
from wangge.registries.models import EventKind, House, Person, RegistryEvent, Residency, Tenancy

# The grids registered, by their index in the demo world (leader1's and leader3's).
REGISTERED_GRIDS = (0, 2)
# Where the people come from: Changsha's districts for the registered, Hunan's counties for the floating.
LOCAL_REGIONS = ("430111",) * 6 + ("430102", "430103", "430104", "430105")
FLOATING_REGIONS = ("430524", "431021", "431321", "430923", "431224", "430626", "431121", "430426")
SURNAMES = "刘 李 王 张 陈 杨 周 黄 彭 罗 谭 邓 唐 曾 胡 易 龙 肖 赵 吴 何 许 贺 蒋 文 廖 刘 李 王 陈".split()
GIVEN = (
    "建 国 华 明 丽 红 军 平 芳 勇 志 伟 娟 敏 静 强 涛 霞 辉 波 燕 艳 斌 玲 杰 林 婷 鑫 思 雨 晨 佳 浩 宇 涵 慧 兰 春 "
    "桂 秋 英 德 福 海 云 湘 沅"
).split()
MOBILE = "130 131 132 133 135 136 137 138 139 150 151 152 155 158 159 173 177 180 185 186 187 188 189 199".split()


@dataclass
class _Member:
    name: str
    relation: str
    birth: date
    male: bool
    residence: str
    phone: str | None = None
    groups: list[str] = field(default_factory=list)
    id_number: str = ""


@dataclass
class _Household:
    members: list[_Member]
    since: date
    floating: bool


class _People:
    """Names, phones and identity numbers from one seeded generator; numbers unique across the demo."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.numbers: set[str] = set()
        self.phones: set[str] = set()

    def name(self, surname: str | None = None) -> str:
        rng = self.rng
        return (surname or rng.choice(SURNAMES)) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))

    def phone(self) -> str:
        while (p := self.rng.choice(MOBILE) + f"{self.rng.randrange(10**8):08d}") in self.phones:
            pass
        self.phones.add(p)
        return p

    def birth(self, age: int) -> date:
        return self.today - timedelta(days=age * 365 + self.rng.randrange(365))

    def id_number(self, region: str, birth: date, male: bool) -> str:
        """A fictional 18-character number: region, birth date, sequence (odd for men), GB 11643 check digit."""
        while True:
            seq = self.rng.randrange(1, 500) * 2 - (1 if male else 0)
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = first17 + personal.check_digit(first17)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def member(self, relation: str, age: int, residence: str, *, surname: str | None = None, male: bool) -> _Member:
        m = _Member(self.name(surname), relation, self.birth(max(age, 0)), male, residence)
        if age >= 16:
            m.phone = self.phone()
        return m


def _household(people: _People, size: int, floating: bool) -> _Household:
    """A household of `size`: a head, a spouse, children, and in a big one a parent; a single elder lives alone."""
    rng = people.rng
    residence = "floating" if floating else "registered"
    head_male = rng.random() < 0.6
    if size == 1:
        age = rng.randrange(24, 40) if floating else rng.randrange(68, 90)
        head = people.member("head", age, residence, male=head_male)
        if not floating:
            head.groups.append("elderly_alone")
        return _Household([head], people.today - timedelta(days=rng.randrange(200, 6000)), floating)
    head_age = rng.randrange(26, 45) if floating else rng.randrange(30, 66)
    head = people.member("head", head_age, residence, male=head_male)
    surname = head.name[0]
    members = [head, people.member("spouse", head_age + rng.randrange(-4, 4), residence, male=not head_male)]
    if floating and size >= 4 and rng.random() < 0.3:  # co-renters rather than a family
        members = [head] + [
            people.member("tenant", rng.randrange(20, 40), residence, male=rng.random() < 0.5) for _ in range(size - 1)
        ]
    else:
        if size >= 5:
            members.append(
                people.member("parent", head_age + rng.randrange(24, 30), residence, male=rng.random() < 0.5)
            )
        while len(members) < size:
            members.append(
                people.member(
                    "child", head_age - rng.randrange(22, 34), residence, surname=surname, male=rng.random() < 0.5
                )
            )
    if not floating and size == 2 and head_age >= 58:
        for m in members:
            m.groups.append("empty_nest")
    since_days = rng.randrange(30, 1100) if floating else rng.randrange(400, 9000)
    return _Household(members, people.today - timedelta(days=since_days), floating)


def _sizes(total: int, households: int) -> list[int]:
    """`total` people over `households` households, every household at least one."""
    base, extra = divmod(total, households)
    return [base + (1 if i < extra else 0) for i in range(households)]


def _spread_sizes(rng: random.Random, sizes: list[int]) -> list[int]:
    """The same sum, varied: some households smaller, some bigger (1 to 6 people), so not all alike."""
    for _ in range(len(sizes)):
        i, j = rng.randrange(len(sizes)), rng.randrange(len(sizes))
        if i != j and sizes[i] > 1 and sizes[j] < 6:
            sizes[i] -= 1
            sizes[j] += 1
    return sizes


def _slots(building: Building, households: int) -> list[tuple[str, int, str]]:
    """The building's standard addresses (unit, floor, room): two rooms a floor in each unit, as many units as
    its households need."""
    floors = building.floors or 6
    units = max(1, math.ceil(households / (floors * 2)))
    return [
        (str(u) if units > 1 else "", f, f"{f}{r:02d}")
        for u in range(1, units + 1)
        for f in range(1, floors + 1)
        for r in (1, 2)
    ]


def _label(building: Building, unit: str, room: str) -> str:
    return f"{building.name}{unit + '单元' if unit else ''}{room}"


def _at(day: date, hour: int = 10) -> datetime:
    """A moment of a Beijing working day, in UTC."""
    return datetime.combine(day, time(hour)).replace(tzinfo=UTC) - timedelta(hours=8)


def load_registry(session: Session, settings: Settings, grids: list[Grid], today: date) -> None:
    for index in REGISTERED_GRIDS:
        if index < len(grids):
            grid = grids[index]
            if session.execute(select(House.id).where(House.grid_id == grid.id).limit(1)).first() is None:
                _register_grid(session, settings, grid, today, seed=int(grid.code[-6:]))
    _unit_contacts(session, grids)


def _register_grid(session: Session, settings: Settings, grid: Grid, today: date, *, seed: int) -> None:
    people = _People(seed, today)
    rng = people.rng
    leader = session.execute(
        select(User.id).where(User.role == Role.grid_leader.value, User.grid_id == grid.id).order_by(User.id)
    ).scalar()
    if leader is None:
        return
    buildings = list(
        session.execute(select(Building).where(Building.grid_id == grid.id).order_by(Building.id)).scalars()
    )
    total = sum(b.households for b in buildings) or 1
    # Rented households take the floating people; the others the registered, in the grid's proportion.
    floating_share = grid.floating_population / max(1, grid.registered_population + grid.floating_population)
    rented_count = max(1, round(grid.households * floating_share))
    kinds = [True] * rented_count + [False] * (grid.households - rented_count)
    rng.shuffle(kinds)
    floating_sizes = _spread_sizes(rng, _sizes(grid.floating_population, rented_count))
    registered_sizes = _spread_sizes(rng, _sizes(grid.registered_population, grid.households - rented_count))
    households = [_household(people, (floating_sizes if f else registered_sizes).pop(), f) for f in kinds]
    # Houses: each building's rooms; its share of the households lives in rooms drawn at random, the other rooms are
    # vacant but one on the ground floor, a shop.
    houses: list[House] = []
    lived: list[tuple[House, _Household]] = []
    spare: list[House] = []
    left = grid.households
    for n, b in enumerate(buildings):
        share = left if n == len(buildings) - 1 else min(left, round(grid.households * b.households / total))
        left -= share
        slots = _slots(b, share)
        taken = set(rng.sample(range(len(slots)), min(share, len(slots))))
        shop = next((i for i, s in enumerate(slots) if s[1] == 1 and i not in taken), None)
        for i, (unit, floor, room) in enumerate(slots):
            h = House(
                grid_id=grid.id, building_id=b.id, unit=unit, floor=floor, room=room, label=_label(b, unit, room),
                use="vacant" if i not in taken else "owner_occupied",
            )  # fmt: skip
            if i == shop:
                h.use = "business"
            houses.append(h)
            if i in taken:
                household = households[len(lived)]
                h.use = "rented" if household.floating else "owner_occupied"
                lived.append((h, household))
            elif i != shop:
                spare.append(h)
    session.add_all(houses)
    session.flush()

    started = datetime.now(UTC) - timedelta(days=60)  # when the grid team collected the registry
    rows: list[tuple[Person, _Member, House, date]] = []
    for house, household in lived:
        for m in household.members:
            rows.append((_person(settings, grid, house, m, leader, started, people), m, house, household.since))
    # A few disabled and low-income residents among the registered.
    registered = [p for p, m, _, _ in rows if m.residence == "registered"]
    for p in rng.sample(registered, min(4, len(registered))):
        p.special_groups = sorted({*p.special_groups, "disabled"})
    for p in rng.sample(registered, min(3, len(registered))):
        p.special_groups = sorted({*p.special_groups, "low_income"})
    session.add_all([p for p, _, _, _ in rows])
    session.flush()
    for p, m, house, since in rows:
        session.add(Residency(person_id=p.id, house_id=house.id, grid_id=grid.id, start_on=since))
        if house.use == "rented" and m.relation == "head":
            session.add(
                Tenancy(
                    house_id=house.id,
                    person_id=p.id,
                    grid_id=grid.id,
                    start_on=since,
                    created_by_id=leader,
                    created_at=started,
                )  # fmt: skip
            )
    session.flush()
    _changes(session, settings, grid, leader, people, rows, spare, today)


def _person(
    settings: Settings, grid: Grid, house: House, m: _Member, leader: int, at: datetime, people: _People
) -> Person:
    regions = FLOATING_REGIONS if m.residence == "floating" else LOCAL_REGIONS
    m.id_number = people.id_number(people.rng.choice(regions), m.birth, m.male)
    due = None
    if m.residence == "floating" and m.relation in ("head", "spouse", "tenant"):
        # 居住登记 renews yearly: the next anniversary of the day they registered (some due within the month).
        due = people.today + timedelta(days=people.rng.randrange(-5, 360))
    return Person(
        grid_id=grid.id, house_id=house.id, name=m.name, residence=m.residence, relation=m.relation,
        special_groups=list(m.groups), phone_enc=personal.encrypt(settings, m.phone, field="phone"),
        id_number_enc=personal.encrypt(settings, m.id_number, field="id_number"),
        id_number_hash=personal.search_hash(settings, m.id_number), registration_due=due,
        created_by_id=leader, created_at=at, updated_at=at,
    )  # fmt: skip


def _event(grid: Grid, kind: EventKind, on: date, leader: int, **kw: Any) -> RegistryEvent:
    return RegistryEvent(
        grid_id=grid.id, kind=kind.value, effective_on=on, recorded_by_id=leader, recorded_at=_at(on, 16), **kw
    )


def _changes(
    session: Session,
    settings: Settings,
    grid: Grid,
    leader: int,
    people: _People,
    rows: list[tuple[Person, _Member, House, date]],
    spare: list[House],
    today: date,
) -> None:
    """The registry's changes over the past weeks, each an event recorded by the grid's leader. People who left
    or died are added beside the figures (they no longer live in the grid), so the grid's figures stay its own."""
    rng = people.rng
    add = session.add
    # A floating family who rented a house that is vacant now: moved in half a year ago, the tenancy ended and they
    # moved out three weeks ago.
    if spare:
        house = spare[0]
        start, end = today - timedelta(days=190), today - timedelta(days=21)
        family = _household(people, 2, True)
        left = []
        for m in family.members:
            p = _person(settings, grid, house, m, leader, _at(start), people)
            p.house_id, p.registration_due = None, None
            left.append(p)
        session.add_all(left)
        session.flush()
        for p in left:
            add(Residency(person_id=p.id, house_id=house.id, grid_id=grid.id, start_on=start, end_on=end))
            add(_event(grid, EventKind.moved_out, end, leader, person_id=p.id, house_id=house.id, detail={}))
        add(Tenancy(house_id=house.id, person_id=left[0].id, grid_id=grid.id, start_on=start, end_on=end,
                    created_by_id=leader, created_at=_at(start)))  # fmt: skip
        add(_event(grid, EventKind.tenancy_ended, end, leader, person_id=left[0].id, house_id=house.id, detail={}))
    # An elder living alone died twelve days ago; their house stands empty since.
    if len(spare) > 1:
        house = spare[1]
        m = people.member("head", 87, "registered", male=True)
        p = _person(settings, grid, house, m, leader, _at(today - timedelta(days=3000)), people)
        died = today - timedelta(days=12)
        p.house_id, p.died_on, p.special_groups = None, died, ["elderly_alone"]
        session.add(p)
        session.flush()
        add(Residency(person_id=p.id, house_id=house.id, grid_id=grid.id, start_on=today - timedelta(days=9000),
                      end_on=died))  # fmt: skip
        add(_event(grid, EventKind.died, died, leader, person_id=p.id, house_id=house.id, detail={}))
    # The newest rentals: the last three floating households moved in over the past four weeks (their tenancy and
    # residency start that day), each a move-in and a new tenancy.
    heads = [(p, house) for p, m, house, _ in rows if m.residence == "floating" and m.relation == "head"][-3:]
    for n, (head, house) in enumerate(heads):
        day = today - timedelta(days=5 + 8 * n)
        household = [p for p, _, h, _ in rows if h.id == house.id]
        for p in household:
            p.created_at = p.updated_at = _at(day)
            if p.registration_due is not None:
                p.registration_due = day + timedelta(days=365)
        for r in session.execute(select(Residency).where(Residency.house_id == house.id)).scalars():
            r.start_on = day
        for t in session.execute(select(Tenancy).where(Tenancy.house_id == house.id)).scalars():
            t.start_on, t.created_at = day, _at(day)
        for p in household:
            add(_event(grid, EventKind.moved_in, day, leader, person_id=p.id, house_id=house.id,
                       detail={"registered": True}))  # fmt: skip
        add(_event(grid, EventKind.tenancy_started, day, leader, person_id=head.id, house_id=house.id, detail={}))
    # A parent moved over to another family's home ten days ago (a move within the grid; both homes stay lived in).
    parents = [(p, house, since) for p, m, house, since in rows if m.relation == "parent"]
    families = [(p, house) for p, m, house, _ in rows if m.relation == "head" and m.residence == "registered"]
    if parents and families:
        parent, old, since = parents[0]
        new = families[-1][1]
        day = today - timedelta(days=10)
        for r in session.execute(select(Residency).where(Residency.person_id == parent.id)).scalars():
            r.end_on = day
        add(Residency(person_id=parent.id, house_id=new.id, grid_id=grid.id, start_on=day))
        parent.house_id = new.id
        add(_event(grid, EventKind.moved_in, day, leader, person_id=parent.id, house_id=new.id, detail={}))
    # A special group recorded a week ago.
    registered = [p for p, m, _, _ in rows if m.residence == "registered" and "disabled" not in p.special_groups]
    if registered:
        p = rng.choice(registered)
        before = sorted(p.special_groups)
        p.special_groups = sorted({*before, "disabled"})
        add(_event(grid, EventKind.groups_changed, today - timedelta(days=7), leader, person_id=p.id,
                   detail={"from": before, "to": p.special_groups}))  # fmt: skip
    # One floating resident's residence registration ran out four days ago: on the list to renew, first.
    floating = [p for p, m, _, _ in rows if p.registration_due is not None]
    if floating:
        floating[0].registration_due = today - timedelta(days=4)


def _unit_contacts(session: Session, grids: list[Grid]) -> None:
    """Each unit 实有单位 of the demo grids gets a contact person and a duty phone, unless one already has them."""
    ids = [g.id for g in grids]
    if session.execute(select(Place.id).where(Place.grid_id.in_(ids), Place.contact_person.is_not(None))).first():
        return
    people = _People(7310, date.today())
    places = session.execute(select(Place).where(Place.grid_id.in_(ids)).order_by(Place.id)).scalars()
    for n, place in enumerate(places):
        place.contact_person = people.name()
        # Institutions publish a landline; a shop's owner answers their mobile.
        place.duty_phone = f"0731-8{5000000 + n * 37:07d}"[:13] if place.category == "institution" else people.phone()
