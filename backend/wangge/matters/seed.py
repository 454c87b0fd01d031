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


def categories() -> list[dict[str, Any]]:
    rows = []
    for order, (code, zh, en, icon, level, route) in enumerate(GRID_WORK + SAFETY, start=1):
        emergency = route == "emergency"
        rows.append(
            {
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
            }
        )
    return rows
