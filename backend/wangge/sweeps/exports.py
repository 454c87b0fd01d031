"""A sweep's results 逐户排查结果 as an XLSX workbook (openpyxl): the campaign, who exported it and when, one row per
household, and a second sheet with the progress per grid. A pure function of the dicts the service builds."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from wangge.models_common import utcnow
from wangge.sweeps.service import local_time
from wangge.workcalendar import SHANGHAI

PURPOSE_ZH = {
    "epidemic": "疫情排查", "rental_census": "出租房屋普查", "population": "人口信息核查", "safety": "安全隐患排查",
    "other": "其他",
}  # fmt: skip
RESULT_ZH = {"normal": "正常", "abnormal": "异常", "absent": "无人在家（待复访）", "vacant": "空置"}
USE_ZH = {"owner_occupied": "自住", "rented": "出租", "vacant": "空置", "business": "经营"}
COLUMNS = ["网格", "楼栋", "单元", "楼层", "房号", "地址", "房屋用途", "排查结果", "情况说明", "排查人", "排查时间"]
PROGRESS_COLUMNS = ["网格", "应排查户数", "已排查", "异常", "待复访", "未排查", "遗漏合计"]


def results_xlsx(
    sweep: dict[str, Any], grids: list[dict[str, Any]], tasks: list[dict[str, Any]], *, exporter: str
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "排查结果"
    ws.append([f"逐户排查：{sweep['title']}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            f"类别：{PURPOSE_ZH.get(sweep['purpose'], sweep['purpose'])}　"
            f"时间：{sweep['start_on'].isoformat()} 至 {sweep['due_on'].isoformat()}　"
            f"状态：{'已结束' if sweep['status'] == 'closed' else '进行中'}"
        ]
    )
    ws.append([f"导出人：{exporter}　导出时间：{utcnow().astimezone(SHANGHAI).strftime('%Y-%m-%d %H:%M')}"])
    ws.append(COLUMNS)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    names = {g["grid_id"]: g["grid_name"] for g in grids}
    for t in tasks:
        ws.append(
            [
                names.get(t["grid_id"], ""), t["building_name"], t["unit"], t["floor"], t["room"], t["label"],
                USE_ZH.get(t["use"], t["use"]), RESULT_ZH.get(t["result"] or "", "未排查"), t["note"] or "",
                t["ticked_by_name"] or "", local_time(t["ticked_at"]),
            ]
        )  # fmt: skip
    for column, width in zip("ABCDEFGHIJK", (14, 14, 6, 6, 8, 28, 8, 16, 30, 12, 17), strict=True):
        ws.column_dimensions[column].width = width
    p = wb.create_sheet("进度")
    p.append(PROGRESS_COLUMNS)
    for cell in p[1]:
        cell.font = Font(bold=True)
    for g in grids:
        p.append([g["grid_name"], g["total"], g["done"], g["abnormal"], g["revisit"], g["not_yet"], g["missed"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
