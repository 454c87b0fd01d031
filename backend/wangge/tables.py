"""What the desk's tables share: keyset cursors that name their sort, a count that stops at COUNT_CAP, a Beijing day as
an instant, and the 422 a bad filter gets. Used by the tables of incidents, 工作单, patrols, home visits and
the hazard ledger (the matters table keeps its own cursors: its sorts by deadline need more than equal keys)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.errors import Invalid
from wangge.models_common import as_utc
from wangge.workcalendar import SHANGHAI

COUNT_CAP = 1000  # "1000+" past it: counting a whole history visits every row of it


def bad(field: str, msg: str) -> Invalid:
    """A 422 naming the query parameter that is wrong."""
    return Invalid(f"{field}: {msg}", errors=[{"loc": ["query", field], "msg": msg, "type": "value_error"}])


def start_of(day: date) -> datetime:
    """The first instant of a Beijing day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(UTC)


def check_range(first: date | None, last: date | None, *, field: str, other: str) -> None:
    if first and last and first > last:
        raise bad(field, f"after {other}")


def like(text: str) -> str:
    """`text` anywhere, its wildcards escaped (use with escape='\\')."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


async def capped_count(db: AsyncSession, ids: Select[Any]) -> tuple[int, bool]:
    """How many rows `ids` selects, counted up to COUNT_CAP; and whether that is exact."""
    counted = (await db.execute(select(func.count()).select_from(ids.limit(COUNT_CAP + 1).subquery()))).scalar_one()
    return min(counted, COUNT_CAP), counted <= COUNT_CAP


# --- keyset cursors ---------------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def encode_cursor(sort: str, values: Sequence[Any]) -> str:
    """The cursor after a row: its sort and its values of the sort's keys (the last one its id)."""
    raw = json.dumps([sort, *map(_json, values)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def an_id(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= 2**31 - 1:
        raise ValueError("not an id")
    return value


def an_instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("not a time")
    return as_utc(datetime.fromisoformat(value))


def a_day(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError("not a day")
    return date.fromisoformat(value)


def decode_cursor(sort: str, cursor: str, kinds: Sequence[Callable[[Any], Any]]) -> list[Any]:
    """The values of `encode_cursor`, each read by its kind (an_instant, a_day, an_id, …), for the same sort; a
    cursor of another sort or anything else is a 422."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad("after", "not a cursor this list gave") from None
    if not isinstance(raw, list) or not raw or raw[0] != sort:
        raise bad("after", "a cursor of another sort: start again from the first page")
    if len(raw) != len(kinds) + 1:
        raise bad("after", "not a cursor this list gave")
    try:
        return [kind(value) for kind, value in zip(kinds, raw[1:], strict=True)]
    except (TypeError, ValueError, OverflowError):
        raise bad("after", "not a cursor this list gave") from None


def after(keys: Sequence[Any], values: Sequence[Any], *, descending: bool) -> ColumnElement[bool]:
    """The rows past the cursor when every key runs the same way: (k1 beyond v1) or (k1 = v1 and k2 beyond v2) …,
    with the first key's bound said outright so the planner starts its walk down the index there. The keys must not
    be NULL (the last one is the row's id, which makes the order total)."""

    def beyond(k: Any, v: Any) -> ColumnElement[bool]:
        return k < v if descending else k > v

    alternatives = [
        and_(*(k == v for k, v in zip(keys[:i], values[:i], strict=True)), beyond(keys[i], values[i]))
        for i in range(len(keys))
    ]
    bound = keys[0] <= values[0] if descending else keys[0] >= values[0]
    return and_(bound, or_(*alternatives))


def order(keys: Sequence[Any], *, descending: bool) -> list[Any]:
    return [k.desc() if descending else k.asc() for k in keys]
