"""Exports of the station's paperwork: the triage minutes 研判纪要 and the monthly hazard bulletin 隐患通报, each as an
XLSX workbook (openpyxl) and as a printable Chinese page. Pure functions of the dicts the services build."""

from __future__ import annotations

import io
from datetime import date, datetime
from html import escape
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from wangge.models_common import as_utc
from wangge.workcalendar import SHANGHAI

DECISION_ZH = {"station": "站内办理", "escalate": "上报", "close": "关闭", "merge": "合并", None: "未决"}
MINUTES_COLUMNS = ["类别", "查询码", "网格", "事项描述", "研判决定", "承办", "备注"]
FIGURE_COLUMNS = ["发现", "已整改", "逾期"]


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return as_utc(value).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _assignee(item: dict[str, Any]) -> str:
    user = item.get("assignee_user") or {}
    return " / ".join(x for x in (item.get("assignee"), user.get("name")) if x)


def _minutes_rows(meeting: dict[str, Any]) -> list[list[str]]:
    rows = []
    for group in meeting["groups"]:
        for item in group["items"]:
            m = item["matter"]
            rows.append(
                [
                    group["category"]["name"],
                    m["tracking_code"],
                    (m["grid"] or {}).get("name", ""),
                    m["description"],
                    DECISION_ZH.get(item["decision"], item["decision"]),
                    _assignee(item),
                    item["note"] or "",
                ]
            )
    return rows


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _undecided(meeting: dict[str, Any]) -> list[str]:
    return [i["matter"]["tracking_code"] for g in meeting["groups"] for i in g["items"] if i["decision"] is None]


def minutes_xlsx(meeting: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "研判纪要"
    bold = Font(bold=True)
    info = [
        ["每天一研判 会议纪要"],
        ["社区", meeting["community"]["name"]],
        ["日期", _when(meeting["day"])],
        ["主持", meeting["chair"]["name"]],
        ["开始", _when(meeting["opened_at"])],
        ["结束", _when(meeting["closed_at"]) or "未结束"],
        ["参会人员", "、".join(a["name"] + (f"（{a['role']}）" if a["role"] else "") for a in meeting["attendees"])],
        ["纪要", meeting["minutes"]],
    ]
    undecided = _undecided(meeting)
    if undecided:
        info.append(["未决事项", f"{len(undecided)} 项未作决定：" + "、".join(undecided)])
    for row in info:
        ws.append(row)
    ws["A1"].font = bold
    ws.append([])
    ws.append(MINUTES_COLUMNS)
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in _minutes_rows(meeting):
        ws.append(row)
    for col, width in zip("ABCDEFG", (12, 14, 12, 50, 10, 16, 30), strict=True):
        ws.column_dimensions[col].width = width
    return _save(wb)


PAGE_CSS = """
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.4em; text-align: center; }
h2 { font-size: 1.1em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; margin-top: .5em; }
th, td { border: 1px solid #444; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
dl { display: grid; grid-template-columns: 6em 1fr; gap: .2em 1em; }
dt { font-weight: bold; }
.warn { color: #a00; }
@media print {
  body { margin: 0; font-size: 11pt; }
  th { background: none; }
  tr { page-break-inside: avoid; }
  .noprint { display: none; }
}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{PAGE_CSS}</style></head>"
        f'<body><h1>{escape(title)}</h1>{body}<p class="noprint"><button onclick="window.print()">打印</button></p>'
        "</body></html>"
    )


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _dl(pairs: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in pairs) + "</dl>"


def minutes_html(meeting: dict[str, Any]) -> str:
    attendees = "、".join(a["name"] + (f"（{a['role']}）" if a["role"] else "") for a in meeting["attendees"])
    info = _dl(
        [
            ("社区", meeting["community"]["name"]),
            ("日期", _when(meeting["day"])),
            ("主持", meeting["chair"]["name"]),
            ("开始", _when(meeting["opened_at"])),
            ("结束", _when(meeting["closed_at"]) or "未结束"),
            ("参会人员", attendees or "—"),
        ]
    )
    minutes = "".join(f"<p>{escape(line)}</p>" for line in (meeting["minutes"] or "").splitlines()) or "<p>—</p>"
    undecided = _undecided(meeting)
    warn = f'<p class="warn">{len(undecided)} 项未作决定：{escape("、".join(undecided))}</p>' if undecided else ""
    groups = "".join(f"<li>{escape(g['category']['name'])}：{g['count']} 项</li>" for g in meeting["groups"])
    body = (
        f"{info}<h2>纪要</h2>{minutes}<h2>议题（按类别）</h2><ul>{groups}</ul>{warn}"
        f"<h2>研判事项</h2>{_table(MINUTES_COLUMNS, _minutes_rows(meeting))}"
    )
    return _page(f"{meeting['community']['name']} 每天一研判会议纪要 {_when(meeting['day'])}", body)


def _figure_rows(b: dict[str, Any]) -> tuple[list[list[Any]], list[list[Any]]]:
    grids = [[g["grid"]["name"], g["found"], g["fixed"], g["overdue"]] for g in b["by_grid"]]
    types = [[t["name"] or t["hazard_type"], t["found"], t["fixed"], t["overdue"]] for t in b["by_type"]]
    return grids, types


HAZARD_COLUMNS = ["网格", "地点", "类型", "风险等级", "描述", "责任单位", "整改期限", "状态", "逾期"]


def _hazard_rows(b: dict[str, Any]) -> list[list[Any]]:
    from wangge.station.hazards import RISK_ZH, STATUS_ZH, TYPE_ZH

    return [
        [
            h["grid"]["name"],
            h["place"],
            TYPE_ZH.get(h["hazard_type"], h["hazard_type"]),
            RISK_ZH.get(h["risk_level"], h["risk_level"]),
            h["description"],
            h["responsible_unit"],
            _when(h["deadline"]),
            STATUS_ZH.get(h["status"], h["status"]),
            "是" if h["overdue"] else "",
        ]
        for h in b["hazards"]
    ]


def bulletin_xlsx(b: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "隐患通报"
    bold = Font(bold=True)
    t = b["totals"]
    for row in (
        [f"{b['community']['name']} {b['month']} 隐患排查通报"],
        ["统计截至", _when(b["as_of"])],
        ["排查任务", f"{b['inspections']['done']}/{b['inspections']['total']} 已完成"],
        ["发现", t["found"], "已整改", t["fixed"], "逾期", t["overdue"]],
        [],
    ):
        ws.append(row)
    ws["A1"].font = bold
    grids, types = _figure_rows(b)
    for title, rows in (("按网格", grids), ("按类型", types)):
        ws.append([title, *FIGURE_COLUMNS])
        for cell in ws[ws.max_row]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        ws.append([])
    ledger = wb.create_sheet("隐患台账")
    ledger.append(HAZARD_COLUMNS)
    for cell in ledger[1]:
        cell.font = bold
    for row in _hazard_rows(b):
        ledger.append(row)
    return _save(wb)


def bulletin_html(b: dict[str, Any]) -> str:
    t = b["totals"]
    grids, types = _figure_rows(b)
    info = _dl(
        [
            ("统计截至", _when(b["as_of"])),
            ("排查任务", f"{b['inspections']['done']}/{b['inspections']['total']} 已完成"),
            ("例会", _when(b["meeting_at"]) or "未召开"),
            ("合计", f"发现 {t['found']} 处，已整改 {t['fixed']} 处，逾期 {t['overdue']} 处"),
        ]
    )
    body = (
        f"{info}<h2>按网格</h2>{_table(['网格', *FIGURE_COLUMNS], grids)}"
        f"<h2>按类型</h2>{_table(['类型', *FIGURE_COLUMNS], types)}"
        f"<h2>隐患台账</h2>{_table(HAZARD_COLUMNS, _hazard_rows(b))}"
    )
    return _page(f"{b['community']['name']} {b['month']} 隐患排查通报", body)
