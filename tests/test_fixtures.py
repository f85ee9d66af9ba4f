"""The seed fixtures reproduce the whole source report, and every passage they store is verbatim."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from briefings.models import (
    Briefing,
    Figure,
    Measure,
    Metric,
    Organization,
    Person,
    Place,
    Quote,
    RewardOffer,
    RewardProgram,
    Source,
    TipChannel,
    Topic,
)

REPORT_PATH = Path(settings.BASE_DIR) / "tests" / "data" / "border-report-2024-06-jtfa-darien.txt"
FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
SOURCE_SLUG = "border-report-jtfa-darien-gap-rewards"
SEEDED_AT = datetime.datetime(2024, 6, 11, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def report():
    return REPORT_PATH.read_text(encoding="utf-8")


@pytest.fixture
def source(seed):
    return Source.objects.get(slug=SOURCE_SLUG)


@pytest.fixture
def briefing(seed):
    return Briefing.objects.get()


# ---------------------------------------------------------------------------------------------- the files


def fixture_entries():
    for path in sorted(FIXTURE_DIR.glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            yield path.name, entry


def test_fixture_files_use_natural_keys_and_carry_timestamps():
    entries = list(fixture_entries())
    assert len(entries) == 88
    for file_name, entry in entries:
        assert "pk" not in entry, (file_name, entry["fields"])
        assert entry["fields"]["created_at"] == "2024-06-11T12:00:00Z", (file_name, entry["fields"])
        assert entry["fields"]["updated_at"] == "2024-06-11T12:00:00Z", (file_name, entry["fields"])


def test_fixture_files_have_numeric_prefixes_in_dependency_order():
    names = [path.name for path in sorted(FIXTURE_DIR.glob("*.json"))]
    assert names == [
        "01_places.json",
        "02_organizations.json",
        "03_people.json",
        "04_topics_metrics.json",
        "05_sources.json",
        "06_measures.json",
        "07_briefings.json",
        "08_rewards.json",
        "09_figures.json",
        "10_quotes.json",
    ]


# ---------------------------------------------------------------------------------------------- the source


def test_source_full_text_is_the_report_file_byte_for_byte(source, report):
    assert source.full_text == report
    assert source.full_text.encode("utf-8") == REPORT_PATH.read_bytes()


def test_source_date_is_marked_inferred_with_its_reasoning(source):
    assert source.published_on == datetime.date(2024, 6, 11)
    assert source.published_on_is_inferred is True
    for clue in ("Tuesday", "last week", "third anniversary", "Wednesday"):
        assert clue in source.published_on_note
    assert "not a printed headline" in source.published_on_note


def test_source_publisher_author_and_dateline(source, briefing):
    assert source.title == briefing.headline
    assert source.publisher.slug == "border-report"
    assert source.publisher.kind == Organization.Kind.NEWS_MEDIA
    assert [author.name for author in source.authors.all()] == ["Sandra Sanchez"]
    assert source.dateline.name == "Hidalgo"
    assert source.dateline.parent.name == "Texas"


# ---------------------------------------------------------------------------------------------- verbatim passages


def stored_passages():
    """Every stored passage that must be word for word in the report: (record, field, text)."""
    for quote in Quote.objects.all():
        yield quote, "text", quote.text
        yield quote, "context", quote.context
    for figure in Figure.objects.all():
        yield figure, "source_sentence", figure.source_sentence
    for offer in RewardOffer.objects.all():
        yield offer, "source_sentence", offer.source_sentence
        yield offer, "criterion_text", offer.criterion_text
    for tip_channel in TipChannel.objects.all():
        yield tip_channel, "source_sentence", tip_channel.source_sentence
    for measure in Measure.objects.all():
        yield measure, "source_sentence", measure.source_sentence


def test_every_stored_passage_is_verbatim_in_the_report_file(seed, report):
    passages = list(stored_passages())
    assert len(passages) == 9 * 2 + 14 + 3 * 2 + 2 + 2
    for record, field, text in passages:
        assert text, (record, field)
        assert text in report, (record, field, text)


def test_every_value_as_printed_is_in_its_source_sentence(seed):
    for figure in Figure.objects.all():
        assert figure.value_as_printed in figure.source_sentence, figure.slug


def test_every_loaded_record_passes_model_validation(seed):
    for model in (Place, Organization, Person, Topic, Metric, Source, Measure, Briefing, RewardProgram):
        for record in model.objects.all():
            record.full_clean()
    for record in [*TipChannel.objects.all(), *RewardOffer.objects.all(), *Figure.objects.all(), *Quote.objects.all()]:
        record.full_clean()


def test_timestamps_come_from_the_fixtures(seed):
    for model in (Place, Source, Briefing, Figure, Quote, TipChannel):
        for record in model.objects.all():
            assert record.created_at == SEEDED_AT
            assert record.updated_at == SEEDED_AT


# ---------------------------------------------------------------------------------------------- counts


def test_record_counts(seed):
    assert {model.__name__: model.objects.count() for model in EXPECTED_COUNTS} == {
        model.__name__: count for model, count in EXPECTED_COUNTS.items()
    }


EXPECTED_COUNTS = {
    Place: 19,
    Organization: 15,
    Person: 5,
    Topic: 5,
    Metric: 11,
    Source: 1,
    Measure: 2,
    Briefing: 1,
    RewardProgram: 1,
    TipChannel: 2,
    RewardOffer: 3,
    Figure: 14,
    Quote: 9,
}


# ---------------------------------------------------------------------------------------------- the briefing


def test_briefing_is_published_with_byline_dateline_and_photo(briefing):
    assert briefing in Briefing.objects.published()
    assert briefing.published_at == SEEDED_AT
    assert briefing.byline == "Sandra Sanchez, Border Report"
    assert briefing.dateline.slug == "hidalgo"
    assert briefing.photo_caption == (
        "Haitian migrants wade across the Tuquesa River after trekking through the Darien Gap in Bajo Chiquito, "
        "Panama, on Oct. 4, 2023."
    )
    assert briefing.photo_credit == "AP File Photo/Arnulfo Franco, File"
    assert list(briefing.sources.values_list("slug", flat=True)) == [SOURCE_SLUG]


def test_briefing_body_reproduces_every_paragraph_but_the_caption(briefing, report):
    body = briefing.body
    assert "Haitian migrants wade" not in body
    assert "•" not in body
    for paragraph in report.split("\n\n"):
        if paragraph.startswith("Haitian migrants wade"):
            continue
        if "•" in paragraph:
            for bullet in paragraph.split("\n"):
                assert "\n- " + bullet.removeprefix("  • ") in body
        else:
            assert paragraph in body, paragraph


def test_briefing_refers_to_what_the_report_names(briefing):
    assert set(briefing.people.values_list("name", flat=True)) == {
        "Sandra Sanchez",
        "Lisa Monaco",
        "Joe Biden",
        "Abraham Barberi",
        "Arnulfo Franco",
    }
    assert briefing.places.count() == Place.objects.count()
    assert briefing.organizations.count() == Organization.objects.count()
    assert {"human-smuggling", "asylum-policy", "rewards-for-information", "border-encounters"} <= set(
        briefing.topics.values_list("slug", flat=True)
    )
    assert briefing in Briefing.objects.for_place(Place.objects.get(slug="darien-gap"))


# ---------------------------------------------------------------------------------------------- entities


def test_places_nest_as_the_report_describes(seed):
    def place(slug):
        return Place.objects.get(slug=slug)

    assert place("matamoros").parent == place("tamaulipas")
    assert place("tamaulipas").parent == place("mexico")
    assert place("hidalgo").parent == place("texas")
    assert place("rio-grande-valley").parent == place("texas")
    assert place("rio-grande-valley").kind == Place.Kind.BORDER_REGION
    assert place("monterrey").parent == place("mexico")
    assert place("bajo-chiquito").parent == place("panama")
    darien = place("darien-gap")
    assert darien.parent is None
    assert darien.kind == Place.Kind.NATURAL_AREA
    assert set(darien.countries.values_list("slug", flat=True)) == {"colombia", "panama"}
    assert set(place("rio-grande").countries.values_list("slug", flat=True)) == {"united-states", "mexico"}
    assert set(Place.objects.filter(kind=Place.Kind.COUNTRY).values_list("slug", flat=True)) == {
        "united-states",
        "mexico",
        "guatemala",
        "honduras",
        "el-salvador",
        "panama",
        "colombia",
    }


def test_organizations(seed):
    def org(slug):
        return Organization.objects.get(slug=slug)

    jtfa = org("joint-task-force-alpha")
    assert (jtfa.name, jtfa.acronym, jtfa.kind) == ("Joint Task Force Alpha", "JTFA", Organization.Kind.TASK_FORCE)
    assert "“Alfa”" in jtfa.description
    assert "“Alpha”" in jtfa.description
    assert org("clan-del-golfo").kind == Organization.Kind.CRIMINAL_ORGANIZATION
    assert org("clan-del-golfo").country.slug == "colombia"
    assert org("homeland-security-investigations").parent == org("department-of-homeland-security")
    assert org("us-customs-and-border-protection").parent == org("department-of-homeland-security")
    inl = org("bureau-of-international-narcotics-and-law-enforcement-affairs")
    assert inl.parent == org("department-of-state")
    assert "domain notes, not from the report" in inl.description
    assert org("house-committee-on-homeland-security").kind == Organization.Kind.LEGISLATIVE_COMMITTEE
    assert org("associated-press").kind == Organization.Kind.NEWS_MEDIA


def test_people_have_their_roles(seed):
    roles = {
        person.name: (person.role, person.organization.slug if person.organization else None)
        for person in Person.objects.all()
    }
    assert roles == {
        "Sandra Sanchez": ("Reporter", "border-report"),
        "Lisa Monaco": ("Deputy Attorney General", "department-of-justice"),
        "Joe Biden": ("President of the United States", None),
        "Abraham Barberi": ("Pastor", "barberi-church-matamoros"),
        "Arnulfo Franco": ("Photographer", "associated-press"),
    }


# ---------------------------------------------------------------------------------------------- rewards and tips


def test_reward_offers_have_the_three_ceilings(seed):
    ceilings = list(RewardOffer.objects.values_list("criterion_kind", "criterion", "ceiling_amount"))
    assert ceilings == [
        ("arrest_or_conviction", "Arrest and/or conviction of a key leader", Decimal("2000000")),
        ("financial_disruption", "Disruption of financial mechanisms", Decimal("1000000")),
        ("arrest_or_conviction", "Arrest and/or conviction for smuggling that resulted in death", Decimal("5000000")),
    ]
    assert list(RewardOffer.objects.values_list("position", flat=True)) == [1, 2, 3]


def test_reward_offers_target_clan_del_golfo_in_the_darien(seed, briefing):
    for offer in RewardOffer.objects.with_related():
        assert offer.target_organization.slug == "clan-del-golfo"
        assert offer.region.slug == "darien-gap"
        assert offer.status == RewardOffer.Status.ACTIVE
        assert offer.announced_on == datetime.date(2024, 6, 11)
        assert offer.announced_on_is_inferred is True
        assert offer.program.acronym == "TOCRP"
        assert list(offer.briefings.all()) == [briefing]
        assert {channel.kind for channel in offer.tip_channels.all()} == {"phone", "web"}
        assert offer.source_sentence.startswith("Up to $")
        assert offer.source_sentence.endswith(offer.criterion_text)
        assert offer.criterion_text.startswith("information leading to the ")


def test_offer_ceilings_sum_to_the_eight_million_figure(seed):
    total = Figure.objects.get(slug="reward-funds-clan-del-golfo")
    assert (total.value_as_printed, total.qualifier, total.unit, total.period) == (
        "$8 million",
        "exact",
        "usd",
        "amount",
    )
    assert sum(RewardOffer.objects.values_list("ceiling_amount", flat=True)) == total.value == Decimal("8000000")


def test_offer_ceiling_figures_match_the_offers(seed):
    for offer in RewardOffer.objects.all():
        figure = Figure.objects.get(slug=f"{offer.slug}-ceiling")
        assert figure.qualifier == Figure.Qualifier.UP_TO
        assert figure.value == offer.ceiling_amount
        assert figure.source_sentence == offer.source_sentence


def test_reward_program(seed):
    program = RewardProgram.objects.get()
    assert program.name == "Transnational Organized Crime Rewards Program"
    assert program.year_established == 2013
    assert program.administering_agency.slug == "bureau-of-international-narcotics-and-law-enforcement-affairs"
    assert "domain notes" in program.description


def test_tip_channels(seed):
    phone = TipChannel.objects.get_by_natural_key("phone", "(866) 347-2423")
    web = TipChannel.objects.get_by_natural_key("web", "www.ice.gov/tips")
    assert phone.toll_free is True
    assert web.toll_free is False
    assert phone.href == "tel:+18663472423"
    assert web.href == "https://www.ice.gov/tips"
    for channel in (phone, web):
        assert set(channel.receiving_agencies.values_list("slug", flat=True)) == {
            "homeland-security-investigations",
            "us-customs-and-border-protection",
        }
        assert channel.source.slug == SOURCE_SLUG
        assert channel.value in channel.source_sentence


# ---------------------------------------------------------------------------------------------- figures


def figure_facts():
    return {
        figure.slug: (figure.value_as_printed, figure.value, figure.qualifier, figure.unit, figure.period)
        for figure in Figure.objects.all()
    }


def test_every_number_in_the_report_is_a_figure(seed):
    def d(number):
        return Decimal(number)

    assert figure_facts() == {
        "rgv-encounters-per-day-june-2024": ("only about 200", d(200), "only_about", "encounters", "per_day"),
        "cbp-one-interviews-per-day": ("About 1,500", d(1500), "about", "interviews", "per_day"),
        "reward-funds-clan-del-golfo": ("$8 million", d(8_000_000), "exact", "usd", "amount"),
        "jtfa-arrests-since-start": ("over 300", d(300), "over", "arrests", "total_to_date"),
        "jtfa-convictions-since-start": ("over 240", d(240), "over", "convictions", "total_to_date"),
        "rio-grande-camp-migrants-june-2024": ("fewer than 50", d(50), "fewer_than", "people", "at_a_time"),
        "rio-grande-camp-migrants-before": ("hundreds", None, "indefinite", "people", "at_a_time"),
        "matamoros-hospital-migrants-june-2024": ("a few hundred", None, "indefinite", "people", "at_a_time"),
        "darien-gap-length": ("60-mile", d(60), "exact", "miles", "length"),
        "re-entry-ban-years": ("five-year", d(5), "exact", "years", "duration"),
        "jtfa-third-anniversary": ("third anniversary", d(3), "exact", "years", "duration"),
        "clan-del-golfo-key-leader-arrest-or-conviction-ceiling": (
            "Up to $2 million",
            d(2_000_000),
            "up_to",
            "usd",
            "amount",
        ),
        "clan-del-golfo-financial-disruption-ceiling": ("Up to $1 million", d(1_000_000), "up_to", "usd", "amount"),
        "clan-del-golfo-smuggling-resulting-in-death-ceiling": (
            "Up to $5 million",
            d(5_000_000),
            "up_to",
            "usd",
            "amount",
        ),
    }


def test_rgv_encounters_carry_place_dates_and_measure(seed):
    figure = Figure.objects.get(value_as_printed="only about 200")
    assert figure.place.slug == "rio-grande-valley"
    assert (figure.date_start, figure.date_end) == (datetime.date(2024, 6, 3), datetime.date(2024, 6, 11))
    assert figure.date_is_inferred is True
    assert "since the order was issued" in figure.date_note
    assert figure.measure.slug == "asylum-proclamation-june-2024"
    assert figure.is_key is True


def test_interviews_figure_is_not_attributed_to_a_named_source(seed):
    figure = Figure.objects.get(value_as_printed="About 1,500")
    assert figure.attributed_to is None
    assert "not attributed to a named source" in figure.attribution
    assert (
        figure.source_sentence
        == "About 1,500 interviews are granted daily at U.S. ports of entry, including several in South Texas."
    )


def test_jtfa_totals_are_attributed_to_officials_since_an_inferred_start(seed):
    for slug in ("jtfa-arrests-since-start", "jtfa-convictions-since-start"):
        figure = Figure.objects.get(slug=slug)
        assert figure.attribution == "officials said"
        assert figure.date_start == datetime.date(2021, 6, 1)
        assert figure.date_is_inferred is True
        assert "third anniversary" in figure.date_note


def test_barberi_figures_are_attributed_to_him(seed):
    barberi = Person.objects.get(slug="abraham-barberi")
    assert set(Figure.objects.filter(attributed_to=barberi).values_list("value_as_printed", flat=True)) == {
        "fewer than 50",
        "hundreds",
        "a few hundred",
    }


def test_indefinite_figures_have_no_value(seed):
    indefinite = Figure.objects.filter(qualifier=Figure.Qualifier.INDEFINITE)
    assert set(indefinite.values_list("value_as_printed", flat=True)) == {"hundreds", "a few hundred"}
    assert list(indefinite.values_list("value", flat=True)) == [None, None]
    assert not Figure.objects.exclude(qualifier=Figure.Qualifier.INDEFINITE).filter(value__isnull=True).exists()


def test_key_figures(seed):
    assert set(Figure.objects.key().values_list("value_as_printed", flat=True)) == {
        "only about 200",
        "About 1,500",
        "$8 million",
        "over 300",
        "over 240",
        "fewer than 50",
    }


def test_inferred_dates_are_explained(seed):
    for figure in Figure.objects.filter(date_is_inferred=True):
        assert figure.date_note, figure.slug
    for figure in Figure.objects.filter(date_is_inferred=False):
        assert figure.date_start is None and figure.date_end is None, figure.slug


# ---------------------------------------------------------------------------------------------- measures


def test_measures(seed):
    proclamation = Measure.objects.get(kind=Measure.Kind.PROCLAMATION)
    assert proclamation.date == datetime.date(2024, 6, 3)
    assert proclamation.date_is_inferred is True
    assert "Proclamation 10773" in proclamation.date_note
    assert "“executive order”" in proclamation.summary and "“proclamation”" in proclamation.summary
    assert [person.name for person in proclamation.people.all()] == ["Joe Biden"]
    assert Figure.objects.get(value_as_printed="five-year").measure == proclamation

    bill = Measure.objects.get(kind=Measure.Kind.BILL)
    assert bill.name == "Combatting International Drug Trafficking and Human Smuggling Partnership Act of 2024"
    assert bill.date == datetime.date(2024, 6, 12)
    assert bill.date_is_inferred is True
    assert [org.slug for org in bill.organizations.all()] == ["house-committee-on-homeland-security"]


# ---------------------------------------------------------------------------------------------- quotes


def test_quotes_have_their_speakers(seed):
    by_speaker = {}
    for quote in Quote.objects.with_provenance():
        by_speaker.setdefault(quote.speaker_name, []).append(quote.medium)
    assert by_speaker == {
        "a senior Department of Justice official": ["a call with reporters, answering a question from Border Report"]
        * 3,
        "Lisa Monaco": ["a statement"] * 3,
        "Abraham Barberi": ["told Border Report"] * 3,
    }
    unnamed = Quote.objects.filter(speaker__isnull=True)
    assert unnamed.count() == 3
    assert set(unnamed.values_list("speaker_organization__slug", flat=True)) == {"department-of-justice"}
    assert list(Quote.objects.values_list("position", flat=True)) == list(range(1, 10))


def test_quotes_keep_the_report_s_own_characters(seed):
    last = Quote.objects.get(slug="barberi-dont-do-it")
    assert last.text == "Now we’re telling them, ‘Don’t do it because you might get in trouble.'"
    for quote in Quote.objects.all():
        assert not quote.text.startswith("“") and not quote.text.endswith("”"), quote.slug
        assert quote.text in quote.context, quote.slug


def test_every_quoted_passage_of_the_report_is_stored(seed, report):
    quoted_passages = re.findall(r"“(.+?)”", report)
    assert len(quoted_passages) == 7
    texts = list(Quote.objects.values_list("text", flat=True))
    for passage in quoted_passages:
        rest = passage
        for text in texts:
            rest = rest.replace(text, "")
        assert rest.strip(" ,.") == "", (passage, rest)


def test_published_quotes_and_figures_follow_the_briefing(seed):
    now = timezone.now()
    assert Quote.objects.published().count() == 9
    assert Figure.objects.published().count() == 14
    Briefing.objects.update(published_at=now + datetime.timedelta(days=1))
    assert Quote.objects.published().count() == 0
    assert Figure.objects.published().count() == 0
