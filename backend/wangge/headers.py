"""Security headers on every response: no MIME sniffing, no framing, a referrer that never carries a path to other
sites (a tracking page's address holds its code), geolocation for this origin only, and a Content-Security-Policy
that allows exactly what the built app loads.

What the app needs, and why each source is there: its own scripts, styles, fonts, service worker and manifest
('self', no inline script or style: Vite emits files, Vue and Leaflet style elements through the CSSOM); images
from 'self', `data:` (Leaflet's and Vant's inlined icons, Vant's inlined icon font) and `blob:` (the preview of a
photo before it is uploaded); map tiles from the hosts of the basemap's layers (basemap/presets.py). The interactive
API documentation (/docs, /redoc) loads Swagger UI or ReDoc from the app's own files (apidocs.py) but starts them
with an inline script and ReDoc runs a worker from a blob: it gets its own policy, on those paths only, with no
other host.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

DOCS_PATHS = ("/docs", "/redoc")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def tile_source(tile_url: str) -> str | None:
    """The CSP source for a tile URL template: its scheme and host, a `{s}`-style placeholder in the host's first
    label becoming a wildcard (`https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`)."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    labels = host.split(".")
    if _PLACEHOLDER.search(labels[0]):
        labels[0] = "*"
    host = ".".join(labels)
    if _PLACEHOLDER.search(host):  # a placeholder further in cannot be a CSP wildcard: allow the scheme only
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{host}"


def app_policy(*tile_urls: str) -> str:
    tiles = sorted({source for source in map(tile_source, tile_urls) if source})
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": " ".join(["'self'", "data:", "blob:", *tiles]),
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self'",
        "manifest-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self' data:",
        "img-src 'self' data:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeaders:
    """Adds the headers to every HTTP response (errors included) unless the response set them itself."""

    def __init__(self, app: Any, tile_urls: list[str] | None = None) -> None:
        self.app = app
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"permissions-policy", b"geolocation=(self), camera=(), microphone=(), payment=(), usb=()"),
        ]
        self.app_headers = [*common, (b"content-security-policy", app_policy(*(tile_urls or [])).encode())]
        self.docs_headers = [*common, (b"content-security-policy", DOCS_POLICY.encode())]

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        extra = self.docs_headers if path in DOCS_PATHS or path.startswith("/docs/") else self.app_headers

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {name.lower() for name, _ in headers}
                message["headers"] = headers + [(k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)
