"""Photos that residents and grid leaders attach to matters from their phones.

Three pure functions, bytes in and results out: `inspect` checks an upload really is a JPEG, PNG or WebP image of
sane size and reads when and where it was taken from its EXIF; `public_copy` re-encodes it without any metadata
(phone photos carry the GPS position of the sender's home) for showing to other people; `thumbnail` makes a small
WebP preview. Each call decodes the image once, in memory.

The public copy and thumbnail keep the ICC colour profile: phones often shoot in Display P3, and dropping the
profile would make colours look washed out. The profile describes the colour space, not the person or the place.
"""

from __future__ import annotations

import io
import math
import numbers
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal

from PIL import ExifTags, Image, ImageOps, features

__all__ = ["ImageError", "ImageInfo", "inspect", "public_copy", "thumbnail"]

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000

# China has had no daylight saving since 1991, so a fixed offset is exact for any phone photo and needs no tzdata.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

Format = Literal["jpeg", "png", "webp"]
# Pillow calls a JPEG carrying extra pictures (depth or HDR gain maps, as many phones write) "MPO"; it is still a
# JPEG, and only its first picture is kept.
_PILLOW_FORMATS: dict[str, Format] = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp"}
MIME: dict[Format, str] = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_SAVE: dict[Format, dict[str, object]] = {
    "jpeg": {"format": "JPEG", "quality": 85, "optimize": True},
    "png": {"format": "PNG", "optimize": True},
    "webp": {"format": "WEBP", "quality": 80},
}
_NOT_AN_IMAGE = "the file is not a JPEG, PNG or WebP image"


class ImageError(ValueError):
    """An upload that is not an acceptable photo; the message is meant for the person who sent it."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    format: Format
    mime: str
    width: int  # as displayed, i.e. after the EXIF orientation is applied
    height: int
    taken_at: datetime | None  # timezone-aware
    lat: float | None  # WGS 84 decimal degrees, as the phone recorded them
    lon: float | None


def _sniff(data: bytes) -> Format | None:
    """The format named by the file's first bytes, before Pillow is asked to parse anything."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _open(data: bytes, max_bytes: int, max_pixels: int, draft: int | None = None) -> tuple[Image.Image, Format]:
    """Check and fully decode `data`; every public function goes through here so none trusts an unchecked file."""
    if not data:
        raise ImageError("the file is empty")
    if len(data) > max_bytes:
        raise ImageError(f"the photo is larger than {max_bytes / (1024 * 1024):g} MB")
    fmt = _sniff(data)
    if fmt is None:
        raise ImageError(_NOT_AN_IMAGE)
    try:
        # `formats` stops Pillow from trying its other parsers (PDF, FITS, ...) on hostile input.
        im = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"])
        if _PILLOW_FORMATS.get(im.format or "") != fmt:
            raise ImageError(_NOT_AN_IMAGE)
        # Opening reads only the header; refuse by declared size before allocating pixels. Pillow's own global
        # MAX_IMAGE_PIXELS guard stays in place as a backstop (we don't change it: it is process-wide state).
        width, height = im.size
        if width * height > max_pixels:
            raise _too_large(max_pixels)
        if draft and fmt == "jpeg":
            im.draft("RGB", (draft, draft))  # let libjpeg decode at 1/2..1/8 scale for thumbnails
        im.load()  # truncated or corrupt data fails here, not later
    except ImageError:
        raise
    except Image.DecompressionBombError as exc:  # only when max_pixels is set above Pillow's own hard limit
        raise _too_large(2 * (Image.MAX_IMAGE_PIXELS or 0)) from exc
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        raise ImageError("the image is damaged or incomplete and cannot be read") from exc
    return im, fmt


def _too_large(pixels: int) -> ImageError:
    return ImageError(f"the image is too large (over {pixels / 1_000_000:g} megapixels)")


def inspect(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> ImageInfo:
    """Check an upload and describe it; raises ImageError with a readable message if it is refused."""
    im, fmt = _open(data, max_bytes, max_pixels)
    with im:
        try:
            exif = im.getexif()
        except Exception:  # broken EXIF must never refuse an otherwise good photo
            exif = Image.Exif()
        width, height = im.size
        if _orientation(exif) in (5, 6, 7, 8):  # rotated a quarter turn: shown with the sides swapped
            width, height = height, width
        lat, lon = _position(exif)
        return ImageInfo(fmt, MIME[fmt], width, height, _taken_at(exif), lat, lon)


def public_copy(data: bytes) -> tuple[bytes, str]:
    """The photo turned upright and re-encoded in its own format with EXIF (incl. GPS), XMP and comments removed."""
    im, fmt = _open(data, MAX_BYTES, MAX_PIXELS)
    with im:
        out = _upright_and_bare(im)
        return _encode(out, fmt, _SAVE[fmt]), MIME[fmt]


def thumbnail(data: bytes, *, size: int = 320) -> tuple[bytes, str]:
    """An upright preview fitting within size x size, WebP (JPEG where Pillow lacks WebP), without metadata."""
    im, _ = _open(data, MAX_BYTES, MAX_PIXELS, draft=size)
    with im:
        out = _upright_and_bare(im)
        webp = features.check("webp")
        alpha = webp and (out.mode in ("RGBA", "LA", "PA") or "transparency" in out.info)
        mode = "RGBA" if alpha else "RGB"
        if out.mode[:3] != "RGB":  # a grey or CMYK colour profile would be wrong on the converted pixels
            out.info.pop("icc_profile", None)
        out = out.convert(mode)  # also flattens palettes before resampling
        out.thumbnail((size, size), Image.Resampling.LANCZOS)
        fmt: Format = "webp" if webp else "jpeg"
        return _encode(out, fmt, {**_SAVE[fmt], "quality": 80}), MIME[fmt]


def _upright_and_bare(im: Image.Image) -> Image.Image:
    try:
        out = ImageOps.exif_transpose(im)
    except Exception:  # unreadable EXIF: no orientation to apply, and the EXIF is dropped below anyway
        out = im.copy()
    # Pillow copies some metadata from `info` when saving (JPEG comments, PNG ICC and transparency), so keep only
    # what the picture needs; EXIF, XMP and text chunks are dropped here and never passed to save().
    out.info = {k: out.info[k] for k in ("icc_profile", "transparency") if k in out.info}
    return out


def _encode(im: Image.Image, fmt: Format, options: dict[str, object]) -> bytes:
    buf = io.BytesIO()
    icc = im.info.get("icc_profile")
    im.save(buf, **options, **({"icc_profile": icc} if icc else {}))
    return buf.getvalue()


# --- EXIF reading: every helper returns None on anything unexpected -------------------------------------------


def _orientation(exif: Image.Exif) -> int:
    value = exif.get(ExifTags.Base.Orientation, 1)
    return value if isinstance(value, int) else 1


def _taken_at(exif: Image.Exif) -> datetime | None:
    try:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        pairs = (
            (sub.get(ExifTags.Base.DateTimeOriginal), sub.get(ExifTags.Base.OffsetTimeOriginal)),
            (exif.get(ExifTags.Base.DateTime), sub.get(ExifTags.Base.OffsetTime)),
        )
    except Exception:  # malformed EXIF reads as absent
        return None
    for stamp, offset in pairs:
        if when := _parse_stamp(stamp, offset):
            return when
    return None


def _parse_stamp(stamp: object, offset: object) -> datetime | None:
    if isinstance(stamp, bytes):
        stamp = stamp.decode("ascii", "replace")
    if not isinstance(stamp, str):
        return None
    try:
        when = datetime.strptime(stamp.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:  # includes the "0000:00:00 00:00:00" some cameras write when the clock is unset
        return None
    tz: timezone = SHANGHAI
    if isinstance(offset, str):  # newer phones record the UTC offset ("+08:00"); trust it when present
        try:
            tz = datetime.strptime(offset.strip("\x00 "), "%z").tzinfo or SHANGHAI  # type: ignore[assignment]
        except ValueError:
            pass
    return when.replace(tzinfo=tz)


def _position(exif: Image.Exif) -> tuple[float | None, float | None]:
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "N", "S", 90)
        lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "E", "W", 180)
    except Exception:  # malformed EXIF reads as absent
        return None, None
    if lat is None or lon is None:  # half a position is no position
        return None, None
    return lat, lon


def _degrees(dms: object, ref: object, positive: str, negative: str, limit: float) -> float | None:
    """(degrees, minutes, seconds) rationals and an N/S or E/W reference to signed decimal degrees."""
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if not isinstance(ref, str) or ref.strip("\x00 ").upper() not in (positive, negative):
        return None
    if isinstance(dms, numbers.Real):  # Pillow unwraps a one-element tuple (degrees only) to a bare number
        dms = (dms,)
    if not isinstance(dms, tuple) or not 1 <= len(dms) <= 3:
        return None
    try:
        value = sum(float(part) / 60**i for i, part in enumerate(dms))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not math.isfinite(value) or value > limit:  # a zero denominator reads as NaN
        return None
    return -value if ref.strip("\x00 ").upper() == negative else value
