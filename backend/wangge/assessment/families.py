"""The families of figures a unit's figures are made of, each `figures(db, *, level, unit_ids, start, end)`
(assessment contract). Append a family at the END of the list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from wangge.assessment import emergency_figures, field_figures, hazard_figures, matter_figures

Family = Callable[..., Awaitable[dict[int, dict[str, Any]]]]

FAMILIES: list[Family] = [
    matter_figures.figures,
    field_figures.figures,
    hazard_figures.figures,
    emergency_figures.figures,
]
