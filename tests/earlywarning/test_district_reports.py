"""An incident's reports 首报/续报/终报 for the district emergency office, on both engines: the form's facts, the
A4 workbook, the signed webhook event `incident.report` for each report sent, and scope."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from conftest import assert_problem
from earlywarning.helpers import API, SECRET, deliver_to
from emergencies.helpers import raise_incident, report
from notify.receiver import WebhookReceiver


@pytest.fixture
def receiver():
    with WebhookReceiver(SECRET) as r:
        yield r


def test_each_report_sent_becomes_a_signed_incident_report_event(client, world, live, receiver):
    inc = raise_incident(client, world)
    report(client, world, inc["id"], "first")
    report(client, world, inc["id"], "final", who="station_chief")
    deliver_to(live, receiver.url)
    events = [r for r in receiver.requests if r.topic == "incident.report"]
    assert [e.body["data"]["kind"] for e in events] == ["first", "final"]
    assert all(e.signature_ok and e.headers["x-wangge-event"] == "incident.report" for e in events)
    first = events[0].body["data"]
    assert first["number"] == f"{inc['code']}-1" and first["incident_id"] == inc["id"] and first["sequence"] == 1
    assert first["kind_zh"] == "首报" and first["incident_type_zh"] == "火灾" and first["severity_zh"].startswith("Ⅲ级")
    assert first["casualties"] == {"dead": 0, "injured": 1, "missing": 0}
    assert first["nature"] == "电动车充电起火" and first["scene_status"] == "明火已扑灭"
    assert first["reporter"] == "grid_leader的名字" and first["place"] == "1栋2单元"
    assert events[1].body["data"]["reporter"] == "station_chief的名字"
    assert events[1].body["data"]["number"] == f"{inc['code']}-2"


def test_the_form_and_its_workbook(client, world):
    inc = raise_incident(client, world)
    report(client, world, inc["id"], "first")
    r = client.get(f"{API}/incidents/{inc['id']}/reports/1/district", headers=world.headers("street_officer"))
    assert r.status_code == 200, r.text
    form = r.json()
    assert form["kind"] == "first" and form["code"] == inc["code"] and form["community"] and form["street"]
    assert re.fullmatch(r"\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}", form["occurred_at_local"]), form["occurred_at_local"]

    x = client.get(f"{API}/incidents/{inc['id']}/reports/1.xlsx", headers=world.headers("station_chief"))
    assert x.status_code == 200 and x.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws["A1"].value == "突发事件信息报告（首报）"
    lines = {ws.cell(row, 1).value: ws.cell(row, 2).value for row in range(2, ws.max_row + 1)}
    assert lines["报告编号"] == f"{inc['code']}-1" and lines["伤亡情况"] == "死亡 0 人，受伤 1 人，失踪 0 人"
    assert lines["报告人"] == "grid_leader的名字" and lines["现场情况"] == "明火已扑灭"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)


def test_scope_outside_is_404_and_a_missing_report_too(client, world):
    inc = raise_incident(client, world)
    report(client, world, inc["id"], "first")
    for who in ("chief_c3", "chief_c4", "leader_g2"):
        for suffix in ("1/district", "1.xlsx"):
            r = client.get(f"{API}/incidents/{inc['id']}/reports/{suffix}", headers=world.headers(who))
            assert_problem(r, 404)
    assert_problem(
        client.get(f"{API}/incidents/{inc['id']}/reports/1/district", headers=world.headers("resident")), 403
    )
    assert_problem(
        client.get(f"{API}/incidents/{inc['id']}/reports/2/district", headers=world.headers("grid_leader")), 404
    )
    assert_problem(client.get(f"{API}/incidents/{inc['id']}/reports/x.xlsx", headers=world.headers("grid_leader")), 422)
