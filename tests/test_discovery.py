"""Feeds, sitemaps and robots.txt, read the way feed readers and search engines read them."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from briefings import services

from .factories import BriefingFactory, EncounterCountFactory, FigureFactory, PlaceFactory, TopicFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def briefings(db):
    topic, place = TopicFactory(), PlaceFactory()
    public = BriefingFactory(headline="Public briefing", topics=[topic])
    public.places.add(place)
    other = BriefingFactory(headline="Other briefing")
    draft = BriefingFactory(draft=True, headline="Draft briefing", topics=[topic])
    scheduled = BriefingFactory(scheduled=True, headline="Scheduled briefing", topics=[topic])
    return {"topic": topic, "place": place, "public": public, "other": other, "draft": draft, "scheduled": scheduled}


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def test_rss_is_valid_rss_2_and_lists_only_published_briefings(client, briefings):
    response, feed = parse_feed(client, reverse("briefings:feed-rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert {entry.title for entry in feed.entries} == {"Public briefing", "Other briefing"}
    entry = next(entry for entry in feed.entries if entry.title == "Public briefing")
    assert entry.link.endswith(briefings["public"].get_absolute_url())
    assert entry.published_parsed is not None


def test_atom_is_valid_atom_and_lists_only_published_briefings(client, briefings):
    response, feed = parse_feed(client, reverse("briefings:feed-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert {entry.title for entry in feed.entries} == {"Public briefing", "Other briefing"}
    assert all(entry.updated_parsed for entry in feed.entries)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_topic_and_place_feeds_list_only_their_published_briefings(client, briefings, kind):
    for name in ("topic", "place"):
        obj = briefings[name]
        _response, feed = parse_feed(client, reverse(f"briefings:{name}-feed-{kind}", args=[obj.slug]))
        assert [entry.title for entry in feed.entries] == ["Public briefing"], name
        assert obj.name in feed.feed.title


def test_unknown_topic_feed_is_404(client, db):
    assert client.get(reverse("briefings:topic-feed-rss", args=["no-such-topic"])).status_code == 404


def test_feeds_carry_corrections(client, publisher):
    figure = FigureFactory()
    services.correction_publish(
        briefing=figure.briefing, figure=figure, text="An earlier version gave 1,600.", user=publisher
    )
    for url in (reverse("briefings:feed-rss"), reverse("briefings:feed-atom")):
        _response, feed = parse_feed(client, url)
        assert "An earlier version gave 1,600." in feed.entries[0].summary


def test_every_page_advertises_the_feeds(client, briefings):
    for url in ("/", briefings["public"].get_absolute_url(), briefings["topic"].get_absolute_url()):
        page = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in page
        assert f'href="{reverse("briefings:feed-atom")}"' in page
    topic_page = client.get(briefings["topic"].get_absolute_url()).content.decode()
    assert reverse("briefings:topic-feed-rss", args=[briefings["topic"].slug]) in topic_page


def sitemap_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content).findall(f"{SITEMAP}url")


def test_every_sitemap_url_answers_200_and_carries_lastmod(client, briefings):
    FigureFactory(briefing=briefings["public"])
    entries = sitemap_entries(client, reverse("sitemap"))
    locations = [entry.find(f"{SITEMAP}loc").text for entry in entries]
    assert len(locations) == len(set(locations))
    for entry, location in zip(entries, locations, strict=True):
        assert client.get(urlsplit(location).path).status_code == 200, location
        assert entry.find(f"{SITEMAP}lastmod") is not None, location
    paths = {urlsplit(location).path for location in locations}
    assert briefings["public"].get_absolute_url() in paths
    assert briefings["draft"].get_absolute_url() not in paths
    assert briefings["scheduled"].get_absolute_url() not in paths
    assert reverse("briefings:encounters") in paths


def test_news_sitemap_lists_briefings_of_the_last_two_days(client, briefings):
    old = BriefingFactory(headline="Old news", published_at=timezone.now() - datetime.timedelta(days=3))
    entries = sitemap_entries(client, reverse("news-sitemap"))
    by_path = {urlsplit(entry.find(f"{SITEMAP}loc").text).path: entry for entry in entries}
    assert set(by_path) == {briefings["public"].get_absolute_url(), briefings["other"].get_absolute_url()}
    assert old.get_absolute_url() not in by_path
    news = by_path[briefings["public"].get_absolute_url()].find(f"{NEWS}news")
    assert news.find(f"{NEWS}title").text == "Public briefing"
    assert news.find(f"{NEWS}publication/{NEWS}name").text
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "en"
    published = datetime.datetime.fromisoformat(news.find(f"{NEWS}publication_date").text)
    assert published == briefings["public"].published_at


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines


def json_ld(page):
    """Every JSON-LD block of a page, parsed."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def test_briefing_carries_news_article_json_ld_with_its_corrections(client, publisher):
    figure = FigureFactory()
    briefing = figure.briefing
    services.correction_publish(briefing=briefing, text="The byline was wrong.", user=publisher)
    page = client.get(briefing.get_absolute_url()).content.decode()
    (article,) = json_ld(page)
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == briefing.headline
    assert datetime.datetime.fromisoformat(article["datePublished"]) == briefing.published_at.replace(microsecond=0)
    assert datetime.datetime.fromisoformat(article["dateModified"]) >= briefing.updated_at.replace(microsecond=0)
    assert article["author"] == [{"@type": "Person", "name": briefing.byline}]
    assert article["publisher"]["@type"] == "Organization"
    assert article["locationCreated"] == {"@type": "Place", "name": briefing.dateline.name}
    assert article["url"] == f"http://testserver{briefing.get_absolute_url()}"
    assert [correction["text"] for correction in article["correction"]] == ["The byline was wrong."]


def test_json_ld_cannot_break_out_of_its_script_element(client, db):
    briefing = BriefingFactory(headline="</script><script>alert(1)</script>")
    page = client.get(briefing.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in page
    (article,) = json_ld(page)
    assert article["headline"] == "</script><script>alert(1)</script>"


def test_pages_have_canonical_open_graph_and_language(client, briefings):
    briefing = briefings["public"]
    page = client.get(briefing.get_absolute_url()).content.decode()
    url = f"http://testserver{briefing.get_absolute_url()}"
    assert '<html lang="en">' in page
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:title" content="{briefing.headline}">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    home = client.get("/").content.decode()
    assert '<meta property="og:type" content="website">' in home
    assert '<link rel="canonical" href="http://testserver/">' in home


def test_encounter_page_carries_dataset_json_ld_naming_its_downloads(client, db):
    EncounterCountFactory(fiscal_year=2024, month_abbv="JUN")
    page = client.get(reverse("briefings:encounters"), {"region": "all"}).content.decode()
    (dataset,) = json_ld(page)
    assert dataset["@type"] == "Dataset"
    assert dataset["creator"]["name"] == "U.S. Customs and Border Protection"
    assert dataset["temporalCoverage"] == "2024-06/2024-06"
    downloads = {download["contentUrl"] for download in dataset["distribution"]}
    data_url = f"http://testserver{reverse('briefings:encounter-data')}?"
    assert sum(url.startswith(data_url) for url in downloads) == 1
    assert sum(urlsplit(url).path.endswith(".csv") for url in downloads) == 6
    for url in downloads:
        parts = urlsplit(url)
        assert client.get(f"{parts.path}?{parts.query}").status_code == 200, url
