#!/usr/bin/env python
"""Django's command-line utility, for developers (users run `foulee`)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    from foulee.filemodes import keep_files_private

    keep_files_private()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
