"""Grid teams 网格团队 and special-group residents 特殊人群 from Excel (the shared machinery is wangge.imports).

Each row names its grid by the grid's 15-digit code; the checks are those of creating one: `TeamMemberIn` /
`ResidentIn`, who may change the grid (`people.manages`, `visits.may_write_grid`), the member's account in the grid's
community (`people.member_user_fits`), the group active and the building the grid's (`visits.group_fits`,
`visits.building_fits`). What the file names (grids, accounts, groups, buildings, what is already registered) is
loaded for the whole file in a few queries, and the new rows are inserted together.

Natural keys, among what is current: a team member is their grid and account (by username), or their grid, name and
phone when they have no account; a resident is their identity number, or (without one) their grid, group and name.
A row already there as the file says is "same"; one that differs is an error (an import creates, it does not
change). Identity numbers and phones are stored exactly as creating one stores them, shown masked in the report
(and in the audit log, as for one), and never logged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import imports
from wangge.accounts.models import User
from wangge.accounts.scope import Subject, mask_phone
from wangge.config import Settings
from wangge.fieldwork import people, visits
from wangge.fieldwork import people_schemas as schemas
from wangge.fieldwork.models import STAFF_TYPES, TEAM_ROLES, SpecialGroup, SpecialResident, TeamMember
from wangge.hierarchy.models import Building
from wangge.imports import Row, Sheet
from wangge.models_common import utcnow
from wangge.policy import readable
from wangge.registries import personal

TEAM_ROLE_NAMES = dict(zip(
    ("流动人口协管员", "居民小组长", "楼长", "无职党员", "物管人员", "中心户长", "志愿者", "信息员", "网格员"),
    TEAM_ROLES, strict=True,
))  # fmt: skip
STAFF_TYPE_NAMES = dict(zip(
    ("城管协管员", "巡防队员", "人民调解员", "义务消防员", "社区信息员", "和谐督导员", "义务安全员", "法治宣传员"),
    STAFF_TYPES, strict=True,
))  # fmt: skip
TEAM = Sheet(
    title="网格团队",
    columns={"网格编码": "grid_code", "姓名": "name", "电话": "phone", "用户名": "username", "团队角色": "team_role",
             "新八大员": "staff_types", "起始日期": "start_date", "备注": "note"},
    example=("430111001001001", "李四", "13800000002", "", "楼长", "巡防队员、义务消防员", "2026-01-01", ""),
    notes=(("列", "填写"), ("网格编码", "所在网格的15位编码（须为您所在社区或管辖范围内的网格）"),
           ("姓名", "必填"), ("电话", "可不填"), ("用户名", "可不填；填写时须为该网格所在社区的已有账号"),
           ("团队角色", "、".join(TEAM_ROLE_NAMES)),
           ("新八大员", "可不填，可多项，用顿号分隔：" + "、".join(STAFF_TYPE_NAMES)),
           ("起始日期", "必填，如 2026-01-01"), ("备注", "可不填"),
           (), ("同一网格已有同一人（同一账号，或同名同电话）且内容相同的行不会重复导入。",)),
)  # fmt: skip
RESIDENTS = Sheet(
    title="特殊人群",
    columns={"网格编码": "grid_code", "类别": "group", "姓名": "name", "电话": "phone", "身份证号": "id_number",
             "住址": "address", "楼栋": "building", "走访周期（天）": "visit_every_days", "备注": "note"},
    example=("430111001001001", "独居老人", "赵六", "13800000003", "430111194501011238", "人民路1号1栋101", "1栋", "",
             ""),
    notes=(("列", "填写"), ("网格编码", "所在网格的15位编码（须在您的管辖范围内）"),
           ("类别", "独居老人、空巢老人、残疾人、留守儿童、低保户等（系统中在用的特殊人群类别）"), ("姓名", "必填"),
           ("电话、身份证号", "可不填；身份证号18位"), ("住址", "可不填"),
           ("楼栋", "可不填；填写时须为该网格已登记的楼栋名称"),
           ("走访周期（天）", "可不填，按类别默认；1–366"), ("备注", "可不填"),
           (), ("身份证号已登记且内容相同的行（无身份证号时：同一网格、类别、姓名）不会重复导入。",)),
)  # fmt: skip


def _cells(r: dict[str, str], *private: str) -> dict[str, str]:
    """The row as shown in the report: phones and identity numbers masked."""
    out = dict(r)
    for k in private:
        if out.get(k):
            out[k] = (visits.mask_id_number(out[k]) if k == "id_number" else mask_phone(out[k])) or ""
    return out


# --- grid teams ----------------------------------------------------------------------------------------------------


def _member_key(grid_id: int, user_id: int | None, name: str, phone: str | None) -> tuple[Any, ...]:
    return (grid_id, "user", user_id) if user_id else (grid_id, "name", name, phone or "")


async def check_team(db: AsyncSession, subject: Subject, content: bytes) -> list[Row]:
    raw = imports.read(content, TEAM)
    grids = await imports.grids_by_code(db, (r["grid_code"] for r in raw))
    names = {r["username"] for r in raw if r["username"]}
    users = {u.username: u for u in (await db.execute(select(User).where(User.username.in_(names)))).scalars()}
    today = people.local_today()
    current: dict[tuple[Any, ...], TeamMember] = {}
    if grids:
        found = await db.execute(
            select(TeamMember).where(
                TeamMember.grid_id.in_([g.id for g in grids.values()]),
                or_(TeamMember.end_date.is_(None), TeamMember.end_date >= today),
            )
        )
        current = {_member_key(m.grid_id, m.user_id, m.name, m.phone): m for m in found.scalars()}
    may_write = imports.once_per_grid(lambda g: people.manages(subject, g))
    rows = []
    for n, r in imports.numbered(raw):
        row = Row(n, _cells(r, "phone"))
        grid = imports.grid_of(row, grids, may_write)
        user = users.get(r["username"]) if r["username"] else None
        if r["username"] and grid is not None and not people.member_user_fits(grid, user):
            row.problem("username", "account-unknown")
        role = TEAM_ROLE_NAMES.get(r["team_role"], r["team_role"])
        types = [STAFF_TYPE_NAMES.get(x, x) for x in imports.split_list(r["staff_types"])]
        if role in TEAM_ROLES:
            row.cells["team_role"] = role
        values = {"name": r["name"], "phone": r["phone"], "user_id": user.id if user else None, "team_role": role,
                  "staff_types": types, "start_date": r["start_date"], "note": r["note"]}  # fmt: skip
        data = imports.validate(row, schemas.TeamMemberIn, values, {"user_id": "username"})
        if grid is not None and data is not None and not row.problems:
            key = _member_key(grid.id, data.user_id, data.name, data.phone)
            row.value = (grid, data, key)
            there = current.get(key)
            if there is not None:
                row.same = there.team_role == data.team_role and sorted(there.staff_types or []) == sorted(
                    data.staff_types
                )
                if not row.same:
                    row.problem("name", "exists-different")
        rows.append(row)
    imports.repeated(rows, lambda r: r.value[2] if r.value else None, "name")
    return rows


async def apply_team(db: AsyncSession, rows: list[Row], *, apply: bool) -> dict[str, Any]:
    def write(new: list[Row]) -> None:
        db.add_all(TeamMember(grid_id=r.value[0].id, **r.value[1].model_dump()) for r in new)

    return await imports.run(db, rows, apply=apply, write=write, what="A team member of the file")


# --- special-group residents ---------------------------------------------------------------------------------------


def _resident_key(grid_id: int, group_id: int, name: str, id_hash: str | None) -> tuple[Any, ...]:
    """Residents are the same by the keyed hash of their identity number, else by grid, group and name."""
    return ("id", id_hash) if id_hash else ("name", grid_id, group_id, name)


def _hash_of(settings: Settings, number: str | None) -> str | None:
    if not number or not personal.ID_PATTERN.match(number.strip().upper()):
        return None
    return personal.search_hash(settings, number.strip().upper())


async def check_residents(db: AsyncSession, subject: Subject, settings: Settings, content: bytes) -> list[Row]:
    raw = imports.read(content, RESIDENTS)
    grids = await imports.grids_by_code(db, (r["grid_code"] for r in raw))
    covered = await people.covered_grids(db, subject)
    groups: dict[str, SpecialGroup] = {}
    for g in (await db.execute(select(SpecialGroup))).scalars():
        groups[g.code] = groups[g.name_zh] = g
    grid_ids = [g.id for g in grids.values()]
    buildings: dict[tuple[int, str], Building] = {}
    current: dict[tuple[Any, ...], SpecialResident] = {}
    if grid_ids:
        wanted = {r["building"] for r in raw if r["building"]}
        if wanted:
            found = await db.execute(
                select(Building).where(
                    Building.grid_id.in_(grid_ids), Building.name.in_(wanted), Building.is_active.is_(True)
                )
            )
            buildings = {(b.grid_id, b.name): b for b in found.scalars()}
        hashes = {h for r in raw if (h := _hash_of(settings, r["id_number"]))}
        found = await db.execute(
            select(SpecialResident).where(
                readable(subject, SpecialResident),  # a number registered out of sight is not matched (nor told)
                SpecialResident.is_active.is_(True),
                or_(
                    SpecialResident.id_number_hash.in_(hashes),
                    SpecialResident.grid_id.in_(grid_ids) & SpecialResident.id_number_hash.is_(None),
                ),
            )
        )
        current = {_resident_key(x.grid_id, x.group_id, x.name, x.id_number_hash): x for x in found.scalars()}
    may_write = imports.once_per_grid(lambda g: visits.may_write_grid(subject, g, covered))
    rows = []
    for n, r in imports.numbered(raw):
        row = Row(n, _cells(r, "phone", "id_number"))
        grid = imports.grid_of(row, grids, may_write)
        group = groups.get(r["group"])
        if not visits.group_fits(group):
            row.problem("group", "group-unknown")
        building = buildings.get((grid.id, r["building"])) if grid is not None and r["building"] else None
        if grid is not None and r["building"] and not visits.building_fits(building, grid.id):
            row.problem("building", "building-unknown")
        values = {  # an unknown grid or group is told above: stand-ins let the other fields be checked
            "grid_id": grid.id if grid else 1, "group_id": group.id if group else 1,
            "building_id": building.id if building else None, "name": r["name"], "phone": r["phone"],
            "id_number": r["id_number"], "address": r["address"],
            "visit_every_days": imports.whole(r["visit_every_days"]), "note": r["note"],
        }  # fmt: skip
        data = imports.validate(row, schemas.ResidentIn, values)
        if data is not None and not row.problems:
            key = _resident_key(data.grid_id, data.group_id, data.name, _hash_of(settings, data.id_number))
            row.value = (data, key)
            there = current.get(key)
            if there is not None:
                row.same = (there.grid_id, there.group_id, there.name) == (data.grid_id, data.group_id, data.name)
                if not row.same:
                    row.problem("id_number" if data.id_number else "name", "exists-different")
        rows.append(row)
    imports.repeated(rows, lambda r: r.value[1] if r.value else None, "name")
    return rows


async def apply_residents(db: AsyncSession, settings: Settings, rows: list[Row], *, apply: bool) -> dict[str, Any]:
    def write(new: list[Row]) -> None:
        now = utcnow()
        db.add_all(SpecialResident(**visits.resident_values(settings, r.value[0]), created_at=now) for r in new)

    return await imports.run(db, rows, apply=apply, write=write, what="A resident of the file")
