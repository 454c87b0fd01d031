"""My day tells the truth (issue 13): a matter's item is handled only through the matter's own action, and then the
matter's status gives the disposition; carried over needs a note, as the form says, with a code of its own."""

from __future__ import annotations

from conftest import assert_problem
from matters.helpers import act

from .test_daylog import dispose, field_matter, my_day, today


def test_handled_cannot_be_set_by_hand_for_a_matter_resolving_it_makes_it_handled(world, client):
    day = today()
    m = field_matter(client, world, "井盖松动")
    item = next(i for i in my_day(client, world)["items"] if i["id"] == m["id"])
    assert (item["disposition"], item["needs_disposition"]) == (None, True)

    refused = assert_problem(dispose(client, world, day, "matter", m["id"], "handled", "已处理"), 409)
    assert refused["code"] == "disposition-derived"
    assert next(i for i in my_day(client, world)["items"] if i["id"] == m["id"])["disposition"] is None

    act(client, world, "grid_leader", m["id"], "resolve", result="已更换井盖")
    view = my_day(client, world)
    item = next(i for i in view["items"] if i["id"] == m["id"])
    assert (item["status"], item["disposition"], item["derived"], item["needs_disposition"]) == (
        "resolved",
        "handled",
        True,
        False,
    )
    assert view["can_sign"] is True


def test_handing_over_from_the_row_gives_brought_back(world, client):
    m = field_matter(client, world, "违章搭建")
    act(client, world, "grid_leader", m["id"], "bring_back", reason="需执法部门")
    item = next(i for i in my_day(client, world)["items"] if i["id"] == m["id"])
    assert (item["disposition"], item["derived"]) == ("brought_back", True)


def test_carried_over_needs_a_note_with_its_own_code(world, client):
    day = today()
    m = field_matter(client, world, "路面坑洼")
    for note in ("", "   "):
        problem = assert_problem(dispose(client, world, day, "matter", m["id"], "carried_over", note), 422)
        assert problem["code"] == "note-required" and problem["errors"][0]["loc"] == ["body", "note"]
    missing = client.put(
        f"/api/v1/fieldwork/my-day/{day}/dispositions/matter/{m['id']}",
        json={"disposition": "carried_over"},
        headers=world.headers("grid_leader"),
    )
    assert assert_problem(missing, 422)["code"] == "note-required"
    r = dispose(client, world, day, "matter", m["id"], "carried_over", "  等施工队  ")
    assert r.status_code == 200, r.text
    item = next(i for i in r.json()["items"] if i["id"] == m["id"])
    assert (item["disposition"], item["note"]) == ("carried_over", "等施工队")
