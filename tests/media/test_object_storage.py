"""Photos in S3-compatible object storage (s3_bucket set), against a real S3 server (moto's server mode) over HTTP:
stored as three objects, served through the app's own route (the same access rules and cache headers as on disk),
removed with their row when nobody used them, and a storage that does not answer is a 503 with nothing written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from conftest import assert_problem, make_settings
from support.s3server import S3Server
from support.server import LiveServer
from throttle.test_public import png
from throttle.test_uploads import rounds
from wangge.matters.models import Photo
from wangge.models_common import utcnow


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3) -> str:
    name = f"wangge-{uuid.uuid4().hex[:12]}"
    s3.client().create_bucket(Bucket=name)
    return name


@pytest.fixture
def app_on_s3(live, s3, bucket, tmp_path) -> Iterator[LiveServer]:
    settings = make_settings(live.settings.database_url, upload_dir=tmp_path / "uploads", **s3.settings(bucket))
    server = LiveServer(settings).start()
    yield server
    server.stop()


def _keys(s3: S3Server, bucket: str) -> set[str]:
    return {o["Key"] for o in s3.client().list_objects_v2(Bucket=bucket).get("Contents", [])}


def test_a_photo_is_stored_as_three_objects_and_served_through_the_app(world, live, s3, bucket, app_on_s3, tmp_path):
    base = app_on_s3.base_url
    r = httpx.post(
        base + "/api/v1/photos",
        files={"file": ("a.png", png(), "image/png")},
        headers=world.headers("grid_leader"),
    )
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert _keys(s3, bucket) == {f"photos/{token}/original", f"photos/{token}/public", f"photos/{token}/thumb"}
    assert not (tmp_path / "uploads").exists()  # nothing on the web server's disk

    stored = s3.client().get_object(Bucket=bucket, Key=f"photos/{token}/public")
    served = httpx.get(f"{base}/api/v1/photos/{token}/public")
    assert served.status_code == 200
    assert served.content == stored["Body"].read() and served.headers["content-type"] == stored["ContentType"]
    assert served.headers["cache-control"] == "private, max-age=86400"
    thumb = httpx.get(f"{base}/api/v1/photos/{token}/thumb")
    assert thumb.status_code == 200 and thumb.headers["content-type"].startswith("image/")
    # The original (with its metadata) is never served by this route; an unknown token is a 404 problem.
    assert httpx.get(f"{base}/api/v1/photos/{token}/original").status_code == 422
    assert_problem(httpx.get(f"{base}/api/v1/photos/{'x' * 24}/public"), 404)


def test_unused_photos_are_removed_from_the_bucket_with_their_rows(world, live, s3, bucket, app_on_s3):
    tokens = []
    for _ in range(2):
        r = httpx.post(
            app_on_s3.base_url + "/api/v1/public/photos", files={"file": ("a.png", png(), "image/png")}, timeout=30
        )
        assert r.status_code == 201, r.text
        tokens.append(r.json()["token"])
    old, fresh = tokens
    with live.session() as s:
        s.execute(
            update(Photo)
            .where(Photo.token == old)
            .values(created_at=utcnow() - timedelta(hours=live.settings.unattached_upload_hours, minutes=5))
        )
        s.commit()
    assert rounds(live, **s3.settings(bucket))["uploads_removed"] == 1
    assert _keys(s3, bucket) == {f"photos/{fresh}/{v}" for v in ("original", "public", "thumb")}
    with live.session() as s:
        assert set(s.execute(select(Photo.token)).scalars()) == {fresh}


def test_storage_that_does_not_answer_is_a_503_and_nothing_is_written(world, live, s3, tmp_path):
    # A bucket that does not exist on a server that answers, and a server that does not answer at all.
    for overrides in (s3.settings("no-such-bucket"), s3.settings("wangge") | {"s3_endpoint_url": "http://127.0.0.1:9"}):
        server = LiveServer(make_settings(live.settings.database_url, **overrides)).start()
        try:
            with live.session() as s:
                before = s.scalar(select(func.count()).select_from(Photo))
            r = httpx.post(
                server.base_url + "/api/v1/public/photos", files={"file": ("a.png", png(), "image/png")}, timeout=30
            )
            problem = assert_problem(r, 503)
            assert problem["code"] == "storage-unavailable" and r.headers["retry-after"]
            assert_problem(httpx.get(f"{server.base_url}/api/v1/photos/{'y' * 24}/public", timeout=30), 503)
            with live.session() as s:
                assert s.scalar(select(func.count()).select_from(Photo)) == before
        finally:
            server.stop()
