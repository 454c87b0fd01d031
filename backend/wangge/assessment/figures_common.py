"""The shapes every family of figures returns (docs/assessment.md): a rate with its numerator and denominator, a
duration in working hours, and the unit column a level's rows are grouped by."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def rate(num: int | None, den: int | None) -> dict[str, Any]:
    """{"num", "den", "value"}: value rounded to 4 places, null when nothing was counted."""
    n, d = int(num or 0), int(den or 0)
    return {"num": n, "den": d, "value": round(n / d, 4) if d else None}


def duration(hours: Sequence[float]) -> dict[str, Any]:
    """{"n", "avg", "p90"} in working hours, 1 decimal; p90 by nearest rank (the smallest value that at least 90 %
    of the values do not exceed)."""
    if not hours:
        return {"n": 0, "avg": None, "p90": None}
    ordered = sorted(hours)
    p90 = ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]
    return {"n": len(ordered), "avg": round(sum(ordered) / len(ordered), 1), "p90": round(p90, 1)}


def is_rate(value: Any) -> bool:
    return isinstance(value, dict) and "num" in value and "den" in value
