"""The reserve ledger 应急物资台账 as an XLSX workbook (openpyxl): one row per item with its alerts, and who exported
it and when. A pure function of the dicts reserve.items_out builds."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from wangge.models_common import utcnow
from wangge.preparedness.reserve import ALERT_ZH, CATEGORY_ZH
from wangge.workcalendar import SHANGHAI

COLUMNS = [
    "储备单位",
    "物资名称",
    "类别",
    "数量",
    "计量单位",
    "最低库存",
    "存放地点",
    "有效期至",
    "保管人",
    "提醒",
    "备注",
]


def reserve_xlsx(items: list[dict[str, Any]], *, exporter: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "应急物资台账"
    ws.append(["应急物资台账"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"导出人：{exporter}　导出时间：{utcnow().astimezone(SHANGHAI).strftime('%Y-%m-%d %H:%M')}"])
    ws.append(COLUMNS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i in items:
        ws.append(
            [
                i["unit"]["name"],
                i["name"],
                CATEGORY_ZH.get(i["category"], i["category"]),
                i["quantity"],
                i["measure"],
                i["min_quantity"],
                i["location"],
                i["expires_on"].isoformat() if i["expires_on"] else "",
                (i["keeper"] or {}).get("name", ""),
                "、".join(ALERT_ZH[a] for a in i["alerts"]),
                i["note"],
            ]
        )
    for column, width in zip("ABCDEFGHIJK", (18, 20, 10, 8, 8, 8, 24, 12, 10, 16, 24), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
