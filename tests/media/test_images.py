"""Tests for wangge.media.images: every test image is drawn here with Pillow, EXIF included."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta, timezone

import pytest
from PIL import ExifTags, Image, ImageCms, TiffImagePlugin, features

from wangge.media.images import ImageError, inspect, public_copy, thumbnail

CST = timezone(timedelta(hours=8))
WEBP_MIME = "image/webp" if features.check("webp") else "image/jpeg"


def make(
    fmt: str = "JPEG",
    size: tuple[int, int] = (40, 30),
    *,
    exif: Image.Exif | None = None,
    mode: str = "RGB",
    noisy: bool = False,
    **save: object,
) -> bytes:
    im = Image.new(mode, size, "white" if mode != "RGBA" else (0, 0, 0, 0))
    if noisy:  # incompressible pixels, so truncating the file cuts into the image data itself
        im = Image.frombytes("RGB", size, random.Random(1).randbytes(size[0] * size[1] * 3))
    # A red square marks the stored top-left corner, to see where rotation puts it.
    im.paste({"RGB": (255, 0, 0), "RGBA": (255, 0, 0, 255)}.get(mode, 255), (0, 0, 8, 8))
    buf = io.BytesIO()
    im.save(buf, fmt, **({"exif": exif} if exif is not None else {}), **save)
    return buf.getvalue()


def photo_exif(
    *,
    lat: tuple = (28, 6, 45.6),
    lat_ref: str = "N",
    lon: tuple = (113, 1, 30),
    lon_ref: str = "E",
    taken: str | None = "2024:05:04 09:30:15",
    orientation: int | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if taken is not None:
        exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: taken}
    # A dict under the GPSInfo tag is written by Pillow as the GPS sub-IFD.
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: lat_ref,
        ExifTags.GPS.GPSLatitude: lat,
        ExifTags.GPS.GPSLongitudeRef: lon_ref,
        ExifTags.GPS.GPSLongitude: lon,
    }
    return exif


def reopen(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


# --- accepting and refusing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected", "mime"),
    [("JPEG", "jpeg", "image/jpeg"), ("PNG", "png", "image/png"), ("WEBP", "webp", "image/webp")],
)
def test_accepts_jpeg_png_webp(fmt: str, expected: str, mime: str) -> None:
    info = inspect(make(fmt, (64, 48)))
    assert (info.format, info.mime, info.width, info.height) == (expected, mime, 64, 48)
    assert (info.taken_at, info.lat, info.lon) == (None, None, None)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n", id="pdf"),
        pytest.param(random.Random(7).randbytes(4096), id="random"),
        pytest.param(b"\xff\xd8\xff\xe0" + random.Random(8).randbytes(4096), id="jpeg-magic-then-garbage"),
        pytest.param(b"RIFF\x10\x00\x00\x00WEBPjunkjunk", id="webp-magic-then-garbage"),
    ],
)
def test_refuses_non_images(data: bytes) -> None:
    with pytest.raises(ImageError):
        inspect(data)


def test_accepts_multi_picture_jpeg() -> None:
    # Phones write extra pictures (depth, HDR gain map) after the main one; Pillow calls that "MPO".
    buf = io.BytesIO()
    Image.open(io.BytesIO(make("JPEG", (64, 48)))).save(
        buf, "MPO", save_all=True, append_images=[Image.new("RGB", (16, 12))]
    )
    assert (inspect(buf.getvalue()).format, inspect(buf.getvalue()).width) == ("jpeg", 64)
    data, mime = public_copy(buf.getvalue())
    assert mime == "image/jpeg" and reopen(data).format == "JPEG" and reopen(data).size == (64, 48)


def test_refuses_gif() -> None:
    with pytest.raises(ImageError, match="not a JPEG, PNG or WebP"):
        inspect(make("GIF"))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_refuses_truncated_image(fmt: str) -> None:
    data = make(fmt, (200, 200), noisy=True)
    with pytest.raises(ImageError, match="damaged or incomplete"):
        inspect(data[: len(data) // 2])


def test_refuses_over_max_bytes() -> None:
    data = make("PNG")
    assert inspect(data, max_bytes=len(data)).width == 40
    with pytest.raises(ImageError, match="larger than"):
        inspect(data, max_bytes=len(data) - 1)
    with pytest.raises(ImageError, match="larger than 10 MB"):
        inspect(data + b"\0" * (10 * 1024 * 1024))


def test_refuses_over_max_pixels() -> None:
    data = make("JPEG", (40, 30))
    assert inspect(data, max_pixels=1200).height == 30
    with pytest.raises(ImageError, match="megapixels"):
        inspect(data, max_pixels=1199)


def test_refuses_decompression_bomb_before_decoding() -> None:
    # 48 megapixels of one colour compress to a few kilobytes: small file, huge allocation.
    buf = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buf, "PNG")
    assert len(buf.getvalue()) < 100_000
    with pytest.raises(ImageError, match="over 40 megapixels"):
        inspect(buf.getvalue())
    with pytest.raises(ImageError):
        public_copy(buf.getvalue())


def test_pillow_bomb_limit_is_reported_as_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    # If max_pixels is set above Pillow's own hard limit, Pillow's DecompressionBombError is what stops the file.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 500)
    with pytest.raises(ImageError, match="too large"):
        inspect(make("PNG", (40, 30)), max_pixels=10**9)


# --- EXIF -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_reads_time_and_position(fmt: str) -> None:
    info = inspect(make(fmt, exif=photo_exif()))
    assert info.taken_at == datetime(2024, 5, 4, 9, 30, 15, tzinfo=CST)
    assert info.taken_at.utcoffset() == timedelta(hours=8)
    assert info.lat == pytest.approx(28.1127, abs=1e-4)
    assert info.lon == pytest.approx(113.025, abs=1e-4)


def test_south_and_west_are_negative() -> None:
    info = inspect(make(exif=photo_exif(lat=(33, 51, 54), lat_ref="S", lon=(151, 12, 36), lon_ref="W")))
    assert info.lat == pytest.approx(-33.865, abs=1e-4)
    assert info.lon == pytest.approx(-151.21, abs=1e-4)


def test_time_offset_and_datetime_fallback() -> None:
    exif = photo_exif(taken=None)
    exif[ExifTags.Base.DateTime] = "2023:12:31 23:59:59"
    assert inspect(make(exif=exif)).taken_at == datetime(2023, 12, 31, 23, 59, 59, tzinfo=CST)

    exif = Image.Exif()
    exif[ExifTags.IFD.Exif] = {
        ExifTags.Base.DateTimeOriginal: "2024:05:04 09:30:15",
        ExifTags.Base.OffsetTimeOriginal: "+02:00",
    }
    taken = inspect(make(exif=exif)).taken_at
    assert taken is not None and taken.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("exif", "taken", "position"),
    [
        pytest.param(photo_exif(taken="0000:00:00 00:00:00", lat_ref="X"), None, None, id="unset-clock-bad-ref"),
        pytest.param(photo_exif(taken="yesterday", lon=(113,)), None, (28.1127, 113.0), id="text-date-degrees-only"),
        pytest.param(photo_exif(taken="2024:13:45 99:00:00", lon=(200, 0, 0)), None, None, id="impossible-values"),
        pytest.param(photo_exif(lon_ref=""), datetime(2024, 5, 4, 9, 30, 15, tzinfo=CST), None, id="empty-ref"),
    ],
)
def test_malformed_exif_gives_none(exif: Image.Exif, taken: datetime | None, position: tuple | None) -> None:
    info = inspect(make(exif=exif))
    assert info.taken_at == taken
    if position is None:
        assert (info.lat, info.lon) == (None, None)
    else:
        assert (info.lat, info.lon) == pytest.approx(position, abs=1e-4)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_missing_or_garbage_exif_never_raises() -> None:
    for data in (make(), make(exif=b"Exif\x00\x00II*\x00\xff\xff\xff\x7fgarbage")):  # type: ignore[arg-type]
        info = inspect(data)
        assert (info.taken_at, info.lat, info.lon) == (None, None, None)
        assert public_copy(data)[1] == "image/jpeg"


def test_zero_denominator_gives_no_position() -> None:
    exif = photo_exif(lat=(TiffImagePlugin.IFDRational(28, 0), 6, 45.6))
    info = inspect(make(exif=exif))
    assert (info.lat, info.lon) == (None, None)
    assert info.taken_at is not None


# --- public copy ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "mime"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")])
def test_public_copy_has_no_metadata(fmt: str, mime: str) -> None:
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><gps>28.1127,113.025</gps></x:xmpmeta>'
    extra: dict[str, object] = {"xmp": xmp}
    if fmt == "JPEG":
        extra["comment"] = b"home: 3-2-501"
    original = make(fmt, (64, 48), exif=photo_exif(), **extra)
    assert inspect(original).lat is not None

    data, out_mime = public_copy(original)
    assert out_mime == mime
    im = reopen(data)
    assert im.format == fmt and im.size == (64, 48)
    assert len(im.getexif()) == 0
    assert len(im.getexif().get_ifd(ExifTags.IFD.GPSInfo)) == 0
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(im.info)
    assert b"28.1127" not in data and b"TestPhone" not in data and b"3-2-501" not in data
    info = inspect(data)
    assert (info.taken_at, info.lat, info.lon) == (None, None, None)


def test_icc_profile_is_kept_where_it_still_fits() -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    colour = make("JPEG", exif=photo_exif(), icc_profile=icc)
    assert reopen(public_copy(colour)[0]).info.get("icc_profile") == icc
    assert reopen(thumbnail(colour)[0]).info.get("icc_profile") == icc
    # A grey photo's thumbnail is converted to RGB, where its (here: stand-in) profile no longer applies.
    grey = make("JPEG", mode="L", icc_profile=icc)
    assert reopen(public_copy(grey)[0]).info.get("icc_profile") == icc
    assert "icc_profile" not in reopen(thumbnail(grey)[0]).info


def test_public_copy_keeps_png_transparency() -> None:
    data, _ = public_copy(make("PNG", mode="RGBA"))
    im = reopen(data)
    assert im.mode == "RGBA"
    assert im.getpixel((0, 0)) == (255, 0, 0, 255) and im.getpixel((20, 20))[3] == 0


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_orientation_is_applied(fmt: str) -> None:
    # Orientation 6: stored sideways, to be shown turned 90° clockwise, so the stored top-left goes top-right.
    original = make(fmt, (80, 40), exif=photo_exif(orientation=6))
    assert (inspect(original).width, inspect(original).height) == (40, 80)

    im = reopen(public_copy(original)[0])
    assert im.size == (40, 80)
    assert ExifTags.Base.Orientation not in im.getexif()  # shown upright by every viewer, EXIF-aware or not
    red, green, _ = im.convert("RGB").getpixel((37, 2))
    assert red > 200 and green < 80

    thumb = reopen(thumbnail(original, size=20)[0])
    assert thumb.size == (10, 20)


# --- thumbnail --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_thumbnail_fits_and_has_no_metadata(fmt: str) -> None:
    data, mime = thumbnail(make(fmt, (1000, 500), exif=photo_exif()))
    assert mime == WEBP_MIME
    im = reopen(data)
    assert im.size == (320, 160)
    assert len(im.getexif()) == 0 and "xmp" not in im.info


def test_thumbnail_size_and_small_images() -> None:
    assert reopen(thumbnail(make("JPEG", (300, 900)), size=90)[0]).size == (30, 90)
    assert reopen(thumbnail(make("PNG", (50, 20)))[0]).size == (50, 20)  # never enlarged
    im = reopen(thumbnail(make("PNG", (64, 64), mode="RGBA"))[0])
    assert im.mode == "RGBA" or WEBP_MIME == "image/jpeg"


def test_thumbnail_refuses_what_inspect_refuses() -> None:
    with pytest.raises(ImageError):
        thumbnail(make("GIF"))
