"""The public board 公示栏 of a community (no account): last month's 三率 and counts as the assessment computes them,
the matters on public notice with how to object, the resolved matters of public-space categories — only that
community's, and without the reporter's name, phone or address anywhere in the answer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from conftest import assert_problem
from matters.helpers import PHONE, matter_id, submit
from wangge.accounts.models import User
from wangge.assessment.public_board import PUBLIC_SPACE_CATEGORIES, last_month
from wangge.hierarchy.models import Community
from wangge.matters.models import Matter
from wangge.models_common import utcnow
from wangge.tables import start_of
from wangge.workcalendar import SHANGHAI

NAME = "李阿姨"
ADDRESS = "幸福小区3栋502室"


def _set(live, code: str, **values) -> int:
    mid = matter_id(live, code)
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id == mid).values(**values))
        s.commit()
    return mid


def _matter(client, live, category: str, grid: str = "G1a", **values) -> str:
    code = submit(client, category=category, grid=grid, reporter_name=NAME, address=ADDRESS)["tracking_code"]
    if values:
        _set(live, code, **values)
    return code


def test_the_board_shows_its_community_without_personal_data(world, client, live):
    now = utcnow()
    first, _ = last_month(now.astimezone(SHANGHAI).date())
    in_last_month = start_of(first) + timedelta(days=2, hours=3)
    # On notice: the department's decision names the requester and a phone number, which the board blots out.
    notice = _matter(
        client,
        live,
        "livelihood",
        status="public_notice",
        holder_level="station",
        result=f"同意{NAME}家门前加装无障碍坡道，联系电话 {PHONE}",
        notice_ends_at=now + timedelta(days=3),
    )
    # Resolved, of a public-space category, last month: on the board as category, grid and days.
    done = _matter(
        client,
        live,
        "sanitation",
        status="closed",
        outcome="done",
        result=f"已清理，{NAME}满意",
        created_at=in_last_month,
        resolved_at=in_last_month + timedelta(hours=5),
        closed_at=in_last_month + timedelta(days=1),
    )
    # Resolved but of a category that points at a home or a person: not on the board.
    private = _matter(
        client,
        live,
        "civil_affairs",
        status="closed",
        outcome="done",
        created_at=in_last_month,
        resolved_at=in_last_month + timedelta(hours=5),
    )
    # Another community's matters: neither on C1's board nor in its counts.
    other_notice = _matter(
        client,
        live,
        "livelihood",
        grid="G2",
        status="public_notice",
        holder_level="station",
        result="另一社区的公示",
        notice_ends_at=now + timedelta(days=3),
    )
    _matter(
        client,
        live,
        "sanitation",
        grid="G2",
        status="closed",
        outcome="done",
        created_at=in_last_month,
        resolved_at=in_last_month + timedelta(hours=1),
    )
    assert "sanitation" in PUBLIC_SPACE_CATEGORIES and "civil_affairs" not in PUBLIC_SPACE_CATEGORIES

    r = client.get(f"/api/v1/public/communities/{world.ids['C1']}/board")  # no account
    assert r.status_code == 200, r.text
    for personal in (NAME, PHONE, PHONE[-4:], ADDRESS, "幸福小区"):
        assert personal not in r.text, personal
    board = r.json()
    assert board["community"] == {"id": world.ids["C1"], "name": "C1社区", "street": "一街道"}
    assert board["last_month"]["month"] == first.strftime("%Y-%m")
    # Counts of last month: the sanitation and the civil-affairs matter of C1 (created then), not G2's.
    assert board["last_month"]["received"] == 2
    assert board["last_month"]["resolved"] == 2
    for key in ("response_rate", "resolution_rate", "satisfaction_rate"):
        assert set(board["last_month"][key]) == {"num", "den", "value"}

    assert [n["reference"] for n in board["notices"]] == [notice]
    n = board["notices"][0]
    assert n["category"]["code"] == "livelihood" and n["place"] == "G1a网格"
    assert n["what"].startswith("同意") and "加装无障碍坡道" in n["what"]
    assert board["how_to_object"]["tracking_path"] == "/track"

    assert [x["category"]["code"] for x in board["resolved"]] == ["sanitation"]
    item = board["resolved"][0]
    assert item["place"] == "G1a网格" and item["outcome"] == "done"
    assert item["reported_on"] == (in_last_month.astimezone(SHANGHAI).date()).isoformat()
    assert set(item) == {"category", "place", "reported_on", "resolved_on", "outcome"}
    assert other_notice not in r.text and done not in r.text and private not in r.text

    other = client.get(f"/api/v1/public/communities/{world.ids['C2']}/board").json()
    assert [n["reference"] for n in other["notices"]] == [other_notice]
    assert other["last_month"]["received"] == 1


def test_the_board_names_the_station_phone_and_refuses_what_is_not_a_community(world, client, live):
    r = client.get(f"/api/v1/public/communities/{world.ids['C1']}/board")
    assert r.status_code == 200
    # The station chief's own phone only once they allow it on public pages; the station's duty phone first.
    assert r.json()["duty_phone"] is None and r.json()["how_to_object"]["phone"] is None
    assert r.json()["notices"] == [] and r.json()["resolved"] == []
    with live.session() as s:
        s.execute(update(User).where(User.id == world.users["station_chief"]).values(phone_public=True))
        s.commit()
    r = client.get(f"/api/v1/public/communities/{world.ids['C1']}/board")
    assert r.json()["duty_phone"] == "13900001111"  # the station chief's work phone, allowed
    assert r.json()["how_to_object"]["phone"] == "13900001111"
    with live.session() as s:
        s.execute(update(Community).where(Community.id == world.ids["C1"]).values(duty_phone="0731-8888 6666"))
        s.commit()
    r = client.get(f"/api/v1/public/communities/{world.ids['C1']}/board")
    assert r.json()["duty_phone"] == r.json()["how_to_object"]["phone"] == "0731-8888 6666"

    assert_problem(client.get("/api/v1/public/communities/999999/board"), 404)
    assert_problem(client.get("/api/v1/public/communities/0/board"), 422)
    assert_problem(client.get("/api/v1/public/communities/abc/board"), 422)
    with live.session() as s:
        s.execute(update(Community).where(Community.id == world.ids["C3"]).values(is_active=False))
        s.commit()
    assert_problem(client.get(f"/api/v1/public/communities/{world.ids['C3']}/board"), 404)

    listed = client.get("/api/v1/public/communities")
    assert listed.status_code == 200
    names = {c["name"] for c in listed.json()}
    assert {"C1社区", "C2社区", "C4社区"} <= names and "C3社区" not in names
