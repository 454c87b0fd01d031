"""Answers in the two GeoReport v2 formats: XML (required by the spec) and JSON (its Spark-convention mapping of the
same tree), dates in W3C form with an offset, and errors as the spec's list of {code, description}."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only builds documents, never parses untrusted input
from datetime import datetime
from typing import Any

from fastapi import Request, Response

from wangge.models_common import as_utc
from wangge.workcalendar import SHANGHAI

MEDIA_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
# Lists in the spec's trees and the name of their items in XML.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class SpecError(Exception):
    """An error the client sees in the spec's format: 404 for what does not exist, 403 for a missing or wrong
    api_key, 400 for anything else it cannot fulfil."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def check_format(fmt: str) -> str:
    if fmt not in MEDIA_TYPES:
        raise SpecError(400, f"Unknown format '{fmt}': add .xml or .json to the resource")
    return fmt


def error_format(request: Request, fmt: str | None) -> str:
    """The format for an error: the one asked for, or (for an unknown suffix) what the Accept header prefers;
    XML by default since it is the spec's required format."""
    if fmt in MEDIA_TYPES:
        return fmt
    accept = request.headers.get("accept", "")
    return "json" if "json" in accept and "xml" not in accept else "xml"


def w3c(value: datetime | None) -> str | None:
    """A W3C date-time with the local (Beijing) offset, eg 2024-05-01T09:30:00+08:00."""
    return None if value is None else as_utc(value).astimezone(SHANGHAI).isoformat(timespec="seconds")


def answer(fmt: str, root: str, data: Any, status: int = 200) -> Response:
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode("utf-8", "replace")
    else:
        body = XML_DECLARATION + ET.tostring(_element(root, data), encoding="utf-8", xml_declaration=False)
    return Response(body, status_code=status, media_type=MEDIA_TYPES[fmt])


def error(fmt: str, status: int, description: str, headers: dict[str, str] | None = None) -> Response:
    response = answer(fmt, "errors", [{"code": status, "description": description}], status)
    response.headers.update(headers or {})
    return response


def _element(name: str, value: Any) -> ET.Element:
    el = ET.Element(name)
    if isinstance(value, dict):
        for key, child in value.items():
            el.append(_element(key, child))
    elif isinstance(value, list):
        for child in value:
            el.append(_element(ITEMS[name], child))
    elif value is not None:
        el.text = _text(value)
    return el


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))
