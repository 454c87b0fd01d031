"""Field work in Chromium on a 360×740 phone with a weak network: the grid leader starts a patrol, the network is cut,
GPS points and a quick report with a photo are recorded offline (the outbox shows them waiting), the network comes
back, the outbox drains and the patrol is stopped. The database then holds everything exactly once: one patrol, every
point recorded (none twice), one finding and one matter with its photo. Screenshots go to test-results/fieldwork-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from browser.conftest import leader_phone
from support.world import grid_point
from wangge.accounts.models import User
from wangge.fieldwork.models import Patrol, PatrolFinding, PatrolPoint
from wangge.matters.models import Category, Matter, Photo

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
STEP = 0.00003  # about 3 m of latitude: a walking pace between two fixes
MOVES = 6


def _context(browser: Browser, base: str, lat: float, lon: float) -> BrowserContext:
    return leader_phone(browser, base, lat, lon)


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"fieldwork-{name}.png"))


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.app-main, .van-popup')]"
        ".map(e => e.scrollWidth - e.clientWidth), 0)"
    )
    assert widest <= 0, f"something is {widest}px wider than the screen"


def _waiting(page: Page) -> int:
    return int(page.get_by_test_id("patrol-waiting").get_attribute("data-count") or "0")


def test_patrol_offline_then_online_arrives_once(world, live, browser, app_server, tmp_path):
    base = app_server.base_url
    lon, lat = grid_point("G1a")
    with live.session() as db:
        leader_id = db.scalar(select(User.id).where(User.username == "grid_leader"))
        matters_before = db.scalar(select(func.count()).select_from(Matter))

    context = _context(browser, base, lat, lon)
    page = context.new_page()
    page.goto(base + "/map")

    page.get_by_test_id("nav-patrol").click()
    expect(page).to_have_url(re.compile(r"/patrol$"))
    expect(page.get_by_test_id("patrol-start")).to_be_enabled()
    expect(page.get_by_test_id("patrol-offline")).to_have_count(0)
    _no_horizontal_scroll(page)
    _shot(page, "idle")

    # Start online: the start is acknowledged and the first fix (the context's position) is the first point.
    page.get_by_test_id("patrol-start").click()
    expect(page.get_by_test_id("patrol-stop")).to_be_visible()
    points = page.get_by_test_id("patrol-points")
    expect(points).to_have_text("1")

    # Cut the network, then walk: each new position is picked up by watchPosition.
    context.set_offline(True)
    expect(page.get_by_test_id("patrol-offline")).to_be_visible()
    positions = [(lat, lon)]
    for i in range(1, MOVES + 1):
        here = (lat + i * STEP, lon + (i % 2) * STEP)
        context.set_geolocation({"latitude": here[0], "longitude": here[1], "accuracy": 5})
        positions.append(here)
        expect(points).to_have_text(str(i + 1))
        page.wait_for_timeout(400)
    expect(page.get_by_test_id("patrol-distance")).not_to_have_text("0 米")

    # Quick report with a photo, offline: camera, category, send.
    photo = tmp_path / "litter.jpg"
    Image.new("RGB", (320, 240), (90, 140, 60)).save(photo, "JPEG", quality=80)
    page.get_by_test_id("patrol-quick").click()
    page.get_by_test_id("quick-photo-input").set_input_files(str(photo))
    expect(page.get_by_test_id("quick-photo-thumb")).to_be_visible()
    page.get_by_test_id("quick-category-sanitation").click()
    _no_horizontal_scroll(page)
    _shot(page, "quick-report")
    page.get_by_test_id("quick-send").click()
    expect(page.get_by_test_id("quick-report")).to_be_hidden()

    # Everything waits: points (they were batched before the report) and the report itself.
    waiting = page.get_by_test_id("patrol-waiting")
    count = _waiting(page)
    assert count >= MOVES + 1, count  # at least the offline points and the report (the first point may have gone)
    expect(waiting).to_contain_text(f"{count} 条待发送")
    expect(page.get_by_test_id("patrol-offline")).to_be_visible()
    _no_horizontal_scroll(page)
    _shot(page, "offline")

    # The network returns: the outbox drains by itself.
    context.set_offline(False)
    expect(waiting).to_have_attribute("data-count", "0", timeout=30_000)
    expect(page.get_by_test_id("patrol-offline")).to_have_count(0)
    _shot(page, "online")
    recorded = int(points.inner_text())

    page.get_by_test_id("patrol-stop").click()
    page.locator(".van-dialog__confirm").click()
    expect(page.get_by_test_id("patrol-start")).to_be_visible()
    expect(waiting).to_have_attribute("data-count", "0", timeout=30_000)
    context.close()

    with live.session() as db:
        patrols = db.scalars(select(Patrol).where(Patrol.user_id == leader_id)).all()
        assert len(patrols) == 1, "one patrol, however many times its start was sent"
        patrol = patrols[0]
        assert patrol.ended_at is not None
        assert patrol.grid_id == world.ids["G1a"]
        rows = db.scalars(select(PatrolPoint).where(PatrolPoint.patrol_id == patrol.id)).all()
        assert len(rows) == recorded == len(positions)
        assert len({r.client_id for r in rows}) == len(rows), "no point stored twice"
        stored = {(round(r.lat, 6), round(r.lon, 6)) for r in rows}
        assert stored == {(round(a, 6), round(b, 6)) for a, b in positions}
        assert patrol.point_count == len(rows)
        assert patrol.distance_m > 0

        findings = db.scalars(select(PatrolFinding).where(PatrolFinding.patrol_id == patrol.id)).all()
        assert len(findings) == 1
        assert findings[0].matter_id is not None
        assert db.scalar(select(func.count()).select_from(Matter)) == matters_before + 1
        matter = db.get(Matter, findings[0].matter_id)
        assert db.scalar(select(Category.code).where(Category.id == matter.category_id)) == "sanitation"
        assert db.scalar(select(func.count()).select_from(Photo).where(Photo.matter_id == matter.id)) == 1
