"""Excel files for the import tests, made with openpyxl as an office's spreadsheet would be."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(header: list[str], *rows: list[Any]) -> bytes:
    wb = Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client: Any, path: str, headers: dict[str, str], content: bytes, apply: bool = False) -> Any:
    return client.post(
        path,
        params={"apply": str(apply).lower()},
        files={"file": ("list.xlsx", content, XLSX)},
        headers=headers,
    )


def template_rows(client: Any, path: str, headers: dict[str, str]) -> list[tuple[Any, ...]]:
    """The first sheet of a downloaded template, row by row (asserting it is an Excel file)."""
    r = client.get(path, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith(XLSX), r.text[:200]
    return list(load_workbook(BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))
