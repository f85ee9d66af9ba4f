"""The totals the importer keeps for /encounters/ (briefings/encounters/totals.py, importer/totals.py).

Every import leaves the totals equal to sums worked out here in Python from the stored counts; a dry run, a
refused file or an unchanged file leaves them as they were; the page and its downloads say exactly what they
said when they summed the counts themselves; and no query of theirs reads the counts.
"""

import csv
import datetime
import importlib
import io
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefings import page_cache
from briefings.encounters.filters import EncounterFilters
from briefings.encounters.importer import EncounterFileError, encounters_import
from briefings.encounters.totals import (
    AREA_PLACE,
    BREAKDOWN_COLUMNS,
    REGION_PLACE,
    SUMMED_COLUMNS,
    EncounterTotals,
    _statement,
)
from briefings.models import EncounterAreaTotal, EncounterCount, EncounterRegionTotal

from .factories import EncounterCountFactory, finish_encounter_import

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "tests" / "data" / "cbp-encounters-sample.csv"  # April and August 2020
PAGE = "/encounters/"
TABLES = ["monthly", "areas", "components", "demographics", "citizenships", "encounter-types"]
COUNT_COLUMNS = ["month", *AREA_PLACE, *SUMMED_COLUMNS, "encounter_count"]
TOTAL_COLUMNS = ["breakdown", *SUMMED_COLUMNS]


def sample_rows() -> list[dict]:
    with SAMPLE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def to_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(rows[0].keys())
    writer.writerows(row.values() for row in rows)
    return buffer.getvalue().encode()


def run(data: bytes, **options):
    return encounters_import(file=io.BytesIO(data), name="encounters.csv", **options)


def expected_totals() -> tuple[Counter, Counter]:
    """What the area and region totals must hold, summed here in Python from the stored counts: {key: encounters},
    a key being (month or None, place…, breakdown, demographic, citizenship, encounter type, title)."""
    by_area, by_region = Counter(), Counter()
    for count in EncounterCount.objects.values(*COUNT_COLUMNS):
        for breakdown, columns in BREAKDOWN_COLUMNS.items():
            summed = tuple(count[column] if column in columns else "" for column in SUMMED_COLUMNS)
            for month in (count["month"], None):
                area = tuple(count[column] for column in AREA_PLACE)
                region = tuple(count[column] for column in REGION_PLACE)
                by_area[(month, *area, breakdown.value, *summed)] += count["encounter_count"]
                by_region[(month, *region, breakdown.value, *summed)] += count["encounter_count"]
    return by_area, by_region


def stored_totals() -> tuple[Counter, Counter]:
    """The totals as stored, in the same shape; a key stored twice would show as a doubled sum."""
    stored = []
    for model, place in ((EncounterAreaTotal, AREA_PLACE), (EncounterRegionTotal, REGION_PLACE)):
        totals = Counter()
        for *key, encounters in model.objects.values_list("month", *place, *TOTAL_COLUMNS, "encounters"):
            totals[tuple(key)] += encounters
        assert model.objects.count() == len(totals), f"{model.__name__} holds a key twice"
        stored.append(totals)
    return tuple(stored)


def assert_totals_match_the_counts():
    assert stored_totals() == expected_totals()


def total_ids() -> dict:
    return {
        model.__name__: set(model.objects.values_list("pk", "month", "encounters"))
        for model in (EncounterAreaTotal, EncounterRegionTotal)
    }


# --- Kept by the importer -----------------------------------------------------------------------------------------


def test_a_first_import_sums_every_total():
    run(SAMPLE.read_bytes())
    assert_totals_match_the_counts()
    by_area, by_region = stored_totals()
    # both months, one row per month and key plus one for all months, in each of the four breakdowns
    assert {key[0] for key in by_region} == {datetime.date(2020, 4, 1), datetime.date(2020, 8, 1), None}
    assert {key[len(REGION_PLACE) + 1] for key in by_region} == {b.value for b in BREAKDOWN_COLUMNS}
    southwest_all_months = sum(
        encounters
        for (month, region, _component, breakdown, *_rest), encounters in by_region.items()
        if month is None and region == "Southwest Land Border" and breakdown == "total"
    )
    assert southwest_all_months == sum(
        int(row["encounter_count"]) for row in sample_rows() if row["land_border_region"] == "Southwest Land Border"
    )


def test_a_reimport_with_revised_counts_sums_them_again():
    run(SAMPLE.read_bytes())
    rows = sample_rows()
    rows[4]["encounter_count"] = str(int(rows[4]["encounter_count"]) + 7)
    before = EncounterRegionTotal.objects.get(
        month=None, land_border_region=rows[4]["land_border_region"], component=rows[4]["component"], breakdown="total"
    ).encounters

    assert run(to_csv(rows)).replaced == 1

    assert_totals_match_the_counts()
    after = EncounterRegionTotal.objects.get(
        month=None, land_border_region=rows[4]["land_border_region"], component=rows[4]["component"], breakdown="total"
    ).encounters
    assert after == before + 7


def test_only_the_months_an_import_changes_are_summed_again():
    run(SAMPLE.read_bytes())
    before = total_ids()
    rows = sample_rows()
    august = next(index for index, row in enumerate(rows) if row["month_abbv"] == "AUG")
    rows[august]["encounter_count"] = str(int(rows[august]["encounter_count"]) + 1)

    run(to_csv(rows))

    after = total_ids()
    for model, rows_before in before.items():
        april = {row for row in rows_before if row[1] == datetime.date(2020, 4, 1)}
        assert april and april <= after[model], model  # April's rows are the very same rows
        assert not {row for row in rows_before if row[1] == datetime.date(2020, 8, 1)} & after[model], model
    assert_totals_match_the_counts()


def test_an_import_that_adds_months_adds_their_totals():
    rows = sample_rows()
    run(to_csv([row for row in rows if row["month_abbv"] == "APR"]))
    assert_totals_match_the_counts()
    assert not EncounterRegionTotal.objects.filter(month=datetime.date(2020, 8, 1)).exists()

    new_citizenship = dict(rows[-1], citizenship="ATLANTIS", encounter_count="5")
    result = run(to_csv([*rows, new_citizenship]))

    assert result.added == len([row for row in rows if row["month_abbv"] == "AUG"]) + 1
    assert EncounterRegionTotal.objects.filter(month=datetime.date(2020, 8, 1)).exists()
    assert (
        EncounterRegionTotal.objects.get(month=None, breakdown="citizenship", citizenship="ATLANTIS").encounters == 5
    )
    assert_totals_match_the_counts()


def test_a_dry_run_a_refused_file_and_an_unchanged_file_leave_the_totals_as_they_were():
    run(SAMPLE.read_bytes())
    before = total_ids()
    rows = sample_rows()
    rows[0]["encounter_count"] = "999999"
    rows.append(dict(rows[-1], fiscal_year="2021", encounter_count="3"))  # a new month, too

    assert run(to_csv(rows), dry_run=True).replaced == 1
    assert total_ids() == before
    with pytest.raises(EncounterFileError):
        run(to_csv([*rows, dict(rows[1], encounter_count="-1")]))
    assert total_ids() == before
    with CaptureQueriesContext(connection) as queries:
        assert run(SAMPLE.read_bytes()).unchanged == len(rows) - 1
    assert total_ids() == before
    assert not any(EncounterRegionTotal._meta.db_table in query["sql"] for query in queries.captured_queries)


def test_a_dry_run_into_an_empty_table_writes_no_totals():
    run(SAMPLE.read_bytes(), dry_run=True)
    assert not EncounterAreaTotal.objects.exists() and not EncounterRegionTotal.objects.exists()


def test_a_file_larger_than_the_table_sums_as_a_merge_would():
    # On PostgreSQL this file takes the first-load way (staging.load_into_small_table) after its replaced rows are
    # taken out; the totals follow either way.
    rows = sample_rows()
    run(to_csv(rows[:10]))
    rows[0]["encounter_count"] = str(int(rows[0]["encounter_count"]) + 3)
    run(to_csv(rows))
    assert_totals_match_the_counts()


def test_several_files_in_one_command_are_summed_once_at_the_end(tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_bytes(SAMPLE.read_bytes())
    rows = sample_rows()[:10]
    rows[0]["encounter_count"] = str(int(rows[0]["encounter_count"]) + 5)
    second.write_bytes(to_csv(rows))
    with CaptureQueriesContext(connection) as queries:
        call_command("import_cbp_encounters", str(first), str(second), verbosity=0)
    assert_totals_match_the_counts()
    region_table = EncounterRegionTotal._meta.db_table
    assert (
        sum(
            query["sql"].startswith(f'DELETE FROM "{region_table}" WHERE month IN')
            for query in queries.captured_queries
        )
        == 1
    )


def test_the_seed_comes_with_its_totals(seed):
    assert EncounterRegionTotal.objects.exists()
    assert_totals_match_the_counts()


def test_the_migration_fills_the_totals_of_the_counts_already_stored():
    run(SAMPLE.read_bytes())
    EncounterAreaTotal.objects.all().delete()
    EncounterRegionTotal.objects.all().delete()
    migration = importlib.import_module("briefings.migrations.0025_encounter_totals")
    # Only its connection and quote_name are used: a real schema editor cannot open inside a test's transaction.
    migration.fill_totals(apps, SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name))
    assert_totals_match_the_counts()


# --- Read by the page -----------------------------------------------------------------------------------------------


ADDRESSES = [
    "",
    "region=all",
    "region=Northern+Land+Border",
    "region=Other",
    "area=RGV",
    "area=El+Paso",
    "region=Southwest+Land+Border&area=El+Paso",
    "from=2020-04&to=2020-04",
    "from=2020-05",
    "to=2020-06",
    "region=all&from=2020-01&to=2020-12",
    "area=Boston&from=2020-08&to=2020-08",
    "from=2021-01",  # no data
]


@pytest.fixture
def counts():
    """The sample, and crafted months around it: a gap (no data), a zero, and an area that only they name."""
    run(SAMPLE.read_bytes())
    for month_abbv, count in (("JAN", 4), ("MAR", 0), ("SEP", 2)):
        EncounterCountFactory(
            fiscal_year=2020,
            month_abbv=month_abbv,
            area_of_responsibility="Del Rio Sector",
            aor_abbv="DRT",
            citizenship="MEXICO",
            encounter_count=count,
        )


def page(client, address):
    cache.clear()  # each request is rendered, never served from the page cache
    page_cache.forget_content_state()
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content


@pytest.mark.parametrize("query", ADDRESSES)
def test_the_page_and_its_downloads_say_what_the_counts_say(client, counts, monkeypatch, query):
    addresses = [f"{PAGE}?{query}", f"{PAGE}data.json?{query}"]
    addresses += [f"{PAGE}{table}.csv?{query}" for table in TABLES]
    from_totals = [page(client, address) for address in addresses]
    monkeypatch.setattr(EncounterFilters, "totals", EncounterFilters.encounters)  # sum the counts, as before
    from_counts = [page(client, address) for address in addresses]
    for address, totals, counted in zip(addresses, from_totals, from_counts, strict=True):
        assert totals == counted, address
    assert (b"<table" in from_totals[0]) == (query != "from=2021-01")  # tables, except where no data covers it


def test_the_comparison_above_can_tell_a_difference(client, counts, monkeypatch):
    """Guards the test above: counts changed behind the totals' back show on the page read from the counts only."""
    from_totals = page(client, f"{PAGE}citizenships.csv")
    EncounterCount.objects.filter(citizenship="MEXICO").update(encounter_count=123_456)
    assert page(client, f"{PAGE}citizenships.csv") == from_totals
    monkeypatch.setattr(EncounterFilters, "totals", EncounterFilters.encounters)
    assert page(client, f"{PAGE}citizenships.csv") != from_totals


@pytest.mark.parametrize("query", ADDRESSES)
def test_no_query_of_the_page_reads_the_counts(client, counts, query):
    with CaptureQueriesContext(connection) as queries:
        page(client, f"{PAGE}?{query}")
        page(client, f"{PAGE}data.json?{query}")
    statements = [query["sql"] for query in queries.captured_queries]
    assert any(
        EncounterRegionTotal._meta.db_table in sql or EncounterAreaTotal._meta.db_table in sql for sql in statements
    )
    assert not any(EncounterCount._meta.db_table in sql for sql in statements)


@pytest.mark.parametrize("fields", [(), ("citizenship",), ("area_of_responsibility", "aor_abbv", "component")])
def test_one_compiled_statement_answers_every_filter_of_its_shape(counts, fields):
    """The page's queries are compiled once per shape of filters and run with each page's own: the rows are
    those of the queryset built for those filters, and filters of one shape give their own rows."""
    _statement.cache_clear()
    april, august = datetime.date(2020, 4, 1), datetime.date(2020, 8, 31)
    answers = []
    for area, start, end in (("RGV", april, august), ("El Paso", august, august), ("Del Rio Sector", april, august)):
        totals = EncounterTotals(region="Southwest Land Border", area=area, start=start, end=end)
        rows = totals.totals_by(*fields) if fields else totals.monthly_totals()
        assert rows == list(totals.queryset(fields, "default")), area
        assert rows, area
        answers.append(rows)
    assert _statement.cache_info().misses == 1
    assert answers[0] != answers[1] != answers[2]


def crafted_months(months: int):
    """`months` months from October 2022 of the same keys: 2 areas, 2 demographics, 3 citizenships."""
    month, rows = datetime.date(2022, 10, 1), []
    for _number in range(months):
        for area, abbv in (("Tucson Sector", "TCA"), ("El Paso Sector", "EPT")):
            for demographic in ("Single Adults", "FMUA"):
                for citizenship in ("MEXICO", "CUBA", "HAITI"):
                    rows.append(
                        EncounterCountFactory.build(
                            fiscal_year=month.year + 1 if month.month >= 10 else month.year,
                            month_abbv=month.strftime("%b").upper(),
                            area_of_responsibility=area,
                            aor_abbv=abbv,
                            demographic=demographic,
                            citizenship=citizenship,
                        )
                    )
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    EncounterCount.objects.bulk_create(rows)
    finish_encounter_import()


@pytest.mark.parametrize("months", [1, 24])
def test_with_no_period_the_breakdowns_read_one_row_per_key_however_many_months(months):
    crafted_months(months)
    assert_totals_match_the_counts()
    southwest = EncounterRegionTotal.objects.filter(land_border_region="Southwest Land Border")
    # what the default page's component, citizenship, demographic and type tables read: the same 6 rows (one
    # component; 3 citizenships; 2 demographics of one type and title)
    assert southwest.over(None, None).count() == 1 + 3 + 2
    assert southwest.over(None, None).filter(breakdown="citizenship").count() == 3
    # one area's tables, and the areas table
    assert EncounterAreaTotal.objects.over(None, None).for_area("TCA").count() == 6
    assert EncounterAreaTotal.objects.over(None, None).filter(breakdown="total").count() == 2
    # a period reads its own months' rows, and the months table one row per month
    assert southwest.over(datetime.date(2022, 10, 1), datetime.date(2022, 10, 1)).count() == 6
    assert southwest.monthly().filter(breakdown="total").count() == months


def query_plan(cursor, sql: str) -> str:
    if connection.vendor == "sqlite":
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " | ".join(str(row[-1]) for row in cursor.fetchall())
    cursor.execute(f"EXPLAIN {sql}")
    return " | ".join(row[0].strip() for row in cursor.fetchall())


@pytest.mark.parametrize("query", ["", "region=all", "area=RGV", "from=2020-04&to=2020-08"])
def test_each_query_of_the_page_searches_an_index_of_the_totals(client, counts, query):
    """Each query finds its rows through an index of the totals; with no period, through the rows that sum every
    month. PostgreSQL scans tables this small whole, so it is asked to avoid that: it can only if an index serves."""
    with CaptureQueriesContext(connection) as queries:
        page(client, f"{PAGE}?{query}")
    tables = (EncounterRegionTotal._meta.db_table, EncounterAreaTotal._meta.db_table)
    summed = [q["sql"] for q in queries.captured_queries if any(table in q["sql"] for table in tables)]
    assert len(summed) == len(TABLES)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in summed:
            plan = query_plan(cursor, sql)
            every_month = not query.startswith("from") and '."month" AS "month"' not in sql
            # a period's bounds alone: with IS NOT NULL beside them SQLite read every month before the end
            assert "IS NOT NULL" not in sql or not query.startswith("from"), sql
            if connection.vendor == "sqlite":
                assert plan.startswith("SEARCH briefings_encounter") and "total USING INDEX encounter_" in plan, plan
                assert "month=?" in plan or not every_month, plan
            else:
                assert not any(f"Seq Scan on {table}" in plan for table in tables), plan
                assert re.search(r"Index (Only )?Scan (using|on) encounter_(region|area)_total", plan), plan
                assert "month IS NULL" in plan or not every_month, plan
