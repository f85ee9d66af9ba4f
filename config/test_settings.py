"""The test suite's settings: config.settings without the developer's .env (pyproject.toml names this module).

A local .env from `make run` turns DEBUG on, which changes cookies, static storage and more: the suite sees the
same settings on every machine, from the environment alone, as CI does.
"""

import atexit
import os
import shutil
import tempfile

os.environ["DJANGO_ENV_FILE"] = ""
os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-test-suite-only")

from config.settings import *  # noqa: F403

# A production password hash takes about half a second (PBKDF2, a million rounds), and the suite makes hundreds of
# users. tests/test_deployment.py checks production's settings in processes of their own.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background tasks run at once, in the test's own transaction; uploads go to a directory of the test run's own.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="briefings-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# Photos too, renditions and originals: made again from the run's own MEDIA_ROOT (the model's field has its
# storage from these settings when it is imported).
if PHOTOS_STORAGE == "local":  # noqa: F405
    STORAGES = {**STORAGES, **photo_storages("local", MEDIA_ROOT)}  # noqa: F405

# The test database on SQLite is in memory, one per pytest-xdist worker, as Django makes it for its own backend:
# said outright, since pytest-django recognises only Django's engine name, not the desk's (briefings/sqlite/).
if DATABASES["default"]["ENGINE"] == "briefings.sqlite":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")  # noqa: F405
