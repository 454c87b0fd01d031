from conftest import assert_problem


def test_get_grid_in_and_out_of_scope(world, client):
    r = client.get(f"/api/v1/grids/{world.ids['G1a']}", headers=world.headers("grid_leader"))
    assert r.status_code == 200, r.text
    assert r.json()["code"] == world.codes["G1a"]
    assert_problem(client.get(f"/api/v1/grids/{world.ids['G1b']}", headers=world.headers("grid_leader")), 404)
