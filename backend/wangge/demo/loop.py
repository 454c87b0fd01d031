"""Sample matters for the steps around the routes (issue 11), so that each new queue and section has something in it
right after `make run`: the station chief's 待审批 (a grid leader's extension), 待核查 (an illegal structure the grid
leader dealt with) and 待回访 (resolved days ago, not rated); the street officer's 待审批 (the station's suspension);
a dispute mediated twice to an agreement; a matter handled jointly with two departments, one of which recorded its
part (the `dept` account's 协办); two 12345 hotline orders, one contacted in time and one late.

Everything is done through the services (intake, service.act, the hotline import) as the accounts would, so the
events, the applications, the sessions and the notifications agree with the record. A matter that must look days old
(a callback is due three days after the resolution; a contact is late after two working hours) is made now and then
moved back in time whole — its times and its events by the same amount — before the next step is taken.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from shapely.geometry import shape
from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject
from wangge.config import Settings
from wangge.hierarchy.models import Grid
from wangge.matters import hotline, intake, service
from wangge.matters.models import Category, Matter, MatterEvent
from wangge.matters.schemas import ActionIn, ContactIn, PartyIn, SessionIn
from wangge.models_common import UTCDateTime, as_utc, utcnow
from wangge.workcalendar import SHANGHAI

# The order numbers of the sample 12345 hotline orders (the hotline's own numbering).
HOTLINE_ORDERS = ("12345-DEMO-0001", "12345-DEMO-0002")


def _point(grid: dict[str, Any]) -> Any:
    return shape(grid["geometry"]).representative_point()


async def _report(
    db: AsyncSession, settings: Settings, grid: dict[str, Any], category: str, description: str, name: str, phone: str
) -> Matter:
    point = _point(grid)
    data = SimpleNamespace(
        category=category,
        description=description,
        lat=point.y,
        lon=point.x,
        address=None,
        reporter_name=name,
        reporter_phone=phone,
        photo_tokens=[],
    )
    m, _, _ = await intake.create_public(db, data, settings)
    return m


async def _back_in_time(db: AsyncSession, m: Matter, delta: timedelta) -> None:
    """Move the matter and its events back by `delta`, as if all of it had happened then."""
    for attr in inspect(Matter).column_attrs:
        column = attr.columns[0]
        if isinstance(column.type, UTCDateTime) and column.computed is None:
            value = getattr(m, attr.key)
            if value is not None:
                setattr(m, attr.key, as_utc(value) - delta)
    await db.flush()
    for event in (await db.execute(select(MatterEvent).where(MatterEvent.matter_id == m.id))).scalars():
        event.at = as_utc(event.at) - delta
        contact = (event.data or {}).get("contact")
        if isinstance(contact, dict) and contact.get("at"):  # the contact's own time, shown in the loop's record
            at = as_utc(datetime.fromisoformat(contact["at"])) - delta
            event.data = {**event.data, "contact": {**contact, "at": at.isoformat()}}


async def seed(db: AsyncSession, settings: Settings, grids: list[dict[str, Any]]) -> int:
    """Make the samples in the main community (`grids`: its grids in the demo world); returns how many."""
    users = {u.username: u for u in (await db.execute(select(User))).scalars()}
    leader_of = {
        u.grid_id: Subject.of(u) for u in users.values() if u.role == Role.grid_leader.value and u.grid_id is not None
    }
    grid_ids = dict((await db.execute(select(Grid.code, Grid.id))).all())
    chief, street, dept = (Subject.of(users[name]) for name in ("chief", "street", "dept"))
    today = utcnow().astimezone(SHANGHAI).date()

    def leader(index: int) -> Subject:
        return leader_of[grid_ids[grids[index]["code"]]]

    async def act(who: Subject, m: Matter, action: str, **body: Any) -> None:
        await service.act(db, who, m, action, ActionIn(**body))
        await db.flush()  # each step is a request of its own: the next one reads what this one wrote

    made = 0
    # 待审批 (station chief): the grid leader asks for five more days, waiting for the street's new bins.
    m = await _report(db, settings, grids[4], "sanitation", "小区东门三个垃圾桶破损，垃圾散落", "赵先生", "13800138001")
    await act(leader(4), m, "accept")
    due = as_utc(m.due_at).astimezone(SHANGHAI).date()
    wait = "新垃圾桶需街道统一配送，预计下周到货"
    await act(leader(4), m, "apply_extension", reason=wait, until=due + timedelta(days=5))
    made += 1

    # 待审批 (street officer): the station suspends a relief application until the district has checked it.
    relief = "独居老人申请临时救助，需核实家庭收入"
    m = await _report(db, settings, grids[5], "civil_affairs", relief, "钱阿姨", "13800138002")
    await act(leader(5), m, "bring_back", reason="需服务站协调处理")
    await act(chief, m, "apply_suspension", reason="等待区民政局核对家庭经济状况", until=today + timedelta(days=14))
    made += 1

    # 待核查 (station chief): an illegal structure the grid leader had taken down, to be verified on site.
    m = await _report(
        db, settings, grids[6], "illegal_construction", "5栋一楼住户在绿化带内加建围墙", "孙先生", "13800138003"
    )
    await act(leader(6), m, "accept")
    await act(leader(6), m, "resolve", result="已劝导住户自行拆除围墙，恢复绿化带")
    made += 1

    # 待回访 (station chief): resolved five days ago and never rated; one called back and closed, one unanswered.
    resolved = []
    for index, category, description, name, phone, result in (
        (0, "sanitation", "菜市场门口污水外溢", "周女士", "13800138004", "已疏通下水道并冲洗路面"),
        (1, "sanitation", "楼道堆放杂物堵塞通道", "吴先生", "13800138005", "已通知住户清理，楼道已畅通"),
        (2, "culture", "社区广场舞音响声音过大", "郑阿姨", "13800138006", "已协调舞队调低音量、21点前结束"),
        (3, "sanitation", "小区南门路灯下垃圾未清运", "冯先生", "13800138007", "已清运并增加一次清运频次"),
    ):
        m = await _report(db, settings, grids[index], category, description, name, phone)
        # The requester hears from the grid first (先行联系), then it is handled on the spot.
        await act(leader(index), m, "contact", contact=ContactIn(method="phone", agreed="马上到现场处理"))
        await act(leader(index), m, "handle_on_spot", result=result)
        await _back_in_time(db, m, timedelta(days=5))
        resolved.append(m)
        made += 1
    await act(chief, resolved[3], "callback", answer="satisfied", note="居民表示已清运干净，满意")
    await act(chief, resolved[2], "callback", answer="unreachable", note="电话无人接听")

    # 调解: a neighbours' dispute, two sessions to an agreement with a follow-up date.
    noise = "楼上住户装修噪音和漏水，楼下多次协商无果"
    m = await _report(db, settings, grids[7], "dispute", noise, "陈女士", "13800138008")
    await act(leader(7), m, "accept")
    await act(leader(7), m, "contact", contact=ContactIn(method="visit", agreed="约定周末双方到服务站调解"))
    await _back_in_time(db, m, timedelta(days=6))
    parties = [
        PartyIn(name="陈女士", phone="13800138008", role="申请人（楼下）"),
        PartyIn(name="林先生", phone="13900139008", role="被申请人（楼上）"),
    ]
    await act(
        leader(7),
        m,
        "mediate",
        session=SessionIn(
            held_on=today - timedelta(days=5),
            mediators="网格长、人民调解员赵建国",
            outcome="continued",
            note="双方同意先请物业查明漏水原因",
            parties=parties,
        ),
    )
    await act(
        leader(7),
        m,
        "mediate",
        session=SessionIn(
            held_on=today - timedelta(days=1),
            mediators="网格长、人民调解员赵建国、物业经理",
            outcome="agreed",
            note="物业确认为楼上防水层破损",
            agreement="林先生于两周内修复卫生间防水层并承担楼下天花板修补费用；装修仅在工作日8:00–12:00、14:00–18:00施工。",
            follow_up_on=today + timedelta(days=14),
        ),
    )
    made += 1

    # 协商: the station convenes the street's enforcement team and its public-order office; the team reports back.
    stalls = "夜市摊点占道经营，油烟和噪音扰民"
    m = await _report(db, settings, grids[1], "public_order", stalls, "韩先生", "13800138009")
    await act(leader(1), m, "bring_back", reason="需服务站协调处理")
    owner = (await db.execute(select(Category.department_id).where(Category.code == "public_order"))).scalar()
    convened = [dept.department_id, owner]
    await act(chief, m, "coordinate", departments=convened, reason="占道经营和扰民需执法队与平安办联合整治")
    await act(dept, m, "record_part", part="已于当晚派员清理占道摊点，告知摊主在划定区域经营")
    made += 1

    # 12345: two orders imported by the street; the first contacted in time, the second two weeks late.
    g0, g2 = _point(grids[0]), _point(grids[2])
    orders = [
        {
            "order_no": HOTLINE_ORDERS[0],
            "category": "sanitation",
            "description": "市民来电：小区垃圾分类亭周边有大件垃圾堆放",
            "lat": g0.y,
            "lon": g0.x,
            "caller_name": "蒋先生",
            "caller_phone": "13800138010",
        },
        {
            "order_no": HOTLINE_ORDERS[1],
            "category": "sanitation",
            "description": "市民来电：楼栋外墙空调外机滴水到人行道",
            "lat": g2.y,
            "lon": g2.x,
            "caller_name": "沈女士",
            "caller_phone": "13800138011",
        },
    ]
    report = await hotline.import_orders(db, street, orders)
    by_order = {
        m.external_id: m
        for m in (await db.execute(select(Matter).where(Matter.external_id.in_(HOTLINE_ORDERS)))).scalars()
    }
    if report["accepted"] != len(orders):
        raise RuntimeError(f"the demo's hotline orders were refused: {report['rows']}")
    on_time, late = by_order[HOTLINE_ORDERS[0]], by_order[HOTLINE_ORDERS[1]]
    await act(
        leader(0),
        on_time,
        "contact",
        contact=ContactIn(method="phone", agreed="今天下午四点前上门查看并清运"),
    )
    await act(leader(0), on_time, "accept")
    # Two weeks on (past any holiday), nobody had called: the contact comes late, then it is dealt with.
    await _back_in_time(db, late, timedelta(days=14))
    await act(leader(2), late, "contact", contact=ContactIn(method="phone", tries=2, agreed="上门协调住户加装接水管"))
    await act(leader(2), late, "accept")
    await act(leader(2), late, "resolve", result="住户已加装接水管，人行道不再滴水")
    made += 2
    return made
