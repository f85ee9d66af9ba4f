"""The JSON API at /api/: published content only, filters, pages, validators and conditional GET, JSON errors,
the docs page, and a fixed number of queries per endpoint.

Whether every answer matches the OpenAPI document is tests/test_api_schema.py.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from briefings.models import Briefing, Correction, Figure, RewardOffer

from .factories import (
    BriefingFactory,
    EncounterCountFactory,
    FigureFactory,
    OrganizationFactory,
    PersonFactory,
    PlaceFactory,
    QuoteFactory,
    RewardOfferFactory,
    SourceFactory,
    TipChannelFactory,
    TopicFactory,
    build_site,
)

SEED_BRIEFING = "us-expands-task-force-to-darien-gap-offers-rewards-clan-del-golfo"


def api(name, **kwargs):
    return reverse(f"api:{name}", kwargs=kwargs or None)


def get_json(client, url, expected_status=200, /, **params):
    response = client.get(url, params)
    assert response.status_code == expected_status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def slugs(body):
    return [item["slug"] for item in body["items"]]


# Published content only ------------------------------------------------------------------------------------------


COLLECTIONS = [
    "briefing-list",
    "figure-list",
    "reward-program-list",
    "reward-offer-list",
    "tip-channel-list",
    "place-list",
    "organization-list",
    "encounter-count-list",
]


def every_collection():
    return [api(name) for name in COLLECTIONS]


def test_drafts_scheduled_briefings_and_their_figures_and_quotes_never_appear(client, site):
    # An offer reported by a draft and by a published briefing names the published one only.
    offer = RewardOfferFactory(briefings=[site.hidden_briefings[0], site.briefings[0]])
    urls = (
        every_collection()
        + [api("briefing-detail", slug=briefing.slug) for briefing in site.briefings]
        + [api("figure-detail", slug=figure.slug) for figure in site.figures]
        + [
            api("reward-offer-detail", slug=offer.slug),
            api("reward-program-detail", slug=offer.program.slug),
            api("reward-program-detail", slug=site.program.slug),
        ]
    )
    hidden = [briefing.headline for briefing in site.hidden_briefings]
    hidden += [briefing.slug for briefing in site.hidden_briefings]
    hidden += [figure.slug for figure in site.hidden_figures] + ["4,321", "Unpublished"]
    hidden += [quote.slug for quote in site.hidden_quotes]
    for url in urls:
        content = client.get(url, {"limit": 100}).content.decode()
        for text in hidden:
            assert text not in content, (url, text)
    body = get_json(client, api("reward-offer-detail", slug=offer.slug))
    assert [briefing["slug"] for briefing in body["briefings"]] == [site.briefings[0].slug]


def test_briefing_list_has_exactly_the_published_briefings_newest_first(client, site):
    body = get_json(client, api("briefing-list"))
    assert slugs(body) == [briefing.slug for briefing in site.briefings]
    assert body["count"] == 3


@pytest.mark.parametrize(
    ("status", "days_from_now", "public"),
    [
        (Briefing.Status.PUBLISHED, -1, True),
        (Briefing.Status.PUBLISHED, 1, False),
        (Briefing.Status.DRAFT, -1, False),
        (Briefing.Status.DRAFT, 1, False),
    ],
)
def test_a_briefing_and_its_figures_are_public_only_when_published_and_due(client, db, status, days_from_now, public):
    briefing = BriefingFactory(status=status, published_at=timezone.now() + datetime.timedelta(days=days_from_now))
    figure = FigureFactory(briefing=briefing)
    QuoteFactory(briefing=briefing, text="We are here,")
    for url in (api("briefing-detail", slug=briefing.slug), api("figure-detail", slug=figure.slug)):
        response = client.get(url)
        assert response.status_code == (200 if public else 404)
        assert response["Content-Type"].startswith("application/json")
        if not public:
            assert response.json() == {"detail": "Not found."}
    listed = slugs(get_json(client, api("figure-list")))
    assert listed == ([figure.slug] if public else [])


def test_a_figure_filter_naming_a_draft_briefing_is_a_bad_parameter(client, site):
    body = get_json(client, api("figure-list"), 422, briefing=site.hidden_briefings[0].slug)
    assert body["detail"][0]["loc"] == ["query", "briefing"]


# What the answers say ----------------------------------------------------------------------------------------------


def test_briefing_detail_carries_figures_quotes_corrections_and_offers(client, site):
    briefing = site.briefings[0]
    Correction.objects.create(briefing=briefing, figure=site.figures[0], text="The number was 1,400.")
    Correction.objects.create(
        briefing=briefing, text="Not yet.", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    body = get_json(client, api("briefing-detail", slug=briefing.slug))
    assert body["headline"] == briefing.headline
    assert body["body"] == "The **body** of the briefing."
    assert body["body_html"] == "<p>The <strong>body</strong> of the briefing.</p>"
    assert body["url"] == f"http://testserver{briefing.get_absolute_url()}"
    assert [figure["slug"] for figure in body["figures"]] == [site.figures[0].slug]
    assert [correction["text"] for correction in body["corrections"]] == ["The number was 1,400."]
    assert body["corrections"][0]["figure"] == site.figures[0].slug
    assert {quote["speaker_name"] for quote in body["quotes"]} == {
        site.person.name,
        "a senior Department of Justice official",
    }
    assert [offer["slug"] for offer in body["reward_offers"]] == [site.offers[0].slug]
    assert [source["slug"] for source in body["sources"]] == [site.source.slug]


def test_a_figure_carries_its_whole_provenance(client, site):
    figure = site.figures[0]
    Correction.objects.create(briefing=figure.briefing, figure=figure, text="The number was 1,400.")
    body = get_json(client, api("figure-detail", slug=figure.slug))
    assert body["value_as_printed"] == "About 1,500"
    assert body["value"] == "1500"
    assert (body["qualifier"], body["unit"], body["period"]) == ("about", "interviews", "per_day")
    assert body["place"]["slug"] == site.country.slug
    assert (body["date_start"], body["date_end"]) == ("2024-06-11", "2024-06-11")
    assert body["date_is_inferred"] is True
    assert body["date_note"].startswith("The report says")
    assert body["said_by"] == site.person.name
    assert body["attributed_to"]["slug"] == site.person.slug
    assert body["source_sentence"] == figure.source_sentence
    assert body["source"]["slug"] == site.source.slug
    assert body["source"]["published_on_is_inferred"] is True
    assert body["source"]["publisher"]["slug"] == site.source.publisher.slug
    assert body["briefing"]["slug"] == figure.briefing.slug
    assert body["measure"]["slug"] == site.measure.slug
    assert [correction["text"] for correction in body["corrections"]] == ["The number was 1,400."]
    assert body["url"] == f"http://testserver{figure.get_absolute_url()}"


def test_money_is_exact_and_the_seed_offers_add_up_to_the_reported_total(client, seed):
    offers = get_json(client, api("reward-offer-list"))["items"]
    ceilings = [offer["ceiling_amount"] for offer in offers]
    assert sorted(ceilings) == ["1000000.00", "2000000.00", "5000000.00"]
    assert all(offer["currency"] == "USD" for offer in offers)
    total = get_json(client, api("figure-detail", slug="reward-funds-clan-del-golfo"))
    assert sum(Decimal(ceiling) for ceiling in ceilings) == Decimal(total["value"]) == Decimal("8000000")


def test_amounts_keep_every_digit(client, db):
    RewardOfferFactory(slug="odd-amount", ceiling_amount=Decimal("123456789012.34"))
    FigureFactory(slug="odd-value", value=Decimal("0.1234"), value_as_printed="About 1,500")
    assert get_json(client, api("reward-offer-detail", slug="odd-amount"))["ceiling_amount"] == "123456789012.34"
    assert get_json(client, api("figure-detail", slug="odd-value"))["value"] == "0.1234"


def test_a_vague_number_has_no_value(client, seed):
    figures = get_json(client, api("figure-list"), limit=100)["items"]
    vague = [figure for figure in figures if figure["qualifier"] == "indefinite"]
    assert vague
    assert all(figure["value"] is None for figure in vague)


def test_dates_and_times_are_iso_8601(client, site):
    briefing = get_json(client, api("briefing-list"))["items"][0]
    assert datetime.datetime.fromisoformat(briefing["published_at"]).tzinfo is not None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", briefing["published_at"])
    offer = get_json(client, api("reward-offer-detail", slug=site.offers[0].slug))
    assert offer["announced_on"] == "2024-06-11"


def test_index_links_every_collection_and_the_docs(client, db):
    body = get_json(client, api("index"))
    assert body["openapi"] == "http://testserver/api/openapi.json"
    assert body["docs"] == "http://testserver/api/docs"
    assert sorted(body["collections"].values()) == sorted(f"http://testserver{url}" for url in every_collection())


def test_reward_programs_and_tip_channels(client, site):
    program = get_json(client, api("reward-program-detail", slug=site.program.slug))
    assert program["administering_agency"]["slug"] == site.agency.slug
    assert [offer["slug"] for offer in program["offers"]] == [offer.slug for offer in site.offers]
    assert {channel["href"] for channel in program["offers"][0]["tip_channels"]} == {
        "tel:+18663472423",
        "https://www.ice.gov/tips",
    }
    channels = get_json(client, api("tip-channel-list"))["items"]
    assert [channel["kind"] for channel in channels] == ["phone", "web"]
    assert {agency["slug"] for agency in channels[0]["receiving_agencies"]} == {site.agency.slug, site.unit.slug}
    assert channels[0]["source"]["slug"] == site.source.slug


def test_places_and_organizations(client, site):
    place = get_json(client, api("place-detail", slug=site.city.slug))
    assert place["parent"]["slug"] == site.country.slug
    assert [country["slug"] for country in place["countries"]] == [site.country.slug]
    organization = get_json(client, api("organization-detail", slug=site.unit.slug))
    assert organization["parent"]["slug"] == site.agency.slug
    site.agency.url = "https://agency.example.gov/"
    site.agency.save()
    agency = get_json(client, api("organization-detail", slug=site.agency.slug))
    assert agency["country"]["slug"] == site.country.slug
    assert agency["web_address"] == "https://agency.example.gov/"
    assert agency["url"] == f"http://testserver{site.agency.get_absolute_url()}"
    assert agency["api_url"] == f"http://testserver/api/organizations/{site.agency.slug}"


# Filters ---------------------------------------------------------------------------------------------------------


def test_briefings_filter_by_topic_place_organization_and_person(client, site):
    other = BriefingFactory(topics=[TopicFactory(slug="elsewhere")])
    other.places.set([PlaceFactory(slug="somewhere")])
    published = [briefing.slug for briefing in site.briefings]
    assert slugs(get_json(client, api("briefing-list"), topic=site.topic.slug)) == published
    assert slugs(get_json(client, api("briefing-list"), topic="elsewhere")) == [other.slug]
    # A place matches the briefings about it and those datelined there.
    assert slugs(get_json(client, api("briefing-list"), place=site.country.slug)) == published
    assert slugs(get_json(client, api("briefing-list"), place=site.city.slug)) == published
    assert slugs(get_json(client, api("briefing-list"), place=other.dateline.slug)) == [other.slug]
    assert slugs(get_json(client, api("briefing-list"), organization=site.cartel.slug)) == published
    assert slugs(get_json(client, api("briefing-list"), person=site.person.slug)) == published
    assert slugs(get_json(client, api("briefing-list"), topic=site.topic.slug, place="somewhere")) == []


def test_briefings_filter_by_published_date_in_the_desks_time_zone(client, db, settings):
    assert settings.TIME_ZONE == "America/Chicago"
    late = BriefingFactory(published_at=datetime.datetime(2024, 6, 11, 4, 0, tzinfo=datetime.UTC))  # 10 June, 23:00
    next_day = BriefingFactory(published_at=datetime.datetime(2024, 6, 11, 15, 0, tzinfo=datetime.UTC))
    BriefingFactory(published_at=datetime.datetime(2024, 6, 13, 15, 0, tzinfo=datetime.UTC))
    assert slugs(get_json(client, api("briefing-list"), published_to="2024-06-10")) == [late.slug]
    body = get_json(client, api("briefing-list"), published_from="2024-06-11", published_to="2024-06-12")
    assert slugs(body) == [next_day.slug]
    assert get_json(client, api("briefing-list"), published_from="2024-06-10")["count"] == 3


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"topic": "no-such-topic"}, "topic"),
        ({"place": "no-such-place"}, "place"),
        ({"organization": "no-such-organization"}, "organization"),
        ({"person": "no-such-person"}, "person"),
        ({"published_from": "11 June 2024"}, "published_from"),
        ({"published_to": "2024-02-30"}, "published_to"),
        ({"published_from": "2024-06-12", "published_to": "2024-06-11"}, "published_to"),
        ({"limit": "all"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"page": "0"}, "page"),
        ({"page": "2", "offset": "20"}, "page"),
    ],
)
def test_bad_briefing_parameters_are_a_422_naming_the_parameter(client, site, params, parameter):
    body = get_json(client, api("briefing-list"), 422, **params)
    assert [error["loc"] for error in body["detail"]] == [["query", parameter]]
    assert body["detail"][0]["msg"]


def test_figures_filter_by_metric_place_briefing_and_key(client, site):
    other = FigureFactory(briefing=site.briefings[1], is_key=False)
    every = get_json(client, api("figure-list"))
    assert every["count"] == 4
    assert slugs(get_json(client, api("figure-list"), metric=site.metric.slug)) == [f.slug for f in site.figures]
    assert slugs(get_json(client, api("figure-list"), metric=other.metric.slug)) == [other.slug]
    assert slugs(get_json(client, api("figure-list"), place=other.place.slug)) == [other.slug]
    by_briefing = slugs(get_json(client, api("figure-list"), briefing=site.briefings[1].slug))
    assert sorted(by_briefing) == sorted([site.figures[1].slug, other.slug])
    assert other.slug not in slugs(get_json(client, api("figure-list"), key="true"))
    for parameter in ("metric", "place", "briefing"):
        body = get_json(client, api("figure-list"), 422, **{parameter: "no-such-slug"})
        assert body["detail"][0]["loc"] == ["query", parameter]
    assert get_json(client, api("figure-list"), 422, key="perhaps")["detail"][0]["loc"] == ["query", "key"]


def test_reward_offers_filter_by_program_target_and_status(client, site):
    closed = RewardOfferFactory(status=RewardOffer.Status.CLOSED)
    assert get_json(client, api("reward-offer-list"))["count"] == 4
    assert slugs(get_json(client, api("reward-offer-list"), status="closed")) == [closed.slug]
    assert closed.slug not in slugs(get_json(client, api("reward-offer-list"), status="active"))
    by_program = slugs(get_json(client, api("reward-offer-list"), program=site.program.slug))
    assert by_program == [offer.slug for offer in site.offers]
    target = closed.target_organization.slug
    assert slugs(get_json(client, api("reward-offer-list"), target=target)) == [closed.slug]
    assert get_json(client, api("reward-offer-list"), 422, status="open")["detail"][0]["loc"] == ["query", "status"]
    assert get_json(client, api("reward-offer-list"), 422, target="nobody")["detail"][0]["loc"] == ["query", "target"]


def test_places_organizations_and_tip_channels_filter_by_kind(client, site):
    assert slugs(get_json(client, api("place-list"), kind="country")) == [site.country.slug]
    assert site.cartel.slug in slugs(get_json(client, api("organization-list"), kind="criminal_organization"))
    assert site.agency.slug not in slugs(get_json(client, api("organization-list"), kind="criminal_organization"))
    channels = get_json(client, api("tip-channel-list"), kind="web")["items"]
    assert [channel["value"] for channel in channels] == ["www.ice.gov/tips"]
    for name in ("place-list", "organization-list", "tip-channel-list"):
        assert get_json(client, api(name), 422, kind="planet")["detail"][0]["loc"] == ["query", "kind"]


@pytest.fixture
def encounters(db):
    rows = {
        "tucson-jan": EncounterCountFactory(month_abbv="JAN", encounter_count=100),
        "tucson-feb": EncounterCountFactory(month_abbv="FEB", encounter_count=200),
        "rgv-oct": EncounterCountFactory(
            month_abbv="OCT", area_of_responsibility="Rio Grande Valley Sector", aor_abbv="RGV"
        ),
        "laredo-jan": EncounterCountFactory(
            month_abbv="JAN",
            component="Office of Field Operations",
            area_of_responsibility="Laredo Field Office",
            aor_abbv="Laredo",
        ),
        "blaine-jan": EncounterCountFactory(
            month_abbv="JAN",
            land_border_region="Northern Land Border",
            area_of_responsibility="Blaine Sector",
            aor_abbv="BLW",
        ),
        "fy23-jan": EncounterCountFactory(fiscal_year=2023, month_abbv="JAN"),
    }
    return {name: row.pk for name, row in rows.items()}


def encounter_ids(client, **params):
    return {item["id"] for item in get_json(client, api("encounter-count-list"), **params)["items"]}


def test_encounter_counts_filter_by_months_region_area_component_and_fiscal_year(client, encounters):
    rows = encounters
    assert encounter_ids(client) == set(rows.values())
    assert encounter_ids(client, **{"from": "2024-01", "to": "2024-01"}) == {
        rows["tucson-jan"],
        rows["laredo-jan"],
        rows["blaine-jan"],
    }
    assert encounter_ids(client, **{"to": "2023-10"}) == {rows["rgv-oct"], rows["fy23-jan"]}
    assert rows["blaine-jan"] not in encounter_ids(client, region="Southwest Land Border")
    assert encounter_ids(client, region="Northern Land Border") == {rows["blaine-jan"]}
    assert encounter_ids(client, area="RGV") == encounter_ids(client, area="Rio Grande Valley Sector")
    assert encounter_ids(client, area="RGV") == {rows["rgv-oct"]}
    assert encounter_ids(client, component="ofo") == {rows["laredo-jan"]}
    assert rows["laredo-jan"] not in encounter_ids(client, component="usbp")
    assert encounter_ids(client, fiscal_year=2023) == {rows["fy23-jan"]}


def test_encounter_counts_come_oldest_month_first_as_printed(client, encounters):
    items = get_json(client, api("encounter-count-list"))["items"]
    assert [item["month"] for item in items] == sorted(item["month"] for item in items)
    oct_row = next(item for item in items if item["id"] == encounters["rgv-oct"])
    assert (oct_row["fiscal_year"], oct_row["month_abbv"], oct_row["month"]) == (2024, "OCT", "2023-10-01")
    assert oct_row["component"] == "U.S. Border Patrol"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"from": "2024-13"}, "from"),
        ({"to": "2024"}, "to"),
        ({"from": "2024-03", "to": "2024-01"}, "to"),
        ({"component": "cbp"}, "component"),
        ({"fiscal_year": "1999"}, "fiscal_year"),
        ({"limit": "1001"}, "limit"),
        ({"from": "0000-01"}, "from"),
        ({"to": "0000-12"}, "to"),
        ({"offset": str(2**63)}, "offset"),
        ({"offset": str(2**64 + 1)}, "offset"),
        ({"page": str(2**63)}, "page"),
        ({"offset": "0", "page": "1"}, "page"),
    ],
)
def test_bad_encounter_parameters_are_a_422_naming_the_parameter(client, db, params, parameter):
    body = get_json(client, api("encounter-count-list"), 422, **params)
    assert [error["loc"] for error in body["detail"]] == [["query", parameter]]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("briefing-list", {"published_to": "9999-12-31"}),
        ("briefing-list", {"published_from": "0001-01-01"}),
        ("briefing-list", {"published_from": "0001-01-01", "published_to": "9999-12-31"}),
        ("briefing-list", {"published_from": "9999-12-31"}),
        ("briefing-list", {"published_to": "0001-01-01"}),
        ("briefing-list", {"offset": str(10**15)}),
        ("briefing-list", {"page": str(10**12)}),
        ("encounter-count-list", {"from": "1000-01", "to": "9999-12"}),
        ("encounter-count-list", {"limit": "1000", "page": str(10**12)}),
    ],
)
def test_values_at_the_ends_of_what_the_document_allows_answer_200(client, site, name, params):
    """The extremes the OpenAPI document allows: an answer, never a 500 from a date or an integer out of range."""
    body = get_json(client, api(name), **params)
    assert isinstance(body["items"], list)


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("briefing-list", "topic"),
        ("briefing-list", "published_from"),
        ("figure-list", "metric"),
        ("place-list", "kind"),
        ("reward-offer-list", "program"),
        ("tip-channel-list", "kind"),
        ("encounter-count-list", "region"),
        ("encounter-count-list", "area"),
        ("encounter-count-list", "from"),
        ("briefing-list", "offset"),
    ],
)
def test_a_nul_character_in_any_parameter_is_a_422_naming_it(client, site, name, parameter):
    """PostgreSQL text cannot hold NUL: refused before any query, on both databases alike."""
    body = get_json(client, api(name), 422, **{parameter: "a\x00b"})
    assert [error["loc"] for error in body["detail"]] == [["query", parameter]]


def test_a_calendar_wide_period_finds_every_briefing_and_an_empty_one_none(client, site):
    everything = get_json(client, api("briefing-list"), published_from="0001-01-01", published_to="9999-12-31")
    assert everything["count"] == len(site.briefings)
    assert get_json(client, api("briefing-list"), published_from="9999-12-31")["count"] == 0
    assert get_json(client, api("briefing-list"), published_to="0001-01-01")["count"] == 0


# Pages and order -----------------------------------------------------------------------------------------------


def test_pages_by_limit_and_offset_with_count_and_links(client, db):
    briefings = BriefingFactory.create_batch(5)
    first = get_json(client, api("briefing-list"), limit=2)
    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/briefings?limit=2&offset=2"
    second = get_json(client, first["next"])
    assert second["previous"] == "http://testserver/api/briefings?limit=2&offset=0"
    assert second["next"] == "http://testserver/api/briefings?limit=2&offset=4"
    last = get_json(client, second["next"])
    assert last["next"] is None
    assert len(last["items"]) == 1
    newest_first = sorted(briefings, key=lambda briefing: (briefing.published_at, briefing.pk), reverse=True)
    assert slugs(first) + slugs(second) + slugs(last) == [briefing.slug for briefing in newest_first]
    past_the_end = get_json(client, api("briefing-list"), offset=10)
    assert (past_the_end["count"], past_the_end["items"]) == (5, [])


def test_pages_by_number_keep_the_filters(client, site):
    first = get_json(client, api("briefing-list"), topic=site.topic.slug, limit=2, page=1)
    assert first["count"] == 3
    assert first["next"] == f"http://testserver/api/briefings?topic={site.topic.slug}&limit=2&page=2"
    second = get_json(client, first["next"])
    assert second["previous"] == f"http://testserver/api/briefings?topic={site.topic.slug}&limit=2&page=1"
    assert second["next"] is None
    assert slugs(first) + slugs(second) == [briefing.slug for briefing in site.briefings]


def test_ties_are_ordered_by_primary_key_so_pages_never_overlap(client, db):
    same_time = timezone.now() - datetime.timedelta(hours=1)
    briefings = BriefingFactory.create_batch(7, published_at=same_time)
    for briefing in briefings:
        FigureFactory.create_batch(2, briefing=briefing, position=0)
    for name, expected in [
        ("briefing-list", [briefing.slug for briefing in sorted(briefings, key=lambda b: b.pk, reverse=True)]),
        ("figure-list", None),
    ]:
        seen, url = [], api(name) + "?limit=3"
        while url:
            body = get_json(client, url)
            seen += slugs(body)
            url = body["next"]
        assert len(seen) == len(set(seen)) == body["count"]
        if expected:
            assert seen == expected
    figures = Figure.objects.order_by("-briefing__pk", "pk").values_list("slug", flat=True)
    assert slugs(get_json(client, api("figure-list"), limit=100)) == list(figures)


# ETag, Last-Modified and conditional GET ----------------------------------------------------------------------


def test_answers_carry_validators_and_answer_304_to_if_none_match(client, site):
    url = api("briefing-detail", slug=site.briefings[0].slug)
    response = client.get(url)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert response["Cache-Control"] == "no-cache"
    newest = max(site.briefings[0].updated_at, site.figures[0].updated_at, site.offers[0].updated_at)
    assert last_modified == http_date(int(newest.timestamp()))
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200
    # If-None-Match decides when both are sent.
    both = client.get(url, headers={"if-none-match": '"something-else"', "if-modified-since": last_modified})
    assert both.status_code == 200


def test_if_modified_since(client, site):
    url = api("briefing-list")
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    earlier = http_date(site.briefings[0].updated_at.timestamp() - 60)
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200


def test_a_change_changes_the_validators(client, site):
    url = api("briefing-list")
    # HTTP dates count whole seconds: the first answer must be older than the change by more than one.
    Briefing.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    before = client.get(url)
    site.briefings[0].save()
    site.topic.name = "Renamed topic"
    site.topic.save()
    after = client.get(url, headers={"if-none-match": before["ETag"], "if-modified-since": before["Last-Modified"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]
    assert "Renamed topic" in after.content.decode()


def test_every_collection_has_an_etag_and_dated_ones_a_last_modified(client, site, encounters):
    for url in every_collection():
        response = client.get(url)
        assert response.status_code == 200
        assert response.has_header("ETag"), url
        assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304, url
        # CBP's counts carry no dates of change.
        assert response.has_header("Last-Modified") == (url != api("encounter-count-list")), url


def test_head_answers_like_get_without_a_body(client, site):
    url = api("briefing-list")
    get, head = client.get(url), client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.content))


# Errors are JSON ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "briefing-detail",
        "figure-detail",
        "reward-program-detail",
        "reward-offer-detail",
        "place-detail",
        "organization-detail",
    ],
)
def test_unknown_slugs_are_a_json_404(client, db, name):
    assert get_json(client, api(name, slug="no-such-record"), 404) == {"detail": "Not found."}


@pytest.mark.parametrize(
    "path", ["/api/no-such-endpoint", "/api/briefings/", "/api/briefings/not a slug", "/api/figures/a/b"]
)
def test_unknown_addresses_under_api_are_a_json_404(client, db, path):
    assert get_json(client, path, 404) == {"detail": "Not found."}


def test_other_methods_are_a_json_405(client, db):
    for method in (client.post, client.put, client.delete, client.patch):
        response = method(api("briefing-list"))
        assert response.status_code == 405
        assert response.json() == {"detail": "Method not allowed."}
        assert response["Allow"] == "GET, HEAD"


def test_a_server_error_is_json(client, db, monkeypatch):
    def broken():
        raise RuntimeError("the database is on fire")

    monkeypatch.setattr("briefings.api.content.published_figures", broken)
    response = client.get(api("figure-list"))
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}


# Docs ------------------------------------------------------------------------------------------------------------


def test_docs_page_serves_swagger_ui_from_this_site_without_inline_script(client, db):
    response = client.get(api("openapi-view"))
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|<link[^>]*href)="([^"]+)"', html)  # what it loads; its one link leads home
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert any(asset.endswith("swagger-ui.css") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "//" not in "".join(assets)
    # Every script is a file of this site or inert JSON (settings for the file to read): nothing inline runs.
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes, attributes
        assert 'type="application/json"' in attributes or not body.strip()
    assert '"url": "/api/openapi.json"' in html
    assert '"validatorUrl": null' in html


def test_the_footer_links_to_the_api_docs(client, db):
    assert f'href="{api("openapi-view")}"' in client.get(reverse("briefings:home")).content.decode()


# Queries ---------------------------------------------------------------------------------------------------------

# endpoint: (address, number of queries). Each includes the SAVEPOINT and RELEASE of ATOMIC_REQUESTS (2).
ENDPOINTS = {
    # count, briefings + datelines, topics
    "briefings": (lambda site: api("briefing-list"), 5),
    # the topic, then as above
    "briefings by topic": (lambda site: f"{api('briefing-list')}?topic={site.topic.slug}", 6),
    "briefings by place and dates": (
        lambda site: f"{api('briefing-list')}?place={site.city.slug}&published_from=2000-01-01",
        6,
    ),
    # briefing + dateline, topics, places, organizations, people, sources + publishers,
    # figures + provenance, their corrections, quotes + provenance, corrections, offers + related,
    # offers' tip channels, their agencies, offers' published briefings
    "briefing": (lambda site: api("briefing-detail", slug=site.briefings[0].slug), 16),
    # count, figures + provenance, corrections
    "figures": (lambda site: api("figure-list"), 5),
    "figures by metric": (lambda site: f"{api('figure-list')}?metric={site.metric.slug}", 6),
    "figure": (lambda site: api("figure-detail", slug=site.figures[0].slug), 4),
    # count, programs + agency, offers + related, tip channels, agencies, published briefings
    "reward programs": (lambda site: api("reward-program-list"), 8),
    "reward program": (lambda site: api("reward-program-detail", slug=site.program.slug), 7),
    # count, offers + related, tip channels, agencies, published briefings
    "reward offers": (lambda site: api("reward-offer-list"), 7),
    "reward offer": (lambda site: api("reward-offer-detail", slug=site.offers[0].slug), 6),
    # count, channels + source, agencies
    "tip channels": (lambda site: api("tip-channel-list"), 5),
    # count, places + parent, countries
    "places": (lambda site: api("place-list"), 5),
    "place": (lambda site: api("place-detail", slug=site.city.slug), 4),
    # count, organizations + country and parent
    "organizations": (lambda site: api("organization-list"), 4),
    "organization": (lambda site: api("organization-detail", slug=site.unit.slug), 3),
    # count, rows
    "encounter counts": (lambda site: api("encounter-count-list"), 4),
    "encounter counts filtered": (
        lambda site: f"{api('encounter-count-list')}?from=2023-10&to=2024-09&area=TCA&component=usbp",
        4,
    ),
    "index": (lambda site: api("index"), 2),
}


def grow(site, *, count):
    """More of everything each endpoint lists, on the same records the addresses above name."""
    briefing = site.briefings[0]
    briefing.topics.add(*TopicFactory.create_batch(count))
    briefing.places.add(*PlaceFactory.create_batch(count, parent=site.country))
    briefing.organizations.add(*OrganizationFactory.create_batch(count, parent=site.agency))
    briefing.people.add(*PersonFactory.create_batch(count))
    briefing.sources.add(*SourceFactory.create_batch(count))
    site.city.countries.add(*PlaceFactory.create_batch(count, kind="country"))
    for figure in FigureFactory.create_batch(count, briefing=briefing, metric=site.metric):
        Correction.objects.create(briefing=briefing, figure=figure, text="An earlier version had another number.")
    Correction.objects.create(briefing=briefing, figure=site.figures[0], text="Another number again.")
    Correction.objects.create(briefing=briefing, text="An earlier version misspelled a name.")
    QuoteFactory.create_batch(count, briefing=briefing)
    channels = TipChannelFactory.create_batch(count)
    for channel in channels:
        channel.receiving_agencies.set(OrganizationFactory.create_batch(2))
    for offer in RewardOfferFactory.create_batch(count, program=site.program):
        offer.briefings.set([briefing, *BriefingFactory.create_batch(2)])
        offer.tip_channels.set(channels)
    site.offers[0].tip_channels.add(*channels)
    site.offers[0].briefings.add(*site.briefings)
    for number in range(count):
        BriefingFactory(topics=[site.topic]).places.set([site.city])
        EncounterCountFactory(month_abbv="MAR", encounter_count=number)


@pytest.mark.parametrize("size", ["small", "large"])
def test_each_endpoint_takes_a_fixed_number_of_queries(client, db, django_assert_num_queries, size):
    site = build_site(briefings=3)
    EncounterCountFactory()
    if size == "large":
        grow(site, count=15)
    for name, (address, queries) in ENDPOINTS.items():
        url = address(site)
        url += f"{'&' if '?' in url else '?'}limit=100"
        with django_assert_num_queries(queries, info=f"{name} ({url}), {size}"):
            response = client.get(url)
        assert response.status_code == 200, (name, response.content)


def test_the_large_data_really_is_larger(client, db):
    """Guards the test above: with more data the endpoints do list more."""
    site = build_site(briefings=3)
    grow(site, count=15)
    briefing = get_json(client, api("briefing-detail", slug=site.briefings[0].slug))
    assert len(briefing["figures"]) == 16
    assert len(briefing["topics"]) == 16
    assert len(briefing["quotes"]) == 17
    assert len(briefing["corrections"]) == 17
    assert len(briefing["reward_offers"]) == 16
    figure = get_json(client, api("figure-detail", slug=site.figures[0].slug))
    assert len(figure["corrections"]) == 1
    program = get_json(client, api("reward-program-detail", slug=site.program.slug))
    assert len(program["offers"]) == 18
    assert len(program["offers"][0]["tip_channels"]) == 17
    assert len(program["offers"][0]["briefings"]) == 3
    assert get_json(client, api("figure-list"), limit=100)["count"] == 18
    assert get_json(client, api("encounter-count-list"))["count"] == 15
    assert len(get_json(client, api("place-detail", slug=site.city.slug))["countries"]) == 16


def test_the_docs_page_fits_a_phone_and_leads_back_to_the_site(client, db):
    page = client.get(api("openapi-view")).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert f'<a href="{reverse("briefings:home")}">' in page and '<html lang="en">' in page
