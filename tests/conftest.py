import functools
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.template.backends import jinja2 as jinja2_backend
from django.test import override_settings
from django.test.signals import template_rendered
from django.utils import timezone

from briefings import page_cache
from briefings.encounters.importer import encounters_import
from briefings.models import Briefing, Correction
from briefings.roles import (
    AUDIT_PERMISSION,
    EDITORS,
    PUBLISHERS,
    correction_permission_codenames,
    encounter_permission_codenames,
    permission_codenames,
    review_permission_codenames,
)

from .factories import UserFactory, build_site


@pytest.fixture(autouse=True, scope="session")
def _served_over_plain_http_with_unhashed_static_files():
    """The test client (and a live server) talk plain HTTP and find static files where they are, as under
    `make run`, whether or not DJANGO_DEBUG was on when the settings were read: production's HTTPS redirect and
    collected, hashed static files are tested in tests/test_deployment.py."""
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,  # photos: under the run's own MEDIA_ROOT (config/test_settings.py)
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        # Looks for files at request time instead of scanning STATIC_ROOT (absent before collectstatic) at start.
        WHITENOISE_AUTOREFRESH=True,
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def _jinja2_templates_report_their_context():
    """The test client's `response.context` and `templates` for the public pages too: Django instruments its own
    template engine for tests (django.test.utils.setup_test_environment), not Jinja2's; this sends the same
    signal from a Jinja2 template's render."""
    render = jinja2_backend.Template.render

    def instrumented(self, context=None, request=None):
        context = {} if context is None else context
        html = render(self, context, request)
        template_rendered.send(sender=self, template=self.template, context=context)
        return html

    jinja2_backend.Template.render = instrumented
    yield
    jinja2_backend.Template.render = render


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached pages (briefings/page_cache/), as if the site had just started."""
    cache.clear()
    page_cache.forget_content_state()


@pytest.fixture
def site(db):
    """Three published briefings and all they refer to, beside a draft and a scheduled one (build_site)."""
    return build_site(briefings=3)


@pytest.fixture(scope="session")
def seed_rows(django_db_setup, django_db_blocker):
    """The rows the seed report adds to a new database, found once per test process: loaded the way a deployment
    loads it (`load_initial_data`, which checks every record), read, and rolled back: ({table: (columns, rows)},
    the content types they were read with). None if loading changed a row that was there before (then it cannot be
    replayed as inserts)."""
    with django_db_blocker.unblock(), transaction.atomic():
        before = _table_rows()
        call_command("load_initial_data", verbosity=0)
        after = _table_rows()
        content_types = _content_types()
        transaction.set_rollback(True)
    if any(set(rows) - set(after[table][1]) for table, (_columns, rows) in before.items()):
        return None
    added = {
        table: (columns, [row for key, row in rows.items() if key not in before[table][1]])
        for table, (columns, rows) in after.items()
        if set(rows) - set(before[table][1])
    }
    return added, content_types


@pytest.fixture
def seed(db, seed_rows):
    """The seed report, as `load_initial_data` loads it into a new database: the rows it adds, inserted as they are
    (a load checks every record and takes about a second; tests/test_load_initial_data.py tests the load itself,
    and test_the_suites_seed_is_what_load_initial_data_loads that these rows are what it loads)."""
    # The history's rows name content types by id: a test that flushed the database (a live server's) made them
    # anew, under other ids, and then only a real load will do.
    if seed_rows is None or seed_rows[1] != _content_types():
        call_command("load_initial_data", verbosity=0)
        return
    added, _ids = seed_rows
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:  # foreign keys are checked at the end
        for table, (columns, rows) in added.items():
            names = ", ".join(quote(column) for column in columns)
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})", rows)
        tables = set(added)
        models = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in tables]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):  # PostgreSQL: ids after these
            cursor.execute(statement)


def _content_types():
    return set(ContentType.objects.values_list("app_label", "model", "pk"))


def _table_rows():
    """Every row of every table of a Django model, by table: (column names, {row as text: row})."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True, include_views=False)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            tables[table] = (columns, {repr(row): row for row in map(tuple, cursor.fetchall())})
    return tables


# Each role's permissions, as the migrations grant them (briefings/roles.py).
ROLE_PERMISSIONS = [
    permission_codenames,
    encounter_permission_codenames,
    correction_permission_codenames,
    review_permission_codenames,
    lambda name: [AUDIT_PERMISSION],
]


def staff_group(name):
    """The migrations' group `name`, with its permissions; made again when a test that flushed the database
    (a transactional one) took it away before this test ran on the same worker."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        codenames = [codename for role in ROLE_PERMISSIONS for codename in role(name)]
        group.permissions.set(Permission.objects.filter(content_type__app_label="briefings", codename__in=codenames))
    return group


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor")
    user.groups.add(staff_group(EDITORS))
    return user


@pytest.fixture
def publisher(db):
    user = UserFactory(username="publisher")
    user.groups.add(staff_group(PUBLISHERS))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the writes inside registered for their commit, as a real commit would."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


CBP_SAMPLE = Path(settings.BASE_DIR) / "tests" / "data" / "cbp-encounters-sample.csv"


@pytest.fixture
def public_site(seed):
    """The seed report as a deployment loads it, CBP's sample counts through the real importer (so /encounters/
    has charts of more than one month), and a correction on the seed briefing (so /corrections/ lists one)."""
    with CBP_SAMPLE.open("rb") as sample:
        encounters_import(file=sample, name=CBP_SAMPLE.name)
    briefing = Briefing.objects.published().get()
    Correction.objects.create(
        briefing=briefing,
        figure=briefing.figures.first(),
        published_at=timezone.now(),
        text="An earlier version gave the wrong month for this figure.",
    )
    return briefing
