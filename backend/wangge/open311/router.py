"""HTTP routes of Open311 GeoReport v2 under /open311/v2: discovery, services, service definitions, posting and
reading service requests, tokens. Every path ends in .xml or .json, and every error is in the spec's format (a list
of {code, description}), never the problem+json of the rest of the API: the routes read their own parameters, so
FastAPI's validation never answers an Open311 client."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.formparsers import MultiPartException

from wangge.deps import ReadSessionDep, SessionDep, SettingsDep
from wangge.errors import unreachable
from wangge.open311 import render, service
from wangge.open311.render import SpecError

log = logging.getLogger("wangge.open311")
router = APIRouter(prefix="/open311/v2", tags=["Open311"])

CONTACT = "请联系本街道网格化服务管理中心 (contact the street office's grid management centre)"
KEY_SERVICE = (
    "API 密钥由系统管理员签发：wangge create-api-key 名称 (ask the system administrator for a key; it is issued "
    "with `wangge create-api-key NAME`)"
)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The resources this API has, with or without a format suffix: for the catch-all's 400/405/404.
_RESOURCE = re.compile(r"^(discovery|services|services/[^/]+?|requests|requests/[^/]+?|tokens/[^/]+?)(\.[^/.]*)?$")


def spec_errors(endpoint: Callable[..., Awaitable[Response]]) -> Callable[..., Awaitable[Response]]:
    """Answer any failure in the spec's error format, in the format the client asked for."""

    @functools.wraps(endpoint)
    async def wrapper(*args: Any, **kwargs: Any) -> Response:
        request: Request = kwargs["request"]
        try:
            return await endpoint(*args, **kwargs)
        except SpecError as exc:
            return render.error(render.error_format(request, kwargs.get("fmt")), exc.status, exc.description)
        except Exception as exc:
            if (down := unreachable(exc)) is not None:
                fmt = render.error_format(request, kwargs.get("fmt"))
                return render.error(fmt, down.status, down.detail, headers=down.extra.get("headers"))
            log.exception("open311 request failed", extra={"path": request.url.path})
            fmt = render.error_format(request, kwargs.get("fmt"))
            return render.error(fmt, 500, "An unexpected error occurred; it has been logged")

    return wrapper


@router.get("/discovery.{fmt}")
@spec_errors
async def discovery(request: Request, db: ReadSessionDep, settings: SettingsDep, fmt: str) -> Response:
    """Service discovery: where the GeoReport v2 endpoint is, its formats, and how to get a key."""
    render.check_format(fmt)
    changeset = await service.changeset(db)
    endpoint = {
        "specification": service.SPECIFICATION,
        "url": str(request.base_url).rstrip("/") + router.prefix,
        "changeset": changeset,
        "type": "production" if settings.environment == "production" else "test",
        "formats": [render.MEDIA_TYPES["xml"].split(";")[0], render.MEDIA_TYPES["json"].split(";")[0]],
    }
    body = {"changeset": changeset, "contact": CONTACT, "key_service": KEY_SERVICE, "endpoints": [endpoint]}
    return render.answer(fmt, "discovery", body)


@router.get("/services.{fmt}")
@spec_errors
async def list_services(request: Request, db: ReadSessionDep, fmt: str) -> Response:
    """The categories a request can be filed under."""
    render.check_format(fmt)
    return render.answer(fmt, "services", await service.services(db))


@router.get("/services/{service_code}.{fmt}")
@spec_errors
async def service_definition(request: Request, db: ReadSessionDep, service_code: str, fmt: str) -> Response:
    """A service's extra fields: none, since every service has metadata false."""
    render.check_format(fmt)
    category = await service.service(db, service_code)
    return render.answer(fmt, "service_definition", {"service_code": category.open311_code, "attributes": []})


@router.post("/requests.{fmt}")
@spec_errors
async def post_request(request: Request, db: SessionDep, settings: SettingsDep, fmt: str) -> Response:
    """File a request (form-encoded, with api_key). It becomes a matter at once, routed by lat/long to its grid;
    the answer carries its service_request_id (the tracking code)."""
    render.check_format(fmt)
    if not request.headers.get("content-type", "").lower().startswith(FORM_TYPES):
        raise SpecError(400, "Send the request as application/x-www-form-urlencoded")
    try:
        form = await request.form()
    except MultiPartException as exc:
        raise SpecError(400, f"The form could not be read: {exc.message}") from None
    key = form.get("api_key") or request.query_params.get("api_key")
    await service.check_key(db, key if isinstance(key, str) else None)
    data = service.parse_new_request(form)
    m = await service.create(db, data, settings)
    out = await service.created_out(db, m, data.account_id)
    await db.commit()
    return render.answer(fmt, "service_requests", [out], status=201)


@router.get("/requests.{fmt}")
@spec_errors
async def list_requests(request: Request, db: ReadSessionDep, fmt: str) -> Response:
    """Requests by service_request_id (comma list, overrides the rest), service_code, status and start_date /
    end_date (at most 90 days; the last 90 by default), newest first, at most 1000."""
    render.check_format(fmt)
    filters = service.parse_filters(request.query_params)
    rows = await service.find(db, filters)
    return render.answer(fmt, "service_requests", await service.requests_out(db, rows, str(request.base_url)))


@router.get("/requests/{service_request_id}.{fmt}")
@spec_errors
async def get_request(request: Request, db: SessionDep, service_request_id: str, fmt: str) -> Response:
    render.check_format(fmt)
    rows = [await service.one(db, service_request_id)]
    return render.answer(fmt, "service_requests", await service.requests_out(db, rows, str(request.base_url)))


@router.get("/tokens/{token}.{fmt}")
@spec_errors
async def get_token(request: Request, db: SessionDep, token: str, fmt: str) -> Response:
    """Requests are created at once, so a token is the service_request_id itself."""
    render.check_format(fmt)
    m, _category, _holder = await service.one(db, token)
    return render.answer(fmt, "service_requests", [{"service_request_id": m.tracking_code, "token": token}])


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
async def elsewhere(request: Request, rest: str) -> Response:
    """Anything else under /open311/v2 still answers in the spec's format."""
    found = _RESOURCE.match(rest)
    last = rest.rsplit("/", 1)[-1]
    fmt = render.error_format(request, last.rsplit(".", 1)[1] if "." in last else None)
    if found and found.group(2) is None:
        return render.error(fmt, 400, f"Add the format to the resource: /{rest}.xml or /{rest}.json")
    if found:
        return render.error(fmt, 405, f"{request.method} is not allowed on /{rest}")
    return render.error(fmt, 404, f"There is no Open311 resource /{rest}")
