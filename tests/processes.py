"""Django processes that tests start: the environment they get, free of the suite's own settings and of any .env."""

import os

SETTINGS_PREFIXES = ("DJANGO_", "AXES_")


def clean_env(**variables) -> dict[str, str]:
    """This process's environment without its Django and lockout settings, reading no .env file (a developer's
    .env from `make run` would turn DEBUG on), with `variables` on top."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(SETTINGS_PREFIXES)}
    return env | {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ENV_FILE": ""} | variables
