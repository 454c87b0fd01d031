"""One gate for text: control characters never reach the database.

PostgreSQL refuses a NUL in any text (and SQLite stores it, so the two engines would disagree), and the other C0
controls are never meant in a name, a note or an address. Every route depends on `refuse_control_characters`
(installed on the app), which looks at the path and query parameters, the header values, and the parsed body
(JSON at any depth, keys included, or form fields) before any handler runs, and answers 422 `control-character`
naming each place. Tab, line feed and carriage return stay allowed in bodies, where multi-line text is normal; a
lone UTF-16 surrogate (which no UTF-8 text can hold) is refused the same way.

Bodies the route reads itself (the hotline CSV import) are checked where they are read, with `find_control`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import Request

from wangge.errors import Invalid

# C0 controls but tab, LF and CR; DEL; unpaired surrogates.
_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# In a path or a query even tab and line breaks are out of place.
_IN_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_JSON = re.compile(r"^application/([a-z0-9.+-]*\+)?json", re.IGNORECASE)
_FORM = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_REPORTED = 20


def find_control(text: str, *, multiline: bool = True) -> str | None:
    """The first refused character of `text` as U+XXXX, or None."""
    m = (_IN_TEXT if multiline else _IN_LINE).search(text)
    return None if m is None else f"U+{ord(m.group()):04X}"


def _walk(value: Any, loc: list[str], found: list[tuple[list[str], str]]) -> None:
    # With a stack of its own rather than recursion: a deeply nested body must not exhaust the interpreter's.
    stack = [(value, loc)]
    while stack and len(found) < MAX_REPORTED:
        item, where = stack.pop()
        if isinstance(item, str):
            if bad := find_control(item):
                found.append((where, bad))
        elif isinstance(item, dict):
            for key, inner in reversed(list(item.items())):
                if isinstance(key, str) and (bad := find_control(key)):
                    found.append(([*where, _printable(key)], bad))
                stack.append((inner, [*where, _printable(str(key))]))
        elif isinstance(item, list):
            stack.extend((inner, [*where, str(i)]) for i, inner in reversed(list(enumerate(item))))


def _printable(name: str) -> str:
    return name.encode("unicode_escape", "backslashreplace").decode() if find_control(name, multiline=False) else name


async def refuse_control_characters(request: Request) -> None:
    found: list[tuple[list[str], str]] = []
    for name, value in request.path_params.items():
        if isinstance(value, str) and (bad := find_control(value, multiline=False)):
            found.append((["path", name], bad))
    for name, value in request.query_params.multi_items():
        bad = find_control(name, multiline=False) or find_control(value, multiline=False)
        if bad:
            found.append((["query", _printable(name)], bad))
    for name, value in request.headers.items():
        if bad := find_control(value):  # HTTP allows a tab in a header value (and no line breaks at all)
            found.append((["header", name], bad))
    content_type = request.headers.get("content-type", "")
    if request.method not in ("GET", "HEAD", "OPTIONS", "DELETE"):
        if _JSON.match(content_type):
            body = await request.body()
            if body:
                try:
                    parsed = json.loads(body)
                except (ValueError, RecursionError):  # FastAPI reports a bad body where the route reads one
                    parsed = None
                _walk(parsed, ["body"], found)
        elif content_type.lower().startswith(_FORM) and getattr(request, "_form", None) is not None:
            # Only a form the route reads (FastAPI has parsed it by now, and caches it): parsing one here for a
            # route that reads its raw body would consume the stream under it.
            form = await request.form()
            for name, value in form.multi_items():
                if isinstance(value, str):
                    bad = find_control(name) or find_control(value)
                    if bad:
                        found.append((["body", _printable(name)], bad))
    _raise(found)


def refuse_in(value: Any, loc: list[str]) -> None:
    """The same refusal for a body a route reads itself: text, or parsed JSON, found at `loc`."""
    found: list[tuple[list[str], str]] = []
    _walk(value, loc, found)
    _raise(found)


def _raise(found: list[tuple[list[str], str]]) -> None:
    if found:
        fields = ", ".join(".".join(loc[1:] or loc) for loc, _ in found[:5])
        raise Invalid(
            f"Control characters are not accepted in: {fields}",
            code="control-character",
            errors=[
                {"loc": loc, "msg": f"contains the control character {bad}", "type": "control_character"}
                for loc, bad in found[:MAX_REPORTED]
            ],
        )
