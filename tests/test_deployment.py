"""Production as configured from the environment: `check --deploy`, the headers and cookies a browser gets over
HTTPS, collected static files served by WhiteNoise, and the gunicorn config.

Settings that depend on DEBUG are read once, at start-up, so these run a separate Python process with
production's variables (DEBUG off, a real secret key, an allowed host) and a throwaway SQLite database.
"""

import gc
import inspect
import json
import os
import re
import runpy
import secrets
import subprocess
import sys

import gunicorn.config
import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from .processes import clean_env

HOST = "briefings.example.org"
SECRET_KEY = secrets.token_urlsafe(50)
WEEKS_26 = 26 * 7 * 24 * 3600


def production_env(tmp_path, **overrides):
    env = clean_env(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{tmp_path}/production.sqlite3",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    return env | overrides


def run(arguments, env):
    return subprocess.run(
        [sys.executable, *arguments], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A production process's `collectstatic`: hashed, compressed copies and the manifest, in a temporary dir."""
    tmp_path = tmp_path_factory.mktemp("production")
    result = run(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    return tmp_path


# Configuration ---------------------------------------------------------------------------------------------------


def test_the_deploy_check_finds_nothing_to_warn_about(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deploy_check_would_notice_a_weakened_setting(tmp_path):
    env = production_env(tmp_path, DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="0")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W008" in result.stderr  # no redirect to HTTPS
    assert "security.W004" in result.stderr  # no HSTS


def test_a_malformed_proxy_header_setting_stops_the_start(tmp_path):
    env = production_env(tmp_path, DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    result = run(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "DJANGO_SECURE_PROXY_SSL_HEADER takes a header and the value that means HTTPS" in result.stderr


def test_lockout_limits_come_from_the_environment(tmp_path):
    env = production_env(tmp_path, AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="60", DJANGO_TRUSTED_PROXY_COUNT="1")
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), s.TRUSTED_PROXY_COUNT)"
    )
    result = run(["-c", script], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "3600", "1"]


# What a browser gets from production ----------------------------------------------------------------------------

# Asks a production process for each (path, over HTTPS?, extra headers) and prints what came back, as JSON.
PROBE = """
import json, sys
import django
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

answers = []
for path, secure, headers in json.loads(sys.argv[1]):
    if path.startswith("static:"):
        path = staticfiles_storage.url(path.removeprefix("static:"))
    response = Client().get(path, secure=secure, headers={"host": sys.argv[2], **headers})
    answers.append({
        "path": path,
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {
            name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
            for name, c in response.cookies.items()
        },
    })
print(json.dumps(answers))
"""


def probe(env, *requests):
    result = run(["-c", PROBE, json.dumps(requests), HOST], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_over_https_production_sends_hsts_and_secure_cookies(collected):
    robots, login, docs, static = probe(
        production_env(collected),
        ["/robots.txt", True, {}],
        ["/admin/login/", True, {}],
        ["/api/docs", True, {}],
        ["static:admin/css/base.css", True, {}],
    )
    for answer in (robots, login, docs):
        assert answer["status"] == 200, answer
        hsts = answer["headers"]["Strict-Transport-Security"]
        max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
        assert max_age >= WEEKS_26
        assert "includeSubDomains" in hsts
        assert "preload" in hsts
        assert "default-src 'none'" in answer["headers"]["Content-Security-Policy"]
        assert answer["headers"]["X-Content-Type-Options"] == "nosniff"
    assert login["cookies"]["csrftoken"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert re.search(r"/static/admin/css/base\.[0-9a-f]{12}\.css$", static["path"])
    assert static["status"] == 200
    assert "immutable" in static["headers"]["Cache-Control"]


def test_plain_http_is_redirected_to_https_except_the_health_check(collected):
    page, health = probe(production_env(collected), ["/robots.txt", False, {}], ["/healthz", False, {}])
    assert page["status"] == 301
    assert page["headers"]["Location"] == f"https://{HOST}/robots.txt"
    assert "Strict-Transport-Security" not in page["headers"]  # HSTS only means something over HTTPS
    assert health["status"] == 200


def test_behind_a_proxy_its_https_header_is_believed_once_configured(collected):
    forwarded = ["/robots.txt", False, {"x-forwarded-proto": "https"}]
    (unconfigured,) = probe(production_env(collected), forwarded)
    assert unconfigured["status"] == 301

    env = production_env(collected, DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")
    (configured,) = probe(env, forwarded)
    assert configured["status"] == 200
    assert "Strict-Transport-Security" in configured["headers"]


def test_session_cookies_are_secure_http_only_and_same_site(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)"
    )
    result = run(["-c", script], production_env(tmp_path))
    assert result.stdout.split() == ["True", "True", "Lax"], result.stderr


# Static files ----------------------------------------------------------------------------------------------------


@pytest.fixture
def production_static_files(settings, collected):
    settings.STATIC_ROOT = collected / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = False
    return settings.STATIC_ROOT


def test_pages_refer_to_hashed_compressed_files_that_whitenoise_serves(client, seed, production_static_files):
    pages = [reverse("briefings:home"), reverse("briefings:encounters"), reverse("admin:login")]
    pages.append(reverse("api:openapi-view"))
    urls = set()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        urls |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', response.content.decode()))
    assert any("swagger-ui-bundle" in url for url in urls)
    assert any(url.endswith(".css") for url in urls)
    for url in urls:
        name = url.removeprefix("/static/")
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", name), f"{url} is not a hashed name"
        assert (production_static_files / name).is_file(), url
        if name.endswith((".css", ".js")):
            assert (production_static_files / f"{name}.gz").is_file(), url
        served = client.get(url, headers={"accept-encoding": "gzip"})
        assert served.status_code == 200, url
        assert "immutable" in served["Cache-Control"], url
        if name.endswith((".css", ".js")):
            assert served["Content-Encoding"] == "gzip", url
        served.close()


def test_a_reference_to_a_missing_static_file_fails_at_once(production_static_files):
    # What the manifest buys: a page naming a file that does not exist fails in tests, not in a reader's browser.
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        static("css/no-such-file.css")


# gunicorn --------------------------------------------------------------------------------------------------------


def test_the_gunicorn_config_binds_the_loopback_and_reads_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    config = runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:9123"
    assert config["workers"] == 3
    assert config["accesslog"] == "-"
    assert config["wsgi_app"] == "config.wsgi:application"
    # gunicorn ignores a name it does not know, so a typo would pass silently.
    known = {setting.name for setting in gunicorn.config.KNOWN_SETTINGS}
    names = {name for name, value in config.items() if not name.startswith("_") and not inspect.ismodule(value)}
    assert names <= known, names - known


def test_the_gunicorn_master_freezes_what_it_loaded_before_each_fork():
    config = runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.conf.py"))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        config["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_gunicorn_loads_the_app_with_this_config(tmp_path):
    gunicorn_bin = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    result = subprocess.run(
        [gunicorn_bin, "--check-config", "--config", "config/gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_healthz_is_exempt_from_the_https_redirect_by_name():
    # The exemption is a regular expression on the path: it must keep matching the URL the health check uses.
    path = reverse("healthz").lstrip("/")
    assert any(re.search(pattern, path) for pattern in settings.SECURE_REDIRECT_EXEMPT)
