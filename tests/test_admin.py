import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from briefings.models import Briefing, Figure, Quote
from briefings.roles import CONTENT_MODELS, EDITORS, PUBLISHERS

from .factories import (
    BriefingFactory,
    FigureFactory,
    MeasureFactory,
    PersonFactory,
    QuoteFactory,
    RewardOfferFactory,
    TipChannelFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each(db):
    """At least one record of every model staff edit."""
    offer = RewardOfferFactory(tip_channels=[TipChannelFactory()])
    figure = FigureFactory(measure=MeasureFactory())
    QuoteFactory(briefing=figure.briefing, source=figure.source)
    figure.briefing.topics.add(TopicFactory())
    offer.briefings.add(figure.briefing)
    PersonFactory()
    return figure.briefing


def admin_url(model, view, *args):
    return reverse(f"admin:briefings_{model}_{view}", args=args)


@pytest.mark.parametrize("model", CONTENT_MODELS)
def test_every_model_has_a_working_changelist_add_and_change_form(client, superuser, one_of_each, model):
    client.force_login(superuser)
    changelist = client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 200
    pk = changelist.context["cl"].result_list[0].pk
    assert client.get(admin_url(model, "change", pk)).status_code == 200


@pytest.mark.parametrize("model", CONTENT_MODELS)
def test_changelist_search_works(client, superuser, one_of_each, model):
    client.force_login(superuser)
    assert client.get(admin_url(model, "changelist"), {"q": "a"}).status_code == 200


def test_groups_hold_the_documented_permissions():
    editors = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    publishers = set(Group.objects.get(name=PUBLISHERS).permissions.values_list("codename", flat=True))
    assert "add_briefing" in editors and "change_figure" in editors
    assert not any(codename.startswith("delete_") for codename in editors)
    assert "publish_briefing" not in editors
    assert "publish_briefing" in publishers and "delete_briefing" in publishers
    assert {f"delete_{model}" for model in CONTENT_MODELS} <= publishers


def post_action(client, action, *briefings):
    return client.post(
        admin_url("briefing", "changelist"),
        {"action": action, "_selected_action": [briefing.pk for briefing in briefings]},
        follow=True,
    )


def test_publisher_publishes_and_unpublishes_from_the_changelist(client, publisher):
    drafts = [BriefingFactory(draft=True), BriefingFactory(draft=True)]
    client.force_login(publisher)

    response = post_action(client, "publish_selected", *drafts)
    assert "2 briefings published." in response.content.decode()
    assert Briefing.objects.published().count() == 2

    post_action(client, "unpublish_selected", drafts[0])
    assert list(Briefing.objects.published()) == [drafts[1]]


def test_editor_is_not_offered_publish_actions_and_cannot_force_them(client, editor):
    draft = BriefingFactory(draft=True)
    client.force_login(editor)

    changelist = client.get(admin_url("briefing", "changelist"))
    assert "publish_selected" not in changelist.content.decode()

    post_action(client, "publish_selected", draft)
    draft.refresh_from_db()
    assert draft.status == Briefing.Status.DRAFT


def briefing_form_data(briefing, **changes):
    data = {
        "headline_en": briefing.headline,
        "slug": briefing.slug,
        "dek_en": briefing.dek,
        "body_en": briefing.body,
        "byline": briefing.byline,
        "dateline": briefing.dateline_id,
        "photo_caption_en": "",
        "photo_credit": "",
        "status": briefing.status,
        "published_at_0": "",
        "published_at_1": "",
        "edit_token": briefing.updated_at.isoformat() if briefing.pk else "",
    }
    for prefix in ("figures", "quotes", "corrections"):
        data |= {
            f"{prefix}-TOTAL_FORMS": 0,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    return data | changes


def test_editor_edits_a_briefing_but_its_status_does_not_change(client, editor):
    draft = BriefingFactory(draft=True)
    client.force_login(editor)

    form = client.get(admin_url("briefing", "change", draft.pk)).context["adminform"].form
    assert "status" not in form.fields and "published_at" not in form.fields

    data = briefing_form_data(draft, headline_en="A sharper headline", status="published", published_at_0="2024-06-11")
    response = client.post(admin_url("briefing", "change", draft.pk), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "A sharper headline"
    assert draft.status == Briefing.Status.DRAFT


def test_editor_adds_a_briefing_as_a_draft(client, editor):
    client.force_login(editor)
    data = briefing_form_data(BriefingFactory.build(slug="new-briefing", dateline=None), dateline="")
    response = client.post(admin_url("briefing", "add"), data)
    assert response.status_code == 302
    assert Briefing.objects.get(slug="new-briefing").status == Briefing.Status.DRAFT


def test_editor_cannot_delete_but_publisher_can(client, editor, publisher):
    briefing = BriefingFactory()
    client.force_login(editor)
    assert client.post(admin_url("briefing", "delete", briefing.pk), {"post": "yes"}).status_code == 403
    assert Briefing.objects.filter(pk=briefing.pk).exists()

    client.force_login(publisher)
    assert client.post(admin_url("briefing", "delete", briefing.pk), {"post": "yes"}).status_code == 302
    assert not Briefing.objects.filter(pk=briefing.pk).exists()


def test_staff_without_a_role_can_do_nothing(client):
    client.force_login(UserFactory())
    assert client.get(admin_url("briefing", "changelist")).status_code == 403
    assert client.get(admin_url("figure", "add")).status_code == 403


def test_briefing_form_shows_figures_and_quotes_inline(client, superuser):
    figure = FigureFactory()
    QuoteFactory(briefing=figure.briefing, source=figure.source)
    client.force_login(superuser)
    page = client.get(admin_url("briefing", "change", figure.briefing.pk)).content.decode()
    assert figure.value_as_printed in page
    assert "We are here," in page


def test_admin_refuses_a_quote_that_is_not_in_its_source(client, superuser):
    quote = QuoteFactory()
    client.force_login(superuser)
    data = {
        "briefing": quote.briefing_id,
        "slug": quote.slug,
        "position": 0,
        "text": "Words nobody said",
        "speaker": quote.speaker_id,
        "speaker_description": "",
        "speaker_organization": "",
        "medium": "",
        "source": quote.source_id,
        "context": quote.context,
        "edit_token": quote.updated_at.isoformat(),
    }
    response = client.post(admin_url("quote", "change", quote.pk), data)
    assert response.status_code == 200
    assert "verbatim passage" in response.content.decode()
    quote.refresh_from_db()
    assert quote.text == "We are here,"


def test_admin_saves_a_figure_from_the_change_form(client, editor):
    figure = FigureFactory(briefing=BriefingFactory(draft=True))  # a live one would wait for review
    client.force_login(editor)
    data = {
        "briefing": figure.briefing_id,
        "metric": figure.metric_id,
        "slug": figure.slug,
        "position": 3,
        "value_as_printed": "About 1,500",
        "value": "1500",
        "qualifier": Figure.Qualifier.ABOUT,
        "unit": Figure.Unit.INTERVIEWS,
        "period": Figure.Period.PER_DAY,
        "place": figure.place_id,
        "date_start": "2024-06-11",
        "date_end": "2024-06-11",
        "date_note_en": "",
        "attributed_to": "",
        "attribution": "Stated by the report",
        "source": figure.source_id,
        "source_sentence": figure.source_sentence,
        "measure": "",
        "edit_token": figure.updated_at.isoformat(),
    }
    response = client.post(admin_url("figure", "change", figure.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    figure.refresh_from_db()
    assert figure.attribution == "Stated by the report"
    assert figure.position == 3


def test_editor_permissions_come_only_from_the_group(editor):
    assert editor.has_perm("briefings.change_quote")
    assert not editor.has_perm("briefings.delete_quote")
    assert Permission.objects.filter(codename="publish_briefing").exists()
    assert Quote.objects.count() == 0
