"""Login (OAuth2 password flow), refresh, logout, the caller's own account, and user administration."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status

from wangge.accounts import imports, schemas, service, signin
from wangge.accounts.dependencies import CurrentSubject, SubjectChangingPassword, UserManager
from wangge.deps import Limit, Offset, SessionDep, SettingsDep
from wangge.errors import Unauthorized
from wangge.imports import XLSX, XLSX_RESPONSES, bulk, template_response_headers, upload_bytes
from wangge.schemas_common import Id

router = APIRouter()


@router.post("/auth/token", response_model=schemas.TokenOut, tags=["Auth"])
async def token(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
) -> dict[str, Any]:
    """Sign in with username and password (OAuth2 password flow, form-encoded). Wrong passwords are throttled
    per account (growing waits) and per client address: 429 with Retry-After (docs/throttling.md)."""
    limiter = request.app.state.throttle
    client = limiter.client(request)
    await signin.check_address(limiter, client)
    await signin.reserve(db, settings, username)
    try:
        tokens = await service.login(db, settings, request.app.state.passwords, username, password)
    except Unauthorized as exc:
        if exc.code == "invalid-credentials":
            await signin.failed_address(limiter, client)
        else:  # the password was right (the account is deactivated): not a wrong guess
            await db.rollback()
            await signin.succeeded(db, username)
        raise
    await signin.succeeded(db, username)
    return tokens


@router.post("/auth/refresh", response_model=schemas.TokenOut, tags=["Auth"])
async def refresh(db: SessionDep, settings: SettingsDep, data: schemas.RefreshIn) -> dict[str, Any]:
    return await service.refresh(db, settings, data.refresh_token)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, tags=["Auth"])
async def logout(db: SessionDep, subject: SubjectChangingPassword) -> Response:
    await service.logout(db, subject)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/auth/me", response_model=schemas.UserOut, tags=["Auth"])
async def me(db: SessionDep, subject: SubjectChangingPassword) -> dict[str, Any]:
    """The caller's own account; answered also while they must change their password (must_change_password)."""
    return await service.user_out(db, await service.get_user(db, subject, subject.user_id), subject)


@router.patch("/auth/me", response_model=schemas.UserOut, tags=["Auth"])
async def update_me(db: SessionDep, subject: SubjectChangingPassword, data: schemas.MeUpdate) -> dict[str, Any]:
    """Change one's own choices: the language of one's notifications and of the server's messages when a request
    names none in Accept-Language (`language`), and whether one's own phone may show on the public pages 亮证
    (`phone_public`; the grid's duty number comes first). Any signed-in person; audited."""
    return await service.user_out(db, await service.update_me(db, subject=subject, data=data), subject)


@router.post("/auth/password", response_model=schemas.UserOut, tags=["Auth"])
async def change_password(
    request: Request, db: SessionDep, subject: SubjectChangingPassword, data: schemas.PasswordChange
) -> dict[str, Any]:
    """Change one's own password (the current one is asked for). Ends the caller's other sessions; clears the
    obligation to change a password an administrator reset."""
    passwords = request.app.state.passwords
    user = await service.change_own_password(db, subject, passwords, data.current_password, data.new_password)
    return await service.user_out(db, user, subject)


@router.get(
    "/users/import/template.xlsx",
    response_class=Response,
    responses=XLSX_RESPONSES,
    tags=["Users"],
)
async def import_template(subject: UserManager) -> Response:
    """The Excel template of a users' list: Chinese headers, an example row, and a sheet that explains the columns."""
    return Response(imports.template(), media_type=XLSX, headers=template_response_headers("用户导入.xlsx"))


@router.post("/users/import", response_model=schemas.UserImportReport, tags=["Users"])
async def import_users(
    request: Request,
    db: SessionDep,
    subject: UserManager,
    file: Annotated[UploadFile, File(description="The filled template (.xlsx)")],
    apply: Annotated[bool, Query(description="false: check and preview; true: create the new rows' users")] = False,
) -> dict[str, Any]:
    """Users from an Excel file: every row checked (new, same as already there, or wrong and why). With apply=true
    the new ones are created, all or nothing (422 `import-rejected` with the report while any row is wrong); the
    same file applied again creates nothing. Imported users change their password at first sign-in."""
    content = await upload_bytes(file)
    with bulk():
        rows = await imports.check(db, subject, content)
        return await imports.apply(db, subject, request.app.state.passwords, rows, apply=apply)


@router.get("/users", response_model=schemas.Page[schemas.UserOut], tags=["Users"])
async def list_users(
    db: SessionDep,
    subject: UserManager,
    limit: Limit = 100,
    offset: Offset = 0,
    role: Annotated[schemas.Role | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=64, description="Part of the username or the name")] = None,
    active: Annotated[bool | None, Query(description="Only active (true) or deactivated (false) users")] = None,
) -> dict[str, Any]:
    rows, total = await service.list_users(
        db, subject, limit=limit, offset=offset, role=role.value if role else None, q=q, active=active
    )
    return {
        "items": await service.users_out(db, rows, subject),
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.post("/users", response_model=schemas.UserOut, status_code=201, tags=["Users"])
async def create_user(
    request: Request, db: SessionDep, subject: UserManager, data: schemas.UserCreate
) -> dict[str, Any]:
    user = await service.create_user(db, subject, request.app.state.passwords, data)
    return await service.user_out(db, user, subject)


@router.get("/users/{user_id}", response_model=schemas.UserOut, tags=["Users"])
async def get_user(db: SessionDep, subject: CurrentSubject, user_id: Id) -> dict[str, Any]:
    return await service.user_out(db, await service.get_user(db, subject, user_id), subject)


@router.patch("/users/{user_id}", response_model=schemas.UserOut, tags=["Users"])
async def update_user(
    request: Request, db: SessionDep, subject: UserManager, user_id: Id, data: schemas.UserUpdate
) -> dict[str, Any]:
    user = await service.update_user(db, subject, request.app.state.passwords, user_id, data)
    return await service.user_out(db, user, subject)


@router.post("/users/{user_id}/deactivate", response_model=schemas.UserOut, tags=["Users"])
async def deactivate_user(db: SessionDep, subject: UserManager, user_id: Id) -> dict[str, Any]:
    return await service.user_out(db, await service.deactivate_user(db, subject, user_id), subject)


@router.post("/users/{user_id}/reactivate", response_model=schemas.UserOut, tags=["Users"])
async def reactivate_user(db: SessionDep, subject: UserManager, user_id: Id) -> dict[str, Any]:
    return await service.user_out(db, await service.reactivate_user(db, subject, user_id), subject)


@router.post("/users/{user_id}/reset-password", response_model=schemas.PasswordReset, tags=["Users"])
async def reset_password(request: Request, db: SessionDep, subject: UserManager, user_id: Id) -> dict[str, Any]:
    """A new temporary password, answered once: the user must change it at their next sign-in, and their
    sessions end now."""
    user, password = await service.reset_password(db, subject, request.app.state.passwords, user_id)
    return {"temporary_password": password, "user": await service.user_out(db, user, subject)}
