"""Each public page costs the same number of queries whether the desk holds 3 briefings or 60.

Every count includes the content generation that the page cache reads (1 query, briefings/page_cache/; each page
here is a cache miss). Public pages only read, so no transaction wraps them (no SAVEPOINT or RELEASE).
A count that grows with the data means a missing select_related/prefetch_related: fix the view, not the number.
"""

import pytest
from django.urls import reverse

from briefings.models import Correction

from .factories import (
    FigureFactory,
    OrganizationFactory,
    PersonFactory,
    PlaceFactory,
    QuoteFactory,
    RewardOfferFactory,
    SourceFactory,
    TopicFactory,
    build_site,
)

# page: (address, number of queries). The breakdown after each says what the queries fetch.
PAGES = {
    # briefings + their topics, key figures + corrections, active offers, tip channels + agencies
    "home": (lambda site: reverse("briefings:home"), 8),
    # count, briefings + topics, filter topics, filter places, filter organizations
    "briefing list": (lambda site: reverse("briefings:briefing-list"), 7),
    # the topic looked up by slug, then as above
    "briefing list by topic": (lambda site: f"{reverse('briefings:briefing-list')}?topic={site.topic.slug}", 8),
    # briefing, topics, places, organizations, people, sources, figures + their corrections, quotes,
    # offers, the briefing's corrections
    "briefing": (lambda site: site.briefings[0].get_absolute_url(), 12),
    # metrics, their published figures + corrections
    "figures": (lambda site: reverse("briefings:figure-list"), 4),
    "metric": (lambda site: site.metric.get_absolute_url(), 4),
    # programs, offers + channels + agencies, tip channels + agencies
    "rewards": (lambda site: reverse("briefings:reward-list"), 7),
    "reward program": (lambda site: site.program.get_absolute_url(), 7),
    # offer, channels + agencies, published briefings + topics
    "reward offer": (lambda site: site.offers[0].get_absolute_url(), 6),
    "topics": (lambda site: reverse("briefings:topic-list"), 2),
    "topic": (lambda site: site.topic.get_absolute_url(), 4),
    "places": (lambda site: reverse("briefings:place-list"), 2),
    # place, children, countries, places in country, organizations, figures + corrections,
    # offers + channels + agencies, briefings + topics
    "place (a country)": (lambda site: site.country.get_absolute_url(), 13),
    "place (a dateline city)": (lambda site: site.city.get_absolute_url(), 10),
    "organizations": (lambda site: reverse("briefings:organization-list"), 2),
    # organization, units, people, programs, tip channels, measures, sources, quotes, offers, briefings + topics
    "organization (an agency)": (lambda site: site.agency.get_absolute_url(), 12),
    "organization (a reward target)": (lambda site: site.cartel.get_absolute_url(), 14),
    "people": (lambda site: reverse("briefings:person-list"), 2),
    # person, measures, sources, quotes, figures + corrections, briefings + topics
    "person": (lambda site: site.person.get_absolute_url(), 9),
    "measures": (lambda site: reverse("briefings:measure-list"), 2),
    # measure, organizations, people, figures + corrections
    "measure": (lambda site: site.measure.get_absolute_url(), 6),
    "sources": (lambda site: reverse("briefings:source-list"), 2),
    # count, corrections + their briefings and figures
    "corrections": (lambda site: reverse("briefings:correction-list"), 3),
    # source, authors, measures, briefings + topics, figures + corrections, quotes, offers + channels + agencies,
    # tip channels + agencies
    "source": (lambda site: site.source.get_absolute_url(), 14),
}


def enrich(briefing, *, count):
    """Give one briefing `count` more of everything its page lists, so that page grows too."""
    briefing.topics.add(*TopicFactory.create_batch(count))
    briefing.places.add(*PlaceFactory.create_batch(count))
    briefing.organizations.add(*OrganizationFactory.create_batch(count))
    briefing.people.add(*PersonFactory.create_batch(count))
    briefing.sources.add(*SourceFactory.create_batch(count))
    for figure in FigureFactory.create_batch(count, briefing=briefing):
        Correction.objects.create(briefing=briefing, figure=figure, text="An earlier version had another number.")
    Correction.objects.create(briefing=briefing, text="An earlier version misspelled a name.")
    QuoteFactory.create_batch(count, briefing=briefing)
    for offer in RewardOfferFactory.create_batch(count):
        offer.briefings.add(briefing)


@pytest.mark.parametrize("briefings", [3, 60])
def test_each_page_takes_a_fixed_number_of_queries(client, db, django_assert_num_queries, briefings):
    site = build_site(briefings=briefings)
    Correction.objects.create(briefing=site.briefings[-1], text="An earlier version gave the wrong date.")
    if briefings > 3:
        enrich(site.briefings[0], count=20)
    for name, (address, queries) in PAGES.items():
        url = address(site)
        with django_assert_num_queries(queries, info=f"{name} ({url}) with {briefings} briefings"):
            response = client.get(url)
        assert response.status_code == 200, name


def test_the_larger_site_really_is_larger(client, db):
    """Guards the test above: at 60 briefings the pages do list 60 of everything."""
    site = build_site(briefings=60)
    content = client.get(site.topic.get_absolute_url()).content.decode()
    assert content.count('class="card briefing-card"') == 10  # the latest ten, then a link to the rest
    content = client.get(reverse("briefings:figure-list")).content.decode()
    assert content.count('class="card figure-card"') == 60
    content = client.get(site.person.get_absolute_url()).content.decode()
    assert content.count('class="card quote-card"') == 60
    content = client.get(reverse("briefings:reward-list")).content.decode()
    assert content.count('class="card offer-card"') == 60
    enrich(site.briefings[0], count=20)
    content = client.get(site.briefings[0].get_absolute_url()).content.decode()
    assert content.count('class="figure-line"') == 21
    assert content.count('id="quote-') == 22
    assert content.count('<li id="offer-') == 21
