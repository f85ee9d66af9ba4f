"""Pickers say what each choice belongs to and offer the briefing being edited first (briefings/admin_site.py);
a briefing's page picks the reward offers it reports."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from briefings.models import Briefing, Figure, RewardOffer

from .factories import BriefingFactory, FigureFactory, RewardOfferFactory
from .html_forms import form_data

AUTOCOMPLETE = reverse("admin:autocomplete")


def search(client, model_name, field_name, **params):
    response = client.get(
        AUTOCOMPLETE, {"app_label": "briefings", "model_name": model_name, "field_name": field_name, **params}
    )
    assert response.status_code == 200
    return [(int(result["id"]), result["text"]) for result in response.json()["results"]]


def picker_url(page: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>', page).group()
    return html.unescape(re.search(r'data-ajax--url="([^"]*)"', select).group(1))


def test_a_figure_picker_names_each_figures_briefing_and_lists_the_edited_ones_first(client, publisher):
    other = FigureFactory(briefing=BriefingFactory(headline="Another story"))
    mine = FigureFactory(briefing=BriefingFactory(headline="This story"), value_as_printed="About 3,000")
    client.force_login(publisher)

    page = client.get(reverse("admin:briefings_briefing_change", args=[mine.briefing.pk])).content.decode()
    assert picker_url(page, "corrections-__prefix__-figure") == f"{AUTOCOMPLETE}?briefing={mine.briefing.pk}"

    results = search(client, "correction", "figure", briefing=mine.briefing.pk)
    assert [pk for pk, _label in results] == [mine.pk, other.pk]
    assert results[0][1] == f"{mine} · in “This story”"
    assert results[1][1].endswith("· in “Another story”")
    # Without a briefing being edited (the correction's own page) the order is the usual one, still labelled.
    usual = list(Figure.objects.values_list("pk", flat=True))
    assert [pk for pk, _label in search(client, "correction", "figure")] == usual
    assert {label for _pk, label in search(client, "correction", "figure")} == {label for _pk, label in results}


def test_an_offer_picker_names_the_briefings_reporting_each_and_lists_the_edited_ones_first(client, publisher):
    briefing = BriefingFactory(headline="This story")
    unreported = RewardOfferFactory(position=0)
    reported = RewardOfferFactory(position=1, briefings=[briefing])
    client.force_login(publisher)
    results = search(client, "briefing", "reward_offers", briefing=briefing.pk)
    assert [pk for pk, _label in results[:2]] == [reported.pk, unreported.pk]
    assert results[0][1] == f"{reported} · in “This story”"
    assert results[1][1] == f"{unreported} · in no briefing yet"

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            search(client, "briefing", "reward_offers", **params)
        return len(captured)

    fewer = queries(briefing=briefing.pk)
    for _ in range(4):
        RewardOfferFactory(briefings=[briefing, BriefingFactory()])
    assert queries(briefing=briefing.pk) == fewer


def test_a_publisher_picks_the_offers_a_briefing_reports_and_each_keeps_a_version(client, publisher):
    briefing = BriefingFactory(headline="Rewards for smugglers")
    offer, dropped = RewardOfferFactory(), RewardOfferFactory(briefings=[briefing])
    client.force_login(publisher)
    url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
    page = client.get(url).content.decode()
    assert picker_url(page, "reported_offers") == f"{AUTOCOMPLETE}?briefing={briefing.pk}"
    data = form_data(page, "briefing_form")
    assert data["reported_offers"] == str(dropped.pk)
    assert client.post(url, data | {"reported_offers": [str(offer.pk)]}).status_code == 302

    assert list(briefing.reward_offers.all()) == [offer]
    # Each offer's history holds the link as it was and as it is now.
    for record, before, after in [(offer, [], [briefing.pk]), (dropped, [briefing.pk], [])]:
        versions = Version.objects.get_for_object(record)  # newest first
        assert [version.field_dict["briefings"] for version in versions] == [after, before]
    assert f"offer-{offer.slug}" in client.get(briefing.get_absolute_url()).content.decode()


def test_an_editor_cannot_change_what_a_live_briefing_reports_from_its_page(client, editor):
    briefing = BriefingFactory()
    offer = RewardOfferFactory()
    client.force_login(editor)
    url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
    page = client.get(url).content.decode()
    assert re.search(r'<select[^>]*name="reported_offers"[^>]*disabled', page)
    response = client.post(url, form_data(page, "briefing_form") | {"reported_offers": [str(offer.pk)]})
    assert response.status_code == 302
    assert not Briefing.objects.get(pk=briefing.pk).reward_offers.exists()
    assert not RewardOffer.objects.filter(briefings=briefing).exists()


def test_a_briefing_page_opened_before_an_offer_was_linked_leaves_that_link(client, publisher):
    briefing = BriefingFactory(headline="Rewards for smugglers")
    kept, linked_meanwhile = RewardOfferFactory(briefings=[briefing]), RewardOfferFactory()
    client.force_login(publisher)
    url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
    opened = form_data(client.get(url).content.decode(), "briefing_form")
    linked_meanwhile.briefings.add(briefing)  # on the offer's own page, say

    assert client.post(url, opened | {"headline": "Rewards for smugglers, explained"}).status_code == 302
    assert set(briefing.reward_offers.all()) == {kept, linked_meanwhile}


def test_an_offer_page_opened_before_a_briefing_linked_it_does_not_undo_the_link(client, publisher):
    briefing = BriefingFactory(headline="Rewards for smugglers")
    offer = RewardOfferFactory()
    client.force_login(publisher)
    offer_url = reverse("admin:briefings_rewardoffer_change", args=[offer.pk])
    opened = form_data(client.get(offer_url).content.decode(), "rewardoffer_form")

    briefing_url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
    data = form_data(client.get(briefing_url).content.decode(), "briefing_form")
    assert client.post(briefing_url, data | {"reported_offers": [str(offer.pk)]}).status_code == 302

    response = client.post(offer_url, opened | {"position": "7"})
    assert response.status_code == 200
    assert "Someone saved this reward offer after you opened it" in response.content.decode()
    # Saved again, only the field this editor changed is applied: the link stays.
    assert client.post(offer_url, form_data(response.content.decode(), "rewardoffer_form")).status_code == 302
    offer.refresh_from_db()
    assert (offer.position, list(offer.briefings.all())) == (7, [briefing])
