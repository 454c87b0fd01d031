"""An incident's reports 首报/续报/终报 in the form a district emergency office expects (突发事件信息报告): the
report's number and kind, the event's time, place, nature, casualties, the scene, the measures taken and the
reporter. One dict per report (`sheet`), which the print page shows, the XLSX workbook holds and the webhook
event `incident.report` carries to the district's system through the signed outbox."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import User
from wangge.emergencies.models import Incident, IncidentReport
from wangge.errors import NotFound
from wangge.hierarchy.models import Community, Grid, Street
from wangge.models_common import as_utc
from wangge.notify.outbox import emit
from wangge.workcalendar import SHANGHAI

KIND_ZH = {"first": "首报", "followup": "续报", "final": "终报"}
TYPE_ZH = {
    "fire": "火灾",
    "gas": "燃气泄漏",
    "flood": "汛情内涝",
    "building": "房屋险情",
    "traffic": "交通事故",
    "public_health": "公共卫生",
    "public_security": "治安事件",
    "other": "其他",
}
SEVERITY_ZH = {1: "Ⅰ级（特别重大）", 2: "Ⅱ级（重大）", 3: "Ⅲ级（较大）", 4: "Ⅳ级（一般）"}


def _local(at: datetime | None) -> str:
    return as_utc(at).astimezone(SHANGHAI).strftime("%Y年%m月%d日 %H:%M") if at else ""


async def _name(db: AsyncSession, model: Any, row_id: int | None) -> str:
    if row_id is None:
        return ""
    return (await db.execute(select(model.name).where(model.id == row_id))).scalar() or ""


async def sheet(db: AsyncSession, *, incident: Incident, report: IncidentReport) -> dict[str, Any]:
    """The report as the district's form holds it (times in Beijing time, words in Chinese, facts as they are)."""
    author = (await db.execute(select(User.display_name, User.phone).where(User.id == report.author_id))).one()
    street, community = await _name(db, Street, incident.street_id), await _name(db, Community, incident.community_id)
    grid = await _name(db, Grid, incident.grid_id)
    casualties = {k: int((report.casualties or {}).get(k, 0) or 0) for k in ("dead", "injured", "missing")}
    return {
        "number": f"{incident.code}-{report.sequence}",
        "incident_id": incident.id,
        "report_id": report.id,
        "code": incident.code,
        "sequence": report.sequence,
        "kind": report.kind,
        "kind_zh": KIND_ZH.get(report.kind, report.kind),
        "title": incident.title,
        "incident_type": incident.incident_type,
        "incident_type_zh": TYPE_ZH.get(incident.incident_type, incident.incident_type),
        "severity": incident.severity,
        "severity_zh": SEVERITY_ZH.get(incident.severity, str(incident.severity)),
        "occurred_at": as_utc(incident.occurred_at),
        "occurred_at_local": _local(incident.occurred_at),
        "place": incident.place,
        "street": street,
        "community": community,
        "grid": grid,
        "lat": incident.lat,
        "lon": incident.lon,
        "nature": report.nature,
        "casualties": casualties,
        "scene_status": report.scene_status,
        "measures": report.measures or "",
        "reporter": author.display_name,
        "reporter_phone": author.phone or "",
        "reporting_unit": "".join(x for x in (street, community) if x),
        "reported_at": as_utc(report.reported_at),
        "reported_at_local": _local(report.reported_at),
        "due_at": as_utc(report.due_at),
        "late_seconds": report.late_seconds,
    }


async def find(db: AsyncSession, *, incident: Incident, sequence: int) -> IncidentReport:
    r = (
        await db.execute(
            select(IncidentReport).where(IncidentReport.incident_id == incident.id, IncidentReport.sequence == sequence)
        )
    ).scalar()
    if r is None:
        raise NotFound(f"Incident {incident.code} has no report number {sequence}")
    return r


async def announce(db: AsyncSession, *, incident: Incident, report: IncidentReport) -> None:
    """Queue `incident.report` (webhook only: staff are told by `incident.reported`) in the caller's transaction."""
    data = await sheet(db, incident=incident, report=report)
    emit(db, "incident.report", _jsonable(data))


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


def rows(s: dict[str, Any]) -> list[tuple[str, str]]:
    """The form's lines, label and value, in the order the district reads them (the print page has the same)."""
    c = s["casualties"]
    place = s["place"] + (f"（{s['street']}{s['community']}{s['grid']}）" if s["street"] else "")
    return [
        ("报告编号", s["number"]),
        ("报告类别", f"{s['kind_zh']}（第{s['sequence']}次报告）"),
        ("事件名称", s["title"]),
        ("事件类型", s["incident_type_zh"]),
        ("事件等级", s["severity_zh"]),
        ("发生时间", s["occurred_at_local"]),
        ("发生地点", place),
        ("事件性质及起因", s["nature"]),
        ("伤亡情况", f"死亡 {c['dead']} 人，受伤 {c['injured']} 人，失踪 {c['missing']} 人"),
        ("现场情况", s["scene_status"]),
        ("已采取的措施", s["measures"] or "—"),
        ("报告单位", s["reporting_unit"]),
        ("报告人", s["reporter"]),
        ("联系电话", s["reporter_phone"]),
        ("报告时间", s["reported_at_local"]),
    ]


def xlsx(s: dict[str, Any]) -> bytes:
    """One report as an A4 workbook: the title, then label | value lines with borders, wrapped text."""
    wb = Workbook()
    ws = wb.active
    ws.title = s["kind_zh"]
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([f"突发事件信息报告（{s['kind_zh']}）"])
    ws.merge_cells("A1:B1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    for label, value in rows(s):
        ws.append([label, value])
        row = ws.max_row
        ws.cell(row, 1).font = Font(bold=True)
        for col in (1, 2):
            ws.cell(row, col).border = border
            ws.cell(row, col).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 70
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.print_options.horizontalCentered = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
