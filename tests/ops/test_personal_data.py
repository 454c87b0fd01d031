"""Personal data stays out of the logs: a statement that fails is logged without its parameters, and every log line
of a request carries the request's id, the "unhandled error" line included."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from conftest import assert_problem
from support.world import grid_point
from wangge.logs import JSONFormatter

# Not the phone the other matter tests use, so a hit can only come from this test's request.
PHONE = "13955501234"
NAME = "赵测试员"


class Captured(logging.Handler):
    """Formats each record as the service's JSON line at once: the request id is read while the request runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JSONFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def captured_logs() -> Iterator[Captured]:
    # The live server runs in this process (a thread), so its records reach the root logger here.
    handler = Captured()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@contextmanager
def matters_refuse_inserts(live) -> Iterator[None]:
    """The database raises on any new matter, the way a full disk or a broken constraint would."""
    if live.engine_name == "sqlite":
        create = [
            "CREATE TRIGGER test_refuse_matters BEFORE INSERT ON matters "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ]
        drop = ["DROP TRIGGER IF EXISTS test_refuse_matters"]
    else:
        create = [
            "CREATE OR REPLACE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            # As PostgreSQL's own constraint errors do ("Failing row contains (…)"), the DETAIL quotes the row.
            "$$ BEGIN RAISE EXCEPTION 'refused by the test' USING DETAIL = 'Failing row contains ' || "
            "coalesce(NEW.reporter_phone, '') || ' ' || coalesce(NEW.reporter_name, ''); END $$",
            "CREATE TRIGGER test_refuse_matters BEFORE INSERT ON matters FOR EACH ROW EXECUTE FUNCTION test_refuse()",
        ]
        drop = ["DROP TRIGGER IF EXISTS test_refuse_matters ON matters", "DROP FUNCTION IF EXISTS test_refuse()"]
    with live.sync_engine.begin() as conn:
        for sql in create:
            conn.execute(text(sql))
    try:
        yield
    finally:
        with live.sync_engine.begin() as conn:
            for sql in drop:
                conn.execute(text(sql))


def test_a_failed_submission_logs_no_phone_and_carries_the_request_id(live, world, client):
    lon, lat = grid_point("G1a")
    body = {
        "category": "sanitation",
        "description": "楼道堆物",
        "lat": lat,
        "lon": lon,
        "reporter_phone": PHONE,
        "reporter_name": NAME,
    }
    with matters_refuse_inserts(live), captured_logs() as logs:
        r = client.post("/api/v1/public/matters", json=body, headers={"X-Request-ID": "privacy-check-1"})
    problem = assert_problem(r, 500)
    assert PHONE not in r.text and "refused" not in problem.get("detail", "")
    assert r.headers["x-request-id"] == "privacy-check-1"

    lines = [json.loads(line) for line in logs.lines]
    errors = [line for line in lines if line["message"] == "unhandled error"]
    assert len(errors) == 1, lines
    (error,) = errors
    # The failure is there to read (the statement and the database's message) but not the parameters.
    assert "refused by the test" in error["exception"] and "INSERT INTO matters" in error["exception"]
    assert "parameters hidden" in error["exception"]
    if live.engine_name == "postgres":
        assert "DETAIL:  [hidden" in error["exception"]
    assert error["request_id"] == "privacy-check-1" and error["path"] == "/api/v1/public/matters"
    everything = "\n".join(logs.lines)
    assert PHONE not in everything and PHONE[-8:] not in everything and NAME not in everything
    assert all(line["request_id"] == "privacy-check-1" for line in lines), lines


def test_the_synchronous_engine_hides_parameters_too(live, world):
    """The CLI, the migrations and the demo loader use the synchronous engine; what they log is the JSON line."""
    with matters_refuse_inserts(live), captured_logs() as logs:
        try:
            with live.sync_engine.begin() as conn:
                conn.execute(
                    text("INSERT INTO matters (reporter_phone, reporter_name) VALUES (:phone, :name)"),
                    {"phone": PHONE, "name": NAME},
                )
        except DBAPIError as exc:
            assert "INSERT INTO matters" in str(exc) and "parameters hidden" in str(exc)
            logging.getLogger("wangge.test").error("the insert failed", exc_info=True)
        else:
            pytest.fail("the trigger did not refuse the insert")
    (line,) = [json.loads(line) for line in logs.lines if "the insert failed" in line]
    assert "refused by the test" in line["exception"]
    assert PHONE not in line["exception"] and NAME not in line["exception"]


def test_an_unhandled_error_is_a_problem_with_the_request_id_when_none_is_sent(live, world, client):
    lon, lat = grid_point("G1a")
    body = {"category": "sanitation", "description": "井盖缺失", "lat": lat, "lon": lon, "reporter_phone": PHONE}
    with matters_refuse_inserts(live), captured_logs() as logs:
        r = client.post("/api/v1/public/matters", json=body)
    assert_problem(r, 500)
    made = r.headers["x-request-id"]
    assert len(made) == 32
    errors = [json.loads(line) for line in logs.lines if '"unhandled error"' in line]
    assert [e["request_id"] for e in errors] == [made]
