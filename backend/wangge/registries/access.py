"""Personal data shown unmasked: an explicit reveal of chosen people, and the XLSX export of a grid's registry. Both
need the permission `personal_data:read` (station chiefs, grid leaders, administrators) and each is logged (who,
when, which records) in `personal_data_access`, which administrators read for their area. The workbook names its
exporter and the time in its first rows. Units 实有单位: the grid's places with their contact person and duty phone."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import tables
from wangge.accounts.models import Role, ScopeLevel, User
from wangge.accounts.scope import Subject
from wangge.config import Settings
from wangge.errors import Forbidden, NotFound
from wangge.hierarchy.models import Grid, Place
from wangge.models_common import utcnow
from wangge.registries import personal, schemas
from wangge.registries import scope as reg_scope
from wangge.registries.models import House, Person, PersonalDataAccess
from wangge.workcalendar import SHANGHAI

PERMISSION = "personal_data:read"
RESIDENCE_ZH = {"registered": "户籍", "floating": "流动"}
RELATION_ZH = {
    "head": "户主", "spouse": "配偶", "child": "子女", "parent": "父母", "relative": "其他亲属", "tenant": "租户",
    "other": "其他",
}  # fmt: skip
COLUMNS = ["姓名", "地址", "户籍/流动", "与户主关系", "特殊群体", "身份证号", "联系电话", "居住登记到期"]


def _require_permission(subject: Subject, doing: str) -> None:
    if not subject.can(PERMISSION):
        raise Forbidden(f"Your role ({subject.role}) may not {doing}", code="personal-data-forbidden")


async def log_access(
    db: AsyncSession, subject: Subject, action: str, person_ids: list[int], grid_id: int | None
) -> None:
    """One row of the access log; `action` reveal | export (registry people) | special_read (special-group
    residents, fieldwork/visits.py: `person_ids` are then theirs)."""
    user = await db.get(User, subject.user_id)
    area: dict[str, Any] = {}
    if grid_id is not None:
        g = await db.get(Grid, grid_id)
        area = {"district_id": g.district_id, "street_id": g.street_id, "community_id": g.community_id} if g else {}
    db.add(
        PersonalDataAccess(
            at=utcnow(),
            user_id=subject.user_id,
            user_name=user.display_name if user else subject.username,
            action=action,
            person_ids=sorted(person_ids),
            grid_id=grid_id,
            **area,
        )  # fmt: skip
    )


async def reveal(
    db: AsyncSession, *, subject: Subject, settings: Settings, data: schemas.RevealIn
) -> list[dict[str, Any]]:
    """The identity numbers and phones of the chosen people, in clear; one log row per grid they belong to. A
    person outside scope is a 404 (nothing is revealed then)."""
    _require_permission(subject, "read identity numbers unmasked")
    ids = sorted(set(data.person_ids))
    people = list(
        (
            await db.execute(select(Person).where(Person.id.in_(ids), reg_scope.readable(subject, Person.grid_id)))
        ).scalars()
    )
    if len(people) != len(ids):
        raise NotFound("Some of these people are not in your scope")
    by_grid: dict[int, list[int]] = {}
    for p in people:
        by_grid.setdefault(p.grid_id, []).append(p.id)
    for grid_id, pids in by_grid.items():
        await log_access(db, subject, "reveal", pids, grid_id)
    return [
        {
            "id": p.id,
            "name": p.name,
            "id_number": personal.decrypt(settings, p.id_number_enc, field="id_number"),
            "phone": personal.decrypt(settings, p.phone_enc, field="phone"),
        }  # fmt: skip
        for p in people
    ]


async def export_grid(db: AsyncSession, *, subject: Subject, settings: Settings, grid_id: int) -> tuple[bytes, str]:
    """The people living in the grid today as XLSX, unmasked, with the exporter's name and the time on top."""
    _require_permission(subject, "export the registry")
    grid = await reg_scope.grid(db, subject, grid_id)
    rows = (
        await db.execute(
            select(Person, House.label)
            .join(House, House.id == Person.house_id)
            .where(Person.grid_id == grid_id, Person.died_on.is_(None))
            .order_by(House.label, Person.id)
        )
    ).all()
    await log_access(db, subject, "export", [p.id for p, _ in rows], grid_id)
    user = await db.get(User, subject.user_id)
    now = utcnow().astimezone(SHANGHAI)
    wb = Workbook()
    ws = wb.active
    ws.title = "实有人口"
    ws.append([f"{grid.name} 实有人口登记表"])
    ws.append([f"导出人：{user.display_name if user else subject.username}", f"导出时间：{now:%Y-%m-%d %H:%M}"])
    ws.append(["含个人敏感信息，仅限工作使用，导出已记录"])
    ws.append(COLUMNS)
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for p, label in rows:
        ws.append(
            [
                p.name, label, RESIDENCE_ZH.get(p.residence, p.residence), RELATION_ZH.get(p.relation, p.relation),
                "、".join(p.special_groups or []),
                personal.decrypt(settings, p.id_number_enc, field="id_number") or "",
                personal.decrypt(settings, p.phone_enc, field="phone") or "",
                p.registration_due.isoformat() if p.registration_due else "",
            ]
        )  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), f"registry-{grid.code}-{now:%Y%m%d-%H%M}.xlsx"


def _log_readable(subject: Subject) -> ColumnElement[bool]:
    if subject.role != Role.administrator:
        return false()
    if subject.scope_level == ScopeLevel.system:
        return true()
    area = subject.area_level
    if area not in ("district", "street", "community"):
        return false()
    return getattr(PersonalDataAccess, f"{area}_id") == getattr(subject, f"{area}_id")


ACCESS_SORT = "access"  # the access log's one order (newest first, then newest id), named in its cursors


async def access_log(db: AsyncSession, *, subject: Subject, limit: int, after: str | None) -> dict[str, Any]:
    """The access log of the caller's area, newest first, in keyset pages (administrators): a page costs the same
    however long the log (an index per area level begins with the area, then the time), with a count that stops at
    tables.COUNT_CAP."""
    cond = _log_readable(subject)
    total, exact = await tables.capped_count(db, select(PersonalDataAccess.id).where(cond))
    keys = [PersonalDataAccess.at, PersonalDataAccess.id]
    stmt = select(PersonalDataAccess).where(cond)
    if after:
        cursor = tables.decode_cursor(ACCESS_SORT, after, [tables.an_instant, tables.an_id])
        stmt = stmt.where(tables.after(keys, cursor, descending=True))
    rows = list((await db.execute(stmt.order_by(*tables.order(keys, descending=True)).limit(limit + 1))).scalars())
    following = None
    if len(rows) > limit:
        last = rows[limit - 1]
        following = tables.encode_cursor(ACCESS_SORT, [last.at, last.id])
    return {"items": rows[:limit], "total": total, "total_exact": exact, "limit": limit, "next_after": following}


# --- units 实有单位 ----------------------------------------------------------------------------------------------


async def list_units(db: AsyncSession, *, subject: Subject, grid_id: int) -> list[Place]:
    await reg_scope.grid(db, subject, grid_id)
    stmt = select(Place).where(Place.grid_id == grid_id, Place.is_active.is_(True)).order_by(Place.category, Place.id)
    return list((await db.execute(stmt)).scalars())


async def patch_unit(db: AsyncSession, *, subject: Subject, place_id: int, data: schemas.UnitPatch) -> Place:
    place = (
        await db.execute(select(Place).where(Place.id == place_id, reg_scope.readable(subject, Place.grid_id)))
    ).scalar_one_or_none()
    if place is None:
        raise NotFound(f"No unit with id {place_id} in your scope")
    await reg_scope.grid(db, subject, place.grid_id, writing=True)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(place, field, value)
    await db.flush()
    return place
