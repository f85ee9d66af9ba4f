#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
import traceback
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parent / "config" / "settings.py"


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A setting the environment lacks (DJANGO_SECRET_KEY, ...) is the user's to fix, not a bug: say what, in
        # one line, instead of a traceback through Django's start-up.
        if Path(traceback.extract_tb(error.__traceback__)[-1].filename).resolve() != SETTINGS_FILE:
            raise
        sys.exit(f"manage.py: {error}")


if __name__ == "__main__":
    main()
