"""Every assessment route answers with its shape for the roles that may call it."""

from __future__ import annotations

from assessment.helpers import add_matter, bj


def test_every_route_answers(live, world, client):
    with live.session() as s:
        add_matter(s, world, created_at=bj(2026, 3, 5), status="resolved", outcome="done", resolved_at=bj(2026, 3, 6))
        s.commit()
    h = world.headers("street_officer")
    q = {"period": "month", "at": "2026-03-15"}
    r = client.get("/api/v1/assessment/figures", params={**q, "level": "community", "id": world.ids["C1"]}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["figures"]["received"] == 1 and body["figures"]["resolved"] == 1
    assert body["period"]["start"] == "2026-03-01" and body["previous"]["period"]["start"] == "2026-02-01"
    r = client.get(
        "/api/v1/assessment/table",
        params={**q, "level": "community", "parent_level": "street", "parent_id": world.ids["S1"]},
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert [row["unit"]["name"] for row in r.json()["rows"]] == ["C1社区", "C2社区"]
    r = client.get("/api/v1/assessment/dashboard", params={**q, "level": "street", "id": world.ids["S1"]}, headers=h)
    assert r.status_code == 200, r.text
    assert len(r.json()["trend"]) == 12 and r.json()["by_source"] == [{"source": "resident", "received": 1}]
    r = client.get("/api/v1/assessment/me", params=q, headers=world.headers("grid_leader"))
    assert r.status_code == 200, r.text
    assert r.json()["grids"][0]["unit"]["name"] == "G1a网格"
    r = client.get("/api/v1/assessment/schemes/current", headers=h)
    assert r.status_code == 200 and r.json()["version"] == 0, r.text
