"""API shapes of accounts and login."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from wangge.accounts.models import Role, ScopeLevel
from wangge.imports import ImportReport, ImportRow
from wangge.messages import Language
from wangge.schemas_common import Id, Input, Output, Page  # noqa: F401 - routers use schemas.Page

Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{3,64}$")]
Password = Annotated[str, StringConstraints(min_length=8, max_length=256, strip_whitespace=False)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{5,20}$")]


class TokenOut(Output):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class RefreshIn(Input):
    refresh_token: Annotated[str, StringConstraints(min_length=10, max_length=200)]


class ScopeOut(Output):
    level: ScopeLevel
    id: int | None
    name: str
    code: str | None


class UserOut(Output):
    id: int
    username: str
    display_name: str
    phone: str | None
    phone_public: bool = Field(False, description="The person allows their own phone on the public pages (亮证)")
    role: Role
    scope: ScopeOut
    is_active: bool
    must_change_password: bool = False
    permissions: list[str] = Field(default_factory=list)
    language: Language = Field("zh-CN", description="The language of the user's notifications and messages")


class UserCreate(Input):
    username: Username
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    phone: Phone | None = None
    phone_public: bool = Field(False, description="Allow this phone on the public pages (亮证)")
    password: Password
    role: Role
    scope_level: ScopeLevel
    scope_id: Id | None = Field(None, description="Id of the scope object; empty only for the system scope")
    must_change_password: bool = Field(False, description="The user must choose their own password at first sign-in")


class UserUpdate(Input):
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    phone: Phone | None = None
    phone_public: bool | None = Field(None, description="Allow this phone on the public pages (亮证)")
    password: Password | None = None
    role: Role | None = None
    scope_level: ScopeLevel | None = None
    scope_id: Id | None = None


class MeUpdate(Input):
    """What a person changes about their own account on 我的."""

    phone_public: bool | None = Field(None, description="Allow my own phone on the public pages (亮证)")
    language: Language | None = Field(None, description="zh-CN or en: notifications and messages follow it")


class UserImportRow(ImportRow):
    """A row of a users' file; `problems` codes: username-invalid, username-repeated, username-taken,
    name-required, phone-invalid, role-unknown, scope-unknown, scope-outside, password-short."""

    username: str
    display_name: str
    role: str
    scope_code: str


class UserImportReport(ImportReport):
    rows: list[UserImportRow]  # type: ignore[assignment]


class PasswordReset(Output):
    temporary_password: str = Field(description="Shown once: give it to the user, who must change it at sign-in")
    user: UserOut


class PasswordChange(Input):
    current_password: Annotated[str, StringConstraints(max_length=256)]
    new_password: Password
