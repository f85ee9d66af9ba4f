import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from .processes import clean_env


def run_django_setup(**env_overrides):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=settings.BASE_DIR,
        env=clean_env(**env_overrides),
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_start_without_a_secret_key_fails_loudly():
    result = run_django_setup(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_start_with_a_secret_key_works():
    result = run_django_setup(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="a-real-secret-" * 4)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.django_db
def test_local_admin_is_created_once_with_debug_on(settings, capsys):
    settings.DEBUG = True
    call_command("ensure_local_admin", url="http://127.0.0.1:8123/admin/")
    first = capsys.readouterr().out
    assert "http://127.0.0.1:8123/admin/" in first
    password = first.split("password: ")[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)

    call_command("ensure_local_admin")
    second = capsys.readouterr().out
    assert "existing superuser" in second
    assert password not in second
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_no_admin_is_created_with_debug_off(settings, capsys):
    settings.DEBUG = False
    call_command("ensure_local_admin")
    assert "createsuperuser" in capsys.readouterr().out
    assert not get_user_model().objects.exists()
