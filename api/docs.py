"""The API's interactive docs (Swagger UI at ``/docs``), served without a CDN.

Swagger UI's script and style come from the installed ``fastapi-offline``
package, so ``/docs`` works on a machine without internet and loads nothing
from a third party. The page's one inline script (Swagger UI's set-up) is
allowed by its hash, so the page keeps a strict Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Final

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

DOCS_PATH: Final = "/docs"
#: Where Swagger UI's files are served, from the package's folder.
ASSETS_PATH: Final = "/docs-assets"
ASSETS_DIR: Final = Path(fastapi_offline.__file__).parent / "static"
_INLINE_SCRIPT: Final = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def install(app: FastAPI, *, title: str, openapi_url: str) -> None:
    """Serve the docs page and its assets on ``app``."""
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS_DIR), name="docs-assets")

    @app.get(DOCS_PATH, include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
        )
        page.headers["content-security-policy"] = docs_policy(bytes(page.body).decode())
        return page


def docs_policy(html: str) -> str:
    """The docs page's policy: this origin, plus the page's own inline scripts by their hashes."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
