import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from briefings import page_cache
from briefings.roles import EDITORS, PUBLISHERS

from .factories import UserFactory


@pytest.fixture(autouse=True, scope="session")
def _served_over_plain_http_with_unhashed_static_files():
    """The test client (and a live server) talk plain HTTP and find static files where they are, as under
    `make run`, whether or not DJANGO_DEBUG was on when the settings were read: production's HTTPS redirect and
    collected, hashed static files are tested in tests/test_deployment.py."""
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        # Looks for files at request time instead of scanning STATIC_ROOT (absent before collectstatic) at start.
        WHITENOISE_AUTOREFRESH=True,
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached pages (briefings/page_cache.py), as if the site had just started."""
    cache.clear()
    page_cache.forget_content_state()


@pytest.fixture
def seed(db):
    """The seed report, loaded the way a new deployment loads it."""
    call_command("load_initial_data", verbosity=0)


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def publisher(db):
    user = UserFactory(username="publisher")
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True)
