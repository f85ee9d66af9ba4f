"""The public page cache (briefings/page_cache/): what is cached, for whom, and that every change to what the
pages show reaches the next reader, including a scheduled publication that comes with no write at all.

A page served from the cache costs HIT queries: the content generation alone.
Writes in these tests run inside the test's transaction, which never commits, so a test that needs the bump a
commit brings runs its writes under `committed()` (on-commit callbacks run when the block ends).
"""

import datetime
import json
import subprocess
import sys
import uuid
from types import ModuleType
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, resolve, reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from reversion.models import Version

from briefings import page_cache, services
from briefings.models import (
    Briefing,
    ContentGeneration,
    Correction,
    EncounterArea,
    EncounterAreaTotal,
    EncounterCount,
    EncounterImportJob,
    EncounterRegionTotal,
    Figure,
    PendingChange,
    SeedRecord,
    Topic,
)
from briefings.page_cache import signals

from .factories import (
    BriefingFactory,
    FigureFactory,
    MeasureFactory,
    MetricFactory,
    OrganizationFactory,
    PersonFactory,
    PhotoFactory,
    PlaceFactory,
    QuoteFactory,
    RewardOfferFactory,
    RewardProgramFactory,
    SourceFactory,
    TipChannelFactory,
    TopicFactory,
    UserFactory,
)
from .html_forms import form_data
from .processes import clean_env

pytestmark = pytest.mark.django_db

# A stored page costs one query, the content state: no transaction (ATOMIC_REQUESTS wraps views only), no view.
HIT = 1


def generation():
    return ContentGeneration.objects.filter(pk=ContentGeneration.ROW).values_list("number", flat=True).first() or 0


def cached(client, url, django_assert_num_queries, **headers):
    """GET `url` twice; the second answer must come from the cache. Returns the page's text."""
    first = client.get(url, headers=headers)
    assert first.status_code == 200, url
    with django_assert_num_queries(HIT, info=url):
        second = client.get(url, headers=headers)
    assert second.content == first.content, url
    return first.content.decode()


def admin_url(model, view, *args):
    return reverse(f"admin:briefings_{model}_{view}", args=args)


def admin_save(client, url, form_id, **changes):
    """Post the admin form at `url` back as a browser would, with `changes`; returns the response."""
    page = client.get(url)
    assert page.status_code == 200, url
    return client.post(url, form_data(page.content.decode(), form_id) | changes | {"_save": "Save"})


# --- What is cached, and for whom -------------------------------------------------------------------------------


def every_cached_address(site):
    briefing = site.briefings[0]
    return [
        reverse("briefings:home"),
        reverse("briefings:briefing-list"),
        f"{reverse('briefings:briefing-list')}?topic={site.topic.slug}",
        briefing.get_absolute_url(),
        reverse("briefings:figure-list"),
        site.figures[0].get_absolute_url(),
        site.metric.get_absolute_url(),
        reverse("briefings:reward-list"),
        site.program.get_absolute_url(),
        site.offers[0].get_absolute_url(),
        site.topic.get_absolute_url(),
        site.country.get_absolute_url(),
        site.agency.get_absolute_url(),
        site.person.get_absolute_url(),
        site.measure.get_absolute_url(),
        site.source.get_absolute_url(),
        reverse("briefings:correction-list"),
        reverse("briefings:feed-rss"),
        reverse("briefings:feed-atom"),
        reverse("briefings:topic-feed-rss", args=[site.topic.slug]),
        reverse("briefings:place-feed-atom", args=[site.country.slug]),
        reverse("sitemap"),
        reverse("news-sitemap"),
        reverse("briefings:encounters"),
        reverse("briefings:encounter-table-csv", args=["monthly"]),
        reverse("briefings:encounter-data"),
    ]


def test_every_public_page_feed_and_sitemap_is_served_from_the_cache(client, site, django_assert_num_queries):
    for url in every_cached_address(site):
        cached(client, url, django_assert_num_queries)


def test_a_cached_page_is_served_without_running_the_view(client, site, django_assert_num_queries):
    briefing = site.briefings[0]
    cached(client, briefing.get_absolute_url(), django_assert_num_queries)
    # A write no signal sees: only the cache can explain the old headline.
    Briefing.objects.filter(pk=briefing.pk).update(headline="A headline written behind the cache's back")
    assert briefing.headline in client.get(briefing.get_absolute_url()).content.decode()


def test_a_hit_reads_the_generation_row_alone(client, site):
    """The scheduled times are read once per process and generation, not on every hit."""
    url = site.briefings[0].get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    (query,) = queries
    assert "contentgeneration" in query["sql"]
    assert "briefings_briefing" not in query["sql"] and "briefings_correction" not in query["sql"]


def test_a_write_no_signal_sees_shows_once_the_generation_moves(client, site, committed):
    """A moved generation row makes the whole state, scheduled times included, be read again."""
    briefing = site.briefings[0]
    cached_home = client.get("/").content.decode()
    assert briefing.headline in cached_home
    later = timezone.now() + datetime.timedelta(minutes=30)  # before the site's scheduled briefing
    # Rescheduled behind the signals' back: the stored state (no scheduled time) still holds, so does the page.
    Briefing.objects.filter(pk=briefing.pk).update(published_at=later)
    assert client.get("/").content.decode() == cached_home
    with committed():
        page_cache.content_changed()
    assert briefing.headline not in client.get("/").content.decode()
    assert page_cache.content_state(timezone.now()).next_change_at == later


def test_addresses_that_are_not_cached_pay_nothing_for_the_cache(client, site):
    """The admin login, the API and search are answered as if there were no page cache: no content-state query."""
    for address in ("/admin/login/", "/api/briefings", "/search/?q=border", "/robots.txt"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200, address
        assert not [query for query in queries if "contentgeneration" in query["sql"]], address


def test_a_stored_page_keeps_every_security_header(client, site, settings):
    """Stored pages are answered before most middleware runs: they must carry the same headers all the same."""
    settings.SECURE_HSTS_SECONDS = 31_536_000  # as in production, whatever DJANGO_DEBUG says here
    url = site.briefings[0].get_absolute_url()
    first, second = client.get(url, secure=True), client.get(url, secure=True)
    assert second.content == first.content
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Strict-Transport-Security",
        "Content-Type",
    ):
        assert second.headers.get(header) == first.headers.get(header) is not None, header


def test_logged_in_users_neither_read_nor_fill_the_cache(client, site, editor, django_assert_num_queries):
    briefing = site.briefings[0]
    url = briefing.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    Briefing.objects.filter(pk=briefing.pk).update(headline="Seen by staff at once")

    client.force_login(editor)
    staff_page = client.get(url)
    assert "Seen by staff at once" in staff_page.content.decode()
    assert not staff_page.has_header("ETag")

    client.logout()
    assert briefing.headline in client.get(url).content.decode()  # readers still get the cached page

    # What a logged-in user was shown is not stored for readers.
    topic_url = site.topic.get_absolute_url()
    client.force_login(UserFactory(username="reader", is_staff=False))
    assert client.get(topic_url).status_code == 200
    client.logout()
    Topic.objects.filter(pk=site.topic.pk).update(name="Renamed after a logged-in visit")
    assert "Renamed after a logged-in visit" in client.get(topic_url).content.decode()


def test_a_preview_is_never_cached(client, site, editor):
    draft = site.hidden_briefings[0]
    url = draft.get_absolute_url()
    client.force_login(editor)
    preview = client.get(url)
    assert "Preview — not published" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(editor)
    Briefing.objects.filter(pk=draft.pk).update(headline="The draft, rewritten")
    assert "The draft, rewritten" in client.get(url).content.decode()


def test_with_caching_turned_off_a_page_goes_to_its_view_and_reads_no_content_state(client, site, settings):
    """CACHE_URL=dummycache:// (the benchmark's uncached runs): nothing can be stored or served, so the middleware
    reads nothing; it still drops the query parameters the page does not read."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    topic = site.topic
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{topic.get_absolute_url()}?utm_source=feed")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert not [query for query in queries if ContentGeneration._meta.db_table in query["sql"]]
    assert "utm_source" not in response.content.decode()
    assert topic.name in response.content.decode()


def test_the_admin_is_never_cached(client, site, superuser):
    client.force_login(superuser)
    url = admin_url("briefing", "changelist")
    assert site.briefings[0].headline in client.get(url).content.decode()
    Briefing.objects.filter(pk=site.briefings[0].pk).update(headline="Renamed where the admin can see it")
    response = client.get(url)
    assert "Renamed where the admin can see it" in response.content.decode()
    assert not response.has_header("ETag")


def test_search_is_not_cached(client, site):
    briefing = site.briefings[0]
    url = f"{reverse('briefings:search')}?q=zebrafish"
    assert briefing.get_absolute_url() not in client.get(url).content.decode()
    # The search indexes follow the row (triggers), and no signal is sent: only an uncached page can show it.
    Briefing.objects.filter(pk=briefing.pk).update(headline="Zebrafish cross the border")
    response = client.get(url)
    assert briefing.get_absolute_url() in response.content.decode()
    assert not response.has_header("ETag")


def test_a_post_is_not_answered_from_the_cache(client, site):
    url = reverse("briefings:home")
    client.get(url)
    response = client.post(url)
    assert response.status_code == 405
    assert not response.has_header("ETag")


def test_head_is_answered_from_the_cache_without_a_body(client, site, django_assert_num_queries):
    url = site.briefings[0].get_absolute_url()
    page = client.get(url)
    with django_assert_num_queries(HIT):
        head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == page["ETag"]


def test_each_language_is_cached_apart_at_its_own_address(client, site, django_assert_num_queries):
    english = reverse("briefings:briefing-list")
    with translation.override("es"):
        spanish = reverse("briefings:briefing-list")
    assert spanish == f"/es{english}"
    assert '<html lang="es">' in cached(client, spanish, django_assert_num_queries)
    assert '<html lang="en">' in cached(client, english, django_assert_num_queries)
    # The address alone says the language: a browser asking for Spanish at the English address gets English.
    with django_assert_num_queries(HIT):
        page = client.get(english, headers={"accept-language": "es"})
    assert '<html lang="en">' in page.content.decode()
    assert page["Content-Language"] == "en"
    assert "Accept-Language" not in page["Vary"] and "Cookie" in page["Vary"]


def anonymous_request(path="/cache-test/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def counting(view):
    """`view` wrapped by the page cache, and a list that grows by one each time the view itself runs."""
    calls = []

    def counted(request):
        calls.append(request)
        return view(request)

    urlconf = ModuleType("cache_test_urls")
    urlconf.urlpatterns = [path("cache-test/", page_cache.cache_public_page(counted))]
    middleware = page_cache.PageCacheMiddleware(lambda request: resolve(request.path_info, urlconf).func(request))

    def get(request):
        request.urlconf = urlconf  # as a middleware may set it; the page cache resolves the address with it
        return middleware(request)

    return get, calls


@pytest.mark.parametrize(
    ("name", "view", "stored"),
    [
        ("a plain page", lambda request: HttpResponse("the same for everyone"), True),
        ("a page with a CSRF token", lambda request: HttpResponse(f"token {get_token(request)}"), False),
        ("a page that sets a cookie", lambda request: _with_cookie(HttpResponse("hello")), False),
        ("a page kept private", lambda request: _private(HttpResponse("mine")), False),
        ("a redirect", lambda request: HttpResponse(status=302, headers={"Location": "/"}), False),
    ],
)
def test_only_an_answer_the_same_for_every_reader_is_stored(db, name, view, stored):
    cached_view, calls = counting(view)
    cached_view(anonymous_request())
    cached_view(anonymous_request())
    assert len(calls) == (1 if stored else 2), name


def _with_cookie(response):
    response.set_cookie("seen", "yes")
    return response


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def test_a_404_is_not_stored(db):
    def missing(request):
        raise Http404

    cached_view, calls = counting(missing)
    for _attempt in range(2):
        with pytest.raises(Http404):
            cached_view(anonymous_request())
    assert len(calls) == 2


# --- Conditional GET ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        lambda site: reverse("briefings:home"),
        lambda site: site.briefings[0].get_absolute_url(),
        lambda site: reverse("briefings:feed-rss"),
        lambda site: reverse("sitemap"),
        lambda site: reverse("briefings:encounters"),
    ],
)
def test_a_repeated_conditional_request_gets_304(client, site, django_assert_num_queries, address):
    url = address(site)
    page = client.get(url)
    assert page["ETag"].startswith('"')
    assert page["Last-Modified"] == http_date(site.briefings[0].published_at.timestamp())
    assert "no-cache" in page["Cache-Control"]

    with django_assert_num_queries(HIT):
        by_etag = client.get(url, headers={"if-none-match": page["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == page["ETag"]
    by_date = client.get(url, headers={"if-modified-since": page["Last-Modified"]})
    assert by_date.status_code == 304


def test_after_a_change_the_old_validators_get_the_new_page(client, site, committed):
    url = site.briefings[0].get_absolute_url()
    page = client.get(url)
    with committed():
        Briefing.objects.get(pk=site.briefings[0].pk).save()
        services.correction_publish(
            briefing=site.briefings[0],
            text="An earlier version misnamed the sector.",
            user=UserFactory(is_superuser=True),
        )
    for validator in ({"if-none-match": page["ETag"]}, {"if-modified-since": page["Last-Modified"]}):
        fresh = client.get(url, headers=validator)
        assert fresh.status_code == 200
        assert "An earlier version misnamed the sector." in fresh.content.decode()
    assert fresh["ETag"] != page["ETag"]


# --- Every change reaches the next reader --------------------------------------------------------------------------


def test_publishing_shows_the_briefing(client, site, publisher, committed, django_assert_num_queries):
    draft = site.hidden_briefings[0]
    assert draft.headline not in cached(client, "/", django_assert_num_queries)
    with committed():
        services.briefing_publish(briefing=draft, user=publisher)
    assert draft.headline in client.get("/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_unpublishing_hides_the_briefing(client, site, publisher, committed, django_assert_num_queries):
    briefing = site.briefings[0]
    assert briefing.headline in cached(client, reverse("briefings:briefing-list"), django_assert_num_queries)
    cached(client, briefing.get_absolute_url(), django_assert_num_queries)
    with committed():
        services.briefing_unpublish(briefing=briefing, user=publisher)
    assert briefing.headline not in client.get(reverse("briefings:briefing-list")).content.decode()
    assert client.get(briefing.get_absolute_url()).status_code == 404


def test_a_published_correction_shows(client, site, publisher, committed, django_assert_num_queries):
    briefing = site.briefings[0]
    cached(client, briefing.get_absolute_url(), django_assert_num_queries)
    cached(client, reverse("briefings:correction-list"), django_assert_num_queries)
    with committed():
        services.correction_publish(briefing=briefing, text="The count was for March, not April.", user=publisher)
    assert "The count was for March, not April." in client.get(briefing.get_absolute_url()).content.decode()
    assert "The count was for March, not April." in client.get(reverse("briefings:correction-list")).content.decode()


def test_an_edit_in_the_admin_shows(client, site, publisher, committed, django_assert_num_queries):
    briefing = site.briefings[0]
    cached(client, briefing.get_absolute_url(), django_assert_num_queries)
    client.force_login(publisher)
    with committed():
        url = admin_url("briefing", "change", briefing.pk)
        assert admin_save(client, url, "briefing_form", headline_en="Edited in the admin").status_code == 302
    client.logout()
    assert "Edited in the admin" in client.get(briefing.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("model", "record", "field"),
    [
        ("place", lambda site: site.country, "name_en"),
        ("organization", lambda site: site.agency, "name_en"),
        ("person", lambda site: site.person, "name"),
        ("topic", lambda site: site.topic, "name_en"),
        ("source", lambda site: site.source, "title"),
        ("measure", lambda site: site.measure, "name_en"),
    ],
)
def test_an_admin_edit_of_what_a_page_refers_to_shows(
    client, site, superuser, committed, django_assert_num_queries, model, record, field
):
    obj = record(site)
    cached(client, obj.get_absolute_url(), django_assert_num_queries)
    client.force_login(superuser)
    with committed():
        response = admin_save(client, admin_url(model, "change", obj.pk), f"{model}_form", **{field: "Renamed Z"})
        assert response.status_code == 302
    client.logout()
    assert "Renamed Z" in client.get(obj.get_absolute_url()).content.decode()


def test_a_deletion_in_the_admin_shows(client, site, superuser, committed, django_assert_num_queries):
    briefing = site.briefings[0]
    assert briefing.headline in cached(client, "/", django_assert_num_queries)
    client.force_login(superuser)
    with committed():
        response = client.post(admin_url("briefing", "delete", briefing.pk), {"post": "yes"})
        assert response.status_code == 302
    client.logout()
    assert briefing.headline not in client.get("/").content.decode()
    assert client.get(briefing.get_absolute_url()).status_code == 404


def test_restoring_an_earlier_version_shows(client, site, publisher, committed, django_assert_num_queries):
    briefing = site.briefings[0]
    url = admin_url("briefing", "change", briefing.pk)
    client.force_login(publisher)
    admin_save(client, url, "briefing_form", headline_en="First wording")
    admin_save(client, url, "briefing_form", headline_en="Second wording")
    first = Version.objects.get_for_object(briefing).filter(serialized_data__contains="First wording").get()
    client.logout()
    assert "Second wording" in cached(client, briefing.get_absolute_url(), django_assert_num_queries)

    client.force_login(publisher)
    with committed():
        restore = admin_save(client, admin_url("briefing", "revision", briefing.pk, first.pk), "briefing_form")
        assert restore.status_code == 302
    client.logout()
    assert "First wording" in client.get(briefing.get_absolute_url()).content.decode()


def test_recovering_a_deleted_figure_shows(client, site, publisher, committed, django_assert_num_queries):
    figure = site.figures[0]
    url = figure.get_absolute_url()
    client.force_login(publisher)
    admin_save(client, admin_url("figure", "change", figure.pk), "figure_form", position="3")
    assert client.post(admin_url("figure", "delete", figure.pk), {"post": "yes"}).status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    cached(client, site.metric.get_absolute_url(), django_assert_num_queries)

    client.force_login(publisher)
    deleted = Version.objects.get_deleted(Figure).get()
    with committed():
        assert admin_save(client, admin_url("figure", "recover", deleted.pk), "figure_form").status_code == 302
    client.logout()
    assert client.get(url).status_code == 200
    assert url in client.get(site.metric.get_absolute_url()).content.decode()


def test_a_relation_added_shows(client, site, committed, django_assert_num_queries):
    topic = TopicFactory()
    briefing = site.briefings[0]
    assert briefing.headline not in cached(client, topic.get_absolute_url(), django_assert_num_queries)
    with committed():
        briefing.topics.add(topic)
    assert briefing.headline in client.get(topic.get_absolute_url()).content.decode()


def test_loading_the_seed_report_shows(client, db, committed, django_assert_num_queries):
    assert "Briefings" in cached(client, "/", django_assert_num_queries)
    with committed():
        call_command("load_initial_data", verbosity=0)
    assert Briefing.objects.get().headline in client.get("/").content.decode()


def test_loaddata_shows(client, db, committed, tmp_path, django_assert_num_queries):
    cached(client, reverse("briefings:topic-list"), django_assert_num_queries)
    fixture = tmp_path / "topic.json"
    fixture.write_text(
        '[{"model": "briefings.topic", "fields": {"name": "Loaded by loaddata", "slug": "loaded",'
        ' "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}}]'
    )
    with committed():
        call_command("loaddata", str(fixture), verbosity=0)
    assert "Loaded by loaddata" in client.get(reverse("briefings:topic-list")).content.decode()


CBP_FILE = (
    b"fiscal_year,month_grouping,month_abbv,component,land_border_region,area_of_responsibility,aor_abbv,"
    b"demographic,citizenship,title_of_authority,encounter_type,encounter_count\n"
    b"2024,FYTD,JAN,U.S. Border Patrol,Southwest Land Border,Tucson Sector,TCA,Single Adults,MEXICO,Title 8,"
    b"Apprehensions,7654\n"
)


def test_a_cbp_import_by_command_shows(client, db, committed, tmp_path, django_assert_num_queries):
    url = reverse("briefings:encounters")
    assert "7,654" not in cached(client, url, django_assert_num_queries)
    path = tmp_path / "cbp.csv"
    path.write_bytes(CBP_FILE)
    with committed():
        call_command("import_cbp_encounters", str(path), "--dry-run", verbosity=0)
    with django_assert_num_queries(HIT):
        assert "7,654" not in client.get(url).content.decode()  # a dry run changes nothing, so nothing is fresh
    with committed():
        call_command("import_cbp_encounters", str(path), verbosity=0)
    assert "7,654" in client.get(url).content.decode()


def test_a_cbp_upload_in_the_admin_shows(client, db, publisher, committed, django_assert_num_queries):
    url = reverse("briefings:encounters")
    assert "7,654" not in cached(client, url, django_assert_num_queries)
    client.force_login(publisher)
    with committed():
        upload = SimpleUploadedFile("cbp.csv", CBP_FILE, content_type="text/csv")
        assert (
            client.post(reverse("admin:briefings_encountercount_import"), {"file": upload}, follow=True).status_code
            == 200
        )
    assert EncounterCount.objects.total() == 7654
    client.logout()
    assert "7,654" in client.get(url).content.decode()


FACTORIES = [
    BriefingFactory,
    FigureFactory,
    MeasureFactory,
    MetricFactory,
    OrganizationFactory,
    PersonFactory,
    PhotoFactory,
    PlaceFactory,
    QuoteFactory,
    RewardOfferFactory,
    RewardProgramFactory,
    SourceFactory,
    TipChannelFactory,
    TopicFactory,
    lambda: Correction.objects.create(briefing=BriefingFactory(), text="A correction."),
]


@pytest.mark.parametrize("factory", FACTORIES)
def test_creating_changing_and_deleting_any_shown_record_bumps_the_generation(committed, factory):
    before = generation()
    with committed():
        record = factory()
    assert generation() > before
    for write in (record.save, record.delete):
        before = generation()
        with committed():
            write()
        assert generation() == before + 1, write


def test_every_model_a_page_shows_is_watched():
    # The import announces its own changes (the counts, their areas and totals); the seed's ledger, the import jobs
    # and the changes held for review are bookkeeping no page shows (an approved change is written to its record,
    # which is watched).
    imported = {EncounterCount, EncounterArea, EncounterAreaTotal, EncounterRegionTotal}
    not_watched = {ContentGeneration, *imported, EncounterImportJob, SeedRecord, PendingChange}
    models = {model for model in apps.get_app_config("briefings").get_models() if not model._meta.proxy}
    watched = {apps.get_model("briefings", name) for name in signals.WATCHED_MODELS}
    assert watched == models - not_watched
    # ... and the test above writes each of them.
    assert {factory._meta.model for factory in FACTORIES if hasattr(factory, "_meta")} | {Correction} == models - (
        not_watched
    )


# --- Bumps happen on commit, once a transaction ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_generation_moves_only_when_the_write_commits():
    before = generation()
    with transaction.atomic():
        TopicFactory()
        PlaceFactory().delete()
        assert generation() == before  # a reader now must not store the new state under a new generation
    assert generation() == before + 1  # once, for every write of the transaction

    with transaction.atomic():
        TopicFactory()
        transaction.set_rollback(True)
    assert generation() == before + 1  # nothing committed, nothing to refresh


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_does_not_lose_the_bump_of_the_rest():
    before = generation()
    with transaction.atomic():
        with transaction.atomic():
            TopicFactory()
            transaction.set_rollback(True)
        TopicFactory()
    assert generation() == before + 1
    assert Topic.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_bumps_at_once():
    before = generation()
    TopicFactory()
    assert generation() == before + 1


# --- Scheduled publication comes without a write ---------------------------------------------------------------


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_a_scheduled_briefing_appears_at_its_time(client, site, django_assert_num_queries):
    scheduled = site.hidden_briefings[1]
    published_at = scheduled.published_at
    before = generation()
    with at(published_at - datetime.timedelta(minutes=30)):
        assert scheduled.headline not in cached(client, "/", django_assert_num_queries)
    with at(published_at - datetime.timedelta(seconds=1)), django_assert_num_queries(HIT):
        assert scheduled.headline not in client.get("/").content.decode()
    with at(published_at + datetime.timedelta(seconds=1)):
        page = client.get("/")
        assert scheduled.headline in page.content.decode()
        assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert generation() == before  # no write made it appear
    assert page["Last-Modified"] == http_date(published_at.timestamp())


def test_a_scheduled_correction_appears_at_its_time(client, site, django_assert_num_queries):
    briefing = site.briefings[0]
    due = timezone.now() + datetime.timedelta(hours=2)
    Correction.objects.create(briefing=briefing, text="A correction dated later.", published_at=due)
    with at(due - datetime.timedelta(minutes=1)):
        assert "A correction dated later." not in cached(
            client, briefing.get_absolute_url(), django_assert_num_queries
        )
    with at(due + datetime.timedelta(minutes=1)):
        assert "A correction dated later." in client.get(briefing.get_absolute_url()).content.decode()


# --- Redis -----------------------------------------------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/0"


def test_a_redis_cache_url_uses_djangos_own_redis_backend():
    env = clean_env(DJANGO_DEBUG="1", CACHE_URL=f"{REDIS_URL}?timeout=600&key_prefix=desk")
    code = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.CACHES))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    cache_settings = json.loads(result.stdout)["default"]
    assert cache_settings["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache_settings["LOCATION"] == REDIS_URL
    assert cache_settings["TIMEOUT"] == 600  # not the lower-case "timeout" Django would ignore
    assert cache_settings["KEY_PREFIX"] == "desk"


def test_pages_are_cached_and_refreshed_in_redis(client, site, committed, django_assert_num_queries):
    # A key prefix of its own: the Redis server may be shared, so this test never clears it.
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "TIMEOUT": 60}
    with override_settings(CACHES={"default": redis | {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}):
        briefing = site.briefings[0]
        cached(client, briefing.get_absolute_url(), django_assert_num_queries)
        with committed():
            briefing.headline = "Changed with Redis as the cache"
            briefing.save()
        assert "Changed with Redis as the cache" in client.get(briefing.get_absolute_url()).content.decode()
