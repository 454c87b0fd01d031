"""Every JSON route declares its response model, so the OpenAPI (and the app's generated types) say what it
sends; the only routes without one send files (XLSX, printable HTML, the posters' PNG and PDF) or Open311's own
formats, chosen by the extension of the address (JSON or XML, as GeoReport v2 defines them), the documentation
pages and /metrics."""

from __future__ import annotations

from support.routes import api_routes
from wangge.main import create_app


def test_every_json_route_has_a_response_model():
    routes = list(api_routes(create_app().routes))
    assert len(routes) > 150
    without = {f"{sorted(r.methods)[0]} {r.path}" for r in routes if r.response_model is None and r.status_code != 204}
    files = {p for p in without if p.endswith((".xlsx", ".html", ".png", ".pdf"))}
    # Pages and formats that are not JSON: the API's documentation and Prometheus's text format.
    pages = {"GET /docs", "GET /docs/oauth2-redirect", "GET /redoc", "GET /metrics"}
    pages.add("GET /basemap/tiles/{z}/{x}/{y}")  # the PMTiles basemap's images
    open311 = {p for p in without if "/open311/v2/" in p or p.startswith(("GET /discovery", "GET /services"))}
    assert without - files - open311 - pages == set(), sorted(without - files - open311 - pages)
    # The minutes, the bulletin (each XLSX and printable), the import templates (users, grid teams, buildings,
    # places, special-group residents), the desk's export of the matters table, and the assessment's ranking table,
    # dashboard and monthly bulletin as XLSX, a grid's poster 亮证 as PNG and PDF, a grid's registry of people as
    # XLSX (registries: each export is logged), the reserve ledger as XLSX and an incident's report in the district's
    # form as XLSX.
    assert len(files) == 19, sorted(files)
