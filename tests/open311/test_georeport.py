"""Open311 GeoReport v2 end to end over HTTP, each in JSON and in XML: discovery, services, a request posted with an
API key, read back, resolved by the grid and read as closed, the filters of GET requests, and the spec's errors."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from matters.helpers import act, matter_id
from open311.helpers import BASE, FORMATS, add_key, body, empty, new_request, spec_error
from wangge.matters import seed
from wangge.matters.models import Matter, MatterEvent, Photo
from wangge.models_common import utcnow

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def w3c(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None and value[-6] in "+-", value
    return parsed


def q(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(world, client, live, fmt):
    r = client.get(f"{BASE}/discovery.{fmt}")
    assert r.status_code == 200, r.text
    d = body(r, fmt)
    assert set(d) == {"changeset", "contact", "key_service", "endpoints"} and d["contact"] and d["key_service"]
    w3c(d["changeset"])
    [endpoint] = d["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == live.base_url + "/open311/v2"
    assert endpoint["type"] == "test"  # the test server is not a production service
    assert endpoint["formats"] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_and_definitions(world, client, fmt):
    r = client.get(f"{BASE}/services.{fmt}", params={"jurisdiction_id": "wangge.example"})
    assert r.status_code == 200, r.text
    services = {s["service_code"]: s for s in body(r, fmt)}
    assert len(services) == len(seed.OPEN311_PUBLIC) == 11  # matters about individuals are not published
    sanitation = services["sanitation"]
    assert sanitation["service_name"] == "环境卫生" and sanitation["description"] == "Sanitation"
    assert sanitation["metadata"] in (False, "false") and sanitation["type"] == "realtime"
    assert sanitation["group"] == "网格事务" and "环境卫生" in sanitation["keywords"]
    assert services["fire_safety"]["group"] == "安全应急" and services["road_safety"]["group"] == "安全应急"

    r = client.get(f"{BASE}/services/sanitation.{fmt}")
    assert r.status_code == 200, r.text
    assert body(r, fmt) == {"service_code": "sanitation", "attributes": []}
    assert "nothing" in spec_error(client.get(f"{BASE}/services/nothing.{fmt}"), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_posted_read_back_resolved_and_closed(world, client, live, fmt):
    key = add_key(live)
    created = new_request(client, key, fmt)
    code = created["service_request_id"]
    assert code.startswith("WG") and created["account_id"] == "acct-7"
    assert code in created["service_notice"] and "G1a网格" in created["service_notice"]
    with live.session() as s:
        m = s.execute(select(Matter).where(Matter.tracking_code == code)).scalar_one()
        assert (m.source, m.status, m.grid_id) == ("open311", "submitted", world.ids["G1a"])
        assert (m.reporter_name, m.reporter_phone) == ("李阿姨", "13812345678")
        created_event = s.execute(select(MatterEvent).where(MatterEvent.matter_id == m.id)).scalars().first()
        assert created_event.action == "create" and created_event.data["source"] == "open311"

    r = client.get(f"{BASE}/requests/{code}.{fmt}")
    assert r.status_code == 200, r.text
    [got] = body(r, fmt)
    assert set(got) == REQUEST_FIELDS
    for private in ("13812345678", "5678", "阿姨", "li@example.com", "acct-7"):
        assert private not in r.text
    assert got["service_request_id"] == code and got["status"] == "open" and got["status_notes"] == "待受理"
    assert got["service_code"] == "sanitation" and got["service_name"] == "环境卫生"
    assert got["description"] == "垃圾堆放 <b>&</b>" and got["address"] == "一街道 1 号"
    assert got["agency_responsible"] == "G1a网格" and got["service_notice"] == "由G1a网格办理"
    assert abs(float(got["lat"]) - 28.1015) < 1e-9 and abs(float(got["long"]) - 113.0015) < 1e-9
    requested = w3c(got["requested_datetime"])
    assert abs(requested - utcnow()) < timedelta(minutes=5)
    assert w3c(got["expected_datetime"]) > requested
    assert all(empty(got[k]) for k in ("address_id", "zipcode", "media_url"))
    if fmt == "json":
        assert isinstance(got["lat"], float) and got["zipcode"] is None

    act(client, world, "grid_leader", matter_id(live, code), "contact", contact={"method": "phone"})  # 先行联系
    act(client, world, "grid_leader", matter_id(live, code), "handle_on_spot", result="已清运")
    [got] = body(client.get(f"{BASE}/requests/{code.lower()}.{fmt}"), fmt)
    assert got["status"] == "closed" and got["status_notes"] == "已清运"
    assert w3c(got["updated_datetime"]) >= requested
    assert empty(got["expected_datetime"]) and empty(got["service_notice"])

    r = client.get(f"{BASE}/tokens/{code}.{fmt}")
    assert r.status_code == 200, r.text
    assert body(r, fmt) == [{"service_request_id": code, "token": code}]


@pytest.mark.parametrize("fmt", FORMATS)
def test_filters_of_get_requests(world, client, live, fmt):
    key = add_key(live)
    a = new_request(client, key)["service_request_id"]
    b = new_request(client, key)["service_request_id"]
    c = new_request(client, key, service_code="environment")["service_request_id"]
    old = new_request(client, key)["service_request_id"]
    act(client, world, "grid_leader", matter_id(live, b), "contact", contact={"method": "phone"})  # 先行联系
    act(client, world, "grid_leader", matter_id(live, b), "handle_on_spot", result="已处理")
    long_ago = utcnow() - timedelta(days=100)
    with live.session() as s:
        s.execute(update(Matter).where(Matter.tracking_code == old).values(created_at=long_ago))
        photo = Photo(token="photo-token-0123456789", mime="image/jpeg", width=1, height=1, size_bytes=1)
        s.add(photo)
        photo.matter_id = s.execute(select(Matter.id).where(Matter.tracking_code == a)).scalar_one()
        s.commit()

    def ids(**params):
        r = client.get(f"{BASE}/requests.{fmt}", params=params)
        assert r.status_code == 200, r.text
        return [x["service_request_id"] for x in body(r, fmt)]

    assert ids() == [c, b, a]  # the last 90 days, newest first
    assert ids(service_code="environment") == [c]
    assert ids(service_code="sanitation,environment", jurisdiction_id="") == [c, b, a]
    assert ids(status="closed") == [b]
    assert ids(status="open") == [c, a]
    assert ids(status="open,closed") == [c, b, a]
    now = utcnow()
    assert ids(start_date=q(now - timedelta(hours=1)), end_date=q(now + timedelta(hours=1))) == [c, b, a]
    assert ids(start_date=q(now + timedelta(hours=1)), end_date=q(now + timedelta(hours=2))) == []
    assert ids(start_date=(now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")) == [c, b, a]
    assert ids(start_date=q(long_ago - timedelta(days=1))) == [old]  # a start alone means 90 days from it
    assert ids(end_date=q(long_ago + timedelta(days=1))) == [old]
    # A list of ids overrides every other filter, even the 90-day window.
    assert sorted(ids(service_request_id=f"{a},{old.lower()}", status="closed")) == sorted([a, old])

    listed = {x["service_request_id"]: x for x in body(client.get(f"{BASE}/requests.{fmt}"), fmt)}
    assert listed[a]["media_url"] == f"{live.base_url}/api/v1/photos/photo-token-0123456789/public"
    assert empty(listed[c]["media_url"]) and listed[b]["status"] == "closed"


@pytest.mark.parametrize("fmt", FORMATS)
def test_posting_errors(world, client, live, fmt):
    key = add_key(live)
    revoked = add_key(live, "old bridge", active=False)
    lon, lat = 113.0015, 28.1015
    url = f"{BASE}/requests.{fmt}"
    base = {"service_code": "sanitation", "lat": str(lat), "long": str(lon), "description": "x"}

    assert "api_key" in spec_error(client.post(url, data=base), fmt, 403)
    assert "api_key" in spec_error(client.post(url, data={**base, "api_key": "wrong"}), fmt, 403)
    assert "api_key" in spec_error(client.post(url, data={**base, "api_key": revoked}), fmt, 403)
    good = {**base, "api_key": key}
    assert "service_code" in spec_error(client.post(url, data={**good, "service_code": ""}), fmt, 400)
    assert "nothing" in spec_error(client.post(url, data={**good, "service_code": "nothing"}), fmt, 404)
    no_place = {k: v for k, v in good.items() if k not in ("lat", "long")}
    assert "lat and long" in spec_error(client.post(url, data=no_place), fmt, 400)
    said = spec_error(client.post(url, data={**no_place, "address_string": "一街道 1 号"}), fmt, 400)
    assert "lat and long" in said and "address" in said
    assert "both" in spec_error(client.post(url, data={**no_place, "lat": str(lat)}), fmt, 400)
    assert "lat" in spec_error(client.post(url, data={**good, "lat": "north"}), fmt, 400)
    assert "lat" in spec_error(client.post(url, data={**good, "lat": "95"}), fmt, 400)
    assert "grid" in spec_error(client.post(url, data={**good, "lat": "30.0", "long": "120.0"}), fmt, 400)
    assert "phone" in spec_error(client.post(url, data={**good, "phone": "call me"}), fmt, 400)
    assert "4000" in spec_error(client.post(url, data={**good, "description": "长" * 4001}), fmt, 400)
    assert "form" in spec_error(client.post(url, json=good), fmt, 400)
    with live.session() as s:
        assert s.execute(select(Matter.id)).first() is None  # nothing was created by any of these


@pytest.mark.parametrize("fmt", FORMATS)
def test_reading_errors(world, client, fmt):
    accept = {"Accept": "application/json" if fmt == "json" else "text/xml"}
    assert "html" in spec_error(client.get(f"{BASE}/services.html", headers=accept), fmt, 400)
    assert "yaml" in spec_error(client.get(f"{BASE}/requests/WG123.yaml", headers=accept), fmt, 400)
    assert ".xml" in spec_error(client.get(f"{BASE}/services", headers=accept), fmt, 400)
    assert "PUT" in spec_error(client.put(f"{BASE}/requests.{fmt}"), fmt, 405)
    assert "nothing" in spec_error(client.get(f"{BASE}/nothing.{fmt}"), fmt, 404)
    assert "WGNOPE" in spec_error(client.get(f"{BASE}/requests/WGNOPE.{fmt}"), fmt, 404)
    assert "WGNOPE" in spec_error(client.get(f"{BASE}/tokens/WGNOPE.{fmt}"), fmt, 404)
    url = f"{BASE}/requests.{fmt}"
    assert "start_date" in spec_error(client.get(url, params={"start_date": "yesterday"}), fmt, 400)
    assert "timezone" in spec_error(client.get(url, params={"end_date": "2024-01-01T00:00:00"}), fmt, 400)
    assert "start_date" in spec_error(client.get(url, params={"start_date": "2024-02-30T00:00:00Z"}), fmt, 400)
    wide = {"start_date": "2024-01-01T00:00:00+08:00", "end_date": "2024-06-01T00:00:00+08:00"}
    assert "90 days" in spec_error(client.get(url, params=wide), fmt, 400)
    backwards = {"start_date": "2024-02-01T00:00:00Z", "end_date": "2024-01-01T00:00:00Z"}
    assert "before" in spec_error(client.get(url, params=backwards), fmt, 400)
    assert "status" in spec_error(client.get(url, params={"status": "pending"}), fmt, 400)


def test_matters_about_individuals_are_not_published(world, client, live):
    from matters.helpers import submit

    private = submit(client, "family_planning")["tracking_code"]
    public = submit(client, "sanitation")["tracking_code"]
    listed = client.get(f"{BASE}/requests.json").json()
    codes = {r["service_request_id"] for r in listed}
    assert public in codes and private not in codes
    assert client.get(f"{BASE}/requests/{private}.json").status_code == 404
    assert client.get(f"{BASE}/services/family_planning.json").status_code == 404
