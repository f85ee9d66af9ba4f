"""Settings for the briefings desk, read from the environment (see .env.example).

Production differs from development only by environment variables.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# The environment wins over the file. DJANGO_ENV_FILE names another file, or none when empty: the test suite reads
# no developer's .env (config/test_settings.py).
ENV_FILE = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set, and DJANGO_DEBUG is off. For local development run `make run` once: it "
            "writes a .env with DJANGO_DEBUG=1 and a fresh key. In production set DJANGO_SECRET_KEY in the "
            "environment (see .env.example)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Content in English and Spanish, column beside column (briefings/translation.py); before the admin, as it asks.
    "modeltranslation",
    "briefings.apps.DeskAdminConfig",  # django.contrib.admin, with the desk's site (labelled pickers)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "reversion",
    "csp",
    "axes",
    # Only so that the API docs page (/api/docs) serves Swagger UI from Ninja's static files, not a CDN.
    "ninja",
    # Long jobs (CBP uploads) run outside the request: Django's task framework, backported (see TASKS).
    "django_tasks",
    "django_tasks_db",
    "briefings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions or the database are touched (see STORAGES).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Marks requests that only read, so on SQLite their transactions never queue for the write lock.
    "briefings.sqlite.middleware.ReadingRequestMiddleware",
    # Stored public pages are answered here too, for about what a static file costs (briefings/page_cache/).
    "briefings.page_cache.middleware.PageCacheMiddleware",
    "briefings.security.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of a public page is its address's (/es/…); the admin and API negotiate it.
    "briefings.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    # The public pages: Jinja2 compiles each template to Python once (README, “Rendering”).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "briefings.templating.environment",
            "context_processors": ["briefings.context_processors.site", "briefings.context_processors.catalogue"],
        },
    },
    # The admin, the API's documentation page and the sitemaps: Django's templates.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "briefings.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Keep each process's connection open between requests (seconds; 0 closes it after each request), checked before
# reuse: opening a PostgreSQL connection costs more than most pages' queries.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite that takes concurrent writers: readers never wait for a writer (WAL), and a transaction takes the
    # write lock when it begins (IMMEDIATE) and waits up to `timeout` seconds for it, so two saves at once queue
    # instead of one failing with "database is locked" halfway through. The desk's backend (briefings/sqlite/)
    # begins the transactions of requests that only read DEFERRED, so they never queue behind a writer.
    DATABASES["default"]["ENGINE"] = "briefings.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("DJANGO_SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# Background tasks (briefings/encounters/importer/jobs.py): stored in the database and run by
# `manage.py db_worker`, which `make run` and `make serve` start beside the server. A deployment that outgrows one
# machine names another backend here (e.g. django-tasks-rq with Redis). Uploads wait in MEDIA_ROOT until imported,
# so the worker must see the same directory as the web processes.
TASKS = {"default": {"BACKEND": env.str("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# The review page of a report posts a few fields per proposal; a 15,000-word report (the most the ingest assistant
# reads) makes several thousand. Django's default of 1,000 would refuse it with a 400 and lose the desk's review.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
MEDIA_URL = "/media/"

# The public page cache (briefings/page_cache/): local memory (one per process) by default; Redis in production,
# e.g. redis://127.0.0.1:6379/1?timeout=600. django-environ would pick django-redis for redis:// if it happened to
# be installed: the desk uses Django's own backend (it needs the `redis` package), and since django-environ 0.14
# lower-cases TIMEOUT and KEY_PREFIX for that backend, where Django ignores them, the top-level keys are put back.
CACHE_URL = env.str("CACHE_URL", default="") or "locmemcache://"
_cache_backend = "django.core.cache.backends.redis.RedisCache" if CACHE_URL.startswith(("redis", "valkey")) else None
CACHES = {
    "default": {key.upper(): value for key, value in env.cache_url_config(CACHE_URL, backend=_cache_backend).items()}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it counts failed logins and refuses locked-out ones before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The desk's content: English is the language of record; a field with no Spanish yet is read in English, and the
# page marks it `lang="en"` (briefings/translation.py, briefings/languages.py).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# In production `collectstatic` writes each file under a name with its content hash, plus gzip copies, and
# WhiteNoise serves them with a far-future Cache-Control; with DEBUG on, files are served as they are.
# Photos (briefings/models/photos.py): the renditions pages show are public; the originals staff upload (which
# may carry EXIF, a phone's GPS position among it) are never served. Kept on this machine's disk by default:
# renditions under MEDIA_ROOT/photos/, served at /media/photos/ (config/urls.py; a busy site lets its web server do
# it), originals under MEDIA_ROOT/photo-originals/. With PHOTOS_STORAGE=s3 both go to S3-compatible object storage
# through django-storages (its AWS_* settings): renditions public, originals private. The rest of MEDIA_ROOT (CBP
# files waiting to be imported) is never served either.
PHOTOS_STORAGE = env.str("PHOTOS_STORAGE", default="local")


def photo_storages(kind: str, media_root) -> dict:
    """The "photos" and "photo_originals" storages for PHOTOS_STORAGE `kind`, and the origins images come from."""
    if kind == "local":
        root = Path(str(media_root))
        return {
            "photos": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": root / "photos", "base_url": f"{MEDIA_URL}photos/"},
            },
            "photo_originals": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": root / "photo-originals", "base_url": None},
            },
        }
    if kind != "s3":
        raise ImproperlyConfigured(f"PHOTOS_STORAGE is “{kind}”: it must be “local” or “s3”.")
    common = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "file_overwrite": False,
    }
    return {
        "photos": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "photos",
                "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
                "default_acl": "public-read",
                "querystring_auth": False,  # public renditions: plain, cacheable URLs
            },
        },
        "photo_originals": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "photo-originals", "default_acl": "private", "querystring_auth": True},
        },
    }


def photo_origins(kind: str) -> list[str]:
    """Where a browser may fetch renditions from, for the Content-Security-Policy's img-src."""
    if kind != "s3":
        return []
    if domain := env.str("AWS_S3_CUSTOM_DOMAIN", default=""):
        return [f"https://{domain}"]
    bucket, region = env.str("AWS_STORAGE_BUCKET_NAME"), env.str("AWS_S3_REGION_NAME", default="")
    if endpoint := env.str("AWS_S3_ENDPOINT_URL", default=""):
        parts = urlsplit(endpoint)  # path-style (the endpoint's host) or virtual-hosted (the bucket's under it)
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    hosts = [f"{bucket}.s3.amazonaws.com", *([f"{bucket}.s3.{region}.amazonaws.com", f"s3.{region}.amazonaws.com"]
                                             if region else [])]  # fmt: skip
    return [f"https://{host}" for host in hosts]


PHOTOS_ORIGINS = photo_origins(PHOTOS_STORAGE)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    **photo_storages(PHOTOS_STORAGE, MEDIA_ROOT),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SITE_NAME = env.str("SITE_NAME", default="Border Briefings Desk")
BRIEFINGS_PER_PAGE = 20

# Security ---------------------------------------------------------------------------------------------------------
# What every response tells browsers (README "Deployment"); `manage.py check --deploy` passes with these.

# HTTPS. Behind a proxy that terminates TLS, set DJANGO_SECURE_PROXY_SSL_HEADER to the header it sets, e.g.
# "HTTP_X_FORWARDED_PROTO,https", so that Django knows which requests came in over HTTPS.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# A health check talks plain HTTP to the app server itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
_proxy_ssl_header = env.list("DJANGO_SECURE_PROXY_SSL_HEADER", default=[])
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured(
        "DJANGO_SECURE_PROXY_SSL_HEADER takes a header and the value that means HTTPS, "
        "e.g. HTTP_X_FORWARDED_PROTO,https"
    )
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) or None
# How many reverse proxies append to X-Forwarded-For; the client's address for login lockouts is taken from
# there (briefings/security.py). 0: the address the app server sees.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# A year, and the domain's subdomains too: what the HSTS preload list asks for. Only sent over HTTPS.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# No script of the site reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): nothing but this site's own files, and no inline script or style
# anywhere, the admin and the API docs included (tests/test_security_headers.py checks the pages). The API docs
# view adds `img-src data:` for the icons inside Swagger UI's stylesheet (briefings/api/__init__.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *PHOTOS_ORIGINS],
        # The admin's autocomplete widgets and Swagger UI fetch JSON from this site.
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

# The only login is the admin's: after it, and when a `next=` it was given is refused as unsafe, staff land on the
# admin's index rather than Django's default /accounts/profile/ (which does not exist here).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Admin login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from one address,
# that username is refused from that address (even with the right password) for AXES_COOLOFF_MINUTES. Keyed on
# both, so that one attacker cannot lock a colleague out from elsewhere, nor a whole office behind one address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "briefings.security.client_ip"
AXES_LOCKOUT_CALLABLE = "briefings.security.lockout_response"

# The desk's own events (publish, unpublish, correction, import, restore, cache refresh: briefings/log.py) at INFO,
# one `key=value` line each; everything else from WARNING.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "loggers": {"briefings": {"level": env.str("BRIEFINGS_LOG_LEVEL", default="INFO")}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
