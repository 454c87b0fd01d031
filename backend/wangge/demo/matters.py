"""A few sample matters for the demo, made through the real services, so that a new user's inboxes and the station
chief's triage board are not empty, the samples of the steps around the routes (demo.loop) and two past months for
the assessment's figures (demo.history). Only when the database has no matter yet: running it again changes
nothing."""

from __future__ import annotations

from types import SimpleNamespace

from shapely.geometry import shape
from sqlalchemy import func, select

from wangge.accounts.models import User
from wangge.accounts.scope import Subject
from wangge.config import Settings
from wangge.database import Database
from wangge.demo import history, loop
from wangge.demo.geography import demo_world
from wangge.matters import intake, service
from wangge.matters.models import Matter
from wangge.matters.schemas import ActionIn

SAMPLES = [
    # (grid index in the main community, category, description, what happens next)
    (0, "sanitation", "商业街后巷垃圾堆放两天无人清运，气味很大", "submitted"),
    (1, "road_safety", "小区北门路面塌陷，有积水，晚上看不清", "at_station"),
    (2, "livelihood", "3栋老人多，居民联名申请加装电梯", "at_station"),
    (3, "illegal_construction", "顶楼有住户在搭建彩钢棚", "submitted"),
]


async def seed(settings: Settings) -> int:
    db = Database(settings.database_url, spatialite_library=settings.spatialite_library)
    try:
        async with db.sessionmaker() as session:
            if (await session.execute(select(func.count()).select_from(Matter))).scalar_one():
                return 0
            users = {u.username: u for u in (await session.execute(select(User))).scalars()}
            if "leader1" not in users:
                return 0
            grids = demo_world()["communities"][0]["grids"]
            made = 0
            for index, category, description, then in SAMPLES:
                point = shape(grids[index]["geometry"]).representative_point()
                data = SimpleNamespace(
                    category=category,
                    description=description,
                    lat=point.y,
                    lon=point.x,
                    address=None,
                    reporter_name="王女士",
                    reporter_phone="13800138000",
                    photo_tokens=[],
                )
                m, grid, _ = await intake.create_public(session, data, settings)
                if then == "at_station":
                    leader = next((u for u in users.values() if u.role == "grid_leader" and u.grid_id == grid.id), None)
                    if leader is not None:
                        await service.act(
                            session, Subject.of(leader), m, "bring_back", ActionIn(reason="需服务站协调处理")
                        )
                made += 1
            # A grid leader's own finding, handled on the spot.
            leader = users["leader1"]
            point = shape(grids[0]["geometry"]).representative_point()
            field = SimpleNamespace(
                category="sanitation",
                description="共享单车倒地堵住消防通道",
                lat=point.y,
                lon=point.x,
                address=None,
                source="field",
                reporter_name=None,
                reporter_phone=None,
                handled_on_spot=True,
                result="已扶正并移到停放区",
                photo_ids=[],
            )
            await intake.create_by_staff(session, Subject.of(leader), field, settings)
            await session.flush()
            made += 1 + await loop.seed(session, settings, grids)
            made += await history.seed(session, settings, demo_world()["communities"])
            await session.commit()
            return made
    finally:
        await db.dispose()
