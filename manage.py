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
    except (ImproperlyConfigured, ValueError) as error:
        # A setting the environment lacks or gets wrong (DJANGO_SECRET_KEY, a number that is not one, ...) is the
        # user's to fix, not a bug: say what, in one line, instead of a traceback through Django's start-up.
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if Path(frame.filename).resolve() == SETTINGS_FILE
        ]
        if not frames:
            raise
        if isinstance(error, ImproperlyConfigured):
            sys.exit(f"manage.py: {error}")
        sys.exit(
            f"manage.py: a setting from the environment is not valid, at config/settings.py line "
            f"{frames[-1].lineno} ({frames[-1].line}): {error}"
        )


if __name__ == "__main__":
    main()
