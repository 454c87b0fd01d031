"""Open311 on top of matters: a service is an active category with an `open311_code`; a service request is a matter
of such a category, shown without personal data, and its service_request_id is the tracking code. Posting needs an
API key (only its sha256 is stored); everything else is public, as the spec has it."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.config import Settings
from wangge.errors import DomainError
from wangge.matters import flow, seed
from wangge.matters import intake as matters_intake
from wangge.matters import service as matters_service
from wangge.matters import views as matter_views
from wangge.matters.models import Category, Matter, Photo
from wangge.models_common import utcnow
from wangge.open311.models import ApiKey
from wangge.open311.render import SpecError, w3c

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
WINDOW = timedelta(days=90)  # the spec's default and widest span of GET requests
MAX_RESULTS = 1000  # the spec's "first 1000 requests"
MAX_DESCRIPTION = 4000
OPEN = sorted(s.value for s in flow.OPEN)
SAFETY = {row[0] for row in seed.SAFETY}
GROUPS = ("网格事务", "安全应急")
# W3C date-times with seconds optional and a timezone required. A "+" left unencoded in a query string arrives as
# a space, so a space is taken for the "+" of the offset.
_W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+\- ]\d{2}:\d{2})$")
_PHONE = re.compile(r"^\+?[0-9-]{5,20}$")


# --- keys ------------------------------------------------------------------------------------------------------


def new_key() -> str:
    return secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def check_key(db: AsyncSession, key: str | None) -> ApiKey:
    if not key:
        raise SpecError(403, "api_key was not provided: posting a request needs a key")
    found = (
        await db.execute(select(ApiKey).where(ApiKey.key_hash == key_digest(key), ApiKey.is_active.is_(True)))
    ).scalar()
    if found is None:
        raise SpecError(403, "Invalid api_key received -- can't proceed with create_request")
    return found


# --- services --------------------------------------------------------------------------------------------------


def _services_query() -> Any:
    return select(Category).where(Category.is_active.is_(True), Category.open311_code.is_not(None))


def group_of(c: Category) -> str:
    safety = c.is_emergency or c.default_route == "emergency" or c.code in SAFETY
    return GROUPS[1] if safety else GROUPS[0]


def service_out(c: Category) -> dict[str, Any]:
    return {
        "service_code": c.open311_code,
        "service_name": c.name_zh,
        "description": c.name_en,
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys([c.name_zh, c.name_en, c.code])),
        "group": group_of(c),
    }


async def services(db: AsyncSession) -> list[dict[str, Any]]:
    rows = (await db.execute(_services_query().order_by(Category.sort_order, Category.id))).scalars()
    return [service_out(c) for c in rows]


async def service(db: AsyncSession, code: str) -> Category:
    found = (await db.execute(_services_query().where(Category.open311_code == code))).scalar()
    if found is None:
        raise SpecError(404, f"service_code '{code}' was not found")
    return found


async def changeset(db: AsyncSession) -> str:
    """When the services last changed: clients refresh their cached list when this moves."""
    latest = (await db.execute(select(func.max(Category.updated_at)))).scalar()
    return w3c(latest) or w3c(utcnow())


# --- reading requests ------------------------------------------------------------------------------------------


@dataclass
class Filters:
    ids: list[str]
    codes: list[str]
    statuses: set[str]
    start: datetime
    end: datetime


def _listed(params: Any, name: str) -> list[str]:
    """A parameter that may be declared several times, each a comma list; empty means not given."""
    values: list[str] = []
    for raw in params.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return list(dict.fromkeys(values))


def parse_date(name: str, value: str) -> datetime:
    value = value.strip()
    if not _W3C.match(value):
        raise SpecError(400, f"{name} must be a W3C date-time with a timezone, eg 2010-01-01T00:00:00Z")
    if value[-6] == " ":
        value = value[:-6] + "+" + value[-5:]
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SpecError(400, f"{name} is not a valid date-time: {value}") from None
    if not 1900 <= parsed.year <= 2100:  # the 90-day window around it must stay within what a datetime holds
        raise SpecError(400, f"{name} must lie within the years 1900 .. 2100")
    return parsed


def parse_filters(params: Any, now: datetime | None = None) -> Filters:
    now = now or utcnow()
    ids = [i.upper() for i in _listed(params, "service_request_id")]
    if len(ids) > MAX_RESULTS:
        raise SpecError(400, f"Ask for at most {MAX_RESULTS} service_request_id values at once")
    statuses = set(_listed(params, "status"))
    if statuses - {"open", "closed"}:
        raise SpecError(400, "status must be open or closed (or both, comma separated)")
    start_raw, end_raw = (params.get("start_date") or "").strip(), (params.get("end_date") or "").strip()
    start = parse_date("start_date", start_raw) if start_raw else None
    end = parse_date("end_date", end_raw) if end_raw else None
    if start and end:
        if end < start:
            raise SpecError(400, "end_date is before start_date")
        if end - start > WINDOW:
            raise SpecError(400, "start_date and end_date may not span more than 90 days")
    elif start:
        end = start + WINDOW
    elif end:
        start = end - WINDOW
    else:
        start, end = now - WINDOW, now
    return Filters(ids=ids, codes=_listed(params, "service_code"), statuses=statuses, start=start, end=end)


Found = tuple[Matter, Category, str]  # a request, its service, and who handles it


async def find(db: AsyncSession, f: Filters) -> list[Found]:
    """The matching requests, newest first, each with the name of who handles it (looked up for the whole list in
    one statement, not per row). A list of ids overrides every other filter, as the spec says."""
    q = select(Matter, Category).join(Category, Category.id == Matter.category_id)
    q = q.where(Category.open311_code.is_not(None))
    if f.ids:
        q = q.where(Matter.tracking_code.in_(f.ids))
    else:
        q = q.where(Matter.created_at >= f.start, Matter.created_at <= f.end)
        if f.codes:
            q = q.where(Category.open311_code.in_(f.codes))
        # Open ones by open_due_at, which the partial index of open matters by date (ix_matters_open_created) also
        # holds: walked backwards to the first 1000 whatever the dates. By status, PostgreSQL could not tell that
        # open matters are the recent ones and sorted every open matter of the city (0.4 s at 10,000,000).
        if f.statuses == {"open"}:
            q = q.where(Matter.open_due_at.is_not(None))
        elif f.statuses == {"closed"}:
            q = q.where(Matter.open_due_at.is_(None))
    q = q.order_by(Matter.created_at.desc(), Matter.id.desc()).limit(MAX_RESULTS)
    rows = (await db.execute(q)).all()
    holders = await matter_views.holder_names(db, [m for m, _ in rows])
    return [(m, c, holders[m.id]) for m, c in rows]


async def one(db: AsyncSession, code: str) -> Found:
    rows = await find(db, Filters(ids=[code.upper()], codes=[], statuses=set(), start=utcnow(), end=utcnow()))
    if not rows:
        raise SpecError(404, f"service_request_id '{code}' was not found")
    return rows[0]


async def requests_out(db: AsyncSession, rows: list[Found], base_url: str) -> list[dict[str, Any]]:
    """The public view of each request: no names, phones or accounts of the reporter."""
    first_photo: dict[int, Photo] = {}
    if rows:
        photos = await db.execute(
            select(Photo).where(Photo.matter_id.in_([m.id for m, _, _ in rows])).order_by(Photo.id.desc())
        )
        first_photo = {p.matter_id: p for p in photos.scalars()}
    return [request_out(m, c, holder, base_url, first_photo.get(m.id)) for m, c, holder in rows]


def request_out(m: Matter, c: Category, holder: str, base_url: str, photo: Photo | None) -> dict[str, Any]:
    closed = m.status not in OPEN
    agency = holder or None
    label = matters_service.STATUS_ZH.get(m.status, m.status)
    return {
        "service_request_id": m.tracking_code,
        "status": "closed" if closed else "open",
        "status_notes": (m.result or label) if closed else label,
        "service_name": c.name_zh,
        "service_code": c.open311_code,
        "description": m.description,
        "agency_responsible": agency,
        "service_notice": None if closed or not agency else f"由{agency}办理",
        "requested_datetime": w3c(m.created_at),
        # For a closed request the spec wants the time it was closed.
        "updated_datetime": w3c((m.closed_at or m.resolved_at or m.updated_at) if closed else m.updated_at),
        "expected_datetime": None if closed else w3c(m.due_at),
        "address": m.address,
        "address_id": None,
        "zipcode": None,
        "lat": m.lat,
        "long": m.lon,
        "media_url": base_url.rstrip("/") + matter_views.photo_out(photo)["url"] if photo else None,
    }


# --- posting a request -----------------------------------------------------------------------------------------


@dataclass
class NewRequest:
    service_code: str
    lat: float
    lon: float
    address: str | None
    description: str
    reporter_name: str | None
    reporter_phone: str | None
    account_id: str | None


def _text(form: Mapping[str, Any], name: str, limit: int) -> str | None:
    value = form.get(name)
    value = value.strip() if isinstance(value, str) else None
    if value and len(value) > limit:
        raise SpecError(400, f"{name} is longer than {limit} characters")
    return value or None


def _coordinate(form: Mapping[str, Any], name: str, bound: float) -> float | None:
    raw = _text(form, name, 40)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > bound:
        raise SpecError(400, f"{name} must be a number between -{bound:g} and {bound:g} (WGS84)")
    return value


def _reporter_name(first: str | None, last: str | None) -> str | None:
    if not first or not last:
        return first or last
    # Chinese names are family name first with no space; Latin ones given name first.
    return f"{first} {last}" if (first + last).isascii() else f"{last}{first}"


def parse_new_request(form: Mapping[str, Any]) -> NewRequest:
    code = _text(form, "service_code", 40)
    if code is None:
        raise SpecError(400, "service_code was not provided")
    lat, lon = _coordinate(form, "lat", 90), _coordinate(form, "long", 180)
    address = _text(form, "address_string", 300)
    if lat is None and lon is None:
        if address or _text(form, "address_id", 100):
            raise SpecError(
                400,
                "This server routes a request to its grid by its point: send lat and long (an address alone "
                "is not enough)",
            )
        raise SpecError(400, "A location is required: send lat and long")
    if lat is None or lon is None:
        raise SpecError(400, "lat and long both need to be sent")
    name = _reporter_name(_text(form, "first_name", 50), _text(form, "last_name", 50))
    if name and len(name) > 50:
        raise SpecError(400, "first_name and last_name together are longer than 50 characters")
    phone = _text(form, "phone", 40)
    if phone is not None:
        phone = re.sub(r"[\s().]", "", phone)
        if not _PHONE.match(phone):
            raise SpecError(400, "phone is not a phone number (digits, an optional leading +, and dashes)")
    return NewRequest(
        service_code=code,
        lat=lat,
        lon=lon,
        address=address,
        description=_text(form, "description", MAX_DESCRIPTION) or "",
        reporter_name=name,
        reporter_phone=phone,
        account_id=_text(form, "account_id", 100),
    )


async def create(db: AsyncSession, data: NewRequest, settings: Settings) -> Matter:
    """A matter like a resident's, routed by its point to a grid that must sign for it, marked as from Open311."""
    category = await service(db, data.service_code)
    intake = SimpleNamespace(
        category=category.code,
        description=data.description or category.name_zh,
        lat=data.lat,
        lon=data.lon,
        address=data.address,
        reporter_name=data.reporter_name,
        reporter_phone=data.reporter_phone,
        photo_tokens=[],
    )
    try:
        m, _grid, _community = await matters_intake.create_public(db, intake, settings, source="open311")
    except DomainError as exc:  # a point outside every grid
        raise SpecError(400, exc.detail) from None
    return m


async def created_out(db: AsyncSession, m: Matter, account_id: str | None) -> dict[str, Any]:
    agency = await matter_views.holder_name(db, m)
    return {
        "service_request_id": m.tracking_code,
        "service_notice": f"已受理登记，由{agency}办理，查询码 {m.tracking_code}",
        "account_id": account_id,
    }
