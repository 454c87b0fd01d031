"""Where photo files live: the original (kept for staff, with its metadata), a public copy without metadata, and a
thumbnail, named by an unguessable token. A photo is written fully before its row is committed.

Two stores with one interface: local disk under `upload_dir` (the embedded default) and S3-compatible object storage
when `s3_bucket` is set (boto3), so that several web servers share the photos. Both are blocking: call them from a
worker thread (asyncio.to_thread)."""

from __future__ import annotations

import functools
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from wangge.config import Settings
from wangge.errors import RETRY_AFTER_SECONDS, Unavailable
from wangge.media import images

EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
VARIANTS = ("original", "public", "thumb")


def new_token() -> str:
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class Stored:
    """One variant of a photo: its type and either its file (disk) or its bytes (object storage)."""

    mime: str
    path: Path | None = None
    body: bytes | None = None


class PhotoStore(Protocol):
    def save(self, token: str, data: bytes, info: images.ImageInfo) -> None: ...

    def find(self, token: str, variant: str) -> Stored | None: ...

    def remove(self, tokens: list[str]) -> None: ...


def _variants(data: bytes, info: images.ImageInfo) -> list[tuple[str, bytes, str]]:
    public, public_mime = images.public_copy(data)
    thumb, thumb_mime = images.thumbnail(data)
    return [("original", data, info.mime), ("public", public, public_mime), ("thumb", thumb, thumb_mime)]


# --- local disk -------------------------------------------------------------------------------------------------


class DiskStore:
    def __init__(self, upload_dir: Path) -> None:
        self.upload_dir = upload_dir

    def folder(self, token: str) -> Path:
        return self.upload_dir / "photos" / token[:2] / token

    def save(self, token: str, data: bytes, info: images.ImageInfo) -> None:
        target = self.folder(token)
        target.mkdir(parents=True, exist_ok=True)
        for name, content, mime in _variants(data, info):
            tmp = target / f".{name}.tmp"
            tmp.write_bytes(content)
            tmp.replace(target / f"{name}.{EXT[mime]}")

    def find(self, token: str, variant: str) -> Stored | None:
        target = self.folder(token)
        for mime, ext in EXT.items():
            path = target / f"{variant}.{ext}"
            if path.is_file():
                return Stored(mime, path=path)
        return None

    def remove(self, tokens: list[str]) -> None:
        for token in tokens:
            shutil.rmtree(self.folder(token), ignore_errors=True)


# --- S3-compatible object storage ---------------------------------------------------------------------------------


def _reachable(method: Callable[..., Any]) -> Callable[..., Any]:
    """Object storage that fails (down, refusing, timing out) is a 503 the client may retry, never a 500."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return method(*args, **kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise Unavailable(
                "The photo storage is not reachable; try again in a moment",
                code="storage-unavailable",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            ) from exc

    return wrapper


class S3Store:
    """One object per variant, `<prefix><token>/<variant>`, with its Content-Type; the bucket must exist."""

    def __init__(self, settings: Settings) -> None:
        import boto3
        from botocore.config import Config

        secret = settings.s3_secret_access_key
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id or None,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30),
        )
        self.bucket = settings.s3_bucket
        self.prefix = settings.s3_prefix

    def key(self, token: str, variant: str) -> str:
        return f"{self.prefix}{token}/{variant}"

    @_reachable
    def save(self, token: str, data: bytes, info: images.ImageInfo) -> None:
        for name, content, mime in _variants(data, info):
            self.client.put_object(Bucket=self.bucket, Key=self.key(token, name), Body=content, ContentType=mime)

    @_reachable
    def find(self, token: str, variant: str) -> Stored | None:
        try:
            found = self.client.get_object(Bucket=self.bucket, Key=self.key(token, variant))
        except self.client.exceptions.NoSuchKey:
            return None
        return Stored(found["ContentType"], body=found["Body"].read())

    @_reachable
    def remove(self, tokens: list[str]) -> None:
        keys = [{"Key": self.key(token, variant)} for token in tokens for variant in VARIANTS]
        for start in range(0, len(keys), 1000):  # DeleteObjects takes at most 1,000 keys
            batch = keys[start : start + 1000]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})


# --- the store a process uses -------------------------------------------------------------------------------------

_stores: dict[tuple[Any, ...], PhotoStore] = {}
_lock = threading.Lock()


def store_for(settings: Settings) -> PhotoStore:
    """The process's store for these settings (one boto3 client, made once: clients are thread-safe)."""
    s3 = (settings.s3_bucket, settings.s3_endpoint_url, settings.s3_region, settings.s3_prefix)
    key: tuple[Any, ...] = (*s3, settings.s3_access_key_id) if settings.s3_bucket else (str(settings.upload_dir),)
    with _lock:
        if key not in _stores:
            _stores[key] = S3Store(settings) if settings.s3_bucket else DiskStore(settings.upload_dir)
        return _stores[key]
