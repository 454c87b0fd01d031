"""A community's figures, computed from its active grids and places in two grouped queries, within the caller's
scope."""

from __future__ import annotations

from sqlalchemy import select

from wangge.hierarchy.models import Grid, Place


def _figures(client, headers, **params):
    r = client.get("/api/v1/communities/figures", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return {f["community_id"]: f for f in r.json()}


def test_figures_add_up_the_active_grids_and_places(world, client, live):
    before = _figures(client, world.headers("system_admin"))[world.ids["C1"]]
    with live.session() as s:
        grids = (
            s.execute(select(Grid).where(Grid.community_id == world.ids["C1"], Grid.is_active.is_(True)))
            .scalars()
            .all()
        )
        expected_households = sum(g.households for g in grids)
        expected_area = sum(g.area_m2 for g in grids)
        g1a = world.ids["G1a"]
        s.add_all(
            [
                Place(grid_id=g1a, category="institution", name="社区卫生服务站"),
                Place(grid_id=g1a, category="business", name="便利店"),
                Place(grid_id=g1a, category="business", name="理发店"),
                Place(grid_id=g1a, category="business", name="已关门的店", is_active=False),
            ]
        )
        s.commit()
    c1 = _figures(client, world.headers("system_admin"))[world.ids["C1"]]
    assert c1["grids"] == len(grids) and c1["households"] == expected_households
    assert abs(c1["area_m2"] - expected_area) < 1
    assert (c1["institutions"], c1["businesses"]) == (before["institutions"] + 1, before["businesses"] + 2)


def test_figures_stay_within_scope(world, client):
    chief = _figures(client, world.headers("station_chief"))
    assert set(chief) == {world.ids["C1"]}
    street = _figures(client, world.headers("street_officer"), street_id=world.ids["S1"])
    assert world.ids["C1"] in street and world.ids["C3"] not in street
    assert _figures(client, world.headers("station_chief"), street_id=world.ids["S2"]) == {}
