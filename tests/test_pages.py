"""The public pages: what a reader sees, what a reader must not see, and that everything is linked from /."""

import re
from collections import deque
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import RequestFactory
from django.urls import reverse

from briefings.models import (
    Briefing,
    Figure,
    Measure,
    Metric,
    Organization,
    Person,
    Place,
    RewardOffer,
    RewardProgram,
    Source,
    Topic,
)
from briefings.views import errors

from .factories import (
    BriefingFactory,
    FigureFactory,
    PlaceFactory,
    TopicFactory,
    UserFactory,
)


class PageParser(HTMLParser):
    """Collects what the structural checks need: links, headings, ids, inline code and styles."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.headings = []
        self.ids = []
        self.inline_scripts = 0
        self.style_attributes = 0
        self.html_lang = None
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
        # JSON-LD is a data block, never executed; any other script without src would be inline code.
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/ld+json":
            self.inline_scripts += 1
        if "style" in attributes or any(name.startswith("on") for name in attributes):
            self.style_attributes += 1
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading is not None and re.fullmatch(r"h[1-6]", tag):
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None


def parse(response):
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def text(response):
    """The page as a reader's text: tags dropped and whitespace collapsed, so phrases split by markup match."""
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    collapsed = re.sub(r"\s+", " ", unescape(without_tags))
    return re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\(\s+", "(", collapsed))


def public_pages(site):
    briefing = site.briefings[0]
    return {
        "home": reverse("briefings:home"),
        "briefing list": reverse("briefings:briefing-list"),
        "briefing": briefing.get_absolute_url(),
        "figures": reverse("briefings:figure-list"),
        "metric": site.metric.get_absolute_url(),
        "rewards": reverse("briefings:reward-list"),
        "reward program": site.program.get_absolute_url(),
        "reward offer": site.offers[0].get_absolute_url(),
        "topics": reverse("briefings:topic-list"),
        "topic": site.topic.get_absolute_url(),
        "places": reverse("briefings:place-list"),
        "place": site.country.get_absolute_url(),
        "organizations": reverse("briefings:organization-list"),
        "organization": site.agency.get_absolute_url(),
        "people": reverse("briefings:person-list"),
        "person": site.person.get_absolute_url(),
        "measures": reverse("briefings:measure-list"),
        "measure": site.measure.get_absolute_url(),
        "sources": reverse("briefings:source-list"),
        "source": site.source.get_absolute_url(),
    }


# --- Every page answers and is well formed -------------------------------------------------------------------


def test_every_public_page_answers_200_and_is_well_formed(client, site):
    for name, url in public_pages(site).items():
        response = client.get(url)
        assert response.status_code == 200, name
        page = parse(response)
        assert page.html_lang == "en", name
        levels = [level for level, _heading in page.headings]
        assert levels.count(1) == 1, f"{name}: one <h1> per page, got {page.headings}"
        assert levels[0] == 1, f"{name}: the <h1> comes first, got {page.headings}"
        for previous, current in zip(levels, levels[1:], strict=False):
            assert current <= previous + 1, f"{name}: heading levels skip from h{previous} to h{current}"
        assert page.inline_scripts == 0, name
        assert page.style_attributes == 0, f"{name}: inline style or event-handler attribute"
        assert len(page.ids) == len(set(page.ids)), f"{name}: duplicate ids"
        assert "#main" in page.links, f"{name}: skip link"
        content = response.content.decode()
        assert '<meta name="robots" content="noindex">' not in content, name
        assert "Preview — not published" not in content, name


def test_navigation_links_every_section(client, site):
    links = parse(client.get("/")).links
    for name in [
        "briefing-list",
        "figure-list",
        "reward-list",
        "topic-list",
        "place-list",
        "organization-list",
        "person-list",
        "measure-list",
        "source-list",
    ]:
        assert reverse(f"briefings:{name}") in links, name


# --- Home ---------------------------------------------------------------------------------------------------------


def test_home_shows_latest_briefings_key_figures_rewards_and_tip_channels(client, site):
    response = client.get("/")
    content = response.content.decode()
    for briefing in site.briefings:
        assert briefing.headline in content
    figure = site.figures[0]
    assert f'id="figure-{figure.slug}"' in content
    assert figure.get_absolute_url() in parse(response).links  # its provenance page
    page_text = text(response)
    assert "About 1,500 interviews per day" in page_text
    assert site.country.name in page_text
    # The rest of its provenance is one link away.
    assert "Qualifier about" in text(client.get(figure.get_absolute_url()))
    assert site.person.name in text(client.get(figure.get_absolute_url()))
    assert "Up to $2,000,000" in content
    assert 'href="tel:+18663472423"' in content
    assert 'href="https://www.ice.gov/tips"' in content
    assert "Send a tip" in content


def test_home_puts_the_news_before_the_tip_box(client, site):
    content = client.get("/").content.decode()
    assert content.index(site.briefings[0].headline) < content.index('href="tel:+18663472423"')


def test_home_shows_only_active_reward_offers(client, site):
    closed = site.offers[0]
    closed.status = RewardOffer.Status.CLOSED
    closed.save()
    content = client.get("/").content.decode()
    assert closed.get_absolute_url() not in content
    assert site.offers[1].get_absolute_url() in content


# --- Briefing list: filters and pagination ---------------------------------------------------------------------------


def test_briefing_list_shows_published_newest_first(client, site):
    content = client.get(reverse("briefings:briefing-list")).content.decode()
    positions = [content.index(briefing.headline) for briefing in site.briefings]
    assert positions == sorted(positions)
    for hidden in site.hidden_briefings:
        assert hidden.headline not in content


def test_briefing_list_filters_by_topic(client, site):
    other_topic = TopicFactory(name="Other topic")
    other = BriefingFactory(headline="Only in the other topic", topics=[other_topic])
    url = reverse("briefings:briefing-list")
    content = client.get(url, {"topic": site.topic.slug}).content.decode()
    assert site.briefings[0].headline in content
    assert other.headline not in content
    content = client.get(url, {"topic": other_topic.slug}).content.decode()
    assert other.headline in content
    assert site.briefings[0].headline not in content


def test_briefing_list_filters_by_place_including_the_dateline(client, site):
    elsewhere = BriefingFactory(headline="Datelined elsewhere")
    url = reverse("briefings:briefing-list")
    # site.city is only ever a dateline; site.country is only ever a tagged place.
    for place in (site.city, site.country):
        content = client.get(url, {"place": place.slug}).content.decode()
        assert site.briefings[0].headline in content, place
        assert elsewhere.headline not in content, place
    content = client.get(url, {"place": elsewhere.dateline.slug}).content.decode()
    assert elsewhere.headline in content
    assert site.briefings[0].headline not in content


def test_briefing_list_filters_by_organization(client, site):
    other = BriefingFactory(headline="No organizations here")
    content = client.get(reverse("briefings:briefing-list"), {"organization": site.cartel.slug}).content.decode()
    assert site.briefings[0].headline in content
    assert other.headline not in content


def test_briefing_list_offers_filter_links_that_work(client, site):
    response = client.get(reverse("briefings:briefing-list"))
    links = parse(response).links
    for filter_link in [
        f"/briefings/?topic={site.topic.slug}",
        f"/briefings/?place={site.country.slug}",
        f"/briefings/?place={site.city.slug}",
        f"/briefings/?organization={site.agency.slug}",
    ]:
        assert filter_link in links
        assert client.get(filter_link).status_code == 200


def test_filter_links_do_not_reveal_records_only_in_drafts(client, site):
    draft_topic = TopicFactory(name="Topic only a draft has")
    site.hidden_briefings[0].topics.add(draft_topic)
    content = client.get(reverse("briefings:briefing-list")).content.decode()
    assert f"?topic={draft_topic.slug}" not in content


def test_unknown_filter_slug_is_a_404(client, site):
    for name in ("topic", "place", "organization", "person"):
        response = client.get(reverse("briefings:briefing-list"), {name: "no-such-slug"})
        assert response.status_code == 404, name
        assert "404.html" in [template.name for template in response.templates]


def test_known_filter_with_no_published_briefings_shows_an_empty_state(client, site):
    lonely = TopicFactory(name="Nothing yet")
    site.hidden_briefings[0].topics.add(lonely)  # a draft does not count
    response = client.get(reverse("briefings:briefing-list"), {"topic": lonely.slug})
    assert response.status_code == 200
    content = response.content.decode()
    assert "No published briefings match this filter." in content
    assert "Draft headline never shown" not in content


def test_briefing_list_paginates(client, db, settings):
    settings.BRIEFINGS_PER_PAGE = 2
    for _number in range(5):
        BriefingFactory()
    url = reverse("briefings:briefing-list")
    first = client.get(url)
    assert len(first.context["briefings"]) == 2
    assert "Page 1 of 3" in first.content.decode()
    assert "?page=2" in parse(first).links
    last = client.get(url, {"page": 3})
    assert len(last.context["briefings"]) == 1
    assert "?page=2" in parse(last).links
    assert client.get(url, {"page": 4}).status_code == 404


def test_pagination_keeps_the_filter(client, site, settings):
    settings.BRIEFINGS_PER_PAGE = 1
    response = client.get(reverse("briefings:briefing-list"), {"topic": site.topic.slug})
    assert f"?topic={site.topic.slug}&amp;page=2" in response.content.decode()


# --- Briefing detail -------------------------------------------------------------------------------------------------


def test_briefing_page_shows_the_briefing_and_its_facts(client, site):
    briefing = site.briefings[0]
    briefing.photo_caption = "Migrants wade across a river."
    briefing.photo_credit = "AP Photo"
    briefing.body = "First paragraph with **strong** words.\n\n<script>alert('x')</script>"
    briefing.save()
    response = client.get(briefing.get_absolute_url())
    content = response.content.decode()
    page_text = text(response)
    assert f"<h1>{briefing.headline}</h1>" in content
    assert briefing.dek in content
    assert "By Staff reporter" in page_text
    assert "<figure" in content
    assert "<figcaption>" in content
    assert "Migrants wade across a river." in content
    assert "Photo: AP Photo" in page_text
    assert "<strong>strong</strong>" in content
    assert "alert(" not in content

    figure = site.figures[0]
    assert f'id="figure-{figure.slug}"' in content
    assert figure.get_absolute_url() in parse(response).links  # its provenance page
    assert f"<p>{figure.source_sentence}</p>" in content
    assert "(inferred)" in content
    assert figure.date_note in content
    assert site.person.name in content

    for quote in site.quotes[:2]:
        assert f'id="quote-{quote.slug}"' in content
        assert quote.text in content
    assert "a senior Department of Justice official" in content
    assert "(not named in the source)" in content
    assert "“We are here,” the official said." in content

    assert site.offers[0].get_absolute_url() in content
    assert "Up to $2,000,000" in content
    assert site.source.get_absolute_url() in content
    assert "The report prints no date; worked out from its clues." in content

    for record in (site.topic, site.country, site.agency, site.cartel, site.person, site.city):
        assert record.get_absolute_url() in content


def test_briefing_page_does_not_show_figures_of_other_briefings(client, site):
    content = client.get(site.briefings[0].get_absolute_url()).content.decode()
    assert f'id="figure-{site.figures[1].slug}"' not in content


def test_published_and_updated_times_are_machine_readable(client, site):
    briefing = site.briefings[0]
    content = client.get(briefing.get_absolute_url()).content.decode()
    times = re.findall(r'<time datetime="([^"]+)">', content)
    assert len(times) >= 2
    for value in times:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2})?", value), value


# --- Drafts and scheduled briefings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("traits", "public"),
    [
        ({}, True),  # published, time in the past
        ({"scheduled": True}, False),  # published, time in the future
        ({"draft": True}, False),  # draft, no time
        ({"status": Briefing.Status.DRAFT}, False),  # draft with a past time (taken down)
    ],
)
def test_who_may_read_a_briefing(client, db, editor, traits, public):
    briefing = BriefingFactory(**traits)
    url = briefing.get_absolute_url()

    anonymous = client.get(url)
    assert anonymous.status_code == (200 if public else 404)

    client.force_login(UserFactory(username="reader", is_staff=False))
    assert client.get(url).status_code == (200 if public else 404)

    client.force_login(editor)
    preview = client.get(url)
    assert preview.status_code == 200
    content = preview.content.decode()
    if public:
        assert "Preview — not published" not in content
        assert '<meta name="robots" content="noindex">' not in content
    else:
        assert "Preview — not published" in content
        assert '<meta name="robots" content="noindex">' in content
        assert "private" in preview["Cache-Control"]
        assert "no-store" in preview["Cache-Control"]


def test_preview_shows_the_drafts_own_figures_and_quotes(client, site, editor):
    client.force_login(editor)
    draft = site.hidden_briefings[0]
    content = client.get(draft.get_absolute_url()).content.decode()
    assert "exactly 4,321" in content
    assert "Unpublished words" in content


def test_a_draft_is_404_with_the_custom_template(client, site):
    response = client.get(site.hidden_briefings[0].get_absolute_url())
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert "Page not found" in response.content.decode()


def test_figures_and_quotes_of_unpublished_briefings_appear_on_no_public_page(client, site):
    for name, url in public_pages(site).items():
        content = client.get(url).content.decode()
        assert "4,321" not in content, name
        assert "Unpublished words" not in content, name
        assert "Unpublished sentence" not in content, name
        for hidden in site.hidden_briefings:
            assert hidden.headline not in content, name
            assert hidden.get_absolute_url() not in content, name


def test_staff_do_not_see_drafts_in_public_lists(client, site, editor):
    client.force_login(editor)
    for url in ("/", reverse("briefings:briefing-list"), reverse("briefings:figure-list")):
        content = client.get(url).content.decode()
        assert "Draft headline never shown" not in content
        assert "4,321" not in content


# --- Figures ---------------------------------------------------------------------------------------------------------


def test_figure_list_groups_published_figures_by_metric(client, site):
    other = FigureFactory(briefing=site.briefings[0], value_as_printed="over 300", source_sentence="over 300 arrests")
    response = client.get(reverse("briefings:figure-list"))
    content = response.content.decode()
    assert set(response.context["metrics"]) == {site.metric, other.metric}
    for figure in [*site.figures, other]:
        assert f'id="figure-{figure.slug}"' in content
        assert figure.get_absolute_url() in content
    assert site.metric.get_absolute_url() in content
    assert other.metric.get_absolute_url() in content


def test_metric_page_shows_its_series_as_a_table(client, site):
    response = client.get(site.metric.get_absolute_url())
    content = response.content.decode()
    assert "<table" in content
    assert "<caption" in content
    assert content.count("<tr>") == len(site.figures) + 1  # header row + one per published figure
    for figure in site.figures:
        assert f'id="figure-{figure.slug}"' in content
        assert figure.get_absolute_url() in parse(response).links  # its provenance page


def test_a_metric_with_only_unpublished_figures_is_not_listed(client, db):
    figure = FigureFactory(briefing=BriefingFactory(draft=True))
    content = client.get(reverse("briefings:figure-list")).content.decode()
    assert figure.metric.get_absolute_url() not in content
    assert "No figures have been published yet." in content


# --- Rewards ---------------------------------------------------------------------------------------------------------


def test_reward_list_shows_programs_offers_and_tip_channels(client, site):
    response = client.get(reverse("briefings:reward-list"))
    content = response.content.decode()
    assert str(site.program) in content
    assert site.program.get_absolute_url() in content
    for offer in site.offers:
        assert offer.get_absolute_url() in content
    assert "Up to $2,000,000" in content
    assert content.index('id="tips"') < content.index(site.offers[0].get_absolute_url())
    assert f'id="tip-{site.phone.pk}"' in content  # TipChannel.get_absolute_url points here
    assert 'href="tel:+18663472423"' in content
    assert 'href="https://www.ice.gov/tips"' in content


def test_reward_program_page(client, site):
    content = client.get(site.program.get_absolute_url()).content.decode()
    assert f"<h1>{site.program}</h1>" in content
    assert site.agency.get_absolute_url() in content
    for offer in site.offers:
        assert offer.get_absolute_url() in content
    assert 'href="tel:+18663472423"' in content


def test_reward_offer_page(client, site):
    offer = site.offers[0]
    response = client.get(offer.get_absolute_url())
    content = response.content.decode()
    assert parse(response).headings[0] == (1, "Up to $2,000,000")
    assert "Arrest and/or conviction of a key leader" in content
    assert offer.criterion_text in content
    assert site.cartel.get_absolute_url() in content
    assert site.country.get_absolute_url() in content
    assert 'href="tel:+18663472423"' in content
    assert f"<p>{offer.source_sentence}</p>" in content
    assert site.briefings[0].get_absolute_url() in content
    assert "a ceiling, not a promised amount" in content


def test_reward_offer_page_lists_only_published_briefings(client, site):
    offer = site.offers[0]
    offer.briefings.add(*site.hidden_briefings)
    content = client.get(offer.get_absolute_url()).content.decode()
    for hidden in site.hidden_briefings:
        assert hidden.get_absolute_url() not in content


# --- Index and detail pages of the records reports refer to ----------------------------------------------------------


@pytest.mark.parametrize(
    ("list_name", "model"),
    [
        ("topic-list", Topic),
        ("place-list", Place),
        ("organization-list", Organization),
        ("person-list", Person),
        ("measure-list", Measure),
        ("source-list", Source),
    ],
)
def test_index_pages_link_every_record(client, site, list_name, model):
    content = client.get(reverse(f"briefings:{list_name}")).content.decode()
    records = model.objects.all()
    assert records
    for record in records:
        assert record.get_absolute_url() in content


def test_topic_page_lists_its_published_briefings(client, site):
    content = client.get(site.topic.get_absolute_url()).content.decode()
    for briefing in site.briefings:
        assert briefing.get_absolute_url() in content


def test_entity_pages_link_to_all_briefings_when_there_are_more(client, db):
    topic = TopicFactory()
    for _number in range(11):
        BriefingFactory(topics=[topic])
    content = client.get(topic.get_absolute_url()).content.decode()
    assert content.count('class="card briefing-card"') == 10
    assert f"/briefings/?topic={topic.slug}" in content


def test_place_page_lists_what_refers_to_it(client, site):
    child = PlaceFactory(parent=site.country)
    response = client.get(site.country.get_absolute_url())
    content = response.content.decode()
    assert child.get_absolute_url() in content
    assert site.city.get_absolute_url() in content
    assert site.agency.get_absolute_url() in content  # organizations of this country
    for briefing in site.briefings:
        assert briefing.get_absolute_url() in content
    for figure in site.figures:
        assert f'id="figure-{figure.slug}"' in content
    assert site.offers[0].get_absolute_url() in content


def test_place_page_includes_briefings_datelined_there(client, site):
    content = client.get(site.city.get_absolute_url()).content.decode()
    for briefing in site.briefings:
        assert briefing.get_absolute_url() in content
    assert site.country.get_absolute_url() in content  # within / country


def test_organization_page_lists_what_refers_to_it(client, site):
    content = client.get(site.agency.get_absolute_url()).content.decode()
    assert site.unit.get_absolute_url() in content
    assert site.person.get_absolute_url() in content
    assert site.program.get_absolute_url() in content
    assert site.measure.get_absolute_url() in content
    assert 'href="tel:+18663472423"' in content
    for briefing in site.briefings:
        assert briefing.get_absolute_url() in content
    for quote in site.quotes:
        assert f'id="quote-{quote.slug}"' in content
    cartel = client.get(site.cartel.get_absolute_url()).content.decode()
    assert site.offers[0].get_absolute_url() in cartel


def test_person_page_lists_their_quotes_figures_and_briefings(client, site):
    content = client.get(site.person.get_absolute_url()).content.decode()
    assert site.agency.get_absolute_url() in content
    for quote in site.quotes[::2]:  # the named speaker's quotes
        assert f'id="quote-{quote.slug}"' in content
    for figure in site.figures:
        assert f'id="figure-{figure.slug}"' in content
    for briefing in site.briefings:
        assert briefing.get_absolute_url() in content
    assert site.measure.get_absolute_url() in content
    reporter = client.get(site.reporter.get_absolute_url()).content.decode()
    assert site.source.get_absolute_url() in reporter


def test_measure_page(client, site):
    content = client.get(site.measure.get_absolute_url()).content.decode()
    assert f"<h1>{site.measure.name}</h1>" in content
    assert '<time datetime="2024-06-03">' in content
    assert site.agency.get_absolute_url() in content
    assert site.person.get_absolute_url() in content
    assert site.source.get_absolute_url() in content
    for figure in site.figures:
        assert f'id="figure-{figure.slug}"' in content


def test_measure_page_flags_an_inferred_date(client, site):
    site.measure.date_is_inferred = True
    site.measure.date_note = "The report says “last week”."
    site.measure.save()
    content = client.get(site.measure.get_absolute_url()).content.decode()
    assert "(inferred)" in content
    assert "The report says “last week”." in content


def test_source_page_lists_everything_taken_from_it(client, site):
    content = client.get(site.source.get_absolute_url()).content.decode()
    assert "(inferred)" in content
    assert "The report prints no date; worked out from its clues." in content
    assert site.reporter.get_absolute_url() in content
    for briefing in site.briefings:
        assert briefing.get_absolute_url() in content
    for figure in site.figures:
        assert f'id="figure-{figure.slug}"' in content
    for quote in site.quotes:
        assert f'id="quote-{quote.slug}"' in content
    assert site.offers[0].get_absolute_url() in content
    assert site.measure.get_absolute_url() in content
    assert 'href="tel:+18663472423"' in content


# --- Unknown addresses and errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "briefing-detail",
        "metric-detail",
        "reward-program-detail",
        "reward-offer-detail",
        "topic-detail",
        "place-detail",
        "organization-detail",
        "person-detail",
        "measure-detail",
        "source-detail",
    ],
)
def test_unknown_slug_is_a_404_with_the_custom_template(client, db, url_name):
    response = client.get(reverse(f"briefings:{url_name}", kwargs={"slug": "no-such-thing"}))
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    content = response.content.decode()
    assert "Page not found" in content
    assert 'href="/briefings/"' in content  # a way back in


def test_server_error_page_needs_no_database(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Something went wrong" in content
    assert 'href="/"' in content


# --- Everything is reachable from the front page ---------------------------------------------------------------------


def crawl(client, start="/"):
    """Follow every internal link from `start`; return {url: status} for every page reached."""
    seen = {start: None}
    queue = deque([start])
    pages = {}
    while queue:
        url = queue.popleft()
        response = client.get(url)
        pages[url] = response
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for href in parse(response).links:
            target, _fragment = urldefrag(urljoin(url, href))
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not target or target.startswith(("/static/", "/admin/")):
                continue  # tel:, https:// and other sites, files, the staff side
            if target not in seen:
                seen[target] = url
                queue.append(target)
    return pages, seen


def expected_detail_urls():
    published_metrics = Metric.objects.filter(figures__briefing__in=Briefing.objects.published()).distinct()
    records = [
        *Briefing.objects.published(),
        *Topic.objects.all(),
        *Place.objects.all(),
        *Organization.objects.all(),
        *Person.objects.all(),
        *Measure.objects.all(),
        *Source.objects.all(),
        *published_metrics,
        *Figure.objects.published().select_related("metric"),  # each figure's provenance page
        *RewardProgram.objects.all(),
        *RewardOffer.objects.all(),
    ]
    return {record.get_absolute_url() for record in records}


@pytest.mark.parametrize("data", ["site", "seed"])
def test_every_public_page_is_reachable_from_the_front_page(client, request, settings, data):
    settings.BRIEFINGS_PER_PAGE = 2  # so the crawl has to follow pagination
    request.getfixturevalue(data)
    pages, linked_from = crawl(client)
    broken = {url: (response.status_code, linked_from[url]) for url, response in pages.items()}
    broken = {url: found for url, found in broken.items() if found[0] != 200}
    assert not broken, f"links that do not answer 200 (status, found on): {broken}"
    missing = expected_detail_urls() - set(pages)
    assert not missing, f"not reachable from /: {sorted(missing)}"
    for briefing in Briefing.objects.exclude(pk__in=Briefing.objects.published()):
        assert briefing.get_absolute_url() not in pages
    for figure in Figure.objects.exclude(pk__in=Figure.objects.published()).select_related("metric"):
        assert figure.get_absolute_url() not in pages
    for name in ("figure-list", "reward-list", "topic-list", "place-list", "organization-list"):
        assert reverse(f"briefings:{name}") in pages


# --- The seed report -------------------------------------------------------------------------------------------------


SEED_BRIEFING = "us-expands-task-force-to-darien-gap-offers-rewards-clan-del-golfo"


@pytest.fixture
def seed_briefing(seed):
    return Briefing.objects.get(slug=SEED_BRIEFING)


def test_seed_home_shows_the_key_facts(client, seed_briefing):
    response = client.get("/")
    page_text = text(response)
    assert seed_briefing.headline in page_text
    assert "only about 200 encounters per day" in page_text
    assert "Rio Grande Valley" in page_text
    assert "About 1,500 interviews per day" in page_text
    assert "(866) 347-2423" in page_text
    assert "www.ice.gov/tips" in page_text
    content = response.content.decode()
    assert 'href="tel:+18663472423"' in content
    assert 'href="https://www.ice.gov/tips"' in content
    assert "Up to $2,000,000" in content


def test_seed_rewards_show_each_ceiling_as_up_to(client, seed):
    content = client.get(reverse("briefings:reward-list")).content.decode()
    for ceiling in ("Up to $2,000,000", "Up to $1,000,000", "Up to $5,000,000"):
        assert ceiling in content
    assert "Transnational Organized Crime Rewards Program" in content
    assert "(866) 347-2423" in content


def test_seed_reward_offer_page(client, seed):
    offer = RewardOffer.objects.get(ceiling_amount=2_000_000)
    page_text = text(client.get(offer.get_absolute_url()))
    assert "Up to $2,000,000" in page_text
    assert offer.criterion_text in page_text
    assert "Clan del Golfo" in page_text
    assert "(866) 347-2423" in page_text
    assert "www.ice.gov/tips" in page_text


def test_seed_briefing_page_shows_quotes_speakers_and_figures(client, seed_briefing):
    response = client.get(seed_briefing.get_absolute_url())
    page_text = text(response)
    assert "We are using every tool at our disposal to disrupt and dismantle the human smuggling networks" in (
        page_text
    )
    assert "Lisa Monaco, Deputy Attorney General" in page_text
    assert "a senior Department of Justice official (not named in the source)" in page_text
    assert "only about 200" in page_text
    assert "About 1,500" in page_text
    assert "over 300" in page_text
    assert "Up to $5,000,000" in page_text
    assert "Sandra Sanchez" in page_text
    assert "AP File Photo/Arnulfo Franco, File" in page_text


def test_seed_source_page_flags_its_inferred_date(client, seed):
    source = Source.objects.get(published_on_is_inferred=True)
    page_text = text(client.get(source.get_absolute_url()))
    assert "(inferred)" in page_text
    assert "Date inferred:" in page_text
    assert source.published_on_note.split()[0] in page_text


def test_seed_person_page_for_lisa_monaco(client, seed):
    person = Person.objects.get(name="Lisa Monaco")
    page_text = text(client.get(person.get_absolute_url()))
    assert "Deputy Attorney General" in page_text
    assert "the full force of the U.S. government is coming for you." in page_text
