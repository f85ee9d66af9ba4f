"""Claims beside the record: a figure set beside CBP's monthly count (briefings/encounters/official_record.py)."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse

from briefings.encounters.months import FISCAL_MONTHS
from briefings.encounters.official_record import Outcome, _counts_statement, compare_figures
from briefings.models import Briefing, EncounterCount, Figure, Place

from .factories import EncounterCountFactory, FigureFactory, PlaceFactory
from .test_pages import parse, text

RGV = "Rio Grande Valley Sector"
SOUTHWEST = "Southwest Land Border"
JUNE_2024 = datetime.date(2024, 6, 1)
MAY_2024 = datetime.date(2024, 5, 1)


def encounters(month, count, *, area=RGV, abbv="RGV", region=SOUTHWEST, **fields):
    """One CBP row for the calendar month `month` (FY2024 JUN is June 2024; FY2024 OCT is October 2023)."""
    fiscal_year = month.year + 1 if month.month >= 10 else month.year
    return EncounterCountFactory(
        fiscal_year=fiscal_year,
        month_abbv=FISCAL_MONTHS[(month.month - 10) % 12],
        area_of_responsibility=area,
        aor_abbv=abbv,
        land_border_region=region,
        encounter_count=count,
        **fields,
    )


def rgv_june_6000():
    """6,000 RGV encounters in June 2024 in rows that must be summed, and rows elsewhere that must not count."""
    encounters(JUNE_2024, 2500, demographic="Single Adults")
    encounters(JUNE_2024, 3000, demographic="FMUA")
    encounters(JUNE_2024, 400, demographic="UC / Single Minors")
    encounters(JUNE_2024, 100, demographic="Single Adults", title_of_authority="Title 42")
    encounters(MAY_2024, 9999)  # another month
    encounters(datetime.date(2024, 7, 1), 8888)  # another month
    encounters(JUNE_2024, 7777, area="Tucson Sector", abbv="TCA")  # another sector, same region
    encounters(
        JUNE_2024,
        6666,
        area="Blaine Sector",
        abbv="BLW",
        region="Northern Land Border",
    )  # another region


@pytest.fixture
def rgv(db):
    return PlaceFactory(
        name="Rio Grande Valley",
        kind=Place.Kind.BORDER_REGION,
        cbp_region=SOUTHWEST,
        cbp_area=RGV,
        cbp_match_note="Matched by the desk to the Border Patrol sector.",
    )


@pytest.fixture
def southwest(db):
    return PlaceFactory(
        name="Southwest border",
        kind=Place.Kind.BORDER_REGION,
        cbp_region=SOUTHWEST,
        cbp_match_note="Matched by the desk to CBP's region, both components.",
    )


def encounter_figure(place, *, start=datetime.date(2024, 6, 3), end=datetime.date(2024, 6, 11), **fields):
    values = {
        "value_as_printed": "only about 200",
        "value": Decimal("200"),
        "qualifier": Figure.Qualifier.ONLY_ABOUT,
        "unit": Figure.Unit.ENCOUNTERS,
        "period": Figure.Period.PER_DAY,
        "source_sentence": "only about 200 per day.",
        **fields,
    }
    return FigureFactory(place=place, date_start=start, date_end=end, **values)


def compare(figure):
    figure = Figure.objects.with_provenance().get(pk=figure.pk)
    return compare_figures([figure])[figure.pk]


# --- The derivation ---------------------------------------------------------------------------------------------


def test_a_per_day_claim_is_set_beside_the_month_total_divided_by_its_days(rgv):
    rgv_june_6000()
    comparison = compare(encounter_figure(rgv))
    assert comparison.outcome == Outcome.COMPARED
    assert comparison.months == (JUNE_2024,)
    assert comparison.monthly_counts == ((JUNE_2024, 6000),)
    assert comparison.official_total == 6000
    assert comparison.days == 30
    assert comparison.per_day == Decimal("200.0")
    assert comparison.area_label == RGV
    assert comparison.match_note == "Matched by the desk to the Border Patrol sector."
    assert comparison.official_sentence == "CBP counted 6,000 encounters in the Rio Grande Valley Sector in June 2024."
    assert comparison.arithmetic == "6,000 ÷ 30 days = 200 per day."
    assert comparison.coverage_note == (
        "The official count covers the whole of June 2024; the claim covers June 3, 2024 to June 11, 2024."
    )
    assert comparison.url == f"{reverse('briefings:encounters')}?area=Rio+Grande+Valley+Sector&from=2024-06&to=2024-06"


def test_the_seed_figure_beside_cbps_own_june_2024_count_on_its_briefing_page(client, seed):
    """The seed ships CBP's June 2024 Southwest Border Patrol rows (fixtures/cbp/): a fresh install shows the claim
    beside the record. 5,981 is the sum of the Rio Grande Valley Sector's rows in CBP's file."""
    figure = Figure.objects.get(slug="rgv-encounters-per-day-june-2024")
    response = client.get(figure.briefing.get_absolute_url())
    page_text = text(response)
    assert "CBP counted 5,981 encounters in the Rio Grande Valley Sector in June 2024." in page_text
    assert "5,981 ÷ 30 days = 199.4 per day." in page_text
    assert "The claim: only about 200 per day. The official record: 199.4 per day on average." in page_text
    assert "The official count covers the whole of June 2024; the claim covers June 3, 2024 to June 11, 2024." in (
        page_text
    )
    assert "A sector's counts are Border Patrol encounters between ports of entry only." in page_text  # match note
    link = f"{reverse('briefings:encounters')}?area=Rio+Grande+Valley+Sector&from=2024-06&to=2024-06"
    assert link in parse(response).links
    # The box sits with the claim: after its sentence, before the next figure.
    content = response.content.decode()
    claim = content.index(f'id="figure-{figure.slug}"')
    assert claim < content.index("5,981 ÷ 30 days") < content.index('id="figure-cbp-one-interviews-per-day"')


def test_the_comparison_links_to_the_official_data_page(client, rgv):
    rgv_june_6000()
    comparison = compare(encounter_figure(rgv))
    assert client.get(comparison.url).status_code == 200


def test_the_seed_without_cbp_data_says_plainly_that_none_covers_the_claim(client, seed):
    EncounterCount.objects.all().delete()  # the seed's own June 2024 rows
    briefing = Briefing.objects.get()
    page_text = text(client.get(briefing.get_absolute_url()))
    assert "No official CBP data in this desk covers the Rio Grande Valley Sector in June 2024." in page_text
    assert "CBP counted" not in page_text


def test_a_range_across_two_months_sums_both_and_divides_by_all_their_days(rgv):
    encounters(MAY_2024, 1500)
    encounters(MAY_2024, 500)
    encounters(JUNE_2024, 6000)
    encounters(datetime.date(2024, 4, 1), 5555)  # outside the range
    comparison = compare(encounter_figure(rgv, start=datetime.date(2024, 5, 28), end=datetime.date(2024, 6, 3)))
    assert comparison.outcome == Outcome.COMPARED
    assert comparison.months == (MAY_2024, JUNE_2024)
    assert comparison.monthly_counts == ((MAY_2024, 2000), (JUNE_2024, 6000))
    assert comparison.official_total == 8000
    assert comparison.days == 61
    assert comparison.per_day == Decimal("131.1")  # 131.147…
    assert comparison.arithmetic == "8,000 ÷ 61 days = 131.1 per day."
    assert comparison.official_sentence == (
        "CBP counted 8,000 encounters in the Rio Grande Valley Sector in May 2024 and June 2024 "
        "(May 2024: 2,000; June 2024: 6,000; 2,000 + 6,000 = 8,000)."
    )
    assert comparison.url.endswith("?area=Rio+Grande+Valley+Sector&from=2024-05&to=2024-06")


def test_a_month_without_rows_means_no_counterpart_and_is_named(client, rgv):
    encounters(JUNE_2024, 6000)
    figure = encounter_figure(rgv, start=datetime.date(2024, 5, 28), end=datetime.date(2024, 6, 3))
    comparison = compare(figure)
    assert comparison.outcome == Outcome.NO_DATA
    assert comparison.official_total is None
    assert comparison.per_day is None
    assert comparison.missing_months == (MAY_2024,)
    assert comparison.reason == (
        "No official CBP data in this desk covers the Rio Grande Valley Sector in May 2024, so there is no "
        "official count for May 2024 and June 2024 to set beside this figure."
    )
    page_text = text(client.get(figure.briefing.get_absolute_url()))
    assert comparison.reason in page_text
    assert "CBP counted" not in page_text


def test_rows_of_another_place_do_not_fill_a_missing_month(rgv):
    encounters(JUNE_2024, 7777, area="Tucson Sector", abbv="TCA")
    comparison = compare(encounter_figure(rgv))
    assert comparison.outcome == Outcome.NO_DATA
    assert comparison.reason == "No official CBP data in this desk covers the Rio Grande Valley Sector in June 2024."


def test_a_month_of_zero_encounters_is_a_count_not_a_gap(client, rgv):
    encounters(JUNE_2024, 0)
    encounters(JUNE_2024, 0, demographic="FMUA")
    figure = encounter_figure(rgv)
    comparison = compare(figure)
    assert comparison.outcome == Outcome.COMPARED
    assert comparison.official_total == 0
    assert comparison.per_day == Decimal("0.0")
    assert "0 ÷ 30 days = 0 per day." in text(client.get(figure.briefing.get_absolute_url()))


def test_the_per_day_average_rounds_half_up_to_one_place(rgv):
    february_2023 = datetime.date(2023, 2, 1)
    encounters(february_2023, 7)  # 7 ÷ 28 = 0.25
    comparison = compare(encounter_figure(rgv, start=datetime.date(2023, 2, 10), end=datetime.date(2023, 2, 10)))
    assert comparison.days == 28
    assert comparison.per_day == Decimal("0.3")
    encounters(datetime.date(2024, 2, 1), 290)  # a leap year's February
    comparison = compare(encounter_figure(rgv, start=datetime.date(2024, 2, 1), end=datetime.date(2024, 2, 29)))
    assert comparison.arithmetic == "290 ÷ 29 days = 10 per day."
    assert comparison.coverage_note == ""  # the claim covers the whole month


def test_a_region_level_place_sums_every_area_and_component_of_its_region(client, southwest):
    encounters(JUNE_2024, 1000)
    encounters(JUNE_2024, 2000, area="Tucson Sector", abbv="TCA")
    encounters(
        JUNE_2024, 500, area="Laredo Field Office", abbv="LFO", component=EncounterCount.Component.FIELD_OPERATIONS
    )
    encounters(JUNE_2024, 6666, area="Blaine Sector", abbv="BLW", region="Northern Land Border")
    figure = encounter_figure(southwest)
    comparison = compare(figure)
    assert comparison.outcome == Outcome.COMPARED
    assert comparison.official_total == 3500
    assert comparison.per_day == Decimal("116.7")
    assert comparison.area_label == SOUTHWEST
    assert comparison.url.endswith("?region=Southwest+Land+Border&from=2024-06&to=2024-06")
    page_text = text(client.get(figure.get_absolute_url()))
    assert "CBP counted 3,500 encounters in the Southwest Land Border in June 2024." in page_text
    assert "3,500 ÷ 30 days = 116.7 per day." in page_text
    assert "Matched by the desk to CBP's region, both components." in page_text


def test_the_seed_places_are_matched_as_the_fixtures_say(seed):
    EncounterCount.objects.all().delete()  # the seed's own June 2024 rows: counts of this test's own instead
    encounters(JUNE_2024, 1000)
    encounters(JUNE_2024, 2000, area="Tucson Sector", abbv="TCA")
    southwest_border = FigureFactory(
        place=Place.objects.get(slug="southwest-border"),
        unit=Figure.Unit.ENCOUNTERS,
        period=Figure.Period.PER_DAY,
        date_start=JUNE_2024,
        date_end=datetime.date(2024, 6, 30),
    )
    comparison = compare(southwest_border)
    assert comparison.area_label == SOUTHWEST
    assert comparison.official_total == 3000
    assert comparison.arithmetic == "3,000 ÷ 30 days = 100 per day."
    assert comparison.match_note.startswith("Inferred by the desk")
    seed_figure = compare(Figure.objects.get(slug="rgv-encounters-per-day-june-2024"))
    assert seed_figure.area_label == RGV
    assert seed_figure.official_total == 1000


def test_an_area_matched_by_cbp_abbreviation(rgv):
    rgv_june_6000()
    rgv.cbp_area = "RGV"
    rgv.save()
    comparison = compare(encounter_figure(rgv))
    assert comparison.official_total == 6000
    assert comparison.url.endswith("?area=RGV&from=2024-06&to=2024-06")


def test_a_total_is_set_beside_the_total(rgv):
    encounters(MAY_2024, 2000)
    encounters(JUNE_2024, 6000)
    figure = encounter_figure(
        rgv,
        start=datetime.date(2024, 5, 1),
        end=datetime.date(2024, 6, 30),
        period=Figure.Period.TOTAL_TO_DATE,
        value_as_printed="over 7,000",
        value=Decimal("7000"),
        qualifier=Figure.Qualifier.OVER,
    )
    comparison = compare(figure)
    assert comparison.outcome == Outcome.COMPARED
    assert comparison.official_total == 8000
    assert comparison.per_day is None
    assert comparison.arithmetic == ""
    assert comparison.coverage_note == ""  # the claim covers both whole months


# --- Figures that are not compared, and why -------------------------------------------------------------------------


def test_a_place_without_a_cbp_match_is_said_plainly(client, db):
    place = PlaceFactory(name="Matamoros")
    encounters(JUNE_2024, 6000)
    figure = encounter_figure(place)
    comparison = compare(figure)
    assert comparison.outcome == Outcome.NO_CBP_MATCH
    assert comparison.reason == (
        "Not compared with official data: Matamoros is not matched to any CBP area or region in this desk."
    )
    for url in (figure.briefing.get_absolute_url(), figure.get_absolute_url(), figure.metric.get_absolute_url()):
        assert comparison.reason in text(client.get(url)), url


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"unit": Figure.Unit.INTERVIEWS},
            "Not compared with official data: CBP counts encounters, and this figure counts interviews.",
        ),
        (
            {"value": None, "value_as_printed": "a few hundred", "qualifier": Figure.Qualifier.INDEFINITE},
            "Not compared with official data: the source gives no number (“a few hundred”).",
        ),
        (
            {"period": Figure.Period.AT_A_TIME},
            "Not compared with official data: CBP publishes monthly counts, which can be set beside a number "
            "per day or a total, not a number at one time.",
        ),
        (
            {"start": None, "end": None},
            "Not compared with official data: the figure does not say which dates it describes.",
        ),
        (
            {"start": datetime.date(2024, 6, 3), "end": None},
            "Not compared with official data: the figure does not say which dates it describes.",
        ),
        ({"place": None}, "Not compared with official data: the figure names no place."),
    ],
)
def test_a_figure_that_is_not_comparable_says_why(client, rgv, fields, reason):
    rgv_june_6000()
    fields = dict(fields)
    place = fields.pop("place", rgv)
    figure = encounter_figure(place, **fields)
    comparison = compare(figure)
    assert comparison.outcome == Outcome.NOT_COMPARABLE
    assert comparison.reason == reason
    assert comparison.official_total is None
    assert reason in text(client.get(figure.get_absolute_url()))


def test_lists_show_the_box_only_beside_encounter_claims(client, rgv):
    rgv_june_6000()
    compared = encounter_figure(rgv)
    interviews = encounter_figure(rgv, briefing=compared.briefing, unit=Figure.Unit.INTERVIEWS)
    page_text = text(client.get(compared.briefing.get_absolute_url()))
    assert "6,000 ÷ 30 days = 200 per day." in page_text
    assert "this figure counts interviews" not in page_text
    assert "this figure counts interviews" in text(client.get(interviews.get_absolute_url()))


def test_the_metric_page_shows_the_record_in_its_series_table_and_beside_each_claim(client, rgv):
    rgv_june_6000()
    figure = encounter_figure(rgv)
    response = client.get(figure.metric.get_absolute_url())
    page_text = text(response)
    assert "Official record (CBP)" in page_text
    assert "200 per day, June 2024" in page_text
    assert "6,000 ÷ 30 days = 200 per day." in page_text


# --- One query for all the figures of a page ------------------------------------------------------------------------


def test_all_counterparts_come_from_one_query(rgv, southwest, django_assert_num_queries):
    rgv_june_6000()
    encounters(MAY_2024, 2000)
    figures = [
        encounter_figure(rgv),
        encounter_figure(rgv, start=datetime.date(2024, 5, 28), end=datetime.date(2024, 6, 3)),
        encounter_figure(southwest),
        encounter_figure(southwest, start=datetime.date(2024, 3, 1), end=datetime.date(2024, 3, 2)),
        encounter_figure(PlaceFactory()),
        encounter_figure(rgv, unit=Figure.Unit.PEOPLE),
    ]
    loaded = list(Figure.objects.with_provenance().filter(pk__in=[figure.pk for figure in figures]))
    with django_assert_num_queries(1):
        comparisons = compare_figures(loaded)
    outcomes = [comparisons[figure.pk].outcome for figure in figures]
    assert outcomes == [
        Outcome.COMPARED,
        Outcome.COMPARED,
        Outcome.COMPARED,
        Outcome.NO_DATA,
        Outcome.NO_CBP_MATCH,
        Outcome.NOT_COMPARABLE,
    ]
    assert comparisons[figures[0].pk].official_total == 6000
    assert comparisons[figures[1].pk].official_total == 9999 + 2000 + 6000
    assert comparisons[figures[2].pk].official_total == 6000 + 7777  # RGV and Tucson in June, not Blaine
    assert comparisons[figures[3].pk].missing_months == (datetime.date(2024, 3, 1),)


def test_no_query_when_nothing_on_the_page_is_comparable(db, django_assert_num_queries):
    figures = list(Figure.objects.with_provenance().filter(pk__in=[FigureFactory().pk, FigureFactory().pk]))
    with django_assert_num_queries(0):
        comparisons = compare_figures(figures)
    assert {comparison.outcome for comparison in comparisons.values()} == {Outcome.NOT_COMPARABLE}


def test_every_page_that_shows_a_figure_shows_the_official_record_beside_it(client, rgv):
    """The official record comes with the figures from selectors.with_official_record(), on every page that shows
    them: the briefing, home (key figures), the figures list, the metric, the figure, and the pages of the place,
    person, source and measure it belongs to."""
    from .factories import MeasureFactory, PersonFactory

    encounters(JUNE_2024, 5922)
    figure = FigureFactory(
        place=rgv,
        unit=Figure.Unit.ENCOUNTERS,
        value_as_printed="only about 200",
        value=Decimal("200"),
        date_start=datetime.date(2024, 6, 3),
        date_end=datetime.date(2024, 6, 11),
        is_key=True,
        attributed_to=PersonFactory(),
        measure=MeasureFactory(),
    )
    pages = [
        figure.briefing.get_absolute_url(),
        reverse("briefings:home"),
        reverse("briefings:figure-list"),
        figure.get_absolute_url(),
        rgv.get_absolute_url(),
        figure.attributed_to.get_absolute_url(),
        figure.source.get_absolute_url(),
        figure.measure.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "CBP counted 5,922 encounters in the Rio Grande Valley Sector in June 2024." in text(response), url
    metric_page = text(client.get(figure.metric.get_absolute_url()))
    assert "197.4 per day" in metric_page  # the series table's column


def test_a_figure_shown_without_its_official_record_is_an_error_not_a_blank():
    from briefings.models.figures import OfficialRecordNotAttached

    with pytest.raises(OfficialRecordNotAttached):
        Figure(pk=7).official_comparison  # noqa: B018


# --- The record as the claim's precision, and as a picture (issue 18) ----------------------------------------------


def test_the_record_is_rounded_to_the_claims_precision_and_exact_in_its_arithmetic(client, rgv):
    encounters(JUNE_2024, 5981)  # 199.4 a day
    about_200 = compare(encounter_figure(rgv))
    assert (about_200.per_day, about_200.official_rounded) == (Decimal("199.4"), Decimal("200"))
    assert about_200.arithmetic == "5,981 ÷ 30 days = 199.4 per day."
    about_210 = compare(encounter_figure(rgv, value_as_printed="about 210", value=Decimal("210")))
    assert about_210.official_rounded == Decimal("200")  # 199.4 to the tens the claim prints
    exact_1537 = compare(encounter_figure(rgv, value_as_printed="1,537", value=Decimal("1537")))
    assert exact_1537.official_rounded == Decimal("199")
    # Never coarser than the record's own two leading digits: a round claim does not round a gap away.
    about_2000 = compare(encounter_figure(rgv, value_as_printed="about 2,000", value=Decimal("2000")))
    assert about_2000.official_rounded == Decimal("200")  # 199.4, not “0” at the claim's thousands
    whole_month = compare(
        encounter_figure(
            rgv,
            value_as_printed="about 6,000",
            value=Decimal("6000"),
            period=Figure.Period.AMOUNT,
            start=JUNE_2024,
            end=datetime.date(2024, 6, 30),
        )
    )
    assert (whole_month.official_total, whole_month.official_rounded) == (5981, Decimal("6000"))


def test_the_figure_page_draws_the_claim_beside_the_record(client, rgv):
    encounters(JUNE_2024, 5981)
    figure = encounter_figure(rgv)
    response = client.get(figure.get_absolute_url())
    content, page_text = response.content.decode(), text(response)
    chart = content[content.index('<figure class="claim-chart">') : content.index("</figure>")]
    assert '<rect width="100.0" height="10">' in chart and '<rect width="99.7" height="10">' in chart
    assert "The claim only about 200" in text_of(chart) and "CBP's record about 200" in text_of(chart)
    assert "5,981 ÷ 30 days = 199.4 per day." in page_text  # the exact arithmetic beside it
    assert page_text.count("Beside the official record (CBP)") == 1  # one heading, not two


def text_of(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
@pytest.mark.parametrize("months", [1, 3])
def test_on_sqlite_an_areas_counts_are_read_by_area_and_month_not_by_the_whole_month(months):
    # Given a range of months and an area named through a subquery, SQLite read every area's counts of each month.
    statement = _counts_statement((("area", months),), connection.alias)
    arguments = [RGV, *(f"2024-{month:02}-01" for month in range(6, 6 + months))]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {statement.sql}", statement.params(arguments, now=None))
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "month>?" not in plan and "month<?" not in plan, plan
    assert re.search(r"SEARCH briefings_encountercount USING INDEX \w+ \((month=\? AND area_of_responsibility=\?|"
                     r"area_of_responsibility=\? AND month=\?)\)", plan), plan  # fmt: skip
