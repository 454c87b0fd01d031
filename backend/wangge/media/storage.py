"""Photo files on disk: the original (kept for staff, with its metadata), a public copy without metadata, and a
thumbnail. Files are named by an unguessable token; a photo is written fully before its row is committed."""

from __future__ import annotations

import secrets
from pathlib import Path

from wangge.media import images

EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
VARIANTS = ("original", "public", "thumb")


def new_token() -> str:
    return secrets.token_urlsafe(18)


def folder(upload_dir: Path, token: str) -> Path:
    return upload_dir / "photos" / token[:2] / token


def save(upload_dir: Path, token: str, data: bytes, info: images.ImageInfo) -> None:
    """Write the three variants; blocking, so call it from a worker thread."""
    target = folder(upload_dir, token)
    target.mkdir(parents=True, exist_ok=True)
    public, public_mime = images.public_copy(data)
    thumb, thumb_mime = images.thumbnail(data)
    for name, content, mime in (
        ("original", data, info.mime),
        ("public", public, public_mime),
        ("thumb", thumb, thumb_mime),
    ):
        tmp = target / f".{name}.tmp"
        tmp.write_bytes(content)
        tmp.replace(target / f"{name}.{EXT[mime]}")


def find(upload_dir: Path, token: str, variant: str) -> tuple[Path, str] | None:
    target = folder(upload_dir, token)
    for mime, ext in EXT.items():
        path = target / f"{variant}.{ext}"
        if path.is_file():
            return path, mime
    return None
