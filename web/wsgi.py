"""WSGI entry point, for servers that do not speak ASGI."""

import os

from django.core.wsgi import get_wsgi_application

from foulee.filemodes import keep_files_private

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
keep_files_private()

application = get_wsgi_application()
