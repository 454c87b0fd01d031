"""Errors as RFC 9457 problem details (application/problem+json), for every 4xx and 5xx the service sends. Their
`detail` is in the request's language (wangge.messages: Accept-Language, else the user's, else Chinese)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from wangge import messages
from wangge.messages import Language

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://wangge.dev/problems/"
log = logging.getLogger("wangge.errors")


class DomainError(Exception):
    """An error the domain raises; it knows its status and renders as a problem. `detail` is the English detail
    (with its specifics), or the detail in every language (a messages.Text: then it is the detail sent, in the
    request's language, also for a generic code); `params` fill the named fields of the code's templates
    (wangge.messages.PROBLEMS) in every language, beside the problem's own members (`extra`, sent in the body). A
    field error's `msg` may be a Text too."""

    status: int = 400
    code: str = "bad-request"
    texts: messages.Text | None = None

    def __init__(
        self,
        detail: str | messages.Text,
        *,
        status: int | None = None,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
        **extra: Any,
    ):
        if isinstance(detail, dict):
            self.texts = detail
            detail = detail["en"]
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.params = dict(params or {})
        self.extra = extra


class NotFound(DomainError):
    status = 404
    code = "not-found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Invalid(DomainError):
    """A well-formed request the domain cannot accept (a polygon that self-intersects, a code that does not
    match its parent). `errors` lists what was wrong, each naming where."""

    status = 422
    code = "invalid"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Unavailable(DomainError):
    """The service is momentarily out of a shared resource (database connections); the client may retry."""

    status = 503
    code = "busy"


def unreachable(exc: BaseException) -> DomainError | None:
    """503 `database-unavailable` for an error that means the database (or the replica) could not be reached: the
    connection was refused or dropped, or the server is starting or shutting down; None for any other error."""
    if isinstance(exc, sa_exc.DBAPIError):
        state = _sqlstate(exc.orig) or ""
        if not (
            exc.connection_invalidated
            or isinstance(exc.orig, ConnectionError)
            or (state[:2] in _PG_UNAVAILABLE and state != "57014")
        ):
            return None
    elif not isinstance(exc, ConnectionError):
        return None
    return Unavailable(
        "The database cannot be reached just now; retry in a moment",
        code="database-unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


# --- database errors that mean "someone else wrote first" -----------------------------------------------------

# PostgreSQL: serialization_failure, deadlock_detected, unique_violation, foreign_key_violation, lock_not_available.
_PG_CONFLICTS = {"40001", "40P01", "23505", "23503", "55P03"}
# PostgreSQL: the connection failed (class 08), or the server is shutting down or not yet accepting (class 57P0x
# is "operator intervention"; 57014, a cancelled statement, is not among them).
_PG_UNAVAILABLE = {"08", "57"}
# SQLite: another writer held the database past the busy timeout, or its commit made this snapshot stale.
_SQLITE_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
RETRY_AFTER_SECONDS = 1


def _sqlstate(orig: Any) -> str | None:
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def write_conflict(exc: BaseException) -> DomainError | None:
    """The domain error for a database error that means a concurrent request changed the same rows first (a
    stale version, a unique key taken, a serialization failure, a deadlock), or that the service is out of room
    for the moment (the connection pool exhausted, SQLite's "database is locked" past its busy timeout: other
    writers held the single write lock that long, so this is load, not a conflict over the same rows: 503 `busy`);
    None for any other error. One mapping for every route."""
    if isinstance(exc, StaleDataError):
        return Conflict(
            "The record was changed by someone else at the same moment; reload it and retry", code="edit-conflict"
        )
    busy = Unavailable("The service is busy; retry in a moment", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(exc, sa_exc.TimeoutError):  # QueuePool: no connection within pool_timeout
        return busy
    if isinstance(exc, sa_exc.DBAPIError):
        orig = exc.orig
        name = str(getattr(orig, "sqlite_errorname", "") or "")
        if name.startswith(_SQLITE_BUSY):
            return busy
        state = _sqlstate(orig)
        if state in _PG_CONFLICTS or (
            isinstance(exc, sa_exc.IntegrityError)
            and name.startswith(
                ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_FOREIGNKEY")
            )
        ):
            return Conflict(
                "Another request changed the same data at the same moment; reload and retry",
                code="write-conflict",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
    return None


# Codes for statuses whose reason phrase changed between Python versions (3.13 says "Content Too Large"), so that a
# problem's code does not depend on the interpreter.
_STATUS_CODES = {413: "payload-too-large"}


def scope_language(scope: Scope) -> Language:
    """The language of an ASGI request (for the problems middleware answers, outside any route)."""
    header = dict(scope.get("headers") or ()).get(b"accept-language", b"")
    return messages.request_language(header.decode("latin-1"))


def request_language(request: Request) -> Language:
    return messages.request_language(request.headers.get("accept-language"))


def problem(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    language: Language | None = None,
    params: Mapping[str, Any] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem response. With a `language`, its detail is the code's message in that language (the English
    `detail` given is kept in English); without one, `detail` as given."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    code = code or _STATUS_CODES.get(status) or phrase.lower().replace(" ", "-")
    if language is not None:
        detail = messages.detail(code, language, given=detail, fields={**extra, **(params or {})})
    # `code` repeats the last segment of `type` (an RFC 9457 extension member): the app looks its own translated
    # message up by it (errors.codes.<code> in frontend/src/i18n).
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "code": code,
        "title": title or phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if not (k == "instance" and v is None)})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _location(loc: tuple[Any, ...] | list[Any]) -> list[str]:
    return [str(part) for part in loc]


# Codes that say only what kind of refusal it was: their field errors say what was wrong.
GENERIC = frozenset({"bad-request", "conflict", "invalid", "validation-error"})


def validation_errors(exc: RequestValidationError, language: Language = "en") -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        kind = err.get("type", "")
        msg = messages.field_message(kind, language, given=err.get("msg", ""), context=err.get("ctx"))
        out.append({"loc": _location(err.get("loc", ())), "msg": msg, "type": kind})
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        language = request_language(request)
        extra = dict(exc.extra)
        headers = extra.pop("headers", None)
        if isinstance(extra.get("errors"), list):
            # Every field error has the shape the OpenAPI publishes (FieldError), whoever raised it; its message in
            # the request's language (the code's own, or a generic one for the generic codes).
            field_errors = [{"type": "value_error", **e} for e in extra["errors"] if isinstance(e, dict)]
            own = None
            if language != "en" and exc.code not in GENERIC:
                # A code of its own says what was wrong; a generic one keeps its raiser's specific (English) words,
                # unless they were given in every language.
                own = messages.detail(exc.code, language, fields={**extra, **exc.params})
            for e in field_errors:
                if isinstance(e.get("msg"), dict):
                    e["msg"] = messages.in_language(e["msg"], language)
                elif own is not None:
                    e["msg"] = own
            extra["errors"] = field_errors
        return problem(
            exc.status,
            exc.texts[language] if exc.texts else exc.detail,
            code=exc.code,
            instance=request.url.path,
            headers=headers,
            language=None if exc.texts else language,
            params=exc.params,
            **extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        language = request_language(request)
        errors = validation_errors(exc, language)
        fields = ", ".join(".".join(e["loc"][1:] or e["loc"]) for e in errors)
        return problem(
            422,
            f"The request is not valid: {fields}",
            code="validation-error",
            instance=request.url.path,
            language=language,
            params={"fields": fields},
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem(
            exc.status_code,
            detail,
            instance=request.url.path,
            headers=getattr(exc, "headers", None),
            language=request_language(request),
        )

    @app.exception_handler(StaleDataError)
    @app.exception_handler(sa_exc.DBAPIError)
    @app.exception_handler(sa_exc.TimeoutError)
    @app.exception_handler(ConnectionError)  # the database refused or dropped the connection (asyncpg raises it bare)
    async def _database(request: Request, exc: Exception) -> JSONResponse:
        mapped = write_conflict(exc) or unreachable(exc)
        if mapped is None:
            return unexpected(request.url.path, request_language(request))
        # The type only: the message of a database error carries the statement's parameters.
        log.warning("%s answered %s: %s", request.url.path, mapped.status, type(exc).__name__)
        return await _domain(request, mapped)

    # Errors nothing else handled are logged and answered by middleware.RequestContext, inside the request's
    # context so that the log line carries its request id (Starlette's ServerErrorMiddleware, where an
    # `Exception` handler would run, sits outside every middleware the app adds).


class FieldError(BaseModel):
    """One thing wrong with a request, and where: `loc` starts with body, query, path or header."""

    model_config = ConfigDict(extra="allow")
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details. `type` ends with the stable code of the error (…/problems/<code>)."""

    model_config = ConfigDict(extra="allow", title="Problem")
    type: str = Field(description="A URI whose last segment is the error's stable code")
    code: str = Field(description="The error's stable code; the app shows its own message for it")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = Field(None, description="Each field that was not accepted")


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": _PROBLEM_REF}}


def document(app: FastAPI) -> None:
    """Make the OpenAPI say what the handlers above send: every operation may answer a 4xx problem (422 for a
    request that is not valid), in place of FastAPI's default 422 shape, which this app never sends."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem_schema.pop("$defs", {}))
        components["Problem"] = problem_schema
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses["422"] = {"description": "The request is not valid", "content": _PROBLEM_CONTENT}
                responses["4XX"] = {"description": "A problem with the request", "content": _PROBLEM_CONTENT}
                if path == "/readyz":
                    responses["503"] = {"description": "Not ready", "content": _PROBLEM_CONTENT}
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def unexpected(path: str | None, language: Language | None = None) -> JSONResponse:
    """Log the exception being handled and answer 500 without saying what it was."""
    log.exception("unhandled error", extra={"path": path})
    return problem(500, "An unexpected error occurred; it has been logged.", instance=path, language=language)
