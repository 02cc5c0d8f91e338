"""The ASGI entry point: the FastAPI app (``/v1``, ``/docs``) with Django mounted for everything else.

``foulee run`` serves ``web.asgi:application``; so can any ASGI server
(``uvicorn web.asgi:application``). See ``api/main.py``.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")

from api.main import create_app

application = create_app()
