"""Batch import of 12345 hotline orders (CSV or JSON). Every row is checked first and the answer says, row by
row, what was accepted (with its tracking code) or rejected (and why); accepted rows are written together."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.scope import Subject, sees_path
from wangge.errors import Invalid
from wangge.hierarchy.models import Community, Grid
from wangge.matters import intake, service
from wangge.matters.flow import Status
from wangge.matters.models import Category, Matter
from wangge.request_guard import refuse_in

FIELDS = (
    "order_no",
    "category",
    "description",
    "lat",
    "lon",
    "address",
    "grid_code",
    "community_code",
    "caller_name",
    "caller_phone",
)
MAX_ROWS = 2000
PHONE = re.compile(r"^\+?[0-9-]{5,20}$")


class RowRefused(ValueError):
    """A row the import leaves out: `code` says why in a word the app translates, the message in English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse(content_type: str, raw: bytes) -> list[dict[str, Any]]:
    """Rows from a CSV (UTF-8, with a header line; a BOM is fine) or a JSON body `{"orders": [...]}`."""
    if "json" in content_type:
        import json

        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:  # nested past the interpreter's limit: not a hotline file
            raise Invalid(f"The JSON body cannot be read: {exc}") from None
        refuse_in(data, ["body"])
        orders = data.get("orders") if isinstance(data, dict) else None
        if not isinstance(orders, list):
            raise Invalid('A JSON import is {"orders": [ ... ]}')
        rows = [o if isinstance(o, dict) else {"_invalid": True} for o in orders]
    elif "csv" in content_type or "text/plain" in content_type:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid("The CSV file must be UTF-8 encoded") from None
        refuse_in(text, ["body"])
        reader = csv.DictReader(io.StringIO(text))
        missing = {"order_no", "category", "description"} - set(reader.fieldnames or [])
        if missing:
            raise Invalid(f"The CSV header lacks: {', '.join(sorted(missing))}")
        rows = [dict(r) for r in reader]
    else:
        raise Invalid("Send text/csv or application/json", status=415, code="unsupported-media-type")
    if not rows:
        raise Invalid("The import has no rows")
    if len(rows) > MAX_ROWS:
        raise Invalid(f"At most {MAX_ROWS} rows per import, got {len(rows)}")
    return rows


def _text(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _number(row: dict[str, Any], key: str) -> float | None:
    value = _text(row, key)
    return None if value is None else float(value)


async def import_orders(db: AsyncSession, subject: Subject, rows: list[dict[str, Any]]) -> dict[str, Any]:
    categories = {c.code: c for c in (await db.execute(select(Category).where(Category.is_active.is_(True)))).scalars()}
    numbers = [str(r.get("order_no", "")).strip() for r in rows]
    taken = set(
        (
            await db.execute(
                select(Matter.external_id).where(
                    Matter.source == "hotline", Matter.external_id.in_([n for n in numbers if n])
                )
            )
        ).scalars()
    )
    seen: set[str] = set()
    checked: list[tuple[int, dict[str, Any]]] = []
    report: list[dict[str, Any]] = []
    for i, row in enumerate(rows, start=1):
        try:
            values = await _check(db, subject, row, categories, taken, seen)
        except (ValueError, TypeError) as exc:
            code = exc.code if isinstance(exc, RowRefused) else "invalid-row"
            report.append(
                {"row": i, "order_no": _text(row, "order_no"), "accepted": False, "code": code, "reason": str(exc)}
            )
            continue
        checked.append((i, values))
        report.append({"row": i, "order_no": values["order_no"], "accepted": True})
    by_row = {r["row"]: r for r in report}
    for i, v in checked:
        grid = v["grid"]
        placed = grid is not None
        # The same intake as every other way in: an emergency category is declared, clocks and notices start.
        m = await intake.intake(
            db,
            entry=intake.Entry(
                category=v["category"],
                community=v["community"],
                grid=grid,
                lat=v["lat"],
                lon=v["lon"],
                description=v["description"],
                address=v["address"],
                source="hotline",
                status=Status.submitted if placed else Status.at_station,
                reporter_name=v["caller_name"],
                reporter_phone=v["caller_phone"],
                external_id=v["order_no"],
                recorded_by=subject,
                event_data={"order_no": v["order_no"]},
            ),
        )
        by_row[i]["tracking_code"] = m.tracking_code
        by_row[i]["placed"] = placed
    await db.commit()
    accepted = sum(1 for r in report if r["accepted"])
    return {"accepted": accepted, "rejected": len(report) - accepted, "rows": report}


async def _check(
    db: AsyncSession,
    subject: Subject,
    row: dict[str, Any],
    categories: dict[str, Category],
    taken: set[str],
    seen: set[str],
) -> dict[str, Any]:
    if row.get("_invalid"):
        raise RowRefused("not-an-object", "the row is not an object")
    order_no = _text(row, "order_no")
    if not order_no or len(order_no) > 64:
        raise RowRefused("order-no", "order_no is required (at most 64 characters)")
    if order_no in taken:
        raise RowRefused("order-imported", f"order {order_no} was already imported")
    if order_no in seen:
        raise RowRefused("order-twice", f"order {order_no} appears twice in this file")
    seen.add(order_no)
    category = categories.get(_text(row, "category") or "")
    if category is None:
        raise RowRefused("unknown-category", f"unknown category {_text(row, 'category')!r}")
    description = _text(row, "description")
    if not description or len(description) > 2000:
        raise RowRefused("description", "description is required (at most 2000 characters)")
    phone = _text(row, "caller_phone")
    if phone and not PHONE.match(phone):
        raise RowRefused("caller-phone", "caller_phone is not a phone number")
    try:
        lat, lon = _number(row, "lat"), _number(row, "lon")
    except ValueError:
        raise RowRefused("lat-lon", "lat and lon must be numbers") from None
    grid: Grid | None = None
    community: Community | None = None
    if (lat is None) != (lon is None):
        raise RowRefused("lat-lon", "give both lat and lon, or neither")
    if lat is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise RowRefused("lat-lon", "lat/lon out of range")
        found = await service.locate(db, lat, lon)
        if found is None:
            raise RowRefused("outside-grids", "the position is not inside any grid")
        grid = found[0]
    elif _text(row, "grid_code"):
        grid = (
            await db.execute(select(Grid).where(Grid.code == _text(row, "grid_code"), Grid.is_active.is_(True)))
        ).scalar()
        if grid is None:
            raise RowRefused("unknown-grid", f"unknown grid {_text(row, 'grid_code')}")
    elif _text(row, "community_code"):
        community = (
            await db.execute(
                select(Community).where(Community.code == _text(row, "community_code"), Community.is_active.is_(True))
            )
        ).scalar()
        if community is None:
            raise RowRefused("unknown-community", f"unknown community {_text(row, 'community_code')}")
    else:
        raise RowRefused("no-place", "say where: lat/lon, grid_code or community_code")
    if grid is not None:
        community = await db.get(Community, grid.community_id)
    path = {"district_id": community.district_id, "street_id": community.street_id, "community_id": community.id}
    if not sees_path(subject, "community", path):
        raise RowRefused("outside-scope", "the place is outside your scope")
    return {
        "order_no": order_no,
        "category": category,
        "description": description,
        "address": _text(row, "address"),
        "lat": lat,
        "lon": lon,
        "grid": grid,
        "community": community,
        "caller_name": _text(row, "caller_name"),
        "caller_phone": phone,
    }
