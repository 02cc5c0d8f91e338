"""The probes: ``/v1/health`` (liveness) and ``/v1/ready`` (readiness). No auth, never rate-limited.

Liveness says the process answers, and touches nothing, so a balancer can poll
it cheaply and an orchestrator does not restart a process for a database's
outage. Readiness says whether requests can be served: it asks each store
(:mod:`foulee.stores`) on every call, and answers 503 in the API's error shape
naming the stores that are down. The reasons (host, port, driver message) go
to the log, not to the unauthenticated caller.
"""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.db import django_db
from api.errors import FieldError, error_response, responses
from foulee import stores

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ok"]
    stores: dict[str, Literal["up"]] = Field(
        description="Each store this process uses: `database`, `analytics`, and `redis` when configured.",
        examples=[{"database": "up", "analytics": "up"}],
    )


@router.get("/health", summary="Liveness", responses={429: {"description": "Rate limited"}})
async def health() -> Health:
    return Health(status="ok")


@router.get(
    "/ready",
    summary="Readiness",
    response_model=Readiness,
    responses={**responses(503), 429: {"description": "Rate limited"}},
)
@django_db
def ready() -> Readiness | JSONResponse:
    """200 when every store answers; 503 naming, in `fields`, each one that does not."""
    checked = {
        stores.DATABASE.name: stores.database_problem(),
        stores.ANALYTICS.name: stores.analytics_problem(),
    }
    if stores.redis_configured():
        checked[stores.REDIS.name] = stores.redis_problem()
    problems = [problem for problem in checked.values() if problem is not None]
    if not problems:
        return Readiness(status="ok", stores=dict.fromkeys(checked, "up"))
    for problem in problems:
        logger.error("Not ready: %s", problem)
    down = " and ".join(problem.store.label for problem in problems)
    return error_response(
        503,
        f"Not ready: {down} {'does' if len(problems) == 1 else 'do'} not answer.",
        [FieldError(field=problem.store.name, message="down") for problem in problems],
    )
