"""Pydantic bases shared by the domains: inputs reject unknown fields; outputs read from ORM objects.

Every integer column of the schema is a 32-bit INTEGER on PostgreSQL (and SQLite refuses integers past 64 bits),
so a number outside that range must be refused at the door, as a 422 naming the field, never reach the database
as a 500. `Id` says it for ids in paths, queries and bodies (and shows the bound in the OpenAPI); `Input` checks
every other integer a body carries. Dates likewise: a day in year 1 or 9999 overflows as soon as it is turned into
an instant in UTC or a week is added to it, so `Day` and `Instant` (paths and queries) and `Input` (bodies) keep
dates within 1900..2100.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

T = TypeVar("T")

DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1

Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
"""An id of a row: a positive 32-bit integer. Anything else can name no row: 422 before any query."""

YEAR_MIN, YEAR_MAX = 1900, 2100


def _out_of_range(value: Any) -> str | None:
    """What in `value` (at any depth) the database or the date arithmetic cannot take, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if DB_INT_MIN <= value <= DB_INT_MAX else f"an integer outside {DB_INT_MIN} .. {DB_INT_MAX}"
    if isinstance(value, (date, datetime)):
        return None if YEAR_MIN <= value.year <= YEAR_MAX else f"a date outside the years {YEAR_MIN} .. {YEAR_MAX}"
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple, set)) else ()
    return next((p for p in map(_out_of_range, items) if p), None)


def _in_years(value: date) -> date:
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise PydanticCustomError(
            "date_out_of_range", "Expected a date within the years {lo} .. {hi}", {"lo": YEAR_MIN, "hi": YEAR_MAX}
        )
    return value


Day = Annotated[date, AfterValidator(_in_years)]
Instant = Annotated[datetime, AfterValidator(_in_years)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _values_fit_the_database(cls, value: Any, info: ValidationInfo) -> Any:
        if problem := _out_of_range(value):
            raise PydanticCustomError(
                "out_of_range", "{field} holds {problem}", {"field": info.field_name, "problem": problem}
            )
        return value


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(Output, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class KeysetPage(Output, Generic[T]):
    """A page of a list read in keyset pages (after the last row seen, so a page costs the same however far down it
    is), with a count that stops at 1,000. A list subclasses it with its row, which names it in the OpenAPI."""

    items: list[T]
    total: int = Field(description="Counted up to 1,000: `total_exact` is false when more matched")
    total_exact: bool
    limit: int
    next_after: str | None = Field(
        description="Pass as `after`, with the rest of the query the same, for the next page"
    )
