"""The FastAPI HTTP API under /v1. Not built yet (see the API issue)."""
