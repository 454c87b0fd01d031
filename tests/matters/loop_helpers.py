"""Helpers for the tests of the steps around the routes (issue 11): more people in the world, a matter brought to a
state, photos uploaded by staff, columns set straight in the database, a record's loop."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from PIL import Image
from sqlalchemy import select, update

from matters.helpers import act, matter_id, submit
from support.world import World, grid_point
from wangge.accounts.models import LoginSession, User
from wangge.accounts.security import make_access_token, new_session_id, refresh_expiry, token_digest
from wangge.matters.models import Matter
from wangge.models_common import utcnow
from wangge.workcalendar import SHANGHAI


def add_user(live, world: World, username: str, role: str, level: str, **path: int | None) -> int:
    """Another account in the world (a second station chief, a district administrator), signed in like the others."""
    now = utcnow()
    with live.session() as s:
        user = User(
            username=username,
            display_name=f"{username}的名字",
            role=role,
            scope_level=level,
            password_hash=live.password_hash,
            phone="13900002222",
            **path,
        )
        s.add(user)
        s.flush()
        sid = new_session_id()
        s.add(
            LoginSession(
                id=sid,
                user_id=user.id,
                refresh_hash=token_digest(sid),
                created_at=now,
                expires_at=refresh_expiry(live.settings),
            )
        )
        s.commit()
        world.users[username] = user.id
        world.tokens[username], _ = make_access_token(live.settings, user_id=user.id, session_id=sid)
        return user.id


def second_chief_of_c1(live, world: World) -> str:
    add_user(
        live,
        world,
        "chief2_c1",
        "station_chief",
        "community",
        district_id=world.ids["D1"],
        street_id=world.ids["S1"],
        community_id=world.ids["C1"],
    )
    return "chief2_c1"


def district_admin_of_d1(live, world: World) -> str:
    add_user(live, world, "admin_d1", "administrator", "district", district_id=world.ids["D1"])
    return "admin_d1"


def new_matter(client, live, category: str = "sanitation", grid: str = "G1a", **extra: Any) -> int:
    """A resident's report (with a phone), by its id."""
    return matter_id(live, submit(client, category, grid, **extra)["tracking_code"])


def accepted(client, world: World, live, category: str = "sanitation") -> int:
    """A matter the grid leader of G1a accepted (the grid holds it)."""
    mid = new_matter(client, live, category)
    act(client, world, "grid_leader", mid, "accept")
    return mid


def at_station(client, world: World, live, category: str = "sanitation") -> int:
    """A matter brought back to C1's station (the station holds it)."""
    mid = new_matter(client, live, category)
    act(client, world, "grid_leader", mid, "bring_back", reason="网格内处理不了，带回服务站")
    return mid


def with_department(client, world: World, live, category: str = "sanitation") -> int:
    """A matter escalated by the station to DS1 (一街道城管) and signed for: the department handles it."""
    mid = at_station(client, world, live, category)
    act(
        client,
        world,
        "station_chief",
        mid,
        "escalate",
        reason="需城管执法",
        target={"level": "department", "department_id": world.ids["DS1"]},
    )
    act(client, world, "department_officer", mid, "sign")
    return mid


def staff_matter(client, world: World, who: str = "grid_leader", **extra: Any) -> dict[str, Any]:
    """A matter entered in the field (no phone unless given)."""
    lon, lat = grid_point("G1a")
    body = {"category": "sanitation", "description": "路面破损", "lat": lat, "lon": lon, **extra}
    r = client.post("/api/v1/matters", headers=world.headers(who), json=body)
    assert r.status_code == 201, r.text
    return r.json()


def set_matter(live, mid: int, **values: Any) -> None:
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id == mid).values(**values))
        s.commit()


def read_matter(live, mid: int) -> Matter:
    with live.session() as s:
        return s.execute(select(Matter).where(Matter.id == mid)).scalar_one()


def loop_of(client, world: World, who: str, mid: int) -> dict[str, Any]:
    r = client.get(f"/api/v1/matters/{mid}/loop", headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def post_action(client, world: World, who: str, mid: int, action: str, body: Any) -> Any:
    """An action with any body (malformed ones too), with the record's current ETag."""
    etag = client.get(f"/api/v1/matters/{mid}", headers=world.headers(who)).headers["etag"]
    return client.post(
        f"/api/v1/matters/{mid}/actions/{action}", json=body, headers={**world.headers(who), "If-Match": etag}
    )


def upload_photo(client, world: World, who: str) -> int:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(out, "JPEG", quality=80)
    r = client.post("/api/v1/photos", headers=world.headers(who), files={"file": ("site.jpg", out.getvalue())})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def beijing(value: str | datetime) -> datetime:
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.astimezone(SHANGHAI)


def today() -> str:
    return utcnow().astimezone(SHANGHAI).date().isoformat()
