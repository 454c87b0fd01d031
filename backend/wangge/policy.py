"""Which rows a caller may read: one statement per model, as a SQL condition.

Every list and every lookup of these models filters with `readable(subject, Model)`, so scope is decided in SQL
and in one place; a row outside it does not exist for the caller (404). The hierarchy's tables follow the area
rule of `accounts.scope.visible` (the caller's area and its ancestors); the others are written out below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, select, true

from wangge.accounts import scope
from wangge.accounts.models import Role, ScopeLevel, User
from wangge.accounts.scope import Subject
from wangge.audit.models import AuditEntry
from wangge.emergencies.models import Incident
from wangge.fieldwork.models import Leave, Patrol, Shift, SpecialResident
from wangge.hierarchy.models import Community, District, Grid, Street
from wangge.matters.models import Cooperator, Handoff, Matter
from wangge.preparedness.models import DutyDay, ReserveItem
from wangge.station.models import Hazard

GRID_STAFF = frozenset({Role.grid_leader.value, Role.grid_member.value})
# Who may read other people's patrols and tracks, within their scope.
TRACK_READERS = frozenset({Role.station_chief.value, Role.street_officer.value, Role.administrator.value})
# Who may read people data (leave, residents of special groups) at all, within their scope.
STAFF_READERS = GRID_STAFF | {Role.station_chief.value, Role.administrator.value, Role.street_officer.value}


def readable(subject: Subject, model: type) -> ColumnElement[bool]:
    """The rows of `model` that `subject` may read."""
    return RULES[model](subject)


def all_readable(subject: Subject, model: type, column: str, value: int | None) -> bool:
    """Whether `subject` may read every row of `model` whose `column` is `value` (so readable() adds nothing to a
    query that pins that column to that value). Matters only: an administrator's; those of the subject's own area
    (district, street, community or grid); a department officer's department's."""
    if model is not Matter or value is None:
        return False
    if subject.scope_level == ScopeLevel.system:
        return True
    if subject.role == Role.resident:
        return False
    if subject.role == Role.department_officer:
        return column == "holder_department_id" and value == subject.department_id
    area = subject.area_level
    return area is not None and column == f"{area}_id" and value == getattr(subject, column)


def _covered_grids(subject: Subject) -> Any:
    """The grids a grid leader covers now for an A/B partner on leave (fieldwork.people holds the duty rule)."""
    from wangge.fieldwork.people import covered_grid_ids

    return covered_grid_ids(subject.user_id)


def _grid_ids(subject: Subject) -> Any:
    return select(Grid.id).where(scope.visible(subject, Grid, "grid"))


# --- matters and incidents -------------------------------------------------------------------------------------


def _matters(subject: Subject) -> ColumnElement[bool]:
    """Their area's matters, plus those they own or reported; a department officer what was handed to their
    department; a resident account only their own reports; a grid leader also the matters of the grids they cover
    now for an A/B partner on leave."""
    if subject.scope_level == ScopeLevel.system:
        return true()
    mine = or_(Matter.owner_id == subject.user_id, Matter.reported_by_id == subject.user_id)
    if subject.role == Role.resident:
        return Matter.reported_by_id == subject.user_id
    if subject.role == Role.department_officer:
        handed = exists().where(Handoff.matter_id == Matter.id, Handoff.to_department_id == subject.department_id)
        convened = exists().where(
            Cooperator.matter_id == Matter.id, Cooperator.department_id == subject.department_id
        )  # 协办: convened to co-operate on it
        return or_(Matter.holder_department_id == subject.department_id, handed, convened, mine)
    area = subject.area_level
    if area is None:
        return false()
    return or_(getattr(Matter, f"{area}_id") == getattr(subject, f"{area}_id"), matters_beyond_area(subject))


def matters_beyond_area(subject: Subject) -> ColumnElement[bool]:
    """What readable() adds to the area of someone who has one (not a system administrator, a resident or a
    department officer): the matters they own or reported, and a grid leader's the grids they cover now."""
    mine = or_(Matter.owner_id == subject.user_id, Matter.reported_by_id == subject.user_id)
    if subject.role == Role.grid_leader:  # only leaders cover; one condition with a subquery
        mine = or_(mine, Matter.grid_id.in_(_covered_grids(subject)))
    return mine


def _incidents(subject: Subject) -> ColumnElement[bool]:
    """Incidents in the caller's area, plus those they raised; residents none."""
    if subject.role == Role.resident:
        return false()
    if subject.scope_level == ScopeLevel.system:
        return true()
    area = subject.area_level
    if area is None:
        return Incident.raised_by_id == subject.user_id
    return or_(
        getattr(Incident, f"{area}_id") == getattr(subject, f"{area}_id"), Incident.raised_by_id == subject.user_id
    )


def _hazards(subject: Subject) -> ColumnElement[bool]:
    """The hazard ledgers of the communities in the caller's area (and of its own community, for grid staff)."""
    return Hazard.community_id.in_(select(Community.id).where(scope.visible(subject, Community, "community")))


# --- people and field work -------------------------------------------------------------------------------------


def _patrols(subject: Subject) -> ColumnElement[bool]:
    """Their own patrols, and (station chief and above) those of the grids in their scope."""
    mine = Patrol.user_id == subject.user_id
    if subject.role not in TRACK_READERS:
        return mine
    return or_(mine, Patrol.grid_id.in_(_grid_ids(subject)))


def _leaves(subject: Subject) -> ColumnElement[bool]:
    """A grid leader's own leaves; the station chief and above those of the grids in their scope."""
    if subject.role in GRID_STAFF:
        return Leave.user_id == subject.user_id
    if subject.role in (Role.station_chief, Role.administrator, Role.street_officer):
        return Leave.grid_id.in_(_grid_ids(subject))
    return false()


def _shifts(subject: Subject) -> ColumnElement[bool]:
    """A leader's own shifts, the station chief's community's leaders', an administrator's area's leaders'."""
    if subject.role == Role.grid_leader:
        return Shift.user_id == subject.user_id
    if subject.role == Role.station_chief:
        return Shift.user_id.in_(select(User.id).where(User.community_id == subject.community_id))
    if subject.role in (Role.administrator, Role.street_officer):
        if subject.scope_level == ScopeLevel.system:
            return true()
        area = subject.area_level
        if area is None:
            return false()
        column = getattr(User, f"{area}_id")
        return Shift.user_id.in_(select(User.id).where(column == getattr(subject, f"{area}_id")))
    return false()


def _special_residents(subject: Subject) -> ColumnElement[bool]:
    """Special-group residents of the grids in scope; a grid leader also those of the grids they cover now."""
    if subject.role not in STAFF_READERS:
        return false()
    in_scope = SpecialResident.grid_id.in_(_grid_ids(subject))
    if subject.role == Role.grid_leader:
        return or_(in_scope, SpecialResident.grid_id.in_(_covered_grids(subject)))
    return in_scope


def _audit_entries(subject: Subject) -> ColumnElement[bool]:
    """Administrators read the log of their own area (a system administrator all of it, including the changes
    that belong to no area, such as categories and the calendar)."""
    if subject.role != Role.administrator:
        return false()
    if subject.scope_level == ScopeLevel.system:
        return true()
    area = subject.area_level
    if area not in ("district", "street", "community"):
        return false()
    return getattr(AuditEntry, f"{area}_id") == getattr(subject, f"{area}_id")


def _preparedness(model: Any) -> Callable[[Subject], ColumnElement[bool]]:
    """Supplies in reserve and duty rosters: a station's are read by its community's station chief and grid leaders, a
    street's (and its communities') by the street's officers; administrators their area's. Others none."""

    def rule(subject: Subject) -> ColumnElement[bool]:
        if subject.scope_level == ScopeLevel.system:
            return true()
        if subject.role == Role.grid_leader:
            return model.community_id == subject.community_id
        if subject.role not in (Role.station_chief, Role.street_officer, Role.administrator):
            return false()
        area = subject.area_level
        if area not in ("district", "street", "community"):
            return false()
        return getattr(model, f"{area}_id") == getattr(subject, f"{area}_id")

    return rule


# --- the rulebook ----------------------------------------------------------------------------------------------

RULES: dict[type, Callable[[Subject], ColumnElement[bool]]] = {
    District: lambda subject: scope.visible(subject, District, "district"),
    Street: lambda subject: scope.visible(subject, Street, "street"),
    Community: lambda subject: scope.visible(subject, Community, "community"),
    Grid: lambda subject: scope.visible(subject, Grid, "grid"),
    Matter: _matters,
    Incident: _incidents,
    Hazard: _hazards,
    Patrol: _patrols,
    Leave: _leaves,
    Shift: _shifts,
    SpecialResident: _special_residents,
    AuditEntry: _audit_entries,
    ReserveItem: _preparedness(ReserveItem),
    DutyDay: _preparedness(DutyDay),
}
