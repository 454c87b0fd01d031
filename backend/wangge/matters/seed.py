"""The categories a grid covers (DOMAIN.md): the grid-work lines and the safety and emergency categories, with
default routes and time limits. Loaded by the migration; afterwards they are managed data."""

from __future__ import annotations

from typing import Any


def _limit(amount: int, unit: str) -> dict[str, Any]:
    return {"amount": amount, "unit": unit}


# Time limits per level: time to sign for (签收) and time to complete (办结).
ORDINARY_LIMITS = {
    "grid": {"sign": _limit(2, "working_hours"), "complete": _limit(1, "working_days")},
    "station": {"sign": _limit(4, "working_hours"), "complete": _limit(3, "working_days")},
    "street": {"sign": _limit(1, "working_days"), "complete": _limit(5, "working_days")},
    "department": {"sign": _limit(1, "working_days"), "complete": _limit(10, "working_days")},
    "notice": {"complete": _limit(5, "working_days")},
}
# Emergencies run on the clock, in minutes (DOMAIN.md: muster within 5 minutes).
EMERGENCY_LIMITS = {
    level: {"sign": _limit(5, "minutes"), "complete": _limit(120, "minutes")}
    for level in ("grid", "station", "street", "department")
}
EMERGENCY_LIMITS["notice"] = ORDINARY_LIMITS["notice"]

# code, 中文, English, icon (Vant), owning level, default route
GRID_WORK = [
    ("sanitation", "环境卫生", "Sanitation", "delete-o", "street", "on_spot"),
    ("civil_affairs", "民政", "Civil affairs", "friends-o", "street", "station"),
    ("family_planning", "计生", "Family planning", "user-o", "street", "station"),
    ("employment", "就业", "Employment", "bag-o", "district", "station"),
    ("social_security", "社保", "Social security", "shield-o", "district", "station"),
    ("urban_construction", "城建", "Urban construction", "hotel-o", "district", "escalated"),
    ("public_order", "综治", "Public order", "cluster-o", "street", "station"),
    ("party_building", "党建", "Party building", "flag-o", "street", "station"),
    ("party_integrity", "党廉", "Party integrity", "eye-o", "street", "station"),
    ("culture", "文化", "Culture", "music-o", "street", "station"),
    ("livelihood", "民生工程", "Livelihood projects", "home-o", "street", "approval"),
    ("illegal_construction", "违建巡查", "Illegal construction", "warning-o", "street", "escalated"),
]
SAFETY = [
    ("fire_safety", "消防安全", "Fire safety", "fire-o", "district", "emergency"),
    ("gas_safety", "燃气安全", "Gas safety", "fire-o", "district", "emergency"),
    ("public_health", "公共卫生", "Public health", "medal-o", "district", "emergency"),
    ("road_safety", "道路交通", "Road safety", "logistics", "district", "escalated"),
    ("production_safety", "安全生产", "Production safety", "setting-o", "district", "escalated"),
    ("environment", "生态环境", "Environment", "flower-o", "street", "escalated"),
]


# Open311 publishes requests to anyone. Only categories about shared public space are offered there; matters about
# individuals (civil affairs, family planning, employment, social security, disputes, party matters) are not.
OPEN311_PUBLIC = {
    "sanitation",
    "urban_construction",
    "illegal_construction",
    "livelihood",
    "culture",
    "fire_safety",
    "gas_safety",
    "public_health",
    "road_safety",
    "production_safety",
    "environment",
}


# Neighbours' disputes 邻里纠纷, mediated by the grid team (信访调解负责制), added by migration 0016.
DISPUTE = "dispute"
DISPUTES = [(DISPUTE, "邻里纠纷", "Neighbour disputes", "chat-o", "street", "station")]
ALL = GRID_WORK + SAFETY + DISPUTES

# The steps around the routes, per category (schemas.LoopRules): contact the requester within two working hours;
# at most two extensions of up to ten days and one suspension of up to thirty; call back after three days without a
# rating, giving up after three unanswered tries. Matters that the street's enforcement team handles in the field are
# verified on site before the rating closes them: an illegal structure taken down, a pollution stopped (an
# administrator turns verification on for others, and may let the verification close a category's matters).
VERIFIED = {"illegal_construction", "environment"}
CLOSED_ON_VERIFICATION: set[str] = set()


def loop_rules_for(code: str) -> dict[str, Any]:
    return {
        "contact": _limit(2, "working_hours"),
        "extension": {"max_count": 2, "max_days": 10},
        "suspension": {"max_count": 1, "max_days": 30},
        "verify": code in VERIFIED | CLOSED_ON_VERIFICATION,
        "close_on": "verification" if code in CLOSED_ON_VERIFICATION else "rating",
        "callback_after_days": 3,
        "callback_tries": 3,
        "mediation": code == DISPUTE,
    }


# The categories residents choose from, under the plain names they would use (migration 0018): things anyone can
# see or suffer in the neighbourhood, and help they ask for. The internal lines (党建, 党廉, 计生, 综治, 文化, 民生工程)
# stay for staff.
RESIDENT_NAMES = {
    "sanitation": ("垃圾与环境卫生", "Litter and cleanliness"),
    "urban_construction": ("道路与市政设施损坏", "Broken roads and street facilities"),
    "illegal_construction": ("违章搭建", "Illegal structures"),
    "environment": ("噪音与污染", "Noise and pollution"),
    "road_safety": ("交通与停车", "Traffic and parking"),
    "fire_safety": ("消防隐患", "Fire hazards"),
    "gas_safety": ("燃气隐患", "Gas hazards"),
    "production_safety": ("安全生产隐患", "Workplace safety hazards"),
    "public_health": ("公共卫生", "Public health"),
    "dispute": ("邻里纠纷", "Disputes between neighbours"),
    "civil_affairs": ("困难求助", "Help in hardship"),
    "employment": ("就业求助", "Help finding work"),
    "social_security": ("社保咨询", "Social security questions"),
}


def resident_fields(code: str) -> dict[str, Any]:
    zh, en = RESIDENT_NAMES.get(code, (None, None))
    return {"resident_facing": code in RESIDENT_NAMES, "public_name_zh": zh, "public_name_en": en}


def category_row(code: str) -> dict[str, Any]:
    order = next(i for i, row in enumerate(ALL, start=1) if row[0] == code)
    _, zh, en, icon, level, route = ALL[order - 1]
    emergency = route == "emergency"
    return {
        "code": code,
        "name_zh": zh,
        "name_en": en,
        "icon": icon,
        "level": level,
        "default_route": route,
        "is_emergency": emergency,
        "time_limits": EMERGENCY_LIMITS if emergency else ORDINARY_LIMITS,
        "open311_code": code if code in OPEN311_PUBLIC else None,
        "sort_order": order * 10,
        "is_active": True,
        "loop_rules": loop_rules_for(code),
    }


def categories() -> list[dict[str, Any]]:
    """The categories of the first migration (the disputes' category came with 0016, which adds it)."""
    rows = [category_row(code) for code, *_ in GRID_WORK + SAFETY]
    for row in rows:
        del row["loop_rules"]
    return rows


def current_categories() -> list[dict[str, Any]]:
    """Every category as the migrations leave them (the test world resets to these)."""
    return [{**category_row(code), **resident_fields(code)} for code, *_ in ALL]
