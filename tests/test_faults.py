"""The desk keeps serving through faults and hostile input: no 500, no lost work.

The database is made unreachable here by making every attempt to use it fail as a lost connection does
(`OperationalError` from the driver), after the pages a reader read before are in the cache.
"""

import contextlib
import csv
import io
import json
import logging
import socket
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from briefings import services
from briefings.encounters.tables import spreadsheet_safe

from .factories import EncounterCountFactory, build_site
from .processes import clean_env
from .test_pages import parse

pytestmark = pytest.mark.django_db
REFUSED = "connection to server at 127.0.0.1, port 5432 failed: Connection refused"


@pytest.fixture
def database_away(monkeypatch):
    """`with database_away():` every query and every new connection fails, as when the server is down."""

    def refuse(*args, **kwargs):
        raise OperationalError(REFUSED)

    @contextlib.contextmanager
    def away():
        with monkeypatch.context() as patched:
            for name in ("execute", "executemany", "callproc"):
                patched.setattr(CursorWrapper, name, refuse)
            patched.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
            yield

    return away


@pytest.fixture
def reader():
    """A reader's browser as the server meets it: errors come back as pages, not as exceptions in the test."""
    return Client(raise_request_exception=False)


def test_while_the_database_is_away_a_stored_page_is_served_and_marked(reader, site, database_away):
    url = site.briefings[0].get_absolute_url()
    fresh = reader.get(url)
    assert fresh.status_code == 200
    with database_away():
        stale = reader.get(url)
    assert stale.status_code == 200
    assert stale["X-Page-Cache"] == "stale"
    assert stale.content == fresh.content
    assert "X-Page-Cache" not in reader.get(url)  # the database is back: fresh again


def test_a_page_unpublished_since_it_was_stored_is_not_served_while_the_database_is_away(
    reader, site, database_away, publisher, django_capture_on_commit_callbacks
):
    briefing = site.briefings[0]
    url = briefing.get_absolute_url()
    assert reader.get(url).status_code == 200  # stored
    with django_capture_on_commit_callbacks(execute=True):  # the cache learns of a write when it is committed
        services.briefing_unpublish(briefing=briefing, user=publisher)
    assert reader.get(url).status_code == 404
    with database_away():
        away = reader.get(url)
    assert away.status_code == 503
    assert "X-Page-Cache" not in away


def test_while_the_database_is_away_anything_else_is_a_short_503_not_a_500(reader, site, database_away):
    reader.get(reverse("briefings:home"))
    with database_away():
        page = reader.get(reverse("briefings:topic-list"))  # never stored
        search = reader.get(reverse("briefings:search"), {"q": "Darién"})  # never cached
        api = reader.get("/api/briefings")
        api_detail = reader.get(f"/api/briefings/{site.briefings[0].slug}")
    for response in (page, search):
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
        assert response["Content-Type"].startswith("text/html")
        assert "<h1>Briefly unavailable</h1>" in response.content.decode()
        assert parse(response).html_lang == "en"
    for response in (api, api_detail):
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
        assert "unavailable" in response.json()["detail"]


def test_every_answer_given_without_the_database_is_logged_with_its_reason(reader, site, database_away, caplog):
    url = site.briefings[0].get_absolute_url()
    reader.get(url)
    caplog.set_level(logging.WARNING)
    with database_away():
        reader.get(url)  # stored: served stale, which Django does not log
        reader.get(reverse("briefings:topic-list"))  # never stored: a 503
        reader.get("/api/briefings")  # the request's transaction fails to open: Django's own handler
    ours = [record for record in caplog.records if record.name == "briefings"]
    assert [record.getMessage() for record in ours] == [
        f'database unavailable path={url} served=stale error="{REFUSED}"',
        f'database unavailable path={reverse("briefings:topic-list")} served=503 error="{REFUSED}"',
    ]
    assert {record.levelno for record in ours} == {logging.WARNING}
    djangos = {record.getMessage(): record for record in caplog.records if record.name == "django.request"}
    assert djangos["Service Unavailable: /api/briefings"].exc_info  # with its traceback
    assert "Service Unavailable: /topics/" in djangos


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_server_that_refuses_connections_is_served_around(reader):
    """The real thing on PostgreSQL: the connection is closed and pointed at a port where no server listens."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL server to stop answering")
    site = build_site(briefings=2)
    url = site.briefings[0].get_absolute_url()
    fresh = reader.get(url)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(closed_port)
    try:
        stale = reader.get(url)
        missing = reader.get(reverse("briefings:topic-list"))
        api = reader.get("/api/briefings")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert (stale.status_code, stale["X-Page-Cache"], stale.content) == (200, "stale", fresh.content)
    assert missing.status_code == 503 and int(missing["Retry-After"]) > 0
    assert api.status_code == 503 and "unavailable" in api.json()["detail"]
    assert reader.get(reverse("briefings:topic-list")).status_code == 200  # back by itself


def test_staff_get_the_503_too_while_the_database_is_away(client, publisher, database_away):
    client.force_login(publisher)
    staff = Client(raise_request_exception=False)
    staff.cookies = client.cookies
    with database_away():
        response = staff.get(reverse("admin:briefings_briefing_changelist"))
    assert response.status_code == 503


def test_a_bad_host_under_the_api_is_a_json_400(reader):
    for host in ("evil.example", ""):
        response = reader.get("/api/briefings", HTTP_HOST=host)
        assert response.status_code == 400, host
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]
    page = reader.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


# --- hostile input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("parameter", ["topic", "place", "organization", "person"])
def test_a_nul_character_in_a_filter_is_a_404_on_every_database(reader, site, parameter):
    response = reader.get(reverse("briefings:briefing-list"), {parameter: "darien\x00gap"})
    assert response.status_code == 404


def test_a_second_page_of_an_empty_search_is_the_one_page(reader, db):
    response = reader.get(reverse("briefings:search"), {"q": "", "page": "2"})
    assert response.status_code == 200


def test_a_refused_next_after_login_lands_on_the_admin(client, publisher):
    publisher.set_password("a long passphrase")
    publisher.save()
    response = client.post(
        f"{reverse('admin:login')}?next=https://evil.example/",
        {"username": publisher.username, "password": "a long passphrase", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_downloads_neutralise_cells_a_spreadsheet_would_run_as_formulas(client, db):
    hostile = ["=1+2+cmd|' /C calc'!A0", "+SUM(A1)", "-2+3", "@IMPORTRANGE()", "\tTAB"]
    for number, citizenship in enumerate(hostile):
        EncounterCountFactory(citizenship=citizenship, encounter_count=10 + number)
    response = client.get(reverse("briefings:encounter-table-csv", args=["citizenships"]), {"region": "all"})
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    for citizenship in hostile:
        assert "'" + citizenship in cells
        assert citizenship not in cells
    # the counts stay numbers
    assert "10" in cells
    assert spreadsheet_safe("\rCR") == "'\rCR"
    assert spreadsheet_safe("MEXICO") == "MEXICO" and spreadsheet_safe(-5) == -5


def test_noise_in_the_query_string_neither_bypasses_the_cache_nor_reaches_the_page(
    client, site, django_assert_num_queries
):
    url = reverse("briefings:briefing-list")
    client.get(url, {"topic": site.topic.slug, "utm_source": "feed"})
    with django_assert_num_queries(1):  # the content state: a stored page
        response = client.get(url, {"topic": site.topic.slug, "utm_source": "x7f3", "fbclid": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "utm_source" not in html and "fbclid" not in html
    assert f'rel="canonical" href="http://testserver{url}?topic={site.topic.slug}"' in html
    # a parameter the page reads still makes a page of its own
    other = client.get(url, {"topic": "no-such-topic"})
    assert other.status_code == 404


# --- SQLite with concurrent writers -----------------------------------------------------------------------------

# The start of each script below: the seed report on a new SQLite file, a superuser, its briefing.
ON_A_SQLITE_FILE = """
import json, sqlite3, sys, threading, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_initial_data", verbosity=0)
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from briefings.models import Briefing

user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x")
briefing = Briefing.objects.get()
"""


def run_on_a_sqlite_file(script: str, database, **variables) -> dict:
    """Run ON_A_SQLITE_FILE + `script` in a process of its own on the SQLite file `database`; the JSON it prints
    last."""
    env = clean_env(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SECRET_KEY="a-key-for-this-test-only",
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="testserver",
        **variables,
    )
    result = subprocess.run(
        [sys.executable, "-c", ON_A_SQLITE_FILE + script, str(database)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


TWO_EDITORS = """
from briefings.admin.briefings import BriefingAdmin
from tests.html_forms import form_data

url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
saving = BriefingAdmin.save_model


def slow_save(self, request, obj, form, change):
    # The first editor's save holds its transaction open a while, so the second arrives in the middle of it.
    saving(self, request, obj, form, change)
    if request.POST.get("dek_en") == "The first editor's dek.":
        time.sleep(1.0)


BriefingAdmin.save_model = slow_save
editors = []
for _ in range(2):
    browser = Client(raise_request_exception=False)
    browser.force_login(user)
    editors.append((browser, form_data(browser.get(url).content.decode(), "briefing_form")))
answers = {}


def save(name, browser, data):
    response = browser.post(url, data)
    told = "Someone saved this briefing after you opened it" in response.content.decode()
    answers[name] = [response.status_code, told]


(first_browser, first_form), (second_browser, second_form) = editors
first_form["dek_en"] = "The first editor's dek."
second_form["headline_en"] = "The second's headline"
first = threading.Thread(target=save, args=("first", first_browser, first_form))
second = threading.Thread(target=save, args=("second", second_browser, second_form))
first.start()
time.sleep(0.3)
second.start()
first.join()
second.join()
briefing.refresh_from_db()
answers["stored"] = [briefing.dek, briefing.headline]
print(json.dumps(answers))
"""


def test_two_editors_saving_at_once_on_a_sqlite_file_queue_and_the_second_is_told(tmp_path):
    """Two real writers on one SQLite file: the second save waits for the first instead of failing with
    "database is locked", then gets the stale-save guard's answer, as on PostgreSQL, and keeps what it typed."""
    answers = run_on_a_sqlite_file(TWO_EDITORS, tmp_path / "desk.sqlite3")
    assert answers["first"] == [302, False]
    assert answers["second"] == [200, True]  # refused with the guard's message, the form kept
    assert answers["stored"][0] == "The first editor's dek."
    assert answers["stored"][1] != "The second's headline"
    with sqlite3.connect(tmp_path / "desk.sqlite3") as database:
        assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


READING_DURING_AN_IMPORT = """
connection.close()
pages = [
    reverse("admin:index"),
    reverse("admin:briefings_briefing_changelist"),
    reverse("admin:briefings_briefing_change", args=[briefing.pk]),
    reverse("admin:briefings_encountercount_import"),
    "/search/?q=darien",
    "/api/briefings",
]
# What a worker's import does to SQLite: it holds the write lock for as long as its transaction runs.
held, release = threading.Event(), threading.Event()


def import_in_progress():
    worker = sqlite3.connect(sys.argv[1], isolation_level=None)
    worker.execute("BEGIN IMMEDIATE")
    worker.execute("UPDATE django_session SET expire_date = expire_date")
    held.set()
    release.wait()
    worker.execute("COMMIT")


browser = Client(raise_request_exception=False)
browser.force_login(user)  # before the import begins: a login writes
threading.Thread(target=import_in_progress, daemon=True).start()
held.wait()
answers = {}
try:
    for url in pages:
        started = time.perf_counter()
        response = browser.get(url)
        answers[url] = [response.status_code, round(time.perf_counter() - started, 2)]
finally:
    release.set()
print(json.dumps(answers))
"""


def test_editors_and_readers_are_answered_while_an_import_holds_sqlites_write_lock(tmp_path):
    """The worker's import holds SQLite's only write lock; the admin's pages, search and the API only read, so they
    are answered at once instead of queueing behind it until the busy timeout ends in a 503."""
    answers = run_on_a_sqlite_file(READING_DURING_AN_IMPORT, tmp_path / "desk.sqlite3", DJANGO_SQLITE_TIMEOUT="3")
    assert len(answers) == 6
    for url, (status, seconds) in answers.items():
        assert status == 200, f"{url} answered {status} while the write lock was held"
        # The lock is held until every page has been read, so a request that queued for it would wait out the
        # whole busy timeout (3 s) and fail; page times themselves vary with the machine's load.
        assert seconds < 3, f"{url} waited {seconds} s for the write lock"


def test_the_sqlite_settings_queue_writers():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's settings")
    assert settings.DATABASES["default"]["ENGINE"] == "briefings.sqlite"
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]
