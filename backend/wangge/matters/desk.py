"""The desk's table of matters: filters, a search, sorts with keyset pages that stay correct under each sort, a count
that stops at COUNT_CAP, and the same rows as an XLSX file. Reads only; every filter is ANDed to the caller's scope
(`policy.readable`, or the box's pinned unit as views.inbox does), so no filter reaches past it.

A page is one statement for the rows (category, grid, community and owner joined) and one for the holders' names
(views.holder_names), plus the bounded count and (for someone with an area) whether they read anything outside it:
the same questions for 10 rows as for 200."""

from __future__ import annotations

import base64
import binascii
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from openpyxl import Workbook
from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import User
from wangge.accounts.scope import Subject, mask_phone
from wangge.config import Settings
from wangge.errors import Invalid
from wangge.hierarchy.models import Community, Grid
from wangge.matters.flow import Status
from wangge.matters.models import OPEN_STATUSES, Category, Matter
from wangge.matters.views import _box_condition, deadlines, holder_names
from wangge.models_common import as_utc, utcnow
from wangge.policy import all_readable, matters_beyond_area, readable
from wangge.workcalendar import SHANGHAI

COUNT_CAP = 1000  # "1000+" past it: counting a whole history visits every row of it
EXPORT_CAP = 10_000  # rows in one XLSX file; the file and its headers say when more matched
SOURCES = ("resident", "field", "front_desk", "hotline", "open311")
SORTS = ("created", "-created", "due", "-due", "status", "-status")
Sort = Literal["created", "-created", "due", "-due", "status", "-status"]
# The flow's order, for sorting by status: waiting first, finished last.
STATUS_ORDER = {s.value: n for n, s in enumerate(Status)}
# On SQLite open_due_at holds '9999-12-31 00:00:00+00' for an open matter without a deadline, which no bound
# datetime equals: a cursor names that group instead, and it is compared as "at or past FAR".
FAR = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, kw_only=True)
class Filters:
    box: str = "all"
    status: list[str] = field(default_factory=list)
    category_id: list[int] = field(default_factory=list)
    grid_id: int | None = None
    community_id: int | None = None
    source: list[str] = field(default_factory=list)
    overdue: bool | None = None
    created_from: date | None = None
    created_to: date | None = None
    q: str | None = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(UTC)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def conditions(subject: Subject, f: Filters, now: datetime) -> list[ColumnElement[bool]]:
    """The caller's scope and the box (as views.inbox narrows them), then each filter given, ANDed."""
    if f.created_from and f.created_to and f.created_from > f.created_to:
        raise Invalid(
            "created_from: after created_to",
            errors=[{"loc": ["query", "created_from"], "msg": "after created_to", "type": "value_error"}],
        )
    box_condition, pinned = _box_condition(subject, f.box)
    if pinned and all_readable(subject, Matter, *pinned):
        conds = [box_condition]
    else:
        conds = [readable(subject, Matter), box_condition]
    return conds + _filters(f, now)


async def scoped_conditions(db: AsyncSession, subject: Subject, f: Filters, now: datetime) -> list[ColumnElement[bool]]:
    """conditions(), with the scope pinned to the caller's own area when nothing they may read lies outside it.

    readable()'s OR (the area, or what they own or reported) hides from PostgreSQL how few rows a community holds:
    it then walks the whole table's index of dates backwards to fill a page (110 ms at 1,000,000 matters against
    23 at 10,000; 680 against 37 for a search). Most people read nothing outside their area; for them the area's
    column alone is the same set, and PostgreSQL reads just the area's rows. Whether that holds is asked of
    policy.matters_beyond_area, the part of readable() beyond the area (whose indexes answer it in a few rows; asked
    through readable() whole, PostgreSQL scanned the table for a row that is not there)."""
    conds = conditions(subject, f, now)
    area = subject.area_level
    if (
        f.box != "all"
        or area is None
        or not all_readable(subject, Matter, f"{area}_id", getattr(subject, f"{area}_id"))
    ):
        return conds
    column, value = getattr(Matter, f"{area}_id"), getattr(subject, f"{area}_id")
    # Counted, not LIMIT 1: with a limit PostgreSQL bets on meeting a row early and scans the table when none is.
    beyond = matters_beyond_area(subject)
    outside = select(func.count()).select_from(Matter).where(beyond, or_(column != value, column.is_(None)))
    if (await db.execute(outside)).scalar_one():
        return conds
    return [column == value, *_filters(f, now)]


def _filters(f: Filters, now: datetime) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.status:
        conds.append(Matter.status.in_(f.status))
        if set(f.status) <= set(OPEN_STATUSES):  # said outright, so the partial indexes of open matters qualify
            conds.append(Matter.open_due_at.is_not(None))
    if f.category_id:
        conds.append(Matter.category_id.in_(f.category_id))
    if f.grid_id is not None:
        conds.append(Matter.grid_id == f.grid_id)
    if f.community_id is not None:
        conds.append(Matter.community_id == f.community_id)
    if f.source:
        conds.append(Matter.source.in_(f.source))
    if f.overdue is True:
        conds.append(Matter.open_due_at < now)
    elif f.overdue is False:
        conds.append(or_(Matter.open_due_at.is_(None), Matter.open_due_at >= now))
    if f.created_from:
        conds.append(Matter.created_at >= _start_of(f.created_from))
    if f.created_to:
        conds.append(Matter.created_at < _start_of(f.created_to + timedelta(days=1)))
    if f.q:
        text = f.q.strip()
        code = text.upper()
        conds.append(
            or_(
                Matter.tracking_code == code,
                Matter.tracking_code.like(_like(code)[1:], escape="\\") if code.startswith("WG") else false(),
                Matter.description.ilike(_like(text), escape="\\"),
                Matter.address.ilike(_like(text), escape="\\"),
            )
        )
    return conds


# --- sorts and their keyset cursors ----------------------------------------------------------------------------


_status_rank = case(STATUS_ORDER, value=Matter.status, else_=len(STATUS_ORDER))
_finished = case((Matter.open_due_at.is_(None), 1), else_=0)


@dataclass(frozen=True)
class Key:
    """One column of a sort: its expression, whether it runs backwards, and how a cursor's value compares."""

    expr: Any
    descending: bool
    kind: Literal["plain", "due"] = "plain"

    def equal(self, value: Any) -> ColumnElement[bool]:
        if self.kind == "due":
            if value is None:
                return self.expr.is_(None)
            return self.expr >= FAR if value >= FAR else self.expr == value
        return self.expr == value

    def beyond(self, value: Any) -> ColumnElement[bool]:
        """The rows that come after `value` in this key's direction."""
        if self.kind == "due":
            if value is None:
                return false()  # the finished group: the key is NULL throughout
            if value >= FAR:
                return self.expr < FAR if self.descending else false()
        return self.expr < value if self.descending else self.expr > value


def sort_keys(sort: str, *, open_only: bool = False) -> list[Key]:
    """The sort's keys. By deadline, ties go newest first (ascending) as the open-deadline indexes hold them
    (migration 0010: open_due_at, id DESC), so a list of open matters only is read off one of those indexes, forwards
    or backwards; finished matters (no deadline any more) come last in both directions, a first key dropped when
    the filters leave none."""
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name == "created":
        return [Key(Matter.created_at, descending), Key(Matter.id, descending)]
    if name == "status":
        return [Key(_status_rank, descending), Key(Matter.id, descending)]
    due = [Key(Matter.open_due_at, descending, "due"), Key(Matter.id, not descending)]
    return due if open_only else [Key(_finished, False), *due]


def open_only(f: Filters) -> bool:
    """Whether the filters leave only open matters (overdue ones, or open statuses only)."""
    return f.overdue is True or (bool(f.status) and set(f.status) <= set(OPEN_STATUSES))


def _after(keys: list[Key], values: list[Any]) -> ColumnElement[bool]:
    """The rows past the cursor in the sort's order: (k1 beyond v1) or (k1 = v1 and k2 beyond v2) or …"""
    alternatives = []
    for i, key in enumerate(keys):
        same = (k.equal(v) for k, v in zip(keys[:i], values[:i], strict=True))
        alternatives.append(and_(*same, key.beyond(values[i])))
    first = keys[0]
    if first.kind == "plain" and first.expr is Matter.created_at:
        # Where the walk down the index starts: the OR alone would not tell the planner.
        bound = first.expr <= values[0] if first.descending else first.expr >= values[0]
        return and_(bound, or_(*alternatives))
    return or_(*alternatives)


def _cursor_values(sort: str, m: Matter, rank: int, finished: int, due: datetime | None) -> list[Any]:
    name = sort.lstrip("-")
    if name == "created":
        return [as_utc(m.created_at).isoformat(), m.id]
    if name == "status":
        return [rank, m.id]
    return [finished, as_utc(due).isoformat() if due is not None else None, m.id]


def encode_cursor(sort: str, values: list[Any]) -> str:
    raw = json.dumps([sort, *values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> list[Any]:
    """The values of `encode_cursor`, checked against the sort they were made for; anything else is a 422."""

    def bad(msg: str) -> Invalid:
        return Invalid(f"after: {msg}", errors=[{"loc": ["query", "after"], "msg": msg, "type": "value_error"}])

    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad("not a cursor this list gave") from None
    if not isinstance(raw, list) or not raw or raw[0] != sort:
        raise bad("a cursor of another sort: start again from the first page")
    values = raw[1:]
    name = sort.lstrip("-")
    try:
        if name == "created" and len(values) == 2:
            return [as_utc(datetime.fromisoformat(values[0])), _id(values[1])]
        if name == "status" and len(values) == 2 and type(values[0]) is int:
            return [values[0], _id(values[1])]
        if name == "due" and len(values) == 3 and values[0] in (0, 1):
            due = None if values[1] is None else as_utc(datetime.fromisoformat(values[1]))
            return [values[0], due, _id(values[2])]
    except (TypeError, ValueError, OverflowError):
        pass
    raise bad("not a cursor this list gave")


def _id(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= 2**31 - 1:
        raise ValueError("not an id")
    return value


# --- the page and the file --------------------------------------------------------------------------------------


def _rows_query(conds: list[ColumnElement[bool]], keys: list[Key]) -> Any:
    owner = User.__table__.alias("owner")
    return (
        select(Matter, Category.code, Category.name_zh, Grid.name, Community.name, owner.c.display_name)
        .add_columns(_status_rank, _finished, Matter.open_due_at)
        .join(Category, Category.id == Matter.category_id)
        .outerjoin(Grid, Grid.id == Matter.grid_id)
        .outerjoin(Community, Community.id == Matter.community_id)
        .outerjoin(owner, owner.c.id == Matter.owner_id)
        .where(*conds)
        .order_by(*(k.expr.desc() if k.descending else k.expr.asc() for k in keys))
    )


async def _rows(db: AsyncSession, query: Any, settings: Settings, now: datetime) -> list[tuple[dict[str, Any], Any]]:
    rows = (await db.execute(query)).all()
    holders = await holder_names(db, [r[0] for r in rows])
    soon = timedelta(hours=settings.due_soon_hours)
    out = []
    for m, cat_code, cat_name, grid_name, community_name, owner_name, rank, finished, due in rows:
        item = {
            "id": m.id,
            "tracking_code": m.tracking_code,
            "category": {"id": m.category_id, "code": cat_code, "name": cat_name},
            "description": m.description[:200],
            "address": m.address,
            "status": m.status,
            "source": m.source,
            "holder": {"level": m.holder_level, "name": holders[m.id]},
            "grid": {"id": m.grid_id, "name": grid_name} if m.grid_id else None,
            "community": {"id": m.community_id, "name": community_name} if m.community_id else None,
            "owner": owner_name,
            # Masked for everyone here: a table is read over shoulders and a file leaves the system.
            "reporter_phone": mask_phone(m.reporter_phone),
            "created_at": m.created_at,
            "closed_at": m.closed_at,
            "deadlines": deadlines(m, now, soon),
        }
        out.append((item, (m, rank, finished, due)))
    return out


async def page(
    db: AsyncSession, subject: Subject, f: Filters, *, sort: str, limit: int, after: str | None, settings: Settings
) -> dict[str, Any]:
    now = utcnow()
    conds = await scoped_conditions(db, subject, f, now)
    cursor = decode_cursor(sort, after) if after else None
    capped = select(Matter.id).where(*conds).limit(COUNT_CAP + 1).subquery()
    counted = (await db.execute(select(func.count()).select_from(capped))).scalar_one()
    keys = sort_keys(sort, open_only=open_only(f))
    query = _rows_query(conds, keys)
    if cursor is not None:
        # A cursor always carries the finished-first key of a sort by deadline; an open-only list has no such key.
        query = query.where(_after(keys, cursor[len(cursor) - len(keys) :]))
    rows = await _rows(db, query.limit(limit + 1), settings, now)
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        following = encode_cursor(sort, _cursor_values(sort, *rows[-1][1]))
    return {
        "items": [item for item, _ in rows],
        "total": min(counted, COUNT_CAP),
        "total_exact": counted <= COUNT_CAP,
        "limit": limit,
        "sort": sort,
        "next_after": following,
    }


async def export_rows(
    db: AsyncSession, subject: Subject, f: Filters, *, sort: str, settings: Settings
) -> tuple[list[dict[str, Any]], bool]:
    """The filtered rows in the table's order, at most EXPORT_CAP; and whether more matched."""
    now = utcnow()
    conds = await scoped_conditions(db, subject, f, now)
    keys = sort_keys(sort, open_only=open_only(f))
    rows = await _rows(db, _rows_query(conds, keys).limit(EXPORT_CAP + 1), settings, now)
    return [item for item, _ in rows[:EXPORT_CAP]], len(rows) > EXPORT_CAP


# The app's own words (frontend/src/i18n/zh-CN.ts matters.statuses and matters.sources): the file says what the
# table said.
STATUS_ZH = {
    "submitted": "待受理",
    "accepted": "已受理",
    "at_station": "服务站办理",
    "escalated": "已上报待签收",
    "handling": "办理中",
    "emergency": "突发处置中",
    "approval_review": "街道审核中",
    "approval_decision": "部门审批中",
    "public_notice": "公示中",
    "verifying": "待核查",
    "resolved": "已办结",
    "closed": "已关闭",
    "merged": "已合并",
}
SOURCE_ZH = {
    "resident": "居民反映",
    "field": "现场发现",
    "front_desk": "前台受理",
    "hotline": "12345热线",
    "open311": "Open311",
}
EXPORT_COLUMNS = [
    "查询码",
    "类别",
    "状态",
    "来源",
    "事项描述",
    "地址",
    "社区",
    "网格",
    "承办",
    "首问责任人",
    "反映人电话",
    "上报时间",
    "办理期限",
    "是否逾期",
    "关闭时间",
]


def _when(value: datetime | None) -> str:
    return "" if value is None else as_utc(value).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _export_row(item: dict[str, Any]) -> list[str]:
    d = item["deadlines"]
    return [
        item["tracking_code"],
        item["category"]["name"],
        STATUS_ZH.get(item["status"], item["status"]),
        SOURCE_ZH.get(item["source"], item["source"]),
        item["description"],
        item["address"] or "",
        (item["community"] or {}).get("name", ""),
        (item["grid"] or {}).get("name", ""),
        item["holder"]["name"],
        item["owner"] or "",
        item["reporter_phone"] or "",
        _when(item["created_at"]),
        _when(d["due_at"] or d["sign_due_at"]),
        "是" if d["overdue"] else "",
        _when(item["closed_at"]),
    ]


def xlsx(items: list[dict[str, Any]], *, capped: bool, described: list[tuple[str, str]]) -> bytes:
    """The rows on a sheet 事项 (Chinese headers, one row per matter) and what was asked on a sheet 说明, built in
    openpyxl's write-only mode (rows streamed out, not held as cells)."""
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("事项")
    sheet.append(EXPORT_COLUMNS)
    for item in items:
        sheet.append(_export_row(item))
    about = wb.create_sheet("说明")
    about.append(["导出时间", _when(utcnow())])
    about.append(["导出条数", str(len(items))])
    if capped:
        about.append(["提示", f"符合条件的事项超过 {EXPORT_CAP:,} 条，仅导出前 {EXPORT_CAP:,} 条；请缩小筛选范围"])
    for name, value in described:
        about.append([name, value])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def describe(f: Filters, sort: str) -> list[tuple[str, str]]:
    """The filters of an export, for its 说明 sheet (codes and ids as they were sent)."""
    shown = [
        ("范围", f.box),
        ("状态", "、".join(STATUS_ZH.get(s, s) for s in f.status)),
        ("类别", ", ".join(map(str, f.category_id))),
        ("网格", str(f.grid_id or "")),
        ("社区", str(f.community_id or "")),
        ("来源", "、".join(SOURCE_ZH.get(s, s) for s in f.source)),
        ("逾期", {True: "是", False: "否", None: ""}[f.overdue]),
        ("上报日期自", f.created_from.isoformat() if f.created_from else ""),
        ("上报日期至", f.created_to.isoformat() if f.created_to else ""),
        ("搜索", f.q or ""),
        ("排序", sort),
    ]
    return [(k, v) for k, v in shown if v]
