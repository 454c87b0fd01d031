"""The finished matters of a grid leader's inbox on a phone: newest first, the next page loaded as they scroll (the
server's keyset pages: after the last one seen), none twice and none missed, and the count above the list. (Until
this test the inbox could not be scrolled at all on a phone: it showed its first five items.)"""

from __future__ import annotations

import httpx
from playwright.sync_api import expect
from sqlalchemy import select, update

from browser.conftest import PHONE, signed_in
from support.world import grid_point
from wangge.matters.models import Matter
from wangge.models_common import utcnow

FINISHED = 45  # two full pages of 20 and a short one


def test_a_leader_scrolls_through_every_finished_matter_of_the_grid_once(world, browser, app_server, live):
    lon, lat = grid_point("G1a")
    with httpx.Client(base_url=app_server.base_url, timeout=30) as client:
        for n in range(FINISHED):
            body = {
                "category": "sanitation",
                "description": f"已处理的问题 {n}",
                "lat": lat,
                "lon": lon,
                "reporter_phone": "13800001111",
            }
            assert client.post("/api/v1/public/matters", json=body).status_code == 201
    with live.session() as s:
        s.execute(update(Matter).values(status="closed", closed_at=utcnow(), outcome="done"))
        s.commit()
        ids = sorted(s.execute(select(Matter.id).where(Matter.grid_id == world.ids["G1a"])).scalars(), reverse=True)
    assert len(ids) == FINISHED

    page = signed_in(browser, app_server.base_url, "grid_leader", PHONE, "/matters?box=grid&status=closed")
    items = page.get_by_test_id("matter-item")
    expect(items).to_have_count(20)
    expect(page.get_by_test_id("inbox-total")).to_have_text("共 45 件")
    for shown in (40, FINISHED):
        if items.count() >= shown:  # a slow render can leave the list's end in sight: it loaded the next page too
            continue
        items.last.scroll_into_view_if_needed()
        items.last.hover()
        page.mouse.wheel(0, 4000)
        expect(items.nth(shown - 1)).to_be_attached()
    expect(items).to_have_count(FINISHED)
    listed = [int(i) for i in items.evaluate_all("els => els.map((e) => e.dataset.id)")]
    assert listed == ids  # newest first, each once
    expect(page.locator(".van-list__finished-text")).to_be_visible()
    page.context.close()
