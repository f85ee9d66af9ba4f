import datetime

import pytest
from django.db import IntegrityError, transaction

from briefings.encounters.months import FISCAL_MONTHS, calendar_month
from briefings.models import EncounterCount

from .factories import EncounterCountFactory

pytestmark = pytest.mark.django_db

FY2024 = {
    "OCT": datetime.date(2023, 10, 1),
    "NOV": datetime.date(2023, 11, 1),
    "DEC": datetime.date(2023, 12, 1),
    "JAN": datetime.date(2024, 1, 1),
    "FEB": datetime.date(2024, 2, 1),
    "MAR": datetime.date(2024, 3, 1),
    "APR": datetime.date(2024, 4, 1),
    "MAY": datetime.date(2024, 5, 1),
    "JUN": datetime.date(2024, 6, 1),
    "JUL": datetime.date(2024, 7, 1),
    "AUG": datetime.date(2024, 8, 1),
    "SEP": datetime.date(2024, 9, 1),
}


@pytest.mark.parametrize(("month_abbv", "expected"), FY2024.items())
def test_fiscal_month_maps_to_calendar_month(month_abbv, expected):
    assert calendar_month(fiscal_year=2024, month_abbv=month_abbv) == expected
    assert calendar_month(fiscal_year=2024, month_abbv=month_abbv.lower()) == expected


def test_fiscal_year_runs_october_to_september():
    months = [calendar_month(fiscal_year=2024, month_abbv=abbv) for abbv in FISCAL_MONTHS]
    assert months == sorted(months)
    assert months[0] == datetime.date(2023, 10, 1) and months[-1] == datetime.date(2024, 9, 1)


@pytest.mark.parametrize(
    "bad",
    [
        {"encounter_count": -1},
        {"month_abbv": "SPT", "month": datetime.date(2024, 9, 1)},
        {"component": "Air and Marine Operations"},
        {"fiscal_year": 1999},
    ],
    ids=["negative count", "unknown month", "unknown component", "fiscal year too early"],
)
def test_database_refuses_bad_values(bad):
    with pytest.raises(IntegrityError), transaction.atomic():
        EncounterCountFactory(**bad)


def test_database_refuses_the_same_cell_twice():
    row = EncounterCountFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EncounterCountFactory(citizenship=row.citizenship, encounter_count=5)
    EncounterCountFactory(citizenship=row.citizenship, demographic="FMUA")  # another cell is fine


def test_zero_is_a_valid_count():
    assert EncounterCountFactory(encounter_count=0).encounter_count == 0


def test_str_names_the_month_place_and_count():
    row = EncounterCountFactory(citizenship="MEXICO", encounter_count=1234)
    assert str(row) == "2024 JAN · Tucson Sector · Single Adults · MEXICO · Title 8: 1234"


@pytest.fixture
def counts():
    southwest = {"land_border_region": "Southwest Land Border"}
    EncounterCountFactory(month_abbv="OCT", encounter_count=10, **southwest)
    EncounterCountFactory(month_abbv="OCT", encounter_count=5, area_of_responsibility="El Paso Sector", aor_abbv="EPT")
    EncounterCountFactory(month_abbv="JAN", encounter_count=7, **southwest)
    EncounterCountFactory(
        month_abbv="JAN",
        encounter_count=100,
        component=EncounterCount.Component.FIELD_OPERATIONS,
        land_border_region="Northern Land Border",
        area_of_responsibility="Buffalo Field Office",
        aor_abbv="Buffalo",
        title_of_authority="Title 8",
        encounter_type="Inadmissibles",
    )
    EncounterCountFactory(fiscal_year=2023, month_abbv="SEP", encounter_count=1, **southwest)


def test_southwest_and_northern_border(counts):
    assert EncounterCount.objects.southwest_border().total() == 23
    assert EncounterCount.objects.northern_border().total() == 100


def test_components(counts):
    assert EncounterCount.objects.border_patrol().total() == 23
    assert EncounterCount.objects.field_operations().total() == 100


@pytest.mark.parametrize("area", ["Tucson Sector", "TCA"])
def test_for_area_takes_the_name_or_the_abbreviation(counts, area):
    assert EncounterCount.objects.for_area(area).total() == 18


def test_for_fiscal_year(counts):
    assert EncounterCount.objects.for_fiscal_year(2023).total() == 1
    assert EncounterCount.objects.for_fiscal_year(2024).total() == 122


def test_between_includes_both_months_whatever_the_day(counts):
    rows = EncounterCount.objects.between(datetime.date(2023, 9, 30), datetime.date(2023, 10, 2))
    assert rows.total() == 16
    assert EncounterCount.objects.between(datetime.date(2023, 11, 1), datetime.date(2023, 12, 31)).total() == 0
    assert EncounterCount.objects.between(datetime.date(2023, 10, 1), datetime.date(2024, 1, 1)).total() == 122


def test_monthly_totals_are_summed_by_the_database(counts, django_assert_num_queries):
    with django_assert_num_queries(1):
        totals = list(EncounterCount.objects.monthly_totals())
    assert totals == [
        {"month": datetime.date(2023, 9, 1), "encounters": 1},
        {"month": datetime.date(2023, 10, 1), "encounters": 15},
        {"month": datetime.date(2024, 1, 1), "encounters": 107},
    ]


def test_monthly_totals_by_a_dimension(counts):
    totals = list(EncounterCount.objects.southwest_border().monthly_totals("area_of_responsibility"))
    assert totals == [
        {"month": datetime.date(2023, 9, 1), "area_of_responsibility": "Tucson Sector", "encounters": 1},
        {"month": datetime.date(2023, 10, 1), "area_of_responsibility": "El Paso Sector", "encounters": 5},
        {"month": datetime.date(2023, 10, 1), "area_of_responsibility": "Tucson Sector", "encounters": 10},
        {"month": datetime.date(2024, 1, 1), "area_of_responsibility": "Tucson Sector", "encounters": 7},
    ]


def test_total_and_period_of_nothing():
    assert EncounterCount.objects.total() == 0
    assert EncounterCount.objects.period() == (None, None)


def test_period(counts):
    assert EncounterCount.objects.period() == (datetime.date(2023, 9, 1), datetime.date(2024, 1, 1))
