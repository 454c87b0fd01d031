"""Response and request models of the assessment API (the shapes of /work/prof/asm_contract.md, docs/assessment.md).

Figures are a mapping of indicator key to value: a count (int), a rate ({num, den, value}), a duration in working
hours ({n, avg, p90}) or a breakdown ({key: count})."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

Grade = Literal["green", "yellow", "red"]
Figures = dict[str, Any]


class Rate(BaseModel):
    num: int
    den: int
    value: float | None = Field(description="num/den rounded to 4 places; null when den is 0")


class Duration(BaseModel):
    n: int
    avg: float | None = Field(description="Working hours, 1 decimal")
    p90: float | None = Field(description="Working hours, 1 decimal (nearest rank)")


class UnitRef(BaseModel):
    level: str
    id: int
    name: str


class PeriodOut(BaseModel):
    kind: str
    start: date
    end: date = Field(description="The last day (inclusive), Beijing")
    label: str
    label_en: str


class SchemeRef(BaseModel):
    id: int | None = Field(description="null: the built-in default (三率 30/35/35), never stored")
    version: int
    street_id: int | None


class Compare(BaseModel):
    period: PeriodOut
    figures: Figures
    score: float | None


class UnitFigures(BaseModel):
    unit: UnitRef
    period: PeriodOut
    frozen: bool = Field(description="A closed month served from the results stored when it was frozen")
    scheme: SchemeRef | None
    figures: Figures
    score: float | None
    grade: Grade | None
    previous: Compare
    last_year: Compare


class TableRow(BaseModel):
    unit: UnitRef
    figures: Figures
    score: float | None
    grade: Grade | None
    rank: int | None = Field(description="Within the parent; ties share a rank (1, 1, 3); null without a score")


class Table(BaseModel):
    period: PeriodOut
    scheme: SchemeRef | None
    rows: list[TableRow]


class TrendPoint(BaseModel):
    period: PeriodOut
    figures: Figures


class CategoryRow(BaseModel):
    code: str
    name: str
    received: int
    resolved: int
    overdue: int


class SourceRow(BaseModel):
    source: str
    received: int


class OverdueItem(BaseModel):
    id: int
    tracking_code: str
    category: str
    holder_level: str
    due_at: datetime
    overdue_hours: float = Field(description="Working hours past the deadline, 1 decimal")


class MapCell(BaseModel):
    lat: float
    lon: float
    count: int


class Dashboard(BaseModel):
    figures: UnitFigures
    trend: list[TrendPoint]
    by_category: list[CategoryRow]
    by_source: list[SourceRow]
    most_overdue: list[OverdueItem]
    map: list[MapCell]
    children: list[TableRow]


class Rank(BaseModel):
    rank: int | None
    of: int


class MyMonth(BaseModel):
    period: PeriodOut
    leader: Figures
    grids: list[UnitFigures]
    rank: Rank


# --- schemes ------------------------------------------------------------------------------------------------------


class Indicator(BaseModel):
    key: str = Field(min_length=1, max_length=40)
    weight: float = Field(gt=0, le=100)


class Deduction(BaseModel):
    key: str = Field(min_length=1, max_length=40)
    points: float = Field(gt=0, le=100)
    max: float = Field(gt=0, le=100)


class SchemeRules(BaseModel):
    indicators: list[Indicator] = Field(min_length=1, max_length=30)
    deductions: list[Deduction] = Field(default_factory=list, max_length=20)
    green: float = Field(90, ge=0, le=100)
    yellow: float = Field(75, ge=0, le=100)
    min_count: int = Field(5, ge=0, le=100_000)


class SchemeIn(BaseModel):
    street_id: int | None = Field(None, ge=1, le=2_147_483_647, description="null: the district-wide default")
    effective_from: date = Field(description="The first day of the first month it scores")
    rules: SchemeRules


class SchemeOut(BaseModel):
    id: int | None
    street_id: int | None
    version: int
    effective_from: date
    rules: SchemeRules
    created_by: int | None
    created_at: datetime | None
