"""Reading Open311 answers in either format into the same Python shape, and a client's API key."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - parses answers of our own test server
from typing import Any

from support.world import grid_point
from wangge.open311.models import ApiKey
from wangge.open311.service import key_digest

BASE = "/open311/v2"
FORMATS = ["json", "xml"]
LISTS = {"services", "service_requests", "errors", "endpoints", "formats", "attributes"}


def add_key(live, name: str = "12345热线", *, active: bool = True) -> str:
    key = f"test-key-{name}-{active}"
    with live.session() as s:
        s.add(ApiKey(name=name, key_hash=key_digest(key), is_active=active))
        s.commit()
    return key


def _plain(el: ET.Element) -> Any:
    if el.tag in LISTS:
        return [_plain(child) for child in el]
    if len(el):
        return {child.tag: _plain(child) for child in el}
    return el.text or ""


def body(r, fmt: str) -> Any:
    """The answer as lists, dicts and strings. XML leaves are text ("" when empty); JSON keeps its types."""
    if fmt == "json":
        assert r.headers["content-type"] == "application/json; charset=utf-8", r.headers
        return r.json()
    assert r.headers["content-type"] == "text/xml; charset=utf-8", r.headers
    assert r.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), r.content[:60]
    return _plain(ET.fromstring(r.content))  # noqa: S314 - our own server's answer


def spec_error(r, fmt: str, status: int) -> str:
    """Assert an error in the spec's format for `fmt` and return its description."""
    assert r.status_code == status, r.text
    errors = body(r, fmt)
    assert isinstance(errors, list) and len(errors) == 1, errors
    assert set(errors[0]) == {"code", "description"}, errors
    assert str(errors[0]["code"]) == str(status) and errors[0]["description"]
    return errors[0]["description"]


def empty(value: Any) -> bool:
    return value in (None, "")


def new_request(client, key: str, fmt: str = "json", grid: str = "G1a", **extra: Any) -> dict[str, Any]:
    lon, lat = grid_point(grid)
    form = {
        "api_key": key,
        "service_code": "sanitation",
        "lat": str(lat),
        "long": str(lon),
        "address_string": "一街道 1 号",
        "description": "垃圾堆放 <b>&</b>",
        "first_name": "阿姨",
        "last_name": "李",
        "phone": "13812345678",
        "email": "li@example.com",
        "account_id": "acct-7",
        **extra,
    }
    r = client.post(f"{BASE}/requests.{fmt}", data=form)
    assert r.status_code == 201, r.text
    created = body(r, fmt)
    assert len(created) == 1
    return created[0]
