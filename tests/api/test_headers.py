"""Security headers on every kind of response the one process serves, and docs without a CDN."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest
from fastapi.routing import APIRoute

from api.docs import ASSETS_DIR
from api.main import create_app
from api.ratelimit import RateLimits
from foulee.headers import CONTENT_SECURITY_POLICY
from tests.api.conftest import serve

COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


@pytest.mark.parametrize(
    "path",
    ["/v1/health", "/v1/me", "/v1/no-such-route", "/openapi.json", "/admin/login/", "/login/"],
)
def test_api_json_and_django_pages_carry_the_policy(live, client, path: str) -> None:
    response = client(None).get(path)
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (path, name)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "strict-transport-security" not in response.headers  # plain HTTP on loopback: no HSTS
    # One value each: Django's and the API's layers never both add a header.
    assert len(response.headers.get_list("x-frame-options")) == 1


def test_an_unhandled_error_is_a_bare_500_that_still_carries_the_policy(live) -> None:
    """Starlette's outermost error layer answers it: the headers must be added outside that layer."""
    app = create_app(rate_limits=RateLimits.off())

    def boom() -> None:
        raise RuntimeError("a bug, with a secret: hunter2")

    app.router.routes.insert(0, APIRoute("/v1/boom", boom))  # before the catch-all mount
    with serve(app) as url:
        response = httpx.get(f"{url}/v1/boom", timeout=30)
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "status": 500,
            "code": "internal_error",
            "message": "Internal error; it has been logged.",
            "fields": [],
        }
    }
    assert "hunter2" not in response.text
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, name
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_the_docs_load_nothing_from_another_origin_and_allow_only_their_own_script(client) -> None:
    http = client(None)
    page = http.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text  # no CDN, no third-party favicon
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(assets) == 3
    for asset in assets:
        served = http.get(asset)
        shipped = ASSETS_DIR / asset.rsplit("/", 1)[1]
        assert served.status_code == 200 and served.content == shipped.read_bytes()
    [script] = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = page.headers["content-security-policy"]
    assert f"script-src 'self' 'sha256-{digest}'" in policy and "unsafe-inline" not in policy
