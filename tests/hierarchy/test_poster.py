"""A grid's poster 网格员亮证 (PNG and PDF, A4 portrait): its QR code, read back with zxing-cpp (a maintained decoder,
wheels without system libraries), opens the report page placed in the grid; staff print the grids of their scope
only (404 outside it); without a Chinese font the server answers 503 `poster-font-missing`, never a 500."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator

import httpx
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import update

from conftest import TLS, Live, assert_problem, make_settings
from support.server import LiveServer
from wangge.hierarchy import poster
from wangge.hierarchy.models import Grid

PUBLIC = "https://wangge.example.cn"


def _poster(client, world, who: str, grid: str, kind: str = "png") -> httpx.Response:
    return client.get(f"/api/v1/grids/{world.ids[grid]}/poster.{kind}", headers=world.headers(who))


def _qr_texts(content: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(content))) if r.format.name == "QRCode"]


def test_the_png_poster_is_a4_portrait_and_its_qr_code_opens_the_report_page_in_the_grid(world, client, live):
    r = _poster(client, world, "station_chief", "G1a")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png"
    code = world.codes["G1a"]
    assert r.headers["content-disposition"] == f'attachment; filename="grid-{code}.png"'
    image = Image.open(io.BytesIO(r.content))
    assert image.format == "PNG" and image.size == (poster.WIDTH, poster.HEIGHT)
    assert abs(image.size[1] / image.size[0] - math.sqrt(2)) < 0.01  # A4: 297 / 210
    assert _qr_texts(r.content) == [f"{live.base_url}/report?grid={world.ids['G1a']}"]
    # Drawn, not blank: the red title band and the dark modules of the code.
    assert image.convert("RGB").getpixel((20, 20)) == poster.RED
    left, top, scale = poster.qr_box(f"{live.base_url}/report?grid={world.ids['G1a']}")
    gray = image.convert("L")
    corner = left + poster.QR_BORDER * scale + scale // 2, top + poster.QR_BORDER * scale + scale // 2
    assert gray.getpixel(corner) == 0  # the top-left finder pattern's dark outer ring
    assert gray.getpixel((corner[0] + scale, corner[1] + scale)) == 255  # and its light ring inside


def test_the_pdf_poster_is_one_a4_page(world, client):
    r = _poster(client, world, "grid_leader", "G1a", "pdf")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="grid-{world.codes["G1a"]}.pdf"'
    assert r.content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", r.content)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", r.content)
    assert box is not None
    width, height = float(box.group(1)), float(box.group(2))  # points: A4 is 595 × 842
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5


@pytest.mark.parametrize(
    ("who", "grid", "status"),
    [
        ("grid_leader", "G1a", 200),  # their own grid
        ("grid_leader", "G1b", 404),
        ("station_chief", "G1b", 200),  # their community's grids
        ("station_chief", "G2", 404),
        ("administrator", "G2", 200),  # their street's
        ("administrator", "G3", 404),
        ("system_admin", "G4", 200),  # everything, a grid without a leader included
        ("chief_c4", "G1a", 404),
    ],
)
def test_staff_print_the_posters_of_their_scope_only(world, client, who, grid, status):
    r = _poster(client, world, who, grid)
    if status == 200:
        assert r.status_code == 200 and r.headers["content-type"] == "image/png", r.text
    else:
        assert assert_problem(r, status)["code"] == "not-found"


def test_residents_and_strangers_print_no_poster_and_a_deactivated_grid_has_none(world, client, live):
    assert assert_problem(_poster(client, world, "resident", "G1a"), 403)["code"] == "forbidden"
    assert_problem(client.get(f"/api/v1/grids/{world.ids['G1a']}/poster.png"), 401)
    assert_problem(client.get("/api/v1/grids/999999/poster.pdf", headers=world.headers("system_admin")), 404)
    assert_problem(client.get("/api/v1/grids/0/poster.pdf", headers=world.headers("system_admin")), 422)
    with live.session() as s:
        s.execute(update(Grid).where(Grid.id == world.ids["G1b"]).values(is_active=False))
        s.commit()
    assert assert_problem(_poster(client, world, "station_chief", "G1b"), 404)["code"] == "not-found"


@pytest.fixture(scope="module")
def own_server(live: Live) -> Iterator[LiveServer]:
    """A server with a public address for the QR codes and, at first, a font setting that names no font."""
    settings = make_settings(live.settings.database_url, public_base_url=PUBLIC + "/", poster_font="/nowhere/none.ttf")
    server = LiveServer(settings).start()
    server.settings = settings  # type: ignore[attr-defined]
    yield server
    server.stop()


def test_without_a_chinese_font_the_poster_is_503_and_with_one_the_qr_uses_the_public_address(world, own_server):
    with httpx.Client(base_url=own_server.base_url, timeout=30, verify=TLS) as c:
        # In English the detail names the font that was looked for; in Chinese it is the code's message.
        english = {**world.headers("station_chief"), "Accept-Language": "en"}
        r = c.get(f"/api/v1/grids/{world.ids['G1a']}/poster.png", headers=english)
        body = assert_problem(r, 503)
        assert body["code"] == "poster-font-missing" and "/nowhere/none.ttf" in body["detail"]
        r = c.get(f"/api/v1/grids/{world.ids['G1a']}/poster.png", headers=world.headers("station_chief"))
        assert assert_problem(r, 503)["detail"].startswith("服务器缺少中文字体")
        # A font without Chinese glyphs is refused the same way.
        own_server.settings.poster_font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
        r = c.get(f"/api/v1/grids/{world.ids['G1a']}/poster.pdf", headers=world.headers("station_chief"))
        assert assert_problem(r, 503)["code"] == "poster-font-missing"

        found = poster.find_font("")  # the machine's own CJK font, named in the setting
        own_server.settings.poster_font = f"{found.path}#{found.index}"
        r = c.get(f"/api/v1/grids/{world.ids['G1a']}/poster.png", headers=world.headers("station_chief"))
        assert r.status_code == 200, r.text
        assert _qr_texts(r.content) == [f"{PUBLIC}/report?grid={world.ids['G1a']}"]


def _facts(**changes) -> poster.PosterFacts:
    base = dict(grid_id=1, grid_name="G1a网格", grid_code="G1A", community="C1社区", leader="王网格长")
    base |= dict(leader_phone="0731-8888 0001", leader_phone_is_duty=True, covering=None, covering_phone=None)
    base |= dict(station="C1社区服务站", station_phone="0731-8888 0000", url="https://x/report?grid=1")
    return poster.PosterFacts(**{**base, **changes})


def test_the_number_under_the_leader_says_whether_it_is_the_grids_duty_number_or_their_own():
    duty = dict((label, value) for label, value, _ in poster.poster_rows(_facts()))
    assert duty["网格值班电话："] == "0731-8888 0001" and "联系电话：" not in duty
    own = dict((label, value) for label, value, _ in poster.poster_rows(_facts(leader_phone_is_duty=False)))
    assert own["联系电话："] == "0731-8888 0001" and "网格值班电话：" not in own
    assert own["值班电话："] == "0731-8888 0000"  # the station's, under 服务站
