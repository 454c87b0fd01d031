"""Pydantic bases shared by the domains: inputs reject unknown fields; outputs read from ORM objects.

Every integer column of the schema is a 32-bit INTEGER on PostgreSQL (and SQLite refuses integers past 64 bits),
so a number outside that range must be refused at the door, as a 422 naming the field, never reach the database
as a 500. `Id` says it for ids in paths, queries and bodies (and shows the bound in the OpenAPI); `Input` checks
every other integer a body carries.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

T = TypeVar("T")

DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1

Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
"""An id of a row: a positive 32-bit integer. Anything else can name no row: 422 before any query."""


def _ints_out_of_range(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not DB_INT_MIN <= value <= DB_INT_MAX
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_ints_out_of_range(v) for v in value)
    if isinstance(value, dict):
        return any(_ints_out_of_range(v) for v in value.values())
    return False


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _integers_fit_the_database(cls, value: Any, info: ValidationInfo) -> Any:
        if _ints_out_of_range(value):
            raise PydanticCustomError(
                "int_out_of_range",
                "{field} holds an integer outside the range the database stores ({lo} to {hi})",
                {"field": info.field_name, "lo": DB_INT_MIN, "hi": DB_INT_MAX},
            )
        return value


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(Output, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
