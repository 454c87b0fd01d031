"""Two months of past matters for the demo, so that the assessment 考核 has figures to show on the first run: the
dashboards of last month and the month before, their trend, the ranking of the main community's grids (each past
the scheme's minimum count last month, so each is graded), the ranking of the street's communities, the monthly
bulletin 通报 and the communities' public boards 公示栏.

Each matter is made now through the services, as the accounts would (reported, contacted, accepted, resolved, called
back), then moved back in time whole (demo.loop._back_in_time) to its day in the month. Grids differ on purpose: most
contact the resident and resolve in time, some forget to contact, some leave a matter open past its deadline, and a
resident is now and then not satisfied, so the grades are not all the same colour."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject
from wangge.config import Settings
from wangge.demo.loop import _back_in_time, _report
from wangge.hierarchy.models import Grid
from wangge.matters import service
from wangge.matters.models import Matter
from wangge.matters.schemas import ActionIn, ContactIn
from wangge.models_common import utcnow
from wangge.workcalendar import SHANGHAI

# (category, description, result): what residents report in a month, taken in turn.
REPORTS = [
    ("sanitation", "楼栋前垃圾桶满溢未及时清运", "已联系环卫加派清运车次，垃圾已清运"),
    ("road_safety", "人行道地砖松动，老人容易绊倒", "已重新铺设松动地砖"),
    ("sanitation", "绿化带内有人乱扔装修垃圾", "已清理装修垃圾并张贴提示"),
    ("public_order", "小区门口车辆乱停放堵塞通道", "已协调物业划线并劝离占道车辆"),
    ("livelihood", "单元楼道声控灯不亮", "已更换楼道灯泡"),
    ("culture", "晚间广场音响声音过大影响休息", "已与活动队约定音量和结束时间"),
    ("sanitation", "雨水井盖堵塞，路面积水", "已疏通雨水井"),
]
# Every past matter's description, so that a test can tell them from the demo's other samples.
DESCRIPTIONS = frozenset(description for _, description, _ in REPORTS)

# What becomes of the n-th matter of a grid in a month, by the grid's habits: "good" contacts the resident first and
# resolves in time, the callback finds them satisfied; "silent" resolves without contacting the resident (a missed
# response); "open" is accepted and left past its deadline; "unhappy" is resolved and the callback is not satisfied.
HABITS = {
    "steady": ["good", "good", "good", "good", "good", "good", "good"],
    "mostly": ["good", "good", "silent", "good", "good", "good", "good"],
    "slow": ["good", "silent", "good", "open", "good", "unhappy", "good"],
    "poor": ["silent", "open", "good", "unhappy", "silent", "good", "open"],
}
# The main community's ten grids, in the demo world's order.
MAIN_HABITS = ["steady", "mostly", "slow", "steady", "poor", "mostly", "steady", "slow", "mostly", "steady"]


def _months_back(today: date, n: int) -> date:
    """The first day of the month `n` months before today's."""
    year, month = today.year, today.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


async def seed(db: AsyncSession, settings: Settings, communities: list[dict[str, Any]]) -> int:
    """Make last month's and the month before's matters in every community of the demo world; returns how many."""
    users = {u.username: u for u in (await db.execute(select(User))).scalars()}
    leader_of = {
        u.grid_id: Subject.of(u) for u in users.values() if u.role == Role.grid_leader.value and u.grid_id is not None
    }
    chief = Subject.of(users["chief"])
    grid_ids = dict((await db.execute(select(Grid.code, Grid.id))).all())
    now = utcnow()
    today = now.astimezone(SHANGHAI).date()

    async def act(who: Subject, m: Matter, action: str, **body: Any) -> None:
        await service.act(db, who, m, action, ActionIn(**body))
        await db.flush()

    made = 0
    for back, per_main, per_other in ((1, 6, 2), (2, 3, 1)):
        first = _months_back(today, back)
        for c, community in enumerate(communities):
            for g, grid in enumerate(community["grids"]):
                leader = leader_of.get(grid_ids.get(grid["code"]))
                if leader is None:
                    continue
                habits = HABITS[MAIN_HABITS[g % len(MAIN_HABITS)]] if c == 0 else HABITS["mostly"]
                for n in range(per_main if c == 0 else per_other):
                    category, description, result = REPORTS[(g + n) % len(REPORTS)]
                    then = datetime.combine(first + timedelta(days=2 + 4 * n + g % 3), time(9 + n), SHANGHAI)
                    m = await _report(db, settings, grid, category, description, "居民", f"1370000{c}{g:02d}{n}")
                    habit = habits[(n + back) % len(habits)]
                    if habit != "silent":
                        await act(leader, m, "contact", contact=ContactIn(method="phone", agreed="约定上门查看"))
                    await act(leader, m, "accept")
                    if habit != "open":
                        await act(leader, m, "resolve", result=result)
                        if c == 0 and habit in ("good", "unhappy"):
                            answer = "not_satisfied" if habit == "unhappy" else "satisfied"
                            await act(chief, m, "callback", answer=answer, note="电话回访")
                    await _back_in_time(db, m, now - then)
                    made += 1
    return made
