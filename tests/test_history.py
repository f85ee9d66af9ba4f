"""History, restore and no lost updates in the admin (briefings/admin/base.py, briefings/history.py)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from briefings import services
from briefings.models import Briefing, Figure

from .factories import BriefingFactory, FigureFactory
from .html_forms import form_data

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:briefings_{model}_{view}", args=args)


def open_form(client, url, form_id):
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id)


def save(client, url, data):
    return client.post(url, data | {"_save": "Save"})


def move_meanwhile(client, user, figure):
    """Another member of the desk saves the figure with position 5 on its own change page."""
    client.force_login(user)
    figure_url = admin_url("figure", "change", figure.pk)
    save(client, figure_url, open_form(client, figure_url, "figure_form") | {"position": "5"})


def test_a_save_stores_a_version_with_who_and_what_changed(client, editor):
    briefing = BriefingFactory(draft=True, headline="Task force moves south")
    client.force_login(editor)
    url = admin_url("briefing", "change", briefing.pk)
    data = open_form(client, url, "briefing_form")
    assert save(client, url, data | {"headline_en": "Task force moves into the Darien Gap"}).status_code == 302

    baseline, version = Version.objects.get_for_object(briefing).order_by("pk")
    assert baseline.field_dict["headline_en"] == "Task force moves south"
    assert version.revision.user == editor
    history = client.get(admin_url("briefing", "history", briefing.pk)).content.decode()
    assert "<del>south</del>" in history
    assert "<ins>into the Darien Gap</ins>" in history
    assert editor.username in history


def test_diff_escapes_what_staff_typed(client, superuser):
    briefing = BriefingFactory(draft=True, headline="Plain")
    client.force_login(superuser)
    url = admin_url("briefing", "change", briefing.pk)
    save(client, url, open_form(client, url, "briefing_form") | {"headline_en": "<script>alert(1)</script>"})
    history = client.get(admin_url("briefing", "history", briefing.pk)).content.decode()
    assert "<script>alert(1)</script>" not in history
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in history


def edit_headline_twice(client, user, briefing):
    client.force_login(user)
    url = admin_url("briefing", "change", briefing.pk)
    for headline in ("First headline", "Second headline"):
        assert (
            save(client, url, open_form(client, url, "briefing_form") | {"headline_en": headline}).status_code == 302
        )
    return Version.objects.get_for_object(briefing).order_by("pk")


def test_publisher_restores_an_earlier_version(client, publisher):
    briefing = BriefingFactory(draft=True, headline="Original")
    _baseline, first, _second = edit_headline_twice(client, publisher, briefing)

    url = admin_url("briefing", "revision", briefing.pk, first.pk)
    data = open_form(client, url, "briefing_form")
    assert data["headline_en"] == "First headline"
    assert save(client, url, data).status_code == 302

    briefing.refresh_from_db()
    assert briefing.headline == "First headline"
    latest = Version.objects.get_for_object(briefing).first()
    assert "Reverted" in latest.revision.get_comment()


def test_opening_an_old_version_changes_nothing(client, publisher):
    briefing = BriefingFactory(draft=True, headline="Original")
    _baseline, first, _second = edit_headline_twice(client, publisher, briefing)
    client.get(admin_url("briefing", "revision", briefing.pk, first.pk))
    briefing.refresh_from_db()
    assert briefing.headline == "Second headline"


def test_editor_may_read_history_but_not_restore(client, editor, publisher):
    briefing = BriefingFactory()
    _baseline, first, _second = edit_headline_twice(client, publisher, briefing)
    client.force_login(editor)
    history = client.get(admin_url("briefing", "history", briefing.pk))
    assert history.status_code == 200
    assert "Restore this version" not in history.content.decode()
    assert client.get(admin_url("briefing", "revision", briefing.pk, first.pk)).status_code == 403
    assert client.post(admin_url("briefing", "revision", briefing.pk, first.pk), {}).status_code == 403
    assert client.get(admin_url("briefing", "recoverlist")).status_code == 403
    briefing.refresh_from_db()
    assert briefing.headline == "Second headline"


def test_publisher_recovers_a_deleted_figure(client, publisher):
    figure = FigureFactory(position=0)
    client.force_login(publisher)
    url = admin_url("figure", "change", figure.pk)
    save(client, url, open_form(client, url, "figure_form") | {"position": "2"})
    assert client.post(admin_url("figure", "delete", figure.pk), {"post": "yes"}).status_code == 302
    assert not Figure.objects.filter(pk=figure.pk).exists()

    changelist = client.get(admin_url("figure", "changelist")).content.decode()
    assert admin_url("figure", "recoverlist") in changelist
    deleted = Version.objects.get_deleted(Figure).get()
    recover_url = admin_url("figure", "recover", deleted.pk)
    assert save(client, recover_url, open_form(client, recover_url, "figure_form")).status_code == 302
    recovered = Figure.objects.get(pk=figure.pk)
    assert recovered.position == 2
    assert recovered.source_sentence == figure.source_sentence


def test_editor_is_not_offered_recovery(client, editor):
    client.force_login(editor)
    changelist = client.get(admin_url("figure", "changelist")).content.decode()
    assert admin_url("figure", "recoverlist") not in changelist


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, editor, publisher):
    briefing = BriefingFactory(draft=True, headline="Original headline", dek="Original dek.")
    url = admin_url("briefing", "change", briefing.pk)
    client.force_login(editor)
    stale_form = open_form(client, url, "briefing_form")

    # Meanwhile a Publisher saves a new dek.
    client.force_login(publisher)
    save(client, url, open_form(client, url, "briefing_form") | {"dek_en": "A dek the publisher wrote."})

    client.force_login(editor)
    response = save(client, url, stale_form | {"headline_en": "The editor's headline"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone saved this briefing after you opened it" in page
    assert publisher.username in page
    assert "Changed meanwhile: dek [en], from “Original dek.” to “A dek the publisher wrote.”" in page
    assert page.count("Changed meanwhile:") == 1
    # Nothing of the stale save reached the database; what the editor typed is still in the form.
    briefing.refresh_from_db()
    assert briefing.headline == "Original headline"
    assert briefing.dek == "A dek the publisher wrote."
    kept = form_data(page, "briefing_form")
    assert kept["headline_en"] == "The editor's headline"

    # Having seen the change, the editor may save on purpose.
    assert save(client, url, kept).status_code == 302
    briefing.refresh_from_db()
    assert briefing.headline == "The editor's headline"


def test_a_stale_inline_figure_is_refused(client, editor, publisher):
    figure = FigureFactory(briefing=BriefingFactory(draft=True), position=1)
    briefing = figure.briefing
    briefing_url = admin_url("briefing", "change", briefing.pk)
    client.force_login(editor)
    stale_form = open_form(client, briefing_url, "briefing_form")

    move_meanwhile(client, publisher, figure)

    client.force_login(editor)
    response = save(client, briefing_url, stale_form | {"figures-0-position": "9"})
    assert response.status_code == 200
    assert "Someone saved this figure after you opened it" in response.content.decode()
    figure.refresh_from_db()
    assert figure.position == 5


def test_saving_again_after_a_refusal_applies_only_what_this_author_changed(client, editor, publisher):
    """Two tabs: A changes the dek and saves; B changes the headline, is refused, and saves again. The dek A
    wrote stays: B never touched it."""
    briefing = BriefingFactory(draft=True, headline="Original headline", dek="Original dek.")
    url = admin_url("briefing", "change", briefing.pk)
    client.force_login(editor)
    tab_b = open_form(client, url, "briefing_form")
    save(client, url, open_form(client, url, "briefing_form") | {"dek_en": "Tab A's dek."})

    refused = save(client, url, tab_b | {"headline_en": "Tab B's headline"})
    assert refused.status_code == 200
    shown = form_data(refused.content.decode(), "briefing_form")
    assert (shown["headline_en"], shown["dek_en"]) == ("Tab B's headline", "Tab A's dek.")

    # Even a form that still holds the old dek (the author typed it back, or an older page) does not revert it:
    # only the fields this author changed since opening the form are applied.
    assert save(client, url, shown | {"dek_en": "Original dek."}).status_code == 302
    briefing.refresh_from_db()
    assert (briefing.headline, briefing.dek) == ("Tab B's headline", "Tab A's dek.")


def test_a_field_both_changed_is_shown_as_a_conflict_and_the_author_picks(client, editor, publisher):
    briefing = BriefingFactory(draft=True, headline="Original headline")
    url = admin_url("briefing", "change", briefing.pk)
    client.force_login(editor)
    stale_form = open_form(client, url, "briefing_form")
    client.force_login(publisher)
    save(client, url, open_form(client, url, "briefing_form") | {"headline_en": "The publisher's headline"})

    client.force_login(editor)
    refused = save(client, url, stale_form | {"headline_en": "The editor's headline"})
    page = refused.content.decode()
    assert (
        "Changed by you and meanwhile: headline [en]. Yours: “The editor&#x27;s headline”; saved meanwhile: "
        "“The publisher&#x27;s headline”." in page
    )
    assert 'data-for="id_headline_en" data-value="The publisher&#x27;s headline"' in page
    kept = form_data(page, "briefing_form")
    assert kept["headline_en"] == "The editor's headline"

    # The author picks the publisher's version (what the button puts in the field) and saves.
    assert save(client, url, kept | {"headline_en": "The publisher's headline"}).status_code == 302
    briefing.refresh_from_db()
    assert briefing.headline == "The publisher's headline"


def test_an_inline_row_changed_meanwhile_keeps_that_change_when_the_author_saves_again(client, editor, publisher):
    figure = FigureFactory(briefing=BriefingFactory(draft=True), position=1, attribution="officials said")
    briefing_url = admin_url("briefing", "change", figure.briefing.pk)
    client.force_login(editor)
    stale_form = open_form(client, briefing_url, "briefing_form")
    move_meanwhile(client, publisher, figure)

    client.force_login(editor)
    refused = save(client, briefing_url, stale_form | {"figures-0-attribution": "the agency said"})
    assert refused.status_code == 200
    shown = form_data(refused.content.decode(), "briefing_form")
    assert (shown["figures-0-position"], shown["figures-0-attribution"]) == ("5", "the agency said")
    again = save(client, briefing_url, shown | {"figures-0-position": "1"})
    assert again.status_code == 302, again.context["errors"]
    figure.refresh_from_db()
    assert (figure.position, figure.attribution) == (5, "the agency said")


def test_a_save_without_the_version_marker_is_refused(client, editor):
    briefing = BriefingFactory(draft=True, headline="Original")
    url = admin_url("briefing", "change", briefing.pk)
    client.force_login(editor)
    data = open_form(client, url, "briefing_form")
    del data["edit_token"]
    response = save(client, url, data | {"headline_en": "Changed"})
    assert response.status_code == 200
    briefing.refresh_from_db()
    assert briefing.headline == "Original"


def test_publishing_through_the_service_is_recorded(publisher):
    briefing = BriefingFactory(draft=True)
    services.briefing_publish(briefing=briefing, user=publisher)
    version = Version.objects.get_for_object(briefing).get()
    assert version.revision.user == publisher
    assert version.revision.get_comment() == "Published."
    assert version.field_dict["status"] == Briefing.Status.PUBLISHED


def test_loading_the_fixtures_stores_one_version_and_loading_again_adds_none():
    call_command("load_initial_data", verbosity=0)
    briefing = Briefing.objects.get()
    assert Version.objects.get_for_object(briefing).count() == 1
    versions = Version.objects.count()
    call_command("load_initial_data", verbosity=0)
    assert Version.objects.count() == versions


def test_a_row_deleted_meanwhile_that_the_author_left_alone_stays_deleted(client, editor, publisher):
    figure = FigureFactory(briefing=BriefingFactory(draft=True), position=1)
    deleted = FigureFactory(briefing=figure.briefing, position=2)
    url = admin_url("briefing", "change", figure.briefing.pk)
    client.force_login(editor)
    stale_form = open_form(client, url, "briefing_form")
    client.force_login(publisher)
    assert client.post(admin_url("figure", "delete", deleted.pk), {"post": "yes"}).status_code == 302

    client.force_login(editor)
    response = save(client, url, stale_form | {"headline_en": "A new headline"})
    assert response.status_code == 302
    assert not Figure.objects.filter(pk=deleted.pk).exists()
    assert Briefing.objects.get(pk=figure.briefing.pk).headline == "A new headline"


def test_a_row_deleted_meanwhile_that_the_author_changed_is_explained_then_left_deleted(client, editor, publisher):
    figure = FigureFactory(briefing=BriefingFactory(draft=True), position=1)
    deleted = FigureFactory(briefing=figure.briefing, position=2, attribution="officials said")
    url = admin_url("briefing", "change", figure.briefing.pk)
    client.force_login(editor)
    stale_form = open_form(client, url, "briefing_form")
    client.force_login(publisher)
    assert client.post(admin_url("figure", "delete", deleted.pk), {"post": "yes"}).status_code == 302

    client.force_login(editor)
    refused = save(client, url, stale_form | {"figures-1-attribution": "the agency said"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert f"was deleted by {publisher.username} after you opened the form, so your changes to it" in page
    assert save(client, url, form_data(page, "briefing_form")).status_code == 302
    assert not Figure.objects.filter(pk=deleted.pk).exists()


def test_deleting_a_row_changed_meanwhile_is_refused_until_the_author_has_seen_the_change(client, editor, publisher):
    figure = FigureFactory(briefing=BriefingFactory(draft=True), position=1)
    url = admin_url("briefing", "change", figure.briefing.pk)
    client.force_login(publisher)  # deleting is a Publisher's action
    stale_form = open_form(client, url, "briefing_form")
    move_meanwhile(client, editor, figure)

    client.force_login(publisher)
    refused = save(client, url, stale_form | {"figures-0-DELETE": "on"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "which was saved by someone else after you opened the form" in page
    assert "Changed meanwhile: position, from “1” to “5”." in page
    assert Figure.objects.filter(pk=figure.pk).exists()
    assert save(client, url, form_data(page, "briefing_form")).status_code == 302
    assert not Figure.objects.filter(pk=figure.pk).exists()
