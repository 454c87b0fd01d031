"""deploy/ holds one shape: the compose file's services, the Dockerfile's targets and the nginx template must agree
(containers cannot run here; tests/ops/test_production_shape.py runs the same shape without them)."""

from __future__ import annotations

import re

import yaml

from support.processes import ROOT

DEPLOY = ROOT / "deploy"


def test_the_compose_file_builds_the_dockerfiles_targets_and_fills_in_every_placeholder_of_the_template():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "web", "worker", "proxy", "migrate"} <= set(services)
    targets = set(re.findall(r"^FROM \S+ AS (\w+)$", (DEPLOY / "Dockerfile").read_text(), re.M))
    for name in ("web", "worker", "migrate", "proxy"):
        assert services[name]["build"]["target"] in targets, name
    assert "postgis" in services["db"]["image"]
    assert services["web"]["command"][:2] == ["wangge", "serve"] and "--workers" in services["web"]["command"]
    assert services["worker"]["command"] == ["wangge", "worker"]
    assert services["web"]["environment"]["WANGGE_DATABASE_URL"].startswith("postgresql+asyncpg://")

    template = (DEPLOY / "nginx-wangge.conf.template").read_text()
    placeholders = set(re.findall(r"\$\{(WANGGE_\w+)\}", template))
    proxy_env = services["proxy"]["environment"]
    assert placeholders == {k for k in proxy_env if k.startswith("WANGGE_")}
    assert re.fullmatch(proxy_env["NGINX_ENVSUBST_FILTER"].strip("^") + r"\w*", "WANGGE_DIST")
    # The same placeholders are the ones the production-shape test fills in.
    shape_test = (ROOT / "tests" / "ops" / "test_production_shape.py").read_text()
    assert all(f'"{p}"' in shape_test for p in placeholders)


def test_the_image_installs_the_package_beside_its_migrations_and_serves_as_an_unprivileged_user():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -e ." in dockerfile  # migrate.py finds migrations/ beside backend/
    assert "COPY migrations/ migrations/" in dockerfile and "USER wangge" in dockerfile
    assert "COPY deploy/nginx-wangge.conf.template /etc/nginx/templates/" in dockerfile
