"""Corrections, scheduled publishing, roles action by action, and the audit log (the editorial workflow)."""

import datetime
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import RestrictedError
from django.urls import reverse
from django.utils import timezone

from briefings import services
from briefings.models import Briefing, Correction, Figure

from .factories import BriefingFactory, FigureFactory, UserFactory
from .html_forms import form_data, inline_correction

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:briefings_{model}_{view}", args=args)


# Scheduled publishing: the clock decides, no job runs.


def test_a_scheduled_briefing_appears_at_its_time_and_not_a_second_before(client):
    at = timezone.now() + datetime.timedelta(hours=1)
    briefing = BriefingFactory(published_at=at, headline="Scheduled headline")
    url = briefing.get_absolute_url()

    with mock.patch("django.utils.timezone.now", return_value=at - datetime.timedelta(seconds=1)):
        assert briefing not in Briefing.objects.published()
        assert client.get(url).status_code == 404
        assert "Scheduled headline" not in client.get("/").content.decode()

    with mock.patch("django.utils.timezone.now", return_value=at):
        assert briefing in Briefing.objects.published()
        assert client.get(url).status_code == 200
        assert "Scheduled headline" in client.get("/").content.decode()


def test_preview_of_a_scheduled_briefing_is_marked_never_cached_and_not_indexed(client, editor):
    briefing = BriefingFactory(scheduled=True)
    client.force_login(editor)
    response = client.get(briefing.get_absolute_url())
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


# Corrections.


def test_publisher_publishes_a_correction_of_a_figure(publisher):
    figure = FigureFactory()
    correction = services.correction_publish(
        briefing=figure.briefing, figure=figure, text="An earlier version said 1,600.", user=publisher
    )
    assert correction.created_by == publisher
    assert list(Correction.objects.published()) == [correction]


def test_editor_cannot_publish_a_correction(editor):
    figure = FigureFactory()
    with pytest.raises(PermissionDenied):
        services.correction_publish(briefing=figure.briefing, text="Wrong.", user=editor)
    assert not Correction.objects.exists()


def test_a_correction_names_a_figure_of_its_own_briefing(publisher):
    figure = FigureFactory()
    with pytest.raises(ValidationError) as error:
        services.correction_publish(briefing=BriefingFactory(), figure=figure, text="Wrong.", user=publisher)
    assert "figure" in error.value.message_dict
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    ("briefing_traits", "correction_offset", "is_public"),
    [
        ({}, -1, True),
        ({}, +1, False),
        ({"draft": True}, -1, False),
        ({"scheduled": True}, -1, False),
    ],
)
def test_readers_see_corrections_of_published_briefings_from_their_date(briefing_traits, correction_offset, is_public):
    briefing = BriefingFactory(**briefing_traits)
    correction = Correction.objects.create(
        briefing=briefing, text="Corrected.", published_at=timezone.now() + datetime.timedelta(hours=correction_offset)
    )
    assert (correction in Correction.objects.published()) is is_public


def test_a_corrected_figure_cannot_be_deleted_alone_but_goes_with_its_briefing():
    figure = FigureFactory()
    Correction.objects.create(briefing=figure.briefing, figure=figure, text="Corrected.")
    with pytest.raises(RestrictedError):
        figure.delete()
    figure.briefing.delete()
    assert not Figure.objects.exists()
    assert not Correction.objects.exists()


def test_publisher_adds_a_correction_in_the_admin_and_is_named_as_its_author(client, publisher):
    briefing = BriefingFactory()
    client.force_login(publisher)
    url = admin_url("correction", "add")
    data = form_data(client.get(url).content.decode(), "correction_form")
    data |= {"briefing": briefing.pk, "text_en": "An earlier version misspelled the task force's name."}
    assert client.post(url, data).status_code == 302
    correction = Correction.objects.get()
    assert correction.created_by == publisher
    assert correction.briefing == briefing


def test_publisher_adds_a_correction_inline_on_the_briefing(client, publisher):
    figure = FigureFactory()
    url = admin_url("briefing", "change", figure.briefing.pk)
    client.force_login(publisher)
    data = form_data(client.get(url).content.decode(), "briefing_form")
    data |= inline_correction(figure)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    correction = Correction.objects.get()
    assert (correction.figure, correction.created_by) == (figure, publisher)


def test_editor_reads_corrections_but_cannot_add_change_or_delete_them(client, editor, publisher):
    briefing = BriefingFactory()
    correction = services.correction_publish(briefing=briefing, text="Corrected.", user=publisher)
    client.force_login(editor)
    assert client.get(admin_url("correction", "changelist")).status_code == 200
    assert client.get(admin_url("correction", "add")).status_code == 403
    assert client.post(admin_url("correction", "delete", correction.pk), {"post": "yes"}).status_code == 403
    change = client.get(admin_url("correction", "change", correction.pk))
    assert change.status_code == 200
    assert 'name="text"' not in change.content.decode()


# Roles, action by action: Editors draft and edit; Publishers publish, unpublish, correct, delete and restore.


ACTIONS = ["edit", "publish", "unpublish", "correct", "delete", "restore", "audit"]
ALLOWED = {
    "editor": {"edit", "audit"},
    "publisher": set(ACTIONS),
    "nobody": set(),
}


@pytest.fixture
def nobody(db):
    return UserFactory(username="nobody")


def attempt(action, user, client):
    """Try one action as `user`; True when it went through."""
    # Editors edit drafts directly; their edits of live briefings wait for review (tests/test_review.py).
    briefing = BriefingFactory(draft=action in ("publish", "edit"), headline="Before")
    client.force_login(user)
    if action == "edit":
        url = admin_url("briefing", "change", briefing.pk)
        page = client.get(url)
        if page.status_code != 200:
            return False
        client.post(url, form_data(page.content.decode(), "briefing_form") | {"headline_en": "After"})
        briefing.refresh_from_db()
        return briefing.headline == "After"
    if action in {"publish", "unpublish"}:
        service = services.briefing_publish if action == "publish" else services.briefing_unpublish
        try:
            service(briefing=briefing, user=user)
        except PermissionDenied:
            return False
        return True
    if action == "correct":
        try:
            services.correction_publish(briefing=briefing, text="Corrected.", user=user)
        except PermissionDenied:
            return False
        return True
    if action == "delete":
        client.post(admin_url("briefing", "delete", briefing.pk), {"post": "yes"})
        return not Briefing.objects.filter(pk=briefing.pk).exists()
    if action == "restore":
        return client.get(admin_url("briefing", "recoverlist")).status_code == 200
    if action == "audit":
        return client.get(admin_url("contentchange", "changelist")).status_code == 200
    raise AssertionError(action)


@pytest.mark.parametrize("role", ALLOWED)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_role_may_do_exactly_its_actions(client, request, role, action):
    user = request.getfixturevalue(role)
    assert attempt(action, user, client) is (action in ALLOWED[role])


# The audit log.


def test_audit_log_lists_changes_across_content_filterable_by_user_and_type(client, editor, publisher):
    figure = FigureFactory(briefing=BriefingFactory(draft=True))
    briefing = figure.briefing
    client.force_login(editor)
    url = admin_url("briefing", "change", briefing.pk)
    client.post(
        url, form_data(client.get(url).content.decode(), "briefing_form") | {"headline_en": "Edited by editor"}
    )
    services.briefing_unpublish(briefing=briefing, user=publisher)
    services.correction_publish(briefing=briefing, figure=figure, text="Corrected.", user=publisher)

    client.force_login(editor)
    audit_url = admin_url("contentchange", "changelist")
    everything = client.get(audit_url).content.decode()
    assert "Edited by editor" in everything
    assert "Unpublished." in everything
    assert "Correction published." in everything

    by_editor = client.get(audit_url, {"revision__user__id__exact": editor.pk}).content.decode()
    assert "Edited by editor" in by_editor
    assert "Correction published." not in by_editor
    corrections_type = ContentType.objects.get_for_model(Correction)
    only_corrections = client.get(audit_url, {"content_type__id__exact": corrections_type.pk}).content.decode()
    assert "Correction published." in only_corrections
    assert "Unpublished." not in only_corrections


def test_audit_log_is_read_only(client, publisher):
    client.force_login(publisher)
    assert client.get(reverse("admin:briefings_contentchange_add")).status_code == 403


# Corrections on the public pages.


def test_a_correction_of_a_figure_appears_on_every_page_that_shows_the_figure(client, publisher):
    figure = FigureFactory(is_key=True)
    text = "An earlier version said about 1,600 interviews a day."
    services.correction_publish(briefing=figure.briefing, figure=figure, text=text, user=publisher)
    pages = {
        "home": reverse("briefings:home"),
        "briefing": figure.briefing.get_absolute_url(),
        "figure": figure.get_absolute_url(),
        "metric": figure.metric.get_absolute_url(),
        "figures": reverse("briefings:figure-list"),
        "place": figure.place.get_absolute_url(),
        "source": figure.source.get_absolute_url(),
        "corrections": reverse("briefings:correction-list"),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert text in response.content.decode(), name


def test_corrections_page_is_linked_from_every_page_and_lists_only_what_readers_may_see(client, publisher):
    public = BriefingFactory(headline="Public briefing")
    draft = BriefingFactory(draft=True)
    services.correction_publish(briefing=public, text="Shown correction.", user=publisher)
    services.correction_publish(briefing=draft, text="Correction of a draft.", user=publisher)
    services.correction_publish(
        briefing=public,
        text="Correction dated tomorrow.",
        user=publisher,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    home = client.get("/").content.decode()
    assert f'href="{reverse("briefings:correction-list")}"' in home
    page = client.get(reverse("briefings:correction-list")).content.decode()
    assert "Shown correction." in page
    assert "Public briefing" in page
    assert "Correction of a draft." not in page
    assert "Correction dated tomorrow." not in page


def test_a_briefing_correction_is_dated_on_the_briefing_page(client, publisher):
    briefing = BriefingFactory()
    at = timezone.now() - datetime.timedelta(hours=1)
    correction = services.correction_publish(
        briefing=briefing, text="The dateline was wrong.", user=publisher, published_at=at
    )
    page = client.get(briefing.get_absolute_url()).content.decode()
    assert 'id="corrections-heading"' in page
    assert f'id="correction-{correction.pk}"' in page
    assert f'<time datetime="{timezone.localtime(at).isoformat()}">' in page
    assert "The dateline was wrong." in page
