"""The public board 公示栏 of a community, for residents without an account: last month's 三率 with the counts they
are made of, the matters in their public notice period 公示 (and how to object), and the resolved matters of
public-space categories.

Nothing personal leaves here: no names, no phones, no addresses. A place is the grid (never the address the resident
typed); dates are Beijing days; a notice's text (the department's decision) has the requester's name and anything
that looks like a phone number blotted out; a resolved matter shows its outcome, not the handler's free text.

Public-space categories: the categories carry no flag saying so, so the board takes them from their codes in
`PUBLIC_SPACE_CATEGORIES` — streets, public facilities and the shared environment, where a matter concerns
everyone and names no household (illegal construction, disputes and the welfare lines are left out: they point at a
home or a person)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter
from pydantic import Field
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import throttle
from wangge.assessment import matter_figures, results
from wangge.deps import ReadSessionDep
from wangge.errors import NotFound
from wangge.hierarchy.models import Community, Grid, Street
from wangge.hierarchy.whois import station_phone
from wangge.matters.flow import Status
from wangge.matters.models import Category, Matter
from wangge.models_common import as_utc, utcnow
from wangge.schemas_common import Id, Output
from wangge.tables import start_of
from wangge.workcalendar import SHANGHAI

PUBLIC_SPACE_CATEGORIES = frozenset({"sanitation", "urban_construction", "road_safety", "environment"})
RESOLVED_DAYS = 90  # resolved matters of the last three months
RESOLVED_LIMIT = 30
NOTICE_LIMIT = 50
THREE_RATES = ("response_rate", "resolution_rate", "satisfaction_rate")
PHONE_LIKE = re.compile(r"\+?\d[\d\s-]{5,}\d")


# --- shapes ----------------------------------------------------------------------------------------------------------


class BoardRate(Output):
    num: int
    den: int
    value: float | None = Field(description="num / den to 4 places; null when den is 0")


class BoardMonth(Output):
    month: str = Field(description="YYYY-MM, the month before this one (Beijing)")
    received: int
    resolved: int
    response_rate: BoardRate
    resolution_rate: BoardRate
    satisfaction_rate: BoardRate


class BoardCategory(Output):
    code: str
    name: str
    name_en: str


class BoardNotice(Output):
    reference: str = Field(description="The notice's number (the matter's tracking code), to quote when objecting")
    category: BoardCategory
    place: str = Field(description="The grid, never an address")
    what: str = Field(description="The decision on notice, with names and phone numbers blotted out")
    until: date = Field(description="The last day (Beijing) an objection is taken")
    ends_at: datetime


class BoardResolved(Output):
    category: BoardCategory
    place: str
    reported_on: date
    resolved_on: date
    outcome: str = Field(description="done (解决) or refused (不予受理 / 不能解决)")


class BoardObject(Output):
    phone: str | None = Field(description="The station's duty phone (quote the notice's number)")
    tracking_path: str = Field(description="Where the requester objects online with their tracking code")


class BoardOut(Output):
    community: dict[str, Any] = Field(description="{id, name, street}")
    duty_phone: str | None
    last_month: BoardMonth
    notices: list[BoardNotice]
    how_to_object: BoardObject
    resolved: list[BoardResolved]
    public_space_categories: list[str]


# --- building it -----------------------------------------------------------------------------------------------------


def _today() -> date:
    return utcnow().astimezone(SHANGHAI).date()


def last_month(today: date) -> tuple[date, date]:
    """The first day of the month before `today`'s and the first day of `today`'s month."""
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1), first


def _scrub(text: str | None, *names: str | None) -> str:
    """A decision's text as the public may read it: phone-like digit runs and the given names blotted out."""
    out = PHONE_LIKE.sub("***", text or "")
    for name in names:
        if name and len(name.strip()) >= 2:
            out = out.replace(name.strip(), "*" * len(name.strip()))
    return out


def _local_day(at: datetime) -> date:
    return as_utc(at).astimezone(SHANGHAI).date()


def _rate(value: Any) -> dict[str, Any]:
    value = value or {}
    return {"num": int(value.get("num", 0)), "den": int(value.get("den", 0)), "value": value.get("value")}


async def _month(db: AsyncSession, community_id: int, today: date) -> dict[str, Any]:
    """Last month's counts and 三率 of the community: as frozen once the month was closed (what its dashboard shows
    too), else computed from its matters."""
    first, next_first = last_month(today)
    stored = await results.load(db, level="community", ids=[community_id], month=first)
    if community_id in stored:
        figures = stored[community_id][0].figures
    else:
        found = await matter_figures.figures(
            db, level="community", unit_ids=[community_id], start=start_of(first), end=start_of(next_first)
        )
        figures = found.get(community_id, {})
    return {
        "month": first.strftime("%Y-%m"),
        "received": int(figures.get("received", 0)),
        "resolved": int(figures.get("resolved", 0)),
        **{key: _rate(figures.get(key)) for key in THREE_RATES},
    }


def _category(c: Category) -> dict[str, str]:
    return {"code": c.code, "name": c.name_zh, "name_en": c.name_en}


async def _notices(db: AsyncSession, community_id: int) -> list[dict[str, Any]]:
    rows = (
        await db.execute(
            select(Matter.tracking_code, Matter.result, Matter.reporter_name, Matter.notice_ends_at)
            .add_columns(Category, Grid.name)
            .join(Category, Category.id == Matter.category_id)
            .outerjoin(Grid, Grid.id == Matter.grid_id)
            .where(Matter.community_id == community_id, Matter.status == Status.public_notice.value)
            .order_by(Matter.notice_ends_at, Matter.id)
            .limit(NOTICE_LIMIT)
        )
    ).all()
    out = []
    for code, result, reporter, ends_at, cat, grid in rows:
        ends = as_utc(ends_at) if ends_at else utcnow()
        out.append(
            {
                "reference": code,
                "category": _category(cat),
                "place": grid or "",
                "what": _scrub(result, reporter),
                "until": _local_day(ends - timedelta(microseconds=1)),
                "ends_at": ends,
            }
        )
    return out


async def _resolved(db: AsyncSession, community_id: int, today: date) -> list[dict[str, Any]]:
    since = start_of(today - timedelta(days=RESOLVED_DAYS))
    rows = (
        await db.execute(
            select(Matter.created_at, Matter.resolved_at, Matter.outcome, Category, Grid.name)
            .join(Category, and_(Category.id == Matter.category_id, Category.code.in_(PUBLIC_SPACE_CATEGORIES)))
            .outerjoin(Grid, Grid.id == Matter.grid_id)
            .where(
                Matter.community_id == community_id,
                Matter.status.in_([Status.resolved.value, Status.closed.value]),
                Matter.outcome.in_(["done", "refused"]),
                Matter.merged_into_id.is_(None),
                Matter.resolved_at >= since,
            )
            .order_by(Matter.resolved_at.desc(), Matter.id.desc())
            .limit(RESOLVED_LIMIT)
        )
    ).all()
    return [
        {
            "category": _category(cat),
            "place": grid or "",
            "reported_on": _local_day(created),
            "resolved_on": _local_day(resolved),
            "outcome": outcome,
        }
        for created, resolved, outcome, cat, grid in rows
    ]


async def board(db: AsyncSession, *, community_id: int, today: date | None = None) -> dict[str, Any]:
    community = await db.get(Community, community_id)
    if community is None or not community.is_active:
        raise NotFound("No such community")
    today = today or _today()
    street = await db.get(Street, community.street_id)
    phone = await station_phone(db, community)
    return {
        "community": {"id": community.id, "name": community.name, "street": street.name if street else ""},
        "duty_phone": phone,
        "last_month": await _month(db, community_id, today),
        "notices": await _notices(db, community_id),
        "how_to_object": {"phone": phone, "tracking_path": "/track"},
        "resolved": await _resolved(db, community_id, today),
        "public_space_categories": sorted(PUBLIC_SPACE_CATEGORIES),
    }


# --- the route -------------------------------------------------------------------------------------------------------

router = APIRouter(prefix="/public", tags=["Public"])
BOARD_LIMIT = "Too many requests from your address; wait a moment"


@router.get(
    "/communities/{community_id}/board",
    response_model=BoardOut,
    dependencies=[throttle.per_address("tracking", BOARD_LIMIT)],
)
async def public_board(db: ReadSessionDep, community_id: Id) -> Any:
    """A community's public board 公示栏 (no account): last month's 三率 with received and resolved counts, the matters
    in their public notice period with how to object, and the resolved matters of public-space categories of the
    last three months — without names, phones or addresses. Limited per address like the tracking pages."""
    return await board(db, community_id=community_id)


class PublicCommunity(Output):
    id: int
    name: str
    street: str


@router.get(
    "/communities",
    response_model=list[PublicCommunity],
    dependencies=[throttle.per_address("tracking", BOARD_LIMIT)],
)
async def public_communities(db: ReadSessionDep) -> Any:
    """The active communities with their streets, for the board's community picker (no account)."""
    rows = (
        await db.execute(
            select(Community.id, Community.name, Street.name)
            .join(Street, Street.id == Community.street_id)
            .where(Community.is_active.is_(True))
            .order_by(Street.name, Community.name, Community.id)
        )
    ).all()
    return [{"id": i, "name": n, "street": s} for i, n, s in rows]
