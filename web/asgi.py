"""The ASGI entry point: the FastAPI app (``/v1``, ``/docs``) with Django mounted for everything else.

``foulee run`` serves ``web.asgi:application``; so can any ASGI server
(``uvicorn web.asgi:application``). See ``api/main.py``. The coach's models are loaded as
this module is imported (``agent.warmup``), so no athlete's first message waits for them.
"""

import os

from foulee.filemodes import keep_files_private

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
keep_files_private()

from agent.warmup import warm_up  # noqa: E402
from api.main import create_app  # noqa: E402 (after the umask: the app creates the data dir)

application = create_app()
warm_up()
