"""The facts the figures read are written by the real flow: the response (signed for, and by when), the deadline an
approved extension moves and a refused one does not. And a dashboard's pieces over the hand-made month."""

from __future__ import annotations

from datetime import timedelta

from assessment.helpers import figures, rate
from assessment.test_hand_made_month import MARCH, build_march
from matters.helpers import act
from matters.loop_helpers import accepted, new_matter, read_matter, set_matter, staff_matter, today
from wangge.models_common import utcnow


def test_the_response_is_recorded_by_the_flow(world, client, live):
    mid = new_matter(client, live)
    m = read_matter(live, mid)
    assert m.responded_at is None and m.respond_due_at is not None and m.respond_due_at == m.sign_due_at
    act(client, world, "grid_leader", mid, "accept")
    m = read_matter(live, mid)
    assert m.responded_at is not None and m.responded_at <= m.respond_due_at
    # Taken by staff themselves: responded as it arrived, with no sign-for deadline.
    staff = read_matter(live, staff_matter(client, world)["id"])
    assert staff.responded_at is not None and staff.respond_due_at is None


def test_an_approved_extension_moves_the_date_and_a_refused_one_does_not(world, client, live):
    past = utcnow() - timedelta(hours=1)
    until = (utcnow() + timedelta(days=10)).date().isoformat()
    approved, refused = accepted(client, world, live), accepted(client, world, live)
    for mid in (approved, refused):
        set_matter(live, mid, due_at=past)  # its deadline has just passed
        act(client, world, "grid_leader", mid, "apply_extension", reason="需协调物业", until=until)
    act(client, world, "station_chief", approved, "approve_application")
    act(client, world, "station_chief", refused, "refuse_application", reason="可以按时完成")
    for mid in (approved, refused):
        act(client, world, "grid_leader", mid, "resolve", result="已清理")
    assert read_matter(live, approved).resolved_due_at > utcnow()
    # Approved: resolved before the new date, on time; refused: after the unchanged one, late and overdue.
    g1a = figures(client, world, "station_chief", "grid", "G1a", period="day", at=today())["figures"]
    assert g1a["on_time_rate"] == rate(1, 2) and g1a["overdue"] == 1 and g1a["resolved"] == 2


def test_the_dashboard_of_the_hand_made_month(live, world, client):
    build_march(live, world)
    r = client.get(
        "/api/v1/assessment/dashboard",
        params={**MARCH, "level": "community", "id": world.ids["C1"]},
        headers=world.headers("station_chief"),
    )
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["figures"]["figures"]["received"] == 11
    # The trend: the 12 months up to March 2026, with February's one matter and March's eleven.
    assert [p["period"]["start"] for p in d["trend"]][-2:] == ["2026-02-01", "2026-03-01"]
    assert [p["figures"]["received"] for p in d["trend"]][-2:] == [1, 11]
    assert set(d["trend"][-1]["figures"]) == {
        "received",
        "resolved",
        "response_rate",
        "resolution_rate",
        "satisfaction_rate",
    }
    # All eleven are of one category: received 11, resolved 6, overdue 4 (as in the figures).
    assert [(c["code"], c["received"], c["resolved"], c["overdue"]) for c in d["by_category"]] == [
        ("sanitation", 11, 6, 4)
    ]
    assert d["by_source"] == [{"source": "resident", "received": 11}]
    # The most overdue open matters now: M7 (due Mar 13) before M11 (due Apr 2); M10's deadline is in 2027.
    assert [i["due_at"][:10] for i in d["most_overdue"]] == ["2026-03-13", "2026-04-02"]
    assert d["most_overdue"][0]["holder_level"] == "station" and d["most_overdue"][0]["overdue_hours"] > 7 * 100
    # The map: G1a's nine and G1b's two, each at its grid's point, in ~100 m cells.
    assert sorted(c["count"] for c in d["map"]) == [2, 9]
    # Children: C1's grids ranked (G1a's nine matters score; G1b's two are fewer than 5: no score, last).
    assert [(c["unit"]["name"], c["rank"]) for c in d["children"]] == [("G1a网格", 1), ("G1b网格", None)]
