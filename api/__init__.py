"""The HTTP API under ``/v1``: the coach's tools over FastAPI, served with Django by one process.

``api.main.create_app`` builds the application; ``web.asgi.application`` is the
instance ``foulee run`` serves. See docs/api.md and docs/security.md.
"""
