"""The demo's household sweep 逐户排查, so that 逐户排查 (the desk's /sweeps) and the leader's 我的排查 are not empty
after `make run`: one open campaign 出租房屋普查 over leader1's grid, made by the main station's chief three days
ago, with about two households in five ticked by the grid's leader since — most 正常 (the vacant rooms 空置), some
无人在家 to be visited again, and one 异常 with a note. Tasks and ticks are recorded as sweeps.service records them
(a task for every active house; each tick a `swept` registry event). Added only when no sweep exists at all."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wangge.accounts.models import Role, User
from wangge.models_common import utcnow
from wangge.registries.models import EventKind, House, RegistryEvent
from wangge.sweeps.models import Purpose, Result, Sweep, SweepGrid, SweepTask
from wangge.workcalendar import SHANGHAI

TITLE = "出租房屋普查"
NOTE = "核实出租房屋及承租人信息，发现群租、未办居住登记的当场登记并上报。"
ABNORMAL_NOTE = "疑似群租：一室住 6 人，其中 4 人未办居住登记，已告知房东三日内补办。"
DAYS_AGO = 3  # the campaign was made this many days ago
DAYS_LEFT = 11  # and is due this many days from today


def load_sweeps(session: Session, h: dict[str, Any], today: date) -> None:
    if session.execute(select(Sweep.id).limit(1)).first() is not None or not h["grids"]:
        return
    grid, _, community = h["grids"][0]
    chief = session.execute(select(User.id).where(User.username == "chief")).scalar()
    leader = session.execute(
        select(User.id).where(User.role == Role.grid_leader.value, User.grid_id == grid.id).order_by(User.id)
    ).scalar()
    houses = list(
        session.execute(
            select(House)
            .where(House.grid_id == grid.id, House.is_active.is_(True))
            .order_by(House.building_id, House.unit, House.floor, House.room)
        ).scalars()
    )
    if chief is None or leader is None or not houses:
        return
    now = utcnow()
    made = now - timedelta(days=DAYS_AGO)
    sweep = Sweep(
        title=TITLE, purpose=Purpose.rental_census.value, note=NOTE, start_on=today - timedelta(days=DAYS_AGO),
        due_on=today + timedelta(days=DAYS_LEFT), district_id=grid.district_id, street_id=grid.street_id,
        community_id=community.id, created_by_id=chief, created_at=made, status="open",
    )  # fmt: skip
    session.add(sweep)
    session.flush()
    session.add(SweepGrid(sweep_id=sweep.id, grid_id=grid.id))
    tasks = [
        SweepTask(sweep_id=sweep.id, house_id=h.id, grid_id=grid.id, building_id=h.building_id, ticks=0) for h in houses
    ]
    session.add_all(tasks)
    session.flush()
    ticked = max(3, len(tasks) * 2 // 5)
    abnormal = next((i for i in range(ticked) if houses[i].use == "rented"), ticked // 2)
    for i, (house, task) in enumerate(zip(houses[:ticked], tasks[:ticked], strict=True)):
        if i == abnormal:
            result, note = Result.abnormal, ABNORMAL_NOTE
        elif house.use == "vacant":
            result, note = Result.vacant, None
        elif i % 6 == 5:
            result, note = Result.absent, None
        else:
            result, note = Result.normal, None
        # Spread over the days since the campaign began, in the order the leader walked the buildings.
        at = made + timedelta(hours=2) + (now - made - timedelta(hours=3)) * i / ticked
        _tick(session, sweep, task, result, note, at, leader)
    session.flush()


def _tick(session: Session, s: Sweep, task: SweepTask, result: Result, note: str | None, at: datetime, by: int) -> None:
    task.result, task.note, task.ticked_at, task.ticked_by_id, task.ticks = result.value, note, at, by, 1
    session.add(
        RegistryEvent(
            grid_id=task.grid_id, kind=EventKind.swept.value, house_id=task.house_id,
            effective_on=at.astimezone(SHANGHAI).date(), recorded_by_id=by, recorded_at=at,
            detail={"sweep_id": s.id, "task_id": task.id, "title": s.title, "result": result.value, "note": note},
        )
    )  # fmt: skip
