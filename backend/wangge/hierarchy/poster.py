"""A grid's poster 网格员亮证: one A4 portrait page in Chinese for building doors and notice boards — the grid, its
leader and their public phone, the station and its duty phone (the rules of whois), and a QR code (the `qrcode`
library) that opens the resident's report page already placed in the grid: `{public_base_url}/report?grid={id}`.

Drawn with Pillow at 150 dpi (1240 × 1754 px); the PDF is the same image as one A4 page (Pillow's PDF writer, which
the app already has: a page of one picture needs nothing more). Chinese needs a CJK font: the `poster_font` setting,
else one fontconfig finds (Noto Sans CJK SC, WenQuanYi), else a few usual paths; with none, `FontMissing` (503
`poster-font-missing`), never a poster of empty boxes.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.scope import Subject
from wangge.errors import DomainError, NotFound
from wangge.hierarchy import service, whois

DPI = 150
WIDTH, HEIGHT = 1240, 1754  # A4 (210 × 297 mm) at 150 dpi
MARGIN = 90
QR_SIZE = 560  # px, the largest whole multiple of the module count is used
QR_BORDER = 4  # modules of quiet zone, as the QR standard asks
QR_TOP = 970
RED = (200, 22, 29)
INK = (33, 33, 33)
GREY = (110, 110, 110)
# fontconfig's names, best first: the families Debian's fonts-noto-cjk and fonts-wqy-microhei install.
PREFERRED_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
USUAL_PATHS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2: Simplified Chinese
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)
SAMPLE = "网格员亮证扫码反映问题"


class FontMissing(DomainError):
    status = 503
    code = "poster-font-missing"


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0


@dataclass(frozen=True)
class PosterFacts:
    grid_id: int
    grid_name: str
    grid_code: str
    community: str
    leader: str | None
    leader_phone: str | None
    leader_phone_is_duty: bool  # the number is the grid's duty number 网格值班电话, not the leader's own phone
    covering: str | None  # "name（grid）" of the A/B partner standing in, during the leader's leave
    covering_phone: str | None
    station: str
    station_phone: str | None
    url: str


async def facts(db: AsyncSession, *, subject: Subject, grid_id: int, base_url: str) -> PosterFacts:
    """What the poster of `grid_id` says: the public card of the grid (whois). 404 outside the subject's scope
    (a grid leader's own grid, a chief's community, an administrator's area) and for a deactivated grid."""
    grid = await service.get_visible(db, subject, "grid", grid_id)
    if not grid.is_active:
        raise NotFound(f"The grid {grid.code} is deactivated")
    card = await whois.grid_card(db, grid)
    leader, covering = card["leader"], card["covering"]
    leader_phone = leader["phone"] if leader else grid.duty_phone
    return PosterFacts(
        grid_id=grid.id,
        grid_name=grid.name,
        grid_code=grid.code,
        community=card["community"]["name"],
        leader=leader["name"] if leader else None,
        leader_phone=leader_phone,
        leader_phone_is_duty=leader_phone is not None and leader_phone == grid.duty_phone,
        covering=f"{covering['name']}（{covering['grid_name']}）" if covering else None,
        covering_phone=covering["phone"] if covering else None,
        station=card["station"]["name"],
        station_phone=card["station"]["duty_phone"],
        url=f"{base_url}/report?grid={grid.id}",
    )


def _draws_chinese(font: FontFile) -> bool:
    try:
        face = ImageFont.truetype(font.path, 32, index=font.index)
    except OSError:
        return False
    # A font without these glyphs draws the same "missing" box (or nothing) for each of them.
    drawn = set()
    for ch in SAMPLE[:4]:
        glyph = Image.new("L", (40, 40))
        ImageDraw.Draw(glyph).text((4, 4), ch, font=face, fill=255)
        drawn.add(glyph.tobytes())
    return len(drawn) == 4


def _fontconfig() -> list[FontFile]:
    """The fonts fontconfig says cover Chinese, the preferred families first."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(  # noqa: S603 - a fixed command, no input from requests
            ["fc-list", ":lang=zh", "--format", "%{file}|%{index}|%{family}\n"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found: list[tuple[int, FontFile]] = []
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].isdigit():
            continue
        families = [f.strip() for f in parts[2].split(",")]
        rank = min((PREFERRED_FAMILIES.index(f) for f in families if f in PREFERRED_FAMILIES), default=99)
        if "Mono" in parts[2]:
            rank += 50
        found.append((rank, FontFile(parts[0], int(parts[1]))))
    return [font for _, font in sorted(found, key=lambda item: (item[0], item[1].path, item[1].index))]


@functools.lru_cache(maxsize=4)
def find_font(setting: str) -> FontFile:
    """The font to draw with: the `poster_font` setting (a path, `path#index` for a collection), else a CJK font
    of the system. FontMissing when the setting names no usable font, or none is found."""
    if setting:
        path, _, index = setting.partition("#")
        font = FontFile(path, int(index) if index.isdigit() else 0)
        if not Path(path).is_file() or not _draws_chinese(font):
            raise FontMissing(
                f"The poster_font setting names {path}, which is not a readable font with Chinese glyphs; "
                "name a CJK font file (e.g. /usr/share/fonts/truetype/wqy/wqy-microhei.ttc)"
            )
        return font
    candidates = _fontconfig() + [FontFile(p, i) for p, i in USUAL_PATHS if Path(p).is_file()]
    for font in candidates:
        if _draws_chinese(font):
            return font
    raise FontMissing(
        "No font with Chinese glyphs was found for the poster: install one (apt-get install fonts-wqy-microhei) "
        "or name a font file in the WANGGE_POSTER_FONT setting"
    )


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code's modules (True: dark), quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_BORDER)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def qr_box(url: str) -> tuple[int, int, int]:
    """Where the poster draws the QR code: (left, top, pixels per module)."""
    modules = len(qr_matrix(url))
    scale = QR_SIZE // modules
    side = modules * scale
    return (WIDTH - side) // 2, QR_TOP, scale


class _Writer:
    def __init__(self, image: Image.Image, font: FontFile) -> None:
        self.draw = ImageDraw.Draw(image)
        self.font = font
        self.faces: dict[int, ImageFont.FreeTypeFont] = {}  # per poster: a face is not shared between threads

    def face(self, size: int) -> ImageFont.FreeTypeFont:
        if size not in self.faces:
            self.faces[size] = ImageFont.truetype(self.font.path, size, index=self.font.index)
        return self.faces[size]

    def fitted(self, text: str, size: int, width: int) -> ImageFont.FreeTypeFont:
        """The font at `size`, smaller if the text would be wider than `width` (long names)."""
        face = self.face(size)
        while size > 20 and self.draw.textlength(text, font=face) > width:
            size -= 2
            face = self.face(size)
        return face

    def centred(self, text: str, y: int, size: int, fill: Any) -> None:
        face = self.fitted(text, size, WIDTH - 2 * MARGIN)
        self.draw.text((WIDTH // 2, y), text, font=face, fill=fill, anchor="mt")

    def line(self, label: str, value: str, y: int, *, strong: bool = False) -> None:
        label_face = self.face(40)
        self.draw.text((MARGIN + 20, y), label, font=label_face, fill=GREY)
        x = MARGIN + 20 + int(self.draw.textlength(label, font=label_face)) + 10
        face = self.fitted(value, 48 if strong else 42, WIDTH - MARGIN - 20 - x)
        self.draw.text((x, y - (4 if strong else 1)), value, font=face, fill=INK)


def poster_rows(facts: PosterFacts) -> list[tuple[str, str, bool]]:
    """The poster's lines as (label, value, strong). The number under the leader is labelled for what it is: the
    grid's duty number 网格值班电话 (a resident must not take it for the leader's own phone), or the leader's own
    phone they allowed on public pages 联系电话."""
    phone_label = "网格值班电话：" if facts.leader_phone_is_duty else "联系电话："
    rows = [
        ("所属社区：", facts.community, False),
        ("网 格 长：", facts.leader or "（待定）", True),
        (phone_label, facts.leader_phone or "请致电服务站", True),
    ]
    if facts.covering:
        rows.append(("当前代岗：", f"{facts.covering}  {facts.covering_phone or ''}".strip(), False))
    rows += [
        ("服 务 站：", facts.station, False),
        ("值班电话：", facts.station_phone or "—", True),
    ]
    return rows


def render(facts: PosterFacts, font: FontFile) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    w = _Writer(image, font)
    d = w.draw
    d.rectangle((0, 0, WIDTH, 230), fill=RED)
    w.centred("网格员亮证", 55, 110, "white")
    d.rectangle((MARGIN - 30, 260, WIDTH - MARGIN + 30, HEIGHT - 40), outline=RED, width=6)
    w.centred(facts.grid_name, 290, 72, INK)
    w.centred(f"网格编码 {facts.grid_code}", 385, 36, GREY)
    rows = poster_rows(facts)
    y = 460
    step = min(80, 490 // len(rows))
    for label, value, strong in rows:
        w.line(label, value, y, strong=strong)
        y += step
    left, top, scale = qr_box(facts.url)
    for r, row in enumerate(qr_matrix(facts.url)):
        for c, dark in enumerate(row):
            if dark:
                x0, y0 = left + c * scale, top + r * scale
                d.rectangle((x0, y0, x0 + scale - 1, y0 + scale - 1), fill="black")
    side = len(qr_matrix(facts.url)) * scale
    w.centred("扫码反映问题", top + side + 20, 60, RED)
    w.centred("手机扫码，定位到本网格，随手拍照上报", top + side + 100, 32, GREY)
    return image


def png(facts: PosterFacts, font: FontFile) -> bytes:
    out = io.BytesIO()
    render(facts, font).save(out, "PNG", dpi=(DPI, DPI))
    return out.getvalue()


def pdf(facts: PosterFacts, font: FontFile) -> bytes:
    out = io.BytesIO()
    render(facts, font).save(out, "PDF", resolution=DPI, title=f"网格员亮证 {facts.grid_code}")
    return out.getvalue()
