"""Every public change moves a briefing's “Updated” time: its page, JSON-LD `dateModified`, its feed entry and its
sitemap entry (briefings/modified.py)."""

import datetime
import json
import re

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from briefings.models import Briefing

from .factories import BriefingFactory, FigureFactory, QuoteFactory, RewardOfferFactory, TipChannelFactory
from .html_forms import form_data

A_WHILE_AGO = timezone.now() - datetime.timedelta(days=3)


def aged(briefing):
    """The briefing as if last saved days ago, so that any change shows."""
    Briefing.objects.filter(pk=briefing.pk).update(updated_at=A_WHILE_AGO, revised_at=None)
    briefing.refresh_from_db()
    return briefing


def date_modified(client, briefing) -> datetime.datetime:
    page = client.get(briefing.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    article = next(item for item in (data if isinstance(data, list) else [data]) if item["@type"] == "NewsArticle")
    return datetime.datetime.fromisoformat(article["dateModified"])


def test_a_figure_changed_in_the_admin_moves_the_briefings_updated_time(client, publisher, committed):
    figure = FigureFactory(briefing=BriefingFactory())
    briefing = aged(figure.briefing)
    before = date_modified(client, briefing)
    client.force_login(publisher)
    url = reverse("admin:briefings_figure_change", args=[figure.pk])
    data = form_data(client.get(url).content.decode(), "figure_form") | {"attribution": "the agency said"}
    with committed():  # the page cache is refreshed when the save commits
        assert client.post(url, data).status_code == 302
    client.logout()

    briefing.refresh_from_db()
    assert briefing.revised_at is not None
    assert briefing.updated_at == A_WHILE_AGO  # the stale-save guard's token is untouched
    after = date_modified(client, briefing)
    assert after > before
    page = client.get(briefing.get_absolute_url()).content.decode()
    assert f'<time datetime="{timezone.localtime(briefing.modified_at):%Y-%m-%dT%H:%M:%S}' in page
    feed = client.get(reverse("briefings:feed-atom")).content.decode()
    assert f"<updated>{briefing.modified_at.isoformat()}</updated>" in feed


def test_quotes_offers_and_tip_channels_move_the_briefings_that_show_them(db):
    briefing = BriefingFactory()
    quote = QuoteFactory(briefing=briefing)
    offer = RewardOfferFactory()
    channel = TipChannelFactory()
    offer.tip_channels.add(channel)
    offer.briefings.add(briefing)

    for change in (
        lambda: quote.save(),
        lambda: offer.save(),
        lambda: channel.save(),
        lambda: offer.briefings.remove(briefing),
    ):
        aged(briefing)
        change()
        assert Briefing.objects.get(pk=briefing.pk).revised_at is not None


def test_changes_to_a_draft_move_nothing_readers_see(db):
    figure = FigureFactory(briefing=BriefingFactory(draft=True))
    figure.save()
    assert Briefing.objects.get(pk=figure.briefing.pk).revised_at is None


def test_loading_the_seed_is_not_a_change_readers_see(db):
    call_command("load_initial_data", verbosity=0)
    assert Briefing.objects.get().revised_at is None
