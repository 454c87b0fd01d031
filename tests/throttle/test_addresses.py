"""Which address a request is counted against: the peer, or — only behind a trusted proxy — the nearest untrusted
hop of X-Forwarded-For; an IPv6 client counts as its /64."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from conftest import make_settings
from wangge.throttle import Throttle


def request_from(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "client": (peer, 1234)})


@pytest.fixture
def throttle() -> Throttle:
    return Throttle(make_settings("sqlite+aiosqlite://", trusted_proxies=["10.0.0.0/8", "192.168.1.1"]))


def test_an_untrusted_peer_cannot_choose_its_address(throttle):
    assert throttle.client(request_from("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


def test_behind_trusted_proxies_the_nearest_untrusted_hop_counts(throttle):
    # The client may write anything at the left; what the trusted proxies appended on the right is believed.
    assert throttle.client(request_from("10.1.2.3", "6.6.6.6, 198.51.100.9, 192.168.1.1")) == "198.51.100.9"
    assert throttle.client(request_from("10.1.2.3", "198.51.100.9")) == "198.51.100.9"
    assert throttle.client(request_from("10.1.2.3")) == "10.1.2.3"


def test_ipv6_clients_count_per_64_and_mapped_ipv4_as_ipv4(throttle):
    a = throttle.client(request_from("2001:db8:1:2::10"))
    b = throttle.client(request_from("2001:db8:1:2:ffff::1"))
    assert a == b == "2001:db8:1:2::/64"
    assert throttle.client(request_from("2001:db8:1:3::10")) != a
    assert throttle.client(request_from("::ffff:198.51.100.4")) == "198.51.100.4"


def test_a_bad_limit_is_refused_when_the_app_starts():
    with pytest.raises(ValueError):
        Throttle(make_settings("sqlite+aiosqlite://", submission_limit="lots"))
