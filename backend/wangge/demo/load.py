"""Loads the demo street office (demo/geography.py) and one account for every role. Running it again changes
nothing: rows are found by code or username before anything is added."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wangge import geo
from wangge.accounts.models import Role, ScopeLevel, User
from wangge.accounts.security import Passwords
from wangge.config import get_settings
from wangge.demo.geography import demo_world
from wangge.demo.preparedness import load_preparedness
from wangge.demo.registry import load_registry
from wangge.demo.sweeps import load_sweeps
from wangge.emergencies.models import ResponseTier, TierMember
from wangge.fieldwork import people
from wangge.fieldwork.models import GridLeadership, PostPair, Shift, SpecialGroup, SpecialResident, TeamMember
from wangge.hierarchy import service
from wangge.hierarchy.models import Building, Community, Department, District, Grid, Place, Street
from wangge.matters.models import Category
from wangge.models_common import utcnow
from wangge.workcalendar import SHANGHAI

DEMO_PASSWORD = "wangge2026"  # noqa: S105 - printed by `make run` for the demo accounts only


@dataclass
class DemoAccount:
    username: str
    display_name: str
    role: str
    scope: str


def _area(data: dict[str, Any]) -> Any:
    geometry = data.get("geometry")
    return geo.to_db(geo.area_from_geojson(geometry)) if geometry else None


def _get_or_add(session: Session, model: Any, code: str, **values: Any) -> tuple[Any, bool]:
    obj = session.execute(select(model).where(model.code == code)).scalar()
    if obj is not None:
        return obj, False
    obj = model(code=code, **values)
    session.add(obj)
    session.flush()
    return obj, True


def _point(lonlat: list[float] | None) -> Any:
    return geo.to_db(geo.point_from_lonlat(*lonlat)) if lonlat else None


def _duty_phone(code: str) -> str:
    """A fictional published duty number (a Changsha landline) for a demo station or grid, from its code."""
    return f"0731-8{code[-7:]}"


def load_hierarchy(session: Session) -> dict[str, Any]:
    world = demo_world()
    d = world["district"]
    district, _ = _get_or_add(session, District, d["code"], name=d["name"], geom=_area(d))
    s = world["street"]
    street, _ = _get_or_add(session, Street, s["code"], name=s["name"], district_id=district.id, geom=_area(s))
    departments = {}
    for dep in world["departments"]:
        departments[dep["code"]], _ = _get_or_add(
            session,
            Department,
            dep["code"],
            name=dep["name"],
            level=dep["level"],
            district_id=district.id,
            street_id=street.id if dep["level"] == "street" else None,
            categories=dep["categories"],
        )
    # Each category is owned by the department that lists it (set once; an administrator may change it).
    for dep in world["departments"]:
        for code in dep["categories"]:
            category = session.execute(select(Category).where(Category.code == code)).scalar()
            if category is not None and category.department_id is None:
                category.department_id = departments[dep["code"]].id
    communities, grids = [], []
    for c in world["communities"]:
        community, _ = _get_or_add(
            session,
            Community,
            c["code"],
            name=c["name"],
            district_id=district.id,
            street_id=street.id,
            geom=_area(c),
            duty_phone=_duty_phone(c["code"]),
        )
        communities.append(community)
        for g in c["grids"]:
            poly = geo.polygon_from_geojson(g["geometry"], service.grid_label(g["code"]))
            grid, created = _get_or_add(
                session,
                Grid,
                g["code"],
                name=g["name"],
                kind=g["kind"],
                households=g["households"],
                registered_population=g["registered_population"],
                floating_population=g["floating_population"],
                district_id=district.id,
                street_id=street.id,
                community_id=community.id,
                area_m2=geo.geodesic_area_m2(poly),
                geom=geo.to_db(poly),
                duty_phone=_duty_phone(g["code"]),
            )
            grids.append((grid, g, community))
            if not created:
                continue
            for b in g["buildings"]:
                session.add(
                    Building(
                        grid_id=grid.id,
                        name=b["name"],
                        floors=b.get("floors"),
                        households=b.get("households", 0),
                        head_name=b.get("head_name"),
                        head_phone=b.get("head_phone"),
                        geom=_point(b.get("point")),
                    )
                )
            for category, key in (("institution", "institutions"), ("business", "businesses")):
                for p in g[key]:
                    session.add(
                        Place(
                            grid_id=grid.id,
                            category=category,
                            kind=p.get("kind", "other"),
                            name=p["name"],
                            address=p.get("address"),
                            geom=_point(p.get("point")),
                        )
                    )
    return {
        "district": district,
        "street": street,
        "departments": departments,
        "communities": communities,
        "grids": grids,
    }


def load(session: Session, passwords: Passwords) -> list[DemoAccount]:
    """Load the demo data; returns the demo accounts (all with DEMO_PASSWORD)."""
    h = load_hierarchy(session)
    district, street = h["district"], h["street"]
    main, second = h["communities"][0], h["communities"][1]
    first_dept = next(iter(h["departments"].values()))
    password_hash: list[str] = []

    def user(
        username: str,
        display_name: str,
        role: Role,
        level: ScopeLevel,
        scope_name: str,
        phone: str | None = None,
        **path: int | None,
    ) -> DemoAccount:
        if session.execute(select(User.id).where(User.username == username)).first() is None:
            if not password_hash:
                password_hash.append(passwords.hash(DEMO_PASSWORD))
            session.add(
                User(
                    username=username,
                    display_name=display_name,
                    role=role.value,
                    scope_level=level.value,
                    password_hash=password_hash[0],
                    phone=phone,
                    **path,
                )
            )
        return DemoAccount(username, display_name, role.value, scope_name)

    area = {"district_id": district.id, "street_id": street.id}
    accounts = [
        user("admin", "系统管理员", Role.administrator, ScopeLevel.system, "全部"),
        user("street", "周建华", Role.street_officer, ScopeLevel.street, street.name, **area),
        user(
            "dept",
            "刘志强",
            Role.department_officer,
            ScopeLevel.department,
            first_dept.name,
            district_id=district.id,
            street_id=first_dept.street_id,
            department_id=first_dept.id,
        ),
        user("chief", "陈秀英", Role.station_chief, ScopeLevel.community, main.name, **area, community_id=main.id),
        user("chief2", "王丽华", Role.station_chief, ScopeLevel.community, second.name, **area, community_id=second.id),
    ]
    for index, (grid, data, community) in enumerate(h["grids"], start=1):
        leader = data.get("leader") or {}
        accounts.append(
            user(
                f"leader{index}",
                leader.get("name", f"网格长{index}"),
                Role.grid_leader,
                ScopeLevel.grid,
                f"{community.name} {grid.name}",
                phone=leader.get("phone"),
                **area,
                community_id=community.id,
                grid_id=grid.id,
            )
        )
    first_grid = h["grids"][0][0]
    accounts.append(
        user(
            "member1",
            "黄志明",
            Role.grid_member,
            ScopeLevel.grid,
            first_grid.name,
            **area,
            community_id=main.id,
            grid_id=first_grid.id,
        )
    )
    accounts.append(
        user("resident", "居民李阿姨", Role.resident, ScopeLevel.community, main.name, **area, community_id=main.id)
    )
    session.flush()
    load_people(session, h)
    load_duty(session, h)
    today = utcnow().astimezone(SHANGHAI).date()
    load_registry(session, get_settings(), [grid for grid, _, _ in h["grids"]], today)
    load_preparedness(session, h, today)
    load_sweeps(session, h, today)
    session.commit()
    return accounts


def load_people(session: Session, h: dict[str, Any]) -> None:
    """Posts and people of field work: each demo leader leads their grid, neighbouring grids of a community are
    paired into A/B posts, the first grid has a small team, and a few residents in special groups. Each part is
    added only where nothing of its kind exists yet, so running it again changes nothing."""
    now = utcnow()
    started = now - timedelta(days=90)
    grids = [grid for grid, _, _ in h["grids"]]
    for grid in grids:
        if session.execute(select(GridLeadership.id).where(GridLeadership.grid_id == grid.id)).first() is None:
            leader = session.execute(
                select(User.id).where(User.role == Role.grid_leader.value, User.grid_id == grid.id).order_by(User.id)
            ).scalar()
            if leader is not None:
                session.add(GridLeadership(grid_id=grid.id, user_id=leader, started_at=started))
    # A/B posts: walk each community's grids in order and pair each free grid with the next adjacent free one.
    paired = {gid for pair in session.execute(select(PostPair.grid_a_id, PostPair.grid_b_id)).all() for gid in pair}
    limit = get_settings().pair_max_distance_m
    for community in h["communities"]:
        shapes = [(g, geo.from_db(g.geom)) for g in grids if g.community_id == community.id and g.geom is not None]
        for i, (a, shape_a) in enumerate(shapes):
            if a.id in paired:
                continue
            for b, shape_b in shapes[i + 1 :]:
                d = people.distance_m(shape_a, shape_b)
                if b.id not in paired and d <= limit:
                    session.add(PostPair(grid_a_id=a.id, grid_b_id=b.id, distance_m=d, created_at=started))
                    paired |= {a.id, b.id}
                    break
    first = grids[0]
    if session.execute(select(TeamMember.id).where(TeamMember.grid_id == first.id)).first() is None:
        member1 = session.execute(select(User.id).where(User.username == "member1")).scalar()
        for name, phone, role, types, user_id in (
            ("黄志明", "13807310001", "grid_member", ["community_informant"], member1),
            ("刘桂兰", "13807310002", "building_head", ["harmony_supervisor"], None),
            ("赵建国", "13807310003", "party_member", ["peoples_mediator", "legal_publicist"], None),
            ("孙晓燕", "13807310004", "volunteer", ["volunteer_safety_officer"], None),
            ("周海涛", "13807310005", "floating_population_assistant", ["city_management_assistant"], None),
        ):
            session.add(
                TeamMember(
                    grid_id=first.id,
                    user_id=user_id,
                    name=name,
                    phone=phone,
                    team_role=role,
                    staff_types=types,
                    start_date=date(2025, 1, 1),
                )
            )
    if session.execute(select(SpecialResident.id).limit(1)).first() is None:
        groups = dict(session.execute(select(SpecialGroup.code, SpecialGroup.id)).all())
        residents = (
            (0, "elderly_alone", "李奶奶", "13907310011", "1栋101"),
            (0, "disabled", "王大伯", "13907310012", "2栋203"),
            (0, "left_behind_children", "陈小明（监护人：陈奶奶）", "13907310013", "3栋302"),
            (1, "elderly_alone", "张爷爷", "13907310014", "1栋502"),
            (1, "low_income", "何阿姨", "13907310015", "4栋106"),
            (2, "empty_nest", "杨伯伯夫妇", "13907310016", "2栋401"),
        )
        for index, group, name, phone, address in residents:
            if group in groups and index < len(grids):
                session.add(
                    SpecialResident(
                        grid_id=grids[index].id,
                        group_id=groups[group],
                        name=name,
                        phone=phone,
                        address=address,
                        created_at=started,
                    )
                )


def load_duty(session: Session, h: dict[str, Any]) -> None:
    """The week's shifts 错时工作制 of every demo leader (weekdays 08:30–17:30, and in turn an evening or a Saturday
    morning), and the main community's first response tier (its chief and its first two leaders); each added only
    where nothing of its kind exists yet."""
    leaders = (
        session.execute(select(User.id).where(User.role == Role.grid_leader.value).order_by(User.id)).scalars().all()
    )
    if leaders and session.execute(select(Shift.id).limit(1)).first() is None:
        for n, leader in enumerate(leaders):
            for weekday in range(5):
                session.add(Shift(user_id=leader, weekday=weekday, start_time="08:30", end_time="17:30"))
            extra = (n % 5, "18:00", "21:00", "晚班") if n % 2 == 0 else (5, "09:00", "12:00", "周末班")
            session.add(Shift(user_id=leader, weekday=extra[0], start_time=extra[1], end_time=extra[2], label=extra[3]))
    main = h["communities"][0]
    tier = session.execute(
        select(ResponseTier.id).where(ResponseTier.unit_level == "community", ResponseTier.unit_id == main.id)
    ).first()
    if tier is None:
        first = ResponseTier(unit_level="community", unit_id=main.id, tier=1, name="第一梯队")
        session.add(first)
        session.flush()
        chief = session.execute(select(User.id).where(User.username == "chief")).scalar()
        mains = session.execute(
            select(User.id)
            .where(User.role == Role.grid_leader.value, User.community_id == main.id)
            .order_by(User.id)
            .limit(2)
        ).scalars()
        for user_id, duty in ((chief, "现场指挥"), *((u, "先期处置") for u in mains)):
            if user_id is not None:
                session.add(TierMember(tier_id=first.id, user_id=user_id, duty=duty))
