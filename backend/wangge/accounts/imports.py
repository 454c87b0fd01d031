"""Users from an Excel file, as street offices keep their lists: a template with Chinese headers, an upload checked
row by row and answered as a preview (what would be created, what is already there, what is wrong and why), and
the same upload applied — all or nothing, and a second time it changes nothing (rows already there are "same").

Each row names the user's area by its code (a grid's 15 digits, a community's 12, a street's 9, a district's 6, or a
department's code), the way the office's lists do; the checks are those of creating one user (accounts.service)."""

from __future__ import annotations

import asyncio
import re
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts import service
from wangge.accounts.models import Role, User
from wangge.accounts.scope import ROLE_SCOPES, Subject, sees_path
from wangge.accounts.security import Passwords
from wangge.errors import Conflict, DomainError, Invalid
from wangge.hierarchy.models import Community, Department, District, Grid, Street

HEADERS = {
    "用户名": "username",
    "姓名": "display_name",
    "电话": "phone",
    "角色": "role",
    "所属编码": "scope_code",
    "初始密码": "password",
}
ROLE_NAMES = {
    "网格长": Role.grid_leader, "网格员": Role.grid_member, "服务站站长": Role.station_chief,
    "街道干部": Role.street_officer, "部门干部": Role.department_officer, "管理员": Role.administrator,
    "居民": Role.resident,
}  # fmt: skip
LEVEL_BY_LENGTH = {6: "district", 9: "street", 12: "community", 15: "grid"}
MODELS = {"district": District, "street": Street, "community": Community, "grid": Grid, "department": Department}
MAX_ROWS = 5000
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
PHONE = re.compile(r"^\+?[0-9-]{5,20}$")


def template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "用户"
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(["zhangsan01", "张三", "13800000000", "网格长", "430111001001001", "Wangge-2026"])
    for column, width in zip("ABCDEF", (16, 10, 14, 12, 20, 14), strict=True):
        ws.column_dimensions[column].width = width
    notes = wb.create_sheet("说明")
    notes.append(["角色", "所属编码填写"])
    for name, role in ROLE_NAMES.items():
        levels = "、".join({"grid": "网格编码(15位)", "community": "社区编码(12位)", "street": "街道编码(9位)",
                           "district": "区编码(6位)", "department": "部门编码", "system": "留空(全系统)"}[lv]
                          for lv in sorted(ROLE_SCOPES[role]))  # fmt: skip
        notes.append([name, levels])
    notes.append([])
    notes.append(["初始密码至少8位；导入的用户首次登录须修改密码。用户名已存在且内容相同的行不会重复导入。"])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(content: bytes) -> list[dict[str, str]]:
    try:
        wb = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same refusal
        raise Invalid("The file is not an Excel workbook (.xlsx)", code="not-xlsx") from exc
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(it, [])]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise Invalid(f"The first row must name the columns; missing: {', '.join(missing)}", code="import-headers")
    index = {HEADERS[h]: header.index(h) for h in HEADERS}
    rows = []
    for values in it:
        cells = ["" if v is None else str(v).strip() for v in values]
        if not any(cells):
            continue
        rows.append({key: cells[i] if i < len(cells) else "" for key, i in index.items()})
        if len(rows) > MAX_ROWS:
            raise Invalid(f"At most {MAX_ROWS} rows in one file", code="import-too-large")
    wb.close()
    return rows


async def check(db: AsyncSession, subject: Subject, content: bytes) -> list[dict[str, Any]]:
    """Every row with its status (new, same, error) and, for errors, the problems' codes by field."""
    rows = _rows(content)
    names = [r["username"] for r in rows]
    existing = {u.username: u for u in (await db.execute(select(User).where(User.username.in_(set(names))))).scalars()}
    scopes = await _scopes(db, rows)
    seen: set[str] = set()
    out = []
    for n, r in enumerate(rows, start=2):  # the spreadsheet's own row numbers: 1 is the header
        problems: list[dict[str, str]] = []
        role = ROLE_NAMES.get(r["role"]) or (Role(r["role"]) if r["role"] in Role.__members__ else None)
        if not USERNAME.match(r["username"]):
            problems.append({"field": "username", "code": "username-invalid"})
        elif r["username"] in seen:
            problems.append({"field": "username", "code": "username-repeated"})
        seen.add(r["username"])
        if not r["display_name"] or len(r["display_name"]) > 100:
            problems.append({"field": "display_name", "code": "name-required"})
        if r["phone"] and not PHONE.match(r["phone"]):
            problems.append({"field": "phone", "code": "phone-invalid"})
        path, level = None, None
        if role is None:
            problems.append({"field": "role", "code": "role-unknown"})
        else:
            level, path = _scope_for(role, r["scope_code"], scopes)
            if path is None:
                problems.append({"field": "scope_code", "code": "scope-unknown"})
            elif not _assignable(subject, role.value, level, path):
                problems.append({"field": "scope_code", "code": "scope-outside"})
        user = existing.get(r["username"])
        status = "new"
        if user is not None:
            same = (
                role is not None
                and path is not None
                and user.display_name == r["display_name"]
                and user.role == role.value
            )
            same = same and all(getattr(user, k) == v for k, v in path.items())
            if same:
                status = "same"
            else:
                problems.append({"field": "username", "code": "username-taken"})
        elif len(r["password"]) < 8:
            problems.append({"field": "password", "code": "password-short"})
        out.append({
            "row": n, "username": r["username"], "display_name": r["display_name"],
            "role": role.value if role else r["role"], "scope_code": r["scope_code"],
            "status": "error" if problems else status, "problems": problems,
            "_level": level, "_path": path, "_phone": r["phone"] or None, "_password": r["password"],
        })  # fmt: skip
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


async def apply(db: AsyncSession, subject: Subject, passwords: Passwords, report: list[dict[str, Any]]) -> int:
    """Create the new rows' users in one transaction; nothing when any row is wrong (the caller checked)."""
    new = [r for r in report if r["status"] == "new"]
    # First passwords are temporary (changed at the first sign-in): hashed with the light profile, a core each.
    hashes = await asyncio.gather(*(passwords.hash_temporary_async(r["_password"]) for r in new))
    for r, password_hash in zip(new, hashes, strict=True):
        db.add(
            User(
                username=r["username"], display_name=r["display_name"], phone=r["_phone"], password_hash=password_hash,
                role=r["role"], scope_level=r["_level"], must_change_password=True, **r["_path"],
            )
        )  # fmt: skip
    try:
        await db.commit()
    except IntegrityError as exc:  # someone took a username meanwhile
        await db.rollback()
        raise Conflict("A username of the file was taken meanwhile; check the file again") from exc
    return len(new)


def public(report: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in report]
