"""Assessment schemes 考核方案: which rates earn how many of the 100 points, what is deducted (overdue items…), the
grade bands and the least matters a unit needs to be graded. Versioned per street: a change is the next version,
in force from the first day of a month; a month is scored with the version in force on its first day (the street's
newest with effective_from <= that day, else the district-wide default's, else the built-in 三率 30/35/35)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.scope import Subject, sees_path, within_area
from wangge.assessment.figures_common import is_rate
from wangge.assessment.models import AssessmentResult, AssessmentScheme
from wangge.assessment.schemas import SchemeIn, SchemeRules
from wangge.errors import Forbidden, Invalid, NotFound
from wangge.hierarchy.models import Street
from wangge.models_common import utcnow

DEFAULT_RULES: dict[str, Any] = {
    "indicators": [
        {"key": "response_rate", "weight": 30},
        {"key": "resolution_rate", "weight": 35},
        {"key": "satisfaction_rate", "weight": 35},
    ],
    "deductions": [{"key": "overdue", "points": 1, "max": 10}],
    "green": 90,
    "yellow": 75,
    "min_count": 5,
}
# The rates a scheme may weigh (higher is better) and the counts it may deduct for (lower is better).
RATE_KEYS = (
    "response_rate",
    "on_time_rate",
    "resolution_rate",
    "satisfaction_rate",
    "patrol_coverage",
    "log_days",
    "visit_rate",
    "hazards_fixed_on_time",
    "first_report_on_time",
    "follow_ups_on_time",
    "muster_on_time",
)
COUNT_KEYS = ("overdue", "hazards_overdue")


@dataclass(frozen=True)
class Scheme:
    """The scheme a period is scored with: a stored version, or the built-in default (id None, version 0)."""

    id: int | None
    version: int
    street_id: int | None
    effective_from: date
    rules: dict[str, Any]
    created_by: int | None = None
    created_at: Any = None

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "street_id": self.street_id}

    def out(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "street_id": self.street_id,
            "version": self.version,
            "effective_from": self.effective_from,
            "rules": self.rules,
            "created_by": self.created_by,
            "created_at": self.created_at,
        }


BUILT_IN = Scheme(None, 0, None, date(2000, 1, 1), DEFAULT_RULES)


def _of(row: AssessmentScheme) -> Scheme:
    return Scheme(row.id, row.version, row.street_id, row.effective_from, row.rules, row.created_by_id, row.created_at)


def check_rules(rules: SchemeRules) -> None:
    """422 with a stable code when the rules cannot score: weights not summing to 100, unknown keys, bands upside
    down."""
    keys = [i.key for i in rules.indicators]
    unknown = [k for k in keys if k not in RATE_KEYS] + [d.key for d in rules.deductions if d.key not in COUNT_KEYS]
    if unknown:
        raise Invalid(
            f"Unknown indicator(s): {', '.join(unknown)}",
            code="scheme-indicator",
            errors=[{"loc": ["body", "rules"], "msg": f"unknown: {', '.join(unknown)}", "type": "value_error"}],
        )
    if len(set(keys)) != len(keys):
        raise Invalid(
            "An indicator is weighed twice",
            code="scheme-indicator",
            errors=[{"loc": ["body", "rules", "indicators"], "msg": "repeated", "type": "value_error"}],
        )
    total = sum(i.weight for i in rules.indicators)
    if abs(total - 100) > 1e-6:
        raise Invalid(
            f"The weights sum to {total:g}, not 100",
            code="scheme-weights",
            params={"total": f"{total:g}"},
            errors=[{"loc": ["body", "rules", "indicators"], "msg": "weights must sum to 100", "type": "value_error"}],
        )
    if rules.yellow > rules.green:
        raise Invalid(
            "The yellow band starts above the green one",
            code="scheme-bands",
            errors=[{"loc": ["body", "rules", "yellow"], "msg": "at most green", "type": "value_error"}],
        )


async def in_force(db: AsyncSession, *, street_id: int | None, month: date) -> Scheme:
    """The version scoring `month` (any day of it: its first day decides) for a unit of `street_id`."""
    first = month.replace(day=1)
    streets = [AssessmentScheme.street_id.is_(None)]
    if street_id is not None:
        streets.append(AssessmentScheme.street_id == street_id)
    rows = (
        (
            await db.execute(
                select(AssessmentScheme)
                .where(or_(*streets), AssessmentScheme.effective_from <= first)
                .order_by(AssessmentScheme.effective_from.desc(), AssessmentScheme.version.desc())
            )
        )
        .scalars()
        .all()
    )
    own = [r for r in rows if r.street_id is not None]
    if own:
        return _of(own[0])
    return _of(rows[0]) if rows else BUILT_IN


async def in_force_many(db: AsyncSession, *, street_ids: Sequence[int | None], month: date) -> dict[int | None, Scheme]:
    """`in_force` for several streets with one query."""
    first = month.replace(day=1)
    wanted = {s for s in street_ids if s is not None}
    rows = (
        (
            await db.execute(
                select(AssessmentScheme)
                .where(
                    or_(AssessmentScheme.street_id.is_(None), AssessmentScheme.street_id.in_(wanted or {0})),
                    AssessmentScheme.effective_from <= first,
                )
                .order_by(AssessmentScheme.effective_from.desc(), AssessmentScheme.version.desc())
            )
        )
        .scalars()
        .all()
    )
    default = next((_of(r) for r in rows if r.street_id is None), BUILT_IN)
    out: dict[int | None, Scheme] = {None: default}
    for s in wanted:
        out[s] = next((_of(r) for r in rows if r.street_id == s), default)
    return out


async def readable_street(db: AsyncSession, subject: Subject, street_id: int | None) -> None:
    """404 unless the subject's scope holds the street or lies within it (a chief reads their street's scheme)."""
    if street_id is None:
        return
    street = await db.get(Street, street_id)
    if street is None or not (
        subject.scope_level == "system"
        or sees_path(subject, "street", {"district_id": street.district_id, "street_id": street.id})
    ):
        raise NotFound(f"No street {street_id} in your scope", code="assessment-unit-not-found")


async def list_schemes(db: AsyncSession, *, subject: Subject, street_id: int | None) -> list[dict[str, Any]]:
    """Every version of the street's scheme (or of the default), newest first."""
    await readable_street(db, subject, street_id)
    cond = AssessmentScheme.street_id.is_(None) if street_id is None else AssessmentScheme.street_id == street_id
    rows = (await db.execute(select(AssessmentScheme).where(cond).order_by(AssessmentScheme.version.desc()))).scalars()
    return [_of(r).out() for r in rows]


async def create(db: AsyncSession, *, subject: Subject, data: SchemeIn) -> dict[str, Any]:
    """The next version of the street's scheme (administrators: the route requires it)."""
    check_rules(data.rules)
    if data.effective_from.day != 1:
        raise Invalid(
            "A scheme takes effect on the first day of a month",
            code="scheme-effective-from",
            errors=[{"loc": ["body", "effective_from"], "msg": "the first day of a month", "type": "value_error"}],
        )
    if data.street_id is None:
        if subject.area_level not in (None, "district"):
            raise Forbidden(
                "The district-wide default is set by an administrator of the district", code="scheme-default"
            )
    else:
        street = await db.get(Street, data.street_id)
        if street is None or not within_area(
            subject, "street", {"district_id": street.district_id, "street_id": street.id}
        ):
            raise NotFound(f"No street {data.street_id} in your scope", code="assessment-unit-not-found")
    frozen = select(AssessmentResult.month).where(AssessmentResult.month >= data.effective_from).limit(1)
    if (await db.execute(frozen)).first() is not None:
        raise Invalid(
            "That month is already frozen with the scheme that scored it: a new version takes effect from a month "
            "not frozen yet",
            code="scheme-month-frozen",
            errors=[{"loc": ["body", "effective_from"], "msg": "a month not frozen yet", "type": "value_error"}],
        )
    cond = (
        AssessmentScheme.street_id.is_(None) if data.street_id is None else AssessmentScheme.street_id == data.street_id
    )
    last = (await db.execute(select(func.max(AssessmentScheme.version)).where(cond))).scalar_one_or_none() or 0
    row = AssessmentScheme(
        street_id=data.street_id,
        version=last + 1,
        effective_from=data.effective_from,
        rules=data.rules.model_dump(mode="json"),
        created_by_id=subject.user_id,
        created_at=utcnow(),
    )
    db.add(row)
    await db.commit()
    return _of(row).out()


def score(rules: dict[str, Any], figures: dict[str, Any]) -> tuple[float | None, str | None]:
    """(score out of 100, grade): each weighed rate earns weight × value; a rate with nothing to count (den 0)
    leaves the score, whose weights are then scaled back to 100; each deduction takes points per unit of its count,
    at most `max`; never below 0. None, None when fewer than min_count matters were received, or no rate counted."""
    if int(figures.get("received") or 0) < int(rules.get("min_count", 0)):
        return None, None
    earned = weights = 0.0
    for ind in rules.get("indicators", []):
        value = figures.get(ind["key"])
        if is_rate(value) and value.get("den"):
            earned += float(ind["weight"]) * value["num"] / value["den"]  # exact, not the rounded value
            weights += float(ind["weight"])
    if weights == 0:
        return None, None
    total = earned * 100 / weights
    for d in rules.get("deductions", []):
        count = figures.get(d["key"])
        if isinstance(count, int):
            total -= min(float(d["points"]) * count, float(d["max"]))
    total = round(max(total, 0.0), 2)
    grade = "green" if total >= rules.get("green", 90) else "yellow" if total >= rules.get("yellow", 75) else "red"
    return total, grade
