"""``/v1/health``: the process answers. No auth and no database, so a balancer can poll it cheaply."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"]


@router.get("/health", summary="Liveness", responses={429: {"description": "Rate limited"}})
async def health() -> Health:
    return Health(status="ok")
