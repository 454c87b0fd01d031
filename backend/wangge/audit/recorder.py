"""Writes the audit log as the session flushes: every administrative model's rows created, changed or deleted
in a request, with the fields that changed before and after, in the same transaction as the change (a change
that is rolled back leaves no entry; an entry is never written without its change).

The actor is the caller the request authenticated (accounts.dependencies sets it on the session); sessions with
no actor (the demo loader, the worker, tests' fixtures) write no entries. The command line names itself.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from geoalchemy2.shape import to_shape
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from wangge.accounts.scope import mask_phone
from wangge.audit.models import AuditEntry
from wangge.models_common import utcnow

ACTOR = "audit_actor"  # session.info key: (user id or None, the name to show)
HIDDEN = "（已修改）"  # what a secret's change shows instead of its value
SKIPPED = frozenset({"created_at", "updated_at"})


@dataclass(frozen=True)
class Audited:
    entity: str
    hidden: frozenset[str] = field(default_factory=frozenset)
    masked: frozenset[str] = field(default_factory=frozenset)


def set_actor(session: Any, user_id: int | None, name: str) -> None:
    """Changes flushed by `session` from now on are written to the log as made by this actor."""
    session.info[ACTOR] = (user_id, name)


@cache
def audited() -> dict[type, Audited]:
    """The administrative models (imported here, once, so that no model module imports the log)."""
    from wangge.accounts.models import User
    from wangge.assessment.models import AssessmentScheme
    from wangge.earlywarning.models import EarlyWarning
    from wangge.emergencies.models import ContingencyPlan, Drill, ResponseTier, TierMember
    from wangge.fieldwork.models import (
        GridLeadership,
        LogRemark,
        PostPair,
        Shift,
        SpecialGroup,
        SpecialResident,
        TeamMember,
    )  # fmt: skip
    from wangge.hierarchy.models import Building, Community, Department, District, Grid, Place, Street
    from wangge.matters.models import Category
    from wangge.open311.models import ApiKey
    from wangge.preparedness.models import DutyDay, ReserveItem
    from wangge.station.models import ChecklistTemplate, SpecialPeriod
    from wangge.workcalendar import CalendarOverride, CalendarYear

    plain = {
        District: "district", Street: "street", Community: "community", Grid: "grid", Department: "department",
        Building: "building", Place: "place", Category: "category", CalendarOverride: "calendar_day",
        CalendarYear: "calendar_year",
        GridLeadership: "grid_leader", TeamMember: "team_member", PostPair: "post_pair", Shift: "shift",
        SpecialGroup: "special_group", ResponseTier: "response_tier", TierMember: "tier_member",
        ContingencyPlan: "contingency_plan", Drill: "drill", SpecialPeriod: "special_period",
        ChecklistTemplate: "checklist", LogRemark: "log_remark", AssessmentScheme: "assessment_scheme",
        ReserveItem: "reserve_item", DutyDay: "duty_day",
        EarlyWarning: "early_warning",
    }  # fmt: skip
    out = {model: Audited(entity) for model, entity in plain.items()}
    out[User] = Audited("user", hidden=frozenset({"password_hash"}), masked=frozenset({"phone"}))
    out[SpecialResident] = Audited(
        "special_resident", hidden=frozenset({"id_number_enc", "id_number_hash"}), masked=frozenset({"phone"})
    )
    out[ApiKey] = Audited("api_key", hidden=frozenset({"key_hash"}))
    return out


def install() -> None:
    """Listen to every session's flushes (once per process)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


# --- one flush -------------------------------------------------------------------------------------------------


def _after_flush(session: Session, context: Any) -> None:
    actor = session.info.get(ACTOR)
    if actor is None:
        return
    models = audited()
    rows: list[dict[str, Any]] = []
    areas: dict[int, dict[str, int | None]] = {}  # grids' areas, looked up once a flush (an import adds thousands)
    for objects, kind in ((session.new, "create"), (session.dirty, "update"), (session.deleted, "delete")):
        for obj in objects:
            spec = models.get(type(obj))
            if spec is None:
                continue
            changes = _changes(obj, spec, kind)
            if kind == "update" and not changes:
                continue
            rows.append(_entry(session, obj, spec, _action(kind, changes), changes, actor, areas))
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def _action(kind: str, changes: dict[str, list[Any]]) -> str:
    if kind == "update" and "is_active" in changes:
        return "reactivate" if changes["is_active"][1] else "deactivate"
    return kind


def _changes(obj: Any, spec: Audited, kind: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    keys = {c.key for c in state.mapper.primary_key}  # the entry names the row already (entity_id)
    out: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in SKIPPED or (key in keys and len(keys) == 1 and key == "id"):
            continue
        if kind == "update":
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
        else:
            value = state.dict.get(key)
            before, after = (None, value) if kind == "create" else (value, None)
        if kind == "create" and after is None:
            continue
        if kind == "update" and "geom" in key and _same_shape(before, after):
            continue
        out[key] = [_shown(key, before, spec), _shown(key, after, spec)]
    if kind == "update":  # an unchanged value set again is not a change (a new shape shows as the old one's words)
        out = {k: v for k, v in out.items() if v[0] != v[1] or k in spec.hidden or "geom" in k}
    return out


def _same_shape(before: Any, after: Any) -> bool:
    if before is None or after is None:
        return before is after
    try:
        return bool(to_shape(before).equals_exact(to_shape(after), 0))
    except Exception:  # noqa: BLE001 - a value the geometry reader does not know: count it as changed
        return False


def _shown(key: str, value: Any, spec: Audited) -> Any:
    if value is None:
        return None
    if key in spec.hidden:
        return HIDDEN
    if key in spec.masked:
        return mask_phone(str(value))
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool | list | dict):
        return value
    return "（地图形状）" if "geom" in key else str(value)  # a geometry's WKB is not for reading


def _entry(
    session: Session,
    obj: Any,
    spec: Audited,
    action: str,
    changes: dict[str, list[Any]],
    actor: tuple,
    areas: dict[int, dict[str, int | None]],
) -> dict[str, Any]:
    # The row's key from its columns: a new row has its id now but is registered in the session only after this.
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    key = ",".join(str(_shown("", v, spec)) for v in identity)
    label = next(
        (str(getattr(obj, a)) for a in ("name", "username", "title", "display_name") if getattr(obj, a, None)), ""
    )
    return {
        "at": utcnow(),
        "actor_id": actor[0],
        "actor_name": actor[1][:100],
        "action": action,
        "entity": spec.entity,
        "entity_id": key[:40],
        "label": label[:200],
        "changes": changes,
        **_area(session, obj, areas),
    }


def _area(session: Session, obj: Any, areas: dict[int, dict[str, int | None]]) -> dict[str, int | None]:
    """Whose log the entry is in: the object's district, street and community (an area is its own). `areas`
    keeps the grids' areas already looked up in this flush."""
    level = getattr(type(obj), "level", None)
    area = {f"{lv}_id": getattr(obj, f"{lv}_id", None) for lv in ("district", "street", "community")}
    if level in ("district", "street", "community"):
        area[f"{level}_id"] = obj.id
    grid_id = getattr(obj, "grid_id", None)
    if area["community_id"] is None and grid_id is not None:
        if grid_id not in areas:
            from wangge.hierarchy.models import Grid

            row = (
                session.connection()
                .execute(select(Grid.district_id, Grid.street_id, Grid.community_id).where(Grid.id == grid_id))
                .first()
            )
            areas[grid_id] = (
                {"district_id": row.district_id, "street_id": row.street_id, "community_id": row.community_id}
                if row is not None
                else area
            )
        area = dict(areas[grid_id])
    return area
