"""Rows from an Excel file, as offices keep their lists: what every importer shares (users, grid teams, buildings,
places, special-group residents).

A `Sheet` is an importer's template: its Chinese headers (each naming the field it fills), an example row and a
sheet of notes. An upload is read against it (`read`: the first sheet, headers in any order, at most `MAX_ROWS`
rows and `MAX_BYTES` bytes; anything else is a 422 problem, never a 500), then each importer checks every row with
the rules of creating one such row and gives back `Row`s: "new" (to be created), "same" (already there as the file
says: applying again changes nothing) or "error" with the problems' codes by field. `run` answers the preview, or
applies the file — all or nothing: while any row is wrong nothing is written (422 `import-rejected`, with the
report) — and `Report` is the answer's shape.

Personal data (phones, identity numbers) is never logged here and never echoed whole: an importer shows it masked.
"""

from __future__ import annotations

import asyncio
import gc
import re
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any, Literal
from urllib.parse import quote

from fastapi import Response, UploadFile
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.errors import Conflict, Invalid
from wangge.hierarchy.models import Grid
from wangge.schemas_common import Output

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_SCANNED = 2 * MAX_ROWS  # rows looked at, empty ones included
LIMITS = {"megabytes": MAX_BYTES // (1024 * 1024), "rows": MAX_ROWS}  # the fields of the import-too-large message
MAX_COLUMNS = 200  # cells of the header row looked at
GRID_CODE = re.compile(r"^\d{15}$")
LIST_SEPARATORS = re.compile(r"[,，、;；/\s]+")


# --- the answer's shape ------------------------------------------------------------------------------------------


class ImportProblem(Output):
    field: str
    code: str  # stable: the app shows admin.import.problems.<code>


class ImportRow(Output):
    row: int  # the spreadsheet's own row number (1 is the header)
    status: Literal["new", "same", "error"]
    problems: list[ImportProblem]
    cells: dict[str, str]  # what the row says, by field (personal data masked)


class ImportReport(Output):
    rows: list[ImportRow]
    new: int
    same: int
    error: int
    applied: bool
    created: int


# --- the template and reading an upload ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    title: str  # the first sheet's name
    columns: dict[str, str]  # Chinese header -> the field it fills
    example: tuple[Any, ...]
    notes: tuple[tuple[str, ...], ...] = ()
    width: int = 14

    def template(self) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.title = self.title
        ws.append(list(self.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            ws.column_dimensions[cell.column_letter].width = max(self.width, 2 * len(str(cell.value)) + 4)
        ws.append(list(self.example))
        if self.notes:
            notes = wb.create_sheet("说明")
            for line in self.notes:
                notes.append(list(line))
            notes.column_dimensions["A"].width = 16
            notes.column_dimensions["B"].width = 60
        out = BytesIO()
        wb.save(out)
        return out.getvalue()


def _text(value: Any) -> str:
    """A cell as the person typed it: dates as YYYY-MM-DD, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


class SheetRow(dict[str, str]):
    """A row of the upload by field, with its own number in the spreadsheet (1 is the header)."""

    number: int


def read(content: bytes, sheet: Sheet) -> list[SheetRow]:
    """The rows of the upload's first sheet, by field; empty rows skipped (but counted, so that numbers are the
    spreadsheet's). Only the columns up to the last header are read, and at most `MAX_SCANNED` rows are scanned."""
    try:
        wb = load_workbook(BytesIO(content), read_only=True, data_only=True)
        ws = wb.worksheets[0]
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same refusal
        raise Invalid("The file is not an Excel workbook (.xlsx)", code="not-xlsx") from exc
    try:
        first = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
        header = [_text(c) for c in first]
        missing = [h for h in sheet.columns if h not in header]
        if missing:
            raise Invalid(f"The first row must name the columns; missing: {', '.join(missing)}", code="import-headers")
        index = {key: header.index(h) for h, key in sheet.columns.items()}
        width = max(index.values()) + 1
        rows: list[SheetRow] = []
        for number, values in enumerate(ws.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
            if number > MAX_SCANNED:
                raise Invalid(
                    f"At most {MAX_ROWS} rows in one file",
                    code="import-too-large",
                    params=LIMITS,
                )
            cells = [_text(v) for v in values]
            if not any(cells):
                continue
            row = SheetRow({key: cells[i] if i < len(cells) else "" for key, i in index.items()})
            row.number = number
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise Invalid(
                    f"At most {MAX_ROWS} rows in one file",
                    code="import-too-large",
                    params=LIMITS,
                )
    except Invalid:
        raise
    except Exception as exc:  # noqa: BLE001 - a workbook that opens but cannot be read through
        raise Invalid("The file is not an Excel workbook (.xlsx)", code="not-xlsx") from exc
    finally:
        wb.close()
    return rows


async def upload_bytes(file: UploadFile) -> bytes:
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise Invalid(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB", code="import-too-large", params=LIMITS
        )
    return content


def split_list(text: str) -> list[str]:
    """A cell holding several values (顿号, commas, semicolons or spaces between them)."""
    return [part for part in LIST_SEPARATORS.split(text) if part]


# --- checking rows -------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One row of the file as checked: what it shows, its problems, and (private) what applying it writes."""

    row: int
    cells: dict[str, str]
    problems: list[dict[str, str]] = field(default_factory=list)
    same: bool = False
    value: Any = None  # what `write` needs for a new row
    extra: dict[str, Any] = field(default_factory=dict)  # shown beside `cells` (the users' report's own fields)

    def problem(self, field_name: str, code: str) -> None:
        self.problems.append({"field": field_name, "code": code})

    @property
    def status(self) -> str:
        return "error" if self.problems else "same" if self.same else "new"


def numbered(rows: list[SheetRow]) -> Iterable[tuple[int, SheetRow]]:
    """The rows with the spreadsheet's own numbers: 1 is the header."""
    return ((r.number, r) for r in rows)


def validate(row: Row, schema: type[BaseModel], data: dict[str, Any], fields: dict[str, str] | None = None) -> Any:
    """`schema` (the single create's input) built from `data`, empty cells left out so the schema's defaults and
    required fields apply; each failure is a problem `<field>-required` or `<field>-invalid`, the field named as
    the file names it (`fields` maps the schema's names to the file's). None when anything failed."""
    fields = fields or {}
    given = {k: v for k, v in data.items() if v is not None and v != ""}
    try:
        return schema.model_validate(given)
    except ValidationError as exc:
        seen: set[str] = set()
        for error in exc.errors(include_url=False, include_input=False, include_context=False):
            name = str(error["loc"][0]) if error["loc"] else "row"
            name = fields.get(name, name)
            if name in seen:
                continue
            seen.add(name)
            row.problem(name, f"{name}-required" if error["type"] == "missing" else f"{name}-invalid")
        return None


def whole(text: str) -> int | str | None:
    """A number cell for a schema: an integer when it is one, else the text (so the schema refuses it)."""
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() else text


def decimal(text: str) -> float | str | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def repeated(rows: list[Row], key: Callable[[Row], Any], field_name: str) -> None:
    """The second and later rows with the same natural key: `row-repeated` (the first stands)."""
    seen: set[Any] = set()
    for r in rows:
        k = key(r)
        if k is None:
            continue
        if k in seen:
            r.problem(field_name, "row-repeated")
        seen.add(k)


async def grids_by_code(db: AsyncSession, codes: Iterable[str]) -> dict[str, Grid]:
    """The active grids the file names, in one query (scope is each importer's rule, applied row by row)."""
    wanted = {c for c in codes if GRID_CODE.match(c)}
    if not wanted:
        return {}
    rows = await db.execute(select(Grid).where(Grid.code.in_(wanted), Grid.is_active.is_(True)))
    return {g.code: g for g in rows.scalars()}


def once_per_grid(may_write: Callable[[Grid], bool]) -> Callable[[Grid], bool]:
    """`may_write` asked once per grid of the file (a file of thousands of rows names a few grids)."""
    answers: dict[int, bool] = {}

    def ask(grid: Grid) -> bool:
        if grid.id not in answers:
            answers[grid.id] = may_write(grid)
        return answers[grid.id]

    return ask


def grid_of(row: Row, grids: dict[str, Grid], may_write: Callable[[Grid], bool]) -> Grid | None:
    """The row's grid (column `grid_code`), or a problem: `grid-unknown`, or `grid-outside` (not in your scope)."""
    grid = grids.get(row.cells.get("grid_code", ""))
    if grid is None:
        row.problem("grid_code", "grid-unknown")
        return None
    if not may_write(grid):
        row.problem("grid_code", "grid-outside")
        return None
    return grid


@contextmanager
def bulk() -> Iterator[None]:
    """While a file is checked and applied: no automatic garbage collection. The file's rows, their checks and
    their new objects live to the end of the request, and the collections their allocations trigger walk them again
    and again — half the time of a 2,000-row file, and the part that grows faster than the file (docs/benchmarks.md,
    "Importing from Excel"). Collection resumes when the request is done (an import running beside another leaves
    it to whichever finishes first); nothing is kept past the request, so nothing accumulates."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- answering and applying ----------------------------------------------------------------------------------------


def public(rows: list[Row]) -> list[dict[str, Any]]:
    return [{"row": r.row, "status": r.status, "problems": r.problems, "cells": r.cells, **r.extra} for r in rows]


async def run(
    db: AsyncSession,
    rows: list[Row],
    *,
    apply: bool,
    write: Callable[[list[Row]], Awaitable[None] | None],
    what: str = "A row of the file",
) -> dict[str, Any]:
    """The report of checked `rows`; with `apply`, the new rows written by `write` (which adds them to `db`) and
    committed in one transaction — refused whole (422 `import-rejected`, with the report) while any row is wrong."""
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("new", "same", "error")}
    created = 0
    if apply:
        if counts["error"]:
            raise Invalid(
                f"{counts['error']} row(s) are wrong; nothing was imported",
                code="import-rejected",
                params={"rows": counts["error"]},
                report=public(rows),
            )
        new = [r for r in rows if r.status == "new"]
        if new:
            pending = write(new)
            if pending is not None:
                await pending
            try:
                await db.commit()
            except IntegrityError as exc:  # a row's key was taken meanwhile
                await db.rollback()
                raise Conflict(f"{what} was created meanwhile; check the file again") from exc
        created = len(new)
    return {"rows": public(rows), **counts, "applied": apply, "created": created}


def template_response_headers(filename: str) -> dict[str, str]:
    """Content-Disposition naming the template (a Chinese name, sent percent-encoded)."""
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}


def template_response(content: bytes, filename: str) -> Response:
    return Response(content, media_type=XLSX, headers=template_response_headers(filename))


def xlsx_response(content: bytes, filename: str, headers: dict[str, str] | None = None) -> Response:
    """An XLSX file to download under an ASCII name (the minutes, the assessment's tables and bulletins), with any
    further headers."""
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers={**disposition, **(headers or {})})


async def xlsx_download(
    filename: str, build: Callable[..., bytes], *args: Any, headers: dict[str, str] | None = None, **kwargs: Any
) -> Response:
    """`build(*args, **kwargs)` (a workbook's bytes) made off the event loop, as openpyxl takes a while on a big
    sheet, and sent as the download `filename`: what every XLSX export route ends with."""
    return xlsx_response(await asyncio.to_thread(build, *args, **kwargs), filename, headers)


# The OpenAPI description of a route answering an XLSX file (response_class=Response, responses=XLSX_RESPONSES).
XLSX_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"content": {XLSX: {}}, "description": "An XLSX file"}}
TEMPLATE_RESPONSES = XLSX_RESPONSES
