"""Schemathesis over the whole OpenAPI of the live test server: no request may produce a 5xx, and every answer
must match the schema the API publishes (4xx as problem+json). Run as a system administrator (on both engines), a
grid leader (PostgreSQL) and anonymously (SQLite), positive and negative cases, with a bounded number of examples per
operation so it stays a part of `make test` (WANGGE_FUZZ_EXAMPLES / WANGGE_FUZZ_SEED explore further on a local run).

Excluded: POST /auth/logout, which would end the caller's session and turn the rest of its run into 401s.
Everything else is fuzzed; deactivating oneself is refused by the API, so the administrator keeps its rights."""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx
import pytest
import schemathesis
from hypothesis import settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import TEST_SECRET
from support import world as world_mod
from wangge.config import Settings
from wangge.main import create_app

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("WANGGE_FUZZ_EXAMPLES", "0")) or None
SEED = int(os.environ.get("WANGGE_FUZZ_SEED", "8"))
CHECKS = [not_a_server_error, response_schema_conformance]
# What anyone may call without signing in; every other operation answers 401 before it reads its parameters, so
# one example each is enough there.
PUBLIC = r"^/(api/v1/(public/|auth/token|auth/refresh|meta|photos/)|open311/|healthz|readyz)"


def _openapi() -> dict:
    # The document does not depend on the database: the app built here publishes what the live server publishes
    # (test_the_fuzzed_document_is_the_live_one checks it).
    settings = Settings(database_url="sqlite+aiosqlite:///unused.db", environment="test", secret_key=TEST_SECRET)
    return create_app(settings).openapi()


def _config(examples: int, **extra: object) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            # A shared 2-core machine makes generation slow at times; that is not a finding.
            "suppress-health-check": ["all"],
            "generation": {"max-examples": EXAMPLES or examples, "database": "none", "no-shrink": True, "mode": "all"},
            "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}, "stateful": {"enabled": False}},
            **extra,
        }
    )


DOCUMENT = _openapi()
staff_schema = schemathesis.openapi.from_dict(DOCUMENT, config=_config(3)).exclude(path="/api/v1/auth/logout")
anonymous_schema = schemathesis.openapi.from_dict(
    DOCUMENT,
    config=_config(1, operations=[{"include-path-regex": PUBLIC, "generation": {"max-examples": EXAMPLES or 8}}]),
).exclude(path="/api/v1/auth/logout")


@dataclass
class Caller:
    base_url: str
    headers: dict[str, str]


def _caller(live, username: str | None) -> Caller:
    """A fresh test world for this caller, signed in through the API."""
    world_mod.reset(live.sync_engine)
    with live.session() as session:
        world_mod.build(session, live.settings, live.password_hash)
    headers = {}
    if username is not None:
        r = httpx.post(
            live.base_url + "/api/v1/auth/token", data={"username": username, "password": world_mod.PASSWORD}
        )
        assert r.status_code == 200, r.text
        headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return Caller(live.base_url, headers)


@pytest.fixture(scope="module")
def administrator(live) -> Caller:
    return _caller(live, "system_admin")


@pytest.fixture(scope="module")
def grid_leader(live) -> Caller:
    return _caller(live, "grid_leader")


@pytest.fixture(scope="module")
def anonymous(live) -> Caller:
    return _caller(live, None)


def test_the_fuzzed_document_is_the_live_one(live):
    assert httpx.get(live.base_url + "/openapi.json", timeout=30).json() == DOCUMENT


@staff_schema.parametrize()
def test_as_administrator(case, administrator):
    case.call_and_validate(base_url=administrator.base_url, headers=administrator.headers, checks=CHECKS)


# The administrator, who may call every route, is fuzzed on both engines. The grid leader (scope: the same SQL on
# both) and the anonymous caller (public routes) each on one: the fuzz was a sixth of `make test`'s time, which must
# stay under 10 minutes. Fewer examples for the grid leader: many of their calls end at the 403 of the route's
# signature (tests/accounts/test_route_roles.py).
@pytest.mark.engine("postgres")
@staff_schema.parametrize()
@settings(max_examples=EXAMPLES or 2)
def test_as_grid_leader(case, grid_leader):
    case.call_and_validate(base_url=grid_leader.base_url, headers=grid_leader.headers, checks=CHECKS)


@pytest.mark.engine("sqlite")
@anonymous_schema.parametrize()
def test_anonymously(case, anonymous):
    case.call_and_validate(base_url=anonymous.base_url, headers=anonymous.headers, checks=CHECKS)
