"""The ASGI entry point: the FastAPI app (``/v1``, ``/docs``) with Django mounted for everything else.

``foulee run`` serves ``web.asgi:application``; so can any ASGI server
(``uvicorn web.asgi:application``). See ``api/main.py``.
"""

import os

from foulee.filemodes import keep_files_private

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
keep_files_private()

from api.main import create_app  # noqa: E402 (after the umask: the app creates the data dir)

application = create_app()
