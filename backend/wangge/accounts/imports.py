"""Users from an Excel file, as street offices keep their lists: a template with Chinese headers, an upload checked
row by row and answered as a preview (what would be created, what is already there, what is wrong and why), and
the same upload applied — all or nothing, and a second time it changes nothing (rows already there are "same").

Each row names the user's area by its code (a grid's 15 digits, a community's 12, a street's 9, a district's 6, or a
department's code), the way the office's lists do; the checks are those of creating one user (accounts.service)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import imports
from wangge.accounts import service
from wangge.accounts.models import Role, User
from wangge.accounts.scope import ROLE_SCOPES, Subject, sees_path
from wangge.accounts.security import Passwords
from wangge.errors import DomainError
from wangge.hierarchy.models import Community, Department, District, Grid, Street
from wangge.imports import Row, Sheet

SHEET = Sheet(
    title="用户",
    columns={"用户名": "username", "姓名": "display_name", "电话": "phone", "角色": "role", "所属编码": "scope_code",
             "初始密码": "password"},
    example=("zhangsan01", "张三", "13800000000", "网格长", "430111001001001", "Wangge-2026"),
)  # fmt: skip
ROLE_NAMES = {
    "网格长": Role.grid_leader, "网格员": Role.grid_member, "服务站站长": Role.station_chief,
    "街道干部": Role.street_officer, "部门干部": Role.department_officer, "管理员": Role.administrator,
    "居民": Role.resident,
}  # fmt: skip
LEVEL_BY_LENGTH = {6: "district", 9: "street", 12: "community", 15: "grid"}
MODELS = {"district": District, "street": Street, "community": Community, "grid": Grid, "department": Department}
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
PHONE = re.compile(r"^\+?[0-9-]{5,20}$")
LEVEL_NAMES = {"grid": "网格编码(15位)", "community": "社区编码(12位)", "street": "街道编码(9位)",
               "district": "区编码(6位)", "department": "部门编码", "system": "留空(全系统)"}  # fmt: skip


def template() -> bytes:
    notes = [("角色", "所属编码填写")]
    notes += [
        (name, "、".join(LEVEL_NAMES[lv] for lv in sorted(ROLE_SCOPES[role]))) for name, role in ROLE_NAMES.items()
    ]
    notes += [(), ("初始密码至少8位；导入的用户首次登录须修改密码。用户名已存在且内容相同的行不会重复导入。",)]
    return replace(SHEET, notes=tuple(notes)).template()


async def check(db: AsyncSession, subject: Subject, content: bytes) -> list[Row]:
    """Every row with its status (new, same, error) and, for errors, the problems' codes by field."""
    rows = imports.read(content, SHEET)
    names = [r["username"] for r in rows]
    existing = {u.username: u for u in (await db.execute(select(User).where(User.username.in_(set(names))))).scalars()}
    scopes = await _scopes(db, rows)
    seen: set[str] = set()
    out = []
    for n, r in imports.numbered(rows):
        role = ROLE_NAMES.get(r["role"]) or (Role(r["role"]) if r["role"] in Role.__members__ else None)
        row = Row(n, {k: r[k] for k in ("username", "display_name", "role", "scope_code")})
        if not USERNAME.match(r["username"]):
            row.problem("username", "username-invalid")
        elif r["username"] in seen:
            row.problem("username", "username-repeated")
        seen.add(r["username"])
        if not r["display_name"] or len(r["display_name"]) > 100:
            row.problem("display_name", "name-required")
        if r["phone"] and not PHONE.match(r["phone"]):
            row.problem("phone", "phone-invalid")
        path, level = None, None
        if role is None:
            row.problem("role", "role-unknown")
        else:
            row.cells["role"] = role.value
            level, path = _scope_for(role, r["scope_code"], scopes)
            if path is None:
                row.problem("scope_code", "scope-unknown")
            elif not _assignable(subject, role.value, level, path):
                row.problem("scope_code", "scope-outside")
        user = existing.get(r["username"])
        if user is not None:
            same = (
                role is not None
                and path is not None
                and user.display_name == r["display_name"]
                and user.role == role.value
            )
            row.same = same and all(getattr(user, k) == v for k, v in path.items())
            if not row.same:
                row.problem("username", "username-taken")
        elif len(r["password"]) < 8:
            row.problem("password", "password-short")
        row.extra = dict(row.cells)  # the users' report also names these fields at the row's top level
        row.value = {"level": level, "path": path, "phone": r["phone"] or None, "password": r["password"]}
        out.append(row)
    return out


async def _scopes(db: AsyncSession, rows: list[dict[str, str]]) -> dict[tuple[str, str], Any]:
    """The areas and departments the file names, in one query per kind."""
    codes = {r["scope_code"] for r in rows if r["scope_code"]}
    found: dict[tuple[str, str], Any] = {}
    for level, model in MODELS.items():
        wanted = {c for c in codes if level == "department" or LEVEL_BY_LENGTH.get(len(c)) == level}
        if wanted:
            for obj in (
                await db.execute(select(model).where(model.code.in_(wanted), model.is_active.is_(True)))
            ).scalars():
                found[(level, obj.code)] = obj
    return found


def _scope_for(role: Role, code: str, scopes: dict[tuple[str, str], Any]) -> tuple[str | None, dict | None]:
    allowed = ROLE_SCOPES[role]
    if not code:
        return ("system", {}) if "system" in allowed else (None, None)
    for level in ("department", LEVEL_BY_LENGTH.get(len(code))):
        obj = scopes.get((level, code)) if level in allowed else None
        if obj is not None:
            path: dict[str, int | None] = {
                f"{lv}_id": None for lv in ("district", "street", "community", "grid", "department")
            }
            for lv in ("district", "street", "community"):
                if hasattr(obj, f"{lv}_id"):
                    path[f"{lv}_id"] = getattr(obj, f"{lv}_id")
            path[f"{level}_id"] = obj.id
            return level, path
    return None, None


def _assignable(subject: Subject, role: str, level: str, path: dict[str, Any]) -> bool:
    target = service._scope_subject(level, path)  # noqa: SLF001 - the same rule as creating one user
    area = target.area_level
    if area is not None and not sees_path(subject, area, path):
        return False
    try:
        service._check_assignable(subject, role, level, path)  # noqa: SLF001
    except DomainError:
        return False
    return True


async def apply(
    db: AsyncSession, subject: Subject, passwords: Passwords, rows: list[Row], *, apply: bool
) -> dict[str, Any]:
    """The report; with `apply`, the new rows' users created in one transaction (nothing when any row is wrong)."""

    async def write(new: list[Row]) -> None:
        # First passwords are temporary (changed at the first sign-in): hashed with the light profile, a core each.
        hashes = await asyncio.gather(*(passwords.hash_temporary_async(r.value["password"]) for r in new))
        for r, password_hash in zip(new, hashes, strict=True):
            db.add(
                User(
                    username=r.cells["username"], display_name=r.cells["display_name"], phone=r.value["phone"],
                    password_hash=password_hash, role=r.cells["role"], scope_level=r.value["level"],
                    must_change_password=True, **r.value["path"],
                )
            )  # fmt: skip

    return await imports.run(db, rows, apply=apply, write=write, what="A username of the file")
