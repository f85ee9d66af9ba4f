"""Every write with a rule goes through one path (briefings/services.py, briefings/encounters/importer/), and each
leaves a log line (briefings/log.py): the admin's change form, its inlines and its upload page included."""

import datetime
import io
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from briefings.encounters.importer import encounters_import, import_session
from briefings.log import log_event
from briefings.models import Briefing, ContentGeneration, Correction, EncounterCount, Figure

from .factories import BriefingFactory, FigureFactory
from .html_forms import form_data, inline_correction

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "tests" / "data" / "cbp-encounters-sample.csv"


@pytest.fixture
def events(caplog):
    """The desk's log lines, as (event, message) pairs; the page cache's refreshes only when asked for."""
    caplog.set_level(logging.INFO, logger="briefings")

    def read(*, refreshes=False):
        return [
            (record.event, record.getMessage())
            for record in caplog.records
            if hasattr(record, "event") and (refreshes or record.event != "page cache refreshed")
        ]

    return read


def change_url(briefing):
    return reverse("admin:briefings_briefing_change", args=[briefing.pk])


def change_form(client, briefing, **changes):
    data = form_data(client.get(change_url(briefing)).content.decode(), "briefing_form")
    return data | changes


def test_a_log_line_is_one_event_with_its_fields_quoted_where_needed(caplog):
    caplog.set_level(logging.INFO, logger="briefings.test")
    log_event(logging.getLogger("briefings.test"), "briefing published", briefing="a-b", user="Ana María", note='x"y')
    (record,) = caplog.records
    assert record.getMessage() == 'briefing published briefing=a-b user="Ana María" note="x\\"y"'
    assert (record.event, record.briefing, record.user) == ("briefing published", "a-b", "Ana María")


def test_publishing_in_the_change_form_goes_through_the_service(client, publisher, events, committed):
    briefing = BriefingFactory(status=Briefing.Status.DRAFT, published_at=None, headline="Draft headline")
    client.force_login(publisher)
    data = change_form(client, briefing, status="published", headline_en="Final headline")
    data |= {"published_at_0": "2024-06-12", "published_at_1": "09:00:00"}
    with committed():
        response = client.post(change_url(briefing), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    briefing.refresh_from_db()
    assert (briefing.status, briefing.headline) == (Briefing.Status.PUBLISHED, "Final headline")
    assert briefing.is_public
    assert [event for event, _ in events()] == ["briefing published"]
    assert f"briefing={briefing.slug}" in events()[0][1] and f"user={publisher.username}" in events()[0][1]


def test_taking_down_and_scheduling_in_the_change_form_go_through_the_service(client, publisher, events, committed):
    briefing = BriefingFactory()  # published
    client.force_login(publisher)
    with committed():
        client.post(change_url(briefing), change_form(client, briefing, status="draft"))
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.DRAFT
    later = timezone.localtime() + datetime.timedelta(days=2)
    data = change_form(client, briefing, status="published")
    data |= {"published_at_0": later.strftime("%Y-%m-%d"), "published_at_1": later.strftime("%H:%M:%S")}
    with committed():
        client.post(change_url(briefing), data)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.PUBLISHED and not briefing.is_public  # scheduled
    assert [event for event, _ in events()] == ["briefing unpublished", "briefing published"]


def test_an_edit_that_leaves_the_publishing_fields_alone_logs_no_publication(client, publisher, events, committed):
    briefing = BriefingFactory()
    client.force_login(publisher)
    with committed():
        client.post(change_url(briefing), change_form(client, briefing, dek_en="A new dek."))
    briefing.refresh_from_db()
    assert briefing.dek == "A new dek."
    assert events() == []


def test_an_editor_posting_the_publishing_fields_changes_nothing_readers_see(client, editor, events):
    briefing = BriefingFactory(status=Briefing.Status.DRAFT, published_at=None)
    client.force_login(editor)
    data = change_form(client, briefing, status="published", dek_en="Edited by an editor.")
    assert client.post(change_url(briefing), data).status_code == 302
    briefing.refresh_from_db()
    assert (briefing.status, briefing.dek) == (Briefing.Status.DRAFT, "Edited by an editor.")
    assert events() == []


def test_corrections_added_inline_and_on_their_own_page_are_published_by_the_service(
    client, publisher, events, committed
):
    figure = FigureFactory()
    client.force_login(publisher)
    data = change_form(client, figure.briefing)
    data |= inline_correction(figure)
    with committed():
        assert client.post(change_url(figure.briefing), data).status_code == 302
    url = reverse("admin:briefings_correction_add")
    data = form_data(client.get(url).content.decode(), "correction_form")
    data |= {"briefing": figure.briefing.pk, "text_en": "An earlier version misspelled a name."}
    with committed():
        assert client.post(url, data).status_code == 302
    assert Correction.objects.filter(created_by=publisher).count() == 2
    logged = events()
    assert [event for event, _ in logged] == ["correction published", "correction published"]
    assert f"figure={figure.slug}" in logged[0][1]


def generation():
    return ContentGeneration.objects.filter(pk=ContentGeneration.ROW).values_list("number", flat=True).first() or 0


def test_the_importer_refreshes_the_page_cache_itself_and_logs_what_it_did(events, committed):
    before = generation()
    with committed():
        result = encounters_import(file=io.BytesIO(SAMPLE.read_bytes()), name=SAMPLE.name)
    assert result.added > 0
    assert generation() == before + 1
    assert sorted(event for event, _ in events(refreshes=True)) == ["cbp import", "page cache refreshed"]
    assert f"added={result.added}" in dict(events())["cbp import"]


def test_a_dry_run_saves_nothing_refreshes_nothing_and_says_so(events, committed):
    before = generation()
    with committed(), import_session(dry_run=True) as session:
        result = session.add(file=io.BytesIO(SAMPLE.read_bytes()), name=SAMPLE.name)
    assert result.dry_run and result.added > 0
    assert generation() == before
    assert [event for event, _ in events(refreshes=True)] == ["cbp import dry run"]


def test_the_command_and_the_upload_share_the_one_dry_run(client, publisher, events):
    call_command("import_cbp_encounters", str(SAMPLE), "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())
    client.force_login(publisher)
    with SAMPLE.open("rb") as file:
        client.post(reverse("admin:briefings_encountercount_import"), {"file": file, "dry_run": "on"})
    assert [event for event, _ in events()] == ["cbp import dry run", "cbp import dry run"]
    assert not EncounterCount.objects.exists()


def test_restoring_a_version_and_recovering_a_deleted_record_are_logged(client, publisher, events):
    figure = FigureFactory(position=0)
    client.force_login(publisher)
    url = reverse("admin:briefings_figure_change", args=[figure.pk])
    client.post(url, form_data(client.get(url).content.decode(), "figure_form") | {"position": "2"})
    first = Version.objects.get_for_object(figure).last()
    revision_url = reverse("admin:briefings_figure_revision", args=[figure.pk, first.pk])
    data = form_data(client.get(revision_url).content.decode(), "figure_form")
    assert client.post(revision_url, data).status_code == 302
    assert client.post(reverse("admin:briefings_figure_delete", args=[figure.pk]), {"post": "yes"}).status_code == 302
    deleted = Version.objects.get_deleted(Figure).get()
    recover_url = reverse("admin:briefings_figure_recover", args=[deleted.pk])
    assert (
        client.post(recover_url, form_data(client.get(recover_url).content.decode(), "figure_form")).status_code == 302
    )
    logged = events()
    assert [event for event, _ in logged] == ["record restored", "record recovered"]
    assert f"model=figure object_id={figure.pk} version={first.pk} user={publisher.username}" in logged[0][1]


def test_restoring_the_seed_is_logged_once_it_is_committed(seed, events, committed):
    Briefing.objects.update(headline="The desk's headline")
    with committed():
        call_command("load_initial_data", "--restore-seed", "--no-input", stdout=io.StringIO())
    # The plan it shows first imports CBP's seed counts as a dry run; the restore imports them for real.
    assert [event for event, _ in events()] == ["cbp import dry run", "cbp import", "seed restored"]
    assert "overwritten=1 recreated=0" in events()[-1][1]
