import csv
import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import UniqueConstraint
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefings.encounters.importer import MAX_REPORTED_ERRORS, EncounterFileError, encounters_import
from briefings.encounters.importer.staging import Staging
from briefings.encounters.models import CELL_KEY, DIMENSIONS
from briefings.models import EncounterArea, EncounterAreaTotal, EncounterCount, EncounterRegionTotal
from briefings.roles import EDITORS, PUBLISHERS

from .factories import EncounterCountFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "tests" / "data" / "cbp-encounters-sample.csv"
PUBLISHED_HEADER = (
    "Fiscal Year,Month Grouping,Month (abbv),Component,Land Border Region,Area of Responsibility,AOR (Abbv),"
    "Demographic,Citizenship,Title of Authority,Encounter Type,Encounter Count"
)
SNAKE_HEADER = (
    "fiscal_year,month_grouping,month_abbv,component,land_border_region,area_of_responsibility,aor_abbv,"
    "demographic,citizenship,title_of_authority,encounter_type,encounter_count"
)
ROW = "2024,FYTD,{month},U.S. Border Patrol,Southwest Land Border,Tucson Sector,TCA,Single Adults,{citizenship},Title 8,Apprehensions,{count}"  # noqa: E501


def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


def sample_rows() -> list[dict]:
    with SAMPLE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def sample_total() -> int:
    return sum(int(row["encounter_count"]) for row in sample_rows())


def to_csv(rows: list[dict], *, header=None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header or rows[0].keys())
    writer.writerows(row.values() for row in rows)
    return buffer.getvalue().encode()


def run(data: bytes, name="encounters.csv", **options):
    return encounters_import(file=io.BytesIO(data), name=name, **options)


def lines(*rows, header=SNAKE_HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


def row(month="JAN", citizenship="MEXICO", count="10", **replace):
    text = ROW.format(month=month, citizenship=citizenship, count=count)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def database_state():
    return EncounterCount.objects.count(), EncounterCount.objects.total()


# Importing the real sample


def test_the_sample_imports_every_row_with_the_file_totals():
    result = run(sample_bytes(), name="cbp-encounters-sample.csv")

    assert (result.rows, result.added, result.replaced, result.unchanged) == (1000, 1000, 0, 0)
    assert EncounterCount.objects.count() == len(sample_rows()) == 1000
    assert EncounterCount.objects.total() == result.encounters == sample_total()
    assert (result.first_month, result.last_month) == (datetime.date(2020, 4, 1), datetime.date(2020, 8, 1))
    assert "cbp-encounters-sample.csv: 1000 rows read" in result.summary()
    assert result.seconds > 0


def test_quoted_commas_stay_inside_the_citizenship():
    run(sample_bytes())
    expected = sum(row["citizenship"] == "CHINA, PEOPLES REPUBLIC OF" for row in sample_rows())
    assert expected == 44
    assert EncounterCount.objects.filter(citizenship="CHINA, PEOPLES REPUBLIC OF").count() == expected


def test_sample_rows_are_stored_as_printed():
    run(sample_bytes())
    first = sample_rows()[0]
    key = {name: value for name, value in first.items() if name not in ("month_grouping", "encounter_count")}
    stored = EncounterCount.objects.get(**key)
    assert stored.month == datetime.date(2020, 4, 1)  # FY2020 APR is April 2020
    assert stored.component == EncounterCount.Component.FIELD_OPERATIONS
    assert stored.encounter_count == int(first["encounter_count"])


def test_reimporting_the_same_file_changes_nothing():
    run(sample_bytes())
    result = run(sample_bytes())
    assert (result.added, result.replaced, result.unchanged) == (0, 0, 1000)
    assert database_state() == (1000, sample_total())


def test_a_revised_file_replaces_the_revised_count():
    run(sample_bytes())
    rows = sample_rows()
    rows[4]["encounter_count"] = str(int(rows[4]["encounter_count"]) + 7)

    result = run(to_csv(rows))

    assert (result.added, result.replaced, result.unchanged) == (0, 1, 999)
    assert database_state() == (1000, sample_total() + 7)
    key = {name: value for name, value in rows[4].items() if name not in ("month_grouping", "encounter_count")}
    revised = EncounterCount.objects.get(**key)
    assert revised.encounter_count == int(rows[4]["encounter_count"])


def test_a_file_with_new_and_revised_rows_adds_and_replaces():
    run(lines(row(citizenship="MEXICO", count="10"), row(citizenship="CUBA", count="3")))
    result = run(lines(row(citizenship="MEXICO", count="12"), row(citizenship="HAITI", count="4")))
    assert (result.rows, result.added, result.replaced, result.unchanged) == (2, 1, 1, 0)
    assert dict(EncounterCount.objects.values_list("citizenship", "encounter_count")) == {
        "MEXICO": 12,
        "CUBA": 3,  # not in the second file: kept
        "HAITI": 4,
    }


# What files look like


def test_the_published_header_is_accepted():
    data = sample_bytes().replace(SNAKE_HEADER.encode(), PUBLISHED_HEADER.encode(), 1)
    assert data.startswith(b"Fiscal Year,")
    result = run(data)
    assert result.added == 1000
    assert EncounterCount.objects.total() == sample_total()


def test_columns_may_come_in_any_order_with_extra_columns():
    rows = [
        {"note": "x", "encounter_count": "5", **{k: v for k, v in sample_rows()[0].items() if k != "encounter_count"}}
    ]
    result = run(to_csv(rows))
    assert result.added == 1
    assert EncounterCount.objects.get().encounter_count == 5


def test_a_byte_order_mark_is_ignored():
    result = run(b"\xef\xbb\xbf" + sample_bytes())
    assert result.added == 1000


def test_crlf_line_endings():
    data = sample_bytes().replace(b"\n", b"\r\n")
    assert data.count(b"\r\n") == 1001
    result = run(data)
    assert result.added == 1000
    assert database_state() == (1000, sample_total())
    assert not EncounterCount.objects.filter(encounter_count__isnull=True).exists()


def test_fiscal_year_to_date_marker():
    marked = row().replace("2024,", "2024 (FYTD),", 1)
    lower_case = row(citizenship="CUBA").replace("2024,", "2024 (fytd),", 1)
    result = run(lines(marked, lower_case))
    assert result.added == 2
    assert set(EncounterCount.objects.values_list("fiscal_year", flat=True)) == {2024}


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("OCT", datetime.date(2023, 10, 1)),
        ("NOV", datetime.date(2023, 11, 1)),
        ("DEC", datetime.date(2023, 12, 1)),
        ("JAN", datetime.date(2024, 1, 1)),
        ("SEP", datetime.date(2024, 9, 1)),
    ],
)
def test_fiscal_months_land_in_the_right_calendar_month(month, expected):
    run(lines(row(month=month)))
    assert EncounterCount.objects.get().month == expected


def test_a_file_across_the_year_edge_reports_its_calendar_period():
    result = run(lines(row(month="SEP"), row(month="OCT"), row(month="DEC"), row(month="JAN")))
    assert (result.first_month, result.last_month) == (datetime.date(2023, 10, 1), datetime.date(2024, 9, 1))


def test_file_opened_from_disk(tmp_path):
    path = tmp_path / "cbp.csv"
    path.write_bytes(sample_bytes())
    with path.open("rb") as file:
        result = encounters_import(file=file, name=path.name)
    assert result.added == 1000


def test_progress_is_reported():
    calls = []
    run(sample_bytes(), progress=lambda rows, speed: calls.append((rows, speed)), progress_every=500)
    assert calls and calls[-1][0] == 1000
    assert all(speed > 0 for _, speed in calls)


# Dry runs


def test_dry_run_reports_counts_and_saves_nothing():
    result = run(sample_bytes(), dry_run=True)
    assert (result.added, result.replaced, result.unchanged, result.dry_run) == (1000, 0, 0, True)
    assert "Dry run" in result.summary()
    assert not EncounterCount.objects.exists()


def test_dry_run_of_a_revision_leaves_the_old_count():
    run(sample_bytes())
    rows = sample_rows()
    rows[0]["encounter_count"] = "999999"
    result = run(to_csv(rows), dry_run=True)
    assert (result.added, result.replaced, result.unchanged) == (0, 1, 999)
    assert database_state() == (1000, sample_total())


# Refused files: the whole file, with rows and columns named, and the database unchanged


def refusal(data: bytes, name="bad.csv") -> EncounterFileError:
    EncounterCountFactory(citizenship="ALREADY THERE", encounter_count=42)
    before = database_state()
    with pytest.raises(EncounterFileError) as caught:
        run(data, name=name)
    assert database_state() == before
    assert name in str(caught.value)
    return caught.value


def only_error(data: bytes):
    error = refusal(data)
    assert error.total == len(error.errors) == 1, error.errors
    return error.errors[0]


def test_missing_column():
    data = lines(row(), header=PUBLISHED_HEADER.replace(",Encounter Count", "")).replace(b",10\n", b"\n")
    error = only_error(data)
    assert (error.row, error.column) == (1, "Encounter Count")
    assert "no “Encounter Count”" in error.message


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("ten", "“ten” is not a whole number"),
        ("1.5", "“1.5” is not a whole number"),
        ("1,000", None),  # an unquoted comma makes a 13th field
        ("-5", "The count -5 is negative"),
        ("", "The count is empty"),
        ("99999999999", "too large"),
    ],
)
def test_bad_counts(count, message):
    error = only_error(lines(row(citizenship="CUBA"), row(count=count)))
    assert error.row == 3
    if message is None:
        assert error.column is None and "13 fields" in error.message
    else:
        assert error.column == "encounter_count"
        assert message in error.message


def test_unknown_month():
    error = only_error(lines(row(), row(month="SEPT", citizenship="CUBA")))
    assert (error.row, error.column) == (3, "month_abbv")
    assert "“SEPT” is not a month" in error.message


@pytest.mark.parametrize("fiscal_year", ["20x4", "1999", "3024", "FY2024", ""])
def test_bad_fiscal_year(fiscal_year):
    bad = row().replace("2024,", f"{fiscal_year},", 1)
    error = only_error(lines(bad))
    assert (error.row, error.column) == (2, "fiscal_year")
    assert "is not a fiscal year" in error.message


def test_unknown_component():
    error = only_error(lines(row(**{"U.S. Border Patrol": "Border Patrol"})))
    assert (error.row, error.column) == (2, "component")
    assert "not a CBP component" in error.message


@pytest.mark.parametrize(
    ("value", "message"), [("", "This value is empty."), ("X" * 101, "longer than 100 characters")]
)
def test_empty_or_too_long_text(value, message):
    error = only_error(lines(row(), row(citizenship="CUBA"), row(citizenship=value)))
    assert (error.row, error.column) == (4, "citizenship")
    assert message in error.message


def test_undecodable_bytes():
    data = lines(row(), row(citizenship="CUBA")) + row(citizenship="C\xd4TE D'IVOIRE").encode("latin-1") + b"\n"
    errors = refusal(data).errors
    assert errors[0].row == 4
    assert "not UTF-8" in errors[0].message


def test_a_nul_character_is_refused_naming_its_line():
    """No database stores a NUL in text (PostgreSQL refuses the whole COPY): it is named, not a server error."""
    data = lines(row(), row(citizenship="CU\x00BA"))
    error = only_error(data)
    assert error.row == 3
    assert "NUL character" in error.message and "position" in error.message


def test_a_nul_character_in_an_upload_is_named_on_the_page(client, publisher):
    client.force_login(publisher)
    response = upload(client, lines(row(), row(citizenship="CU\x00BA")))
    assert response.status_code == 200
    assert "NUL character" in response.content.decode()
    assert not EncounterCount.objects.exists()


def test_utf16_file_is_refused():
    data = lines(row()).decode().encode("utf-16")
    assert "not UTF-8" in refusal(data).errors[0].message


def test_empty_file():
    error = only_error(b"")
    assert error.row is None and "empty" in error.message


def test_header_only():
    error = only_error(lines())
    assert "no data rows" in error.message


def test_wrong_number_of_fields():
    error = only_error(lines(row(), row(citizenship="CUBA") + ",extra", row(citizenship="HAITI")))
    assert error.row == 3
    assert "13 fields; the header has 12" in error.message


def test_a_key_twice_in_one_file_names_both_rows():
    error = only_error(lines(row(count="10"), row(citizenship="CUBA"), row(count="11")))
    assert error.row == 4
    assert "Row 2 has the same fiscal year, month and dimensions" in error.message


def test_a_key_three_times():
    error = only_error(lines(row(), row(month="jan"), row(citizenship="CUBA"), row()))
    assert error.row == 5
    assert "Row 2" in error.message and "3 rows in all" in error.message


def test_every_problem_is_counted_and_the_first_ones_are_shown():
    bad_rows = [row(citizenship=f"C{index}", count="x") for index in range(MAX_REPORTED_ERRORS + 5)]
    error = refusal(lines(row(), *bad_rows, row(citizenship="")))
    assert error.total == MAX_REPORTED_ERRORS + 6
    assert len(error.errors) == MAX_REPORTED_ERRORS
    assert [problem.row for problem in error.errors] == list(range(3, 3 + MAX_REPORTED_ERRORS))
    assert "… and 6 more." in str(error)


def test_problems_of_several_kinds_are_reported_together():
    error = refusal(lines(row(), row(month="XXX", citizenship="CUBA"), row(citizenship=""), row()))
    assert [(problem.row, problem.column) for problem in error.errors] == [
        (3, "month_abbv"),
        (4, "citizenship"),
        (5, None),
    ]


def test_a_refused_file_leaves_an_earlier_import_whole():
    run(sample_bytes())
    rows = sample_rows()
    rows[0]["encounter_count"] = "1"
    rows[999]["encounter_count"] = "-1"
    with pytest.raises(EncounterFileError):
        run(to_csv(rows))
    assert database_state() == (1000, sample_total())


# A first load into an empty table: on PostgreSQL the unique constraint and the secondary indexes are dropped,
# the rows inserted, and both rebuilt, all in the import's transaction (briefings/encounters/importer/staging.py).


def table_schema() -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, EncounterCount._meta.db_table)


def assert_the_model_schema_is_in_place():
    schema = table_schema()
    for index in EncounterCount._meta.indexes:
        assert schema[index.name]["index"] and not schema[index.name]["unique"], index.name
        assert schema[index.name]["columns"] == index.fields, index.name
    for constraint in EncounterCount._meta.constraints:
        assert constraint.name in schema, constraint.name
        if isinstance(constraint, UniqueConstraint):
            assert schema[constraint.name]["unique"]
            assert schema[constraint.name]["columns"] == list(constraint.fields)
        else:
            assert schema[constraint.name]["check"]


def late_in_the_sample(bad_row: str) -> bytes:
    """The sample with one more row at the end (row 1002)."""
    return sample_bytes() + bad_row.encode() + b"\n"


def statements_of(data: bytes) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run(data)
    return [query["sql"] for query in queries.captured_queries]


def test_the_model_declares_the_schema_these_tests_check():
    names = {index.name for index in EncounterCount._meta.indexes}
    assert {"encounter_region_month_idx", "encounter_aor_month_idx"} <= names
    assert any(isinstance(constraint, UniqueConstraint) for constraint in EncounterCount._meta.constraints)
    assert_the_model_schema_is_in_place()


def test_a_first_load_rebuilds_the_indexes_on_postgresql_only_and_a_second_import_merges():
    first, second = statements_of(sample_bytes()), statements_of(sample_bytes())
    rebuilt = 'ADD CONSTRAINT "encounter_count_unique_cell"'
    assert any(rebuilt in sql for sql in first) == (connection.vendor == "postgresql")
    assert not any(rebuilt in sql or "DROP INDEX" in sql for sql in second)
    assert any("ON CONFLICT" in sql for sql in second)


def test_a_file_larger_than_the_table_adds_replaces_and_keeps_as_a_merge_would():
    """On PostgreSQL a file with more rows to write than the table holds is loaded like a first load, after the
    rows it replaces are taken out; the counts and the schema are as a row-by-row merge leaves them."""
    rows = sample_rows()
    run(to_csv(rows[:10]))
    before = table_schema()
    rows[0]["encounter_count"] = str(int(rows[0]["encounter_count"]) + 7)
    with CaptureQueriesContext(connection) as queries:
        result = run(to_csv(rows))
    statements = [query["sql"] for query in queries.captured_queries]
    assert (result.added, result.replaced, result.unchanged) == (990, 1, 9)
    assert database_state() == (1000, sample_total() + 7)
    assert any('ADD CONSTRAINT "encounter_count_unique_cell"' in sql for sql in statements) == (
        connection.vendor == "postgresql"
    )
    assert table_schema() == before
    assert_the_model_schema_is_in_place()
    assert run(sample_bytes()).replaced == 1  # and back: a small revision of a large table merges row by row


def test_a_first_load_leaves_every_index_and_constraint_as_it_was():
    before = table_schema()
    result = run(sample_bytes())
    assert (result.rows, result.added, result.replaced, result.unchanged) == (1000, 1000, 0, 0)
    assert table_schema() == before
    assert_the_model_schema_is_in_place()


def test_a_first_load_stores_every_row_of_the_file():
    run(sample_bytes())
    assert database_state() == (1000, sample_total())
    stored = set(EncounterCount.objects.values_list(*DIMENSIONS, "encounter_count"))
    expected = {
        (int(row["fiscal_year"]), *(row[name] for name in DIMENSIONS[1:]), int(row["encounter_count"]))
        for row in sample_rows()
    }
    assert stored == expected


def test_the_unique_constraint_holds_after_a_first_load():
    run(sample_bytes())
    first = sample_rows()[0]
    key = {name: value for name, value in first.items() if name not in ("month_grouping", "encounter_count")}
    duplicate = EncounterCountFactory.build(**{**key, "fiscal_year": int(key["fiscal_year"])}, encounter_count=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_second_import_of_the_first_file_changes_nothing():
    run(sample_bytes())
    stored = list(EncounterCount.objects.order_by("pk").values_list("pk", "encounter_count"))
    schema = table_schema()

    result = run(sample_bytes())

    assert (result.added, result.replaced, result.unchanged) == (0, 0, 1000)
    assert list(EncounterCount.objects.order_by("pk").values_list("pk", "encounter_count")) == stored
    assert table_schema() == schema


def test_a_second_import_after_a_first_load_adds_and_replaces():
    run(lines(row(citizenship="MEXICO", count="10"), row(citizenship="CUBA", count="3")))
    result = run(lines(row(citizenship="MEXICO", count="12"), row(citizenship="HAITI", count="4")))
    assert (result.added, result.replaced, result.unchanged) == (1, 1, 0)
    assert dict(EncounterCount.objects.values_list("citizenship", "encounter_count")) == {
        "MEXICO": 12,
        "CUBA": 3,
        "HAITI": 4,
    }


def test_imports_record_each_area_of_responsibility_once():
    run(sample_bytes())
    areas = set(
        EncounterArea.objects.values_list("area_of_responsibility", "aor_abbv", "component", "land_border_region")
    )
    assert areas == {
        (row["area_of_responsibility"], row["aor_abbv"], row["component"], row["land_border_region"])
        for row in sample_rows()
    }
    run(late_in_the_sample(row(**{"Tucson Sector": "Nowhere Sector", ",TCA,": ",NWS,"})))
    assert EncounterArea.objects.count() == len(areas) + 1
    assert EncounterArea.objects.filter(area_of_responsibility="Nowhere Sector", aor_abbv="NWS").exists()


def test_a_first_load_refused_for_a_bad_count_late_in_the_file_leaves_the_table_empty():
    before = table_schema()
    with pytest.raises(EncounterFileError) as caught:
        run(late_in_the_sample(row(count="-4")))
    assert [(error.row, error.column) for error in caught.value.errors] == [(1002, "encounter_count")]
    assert not EncounterCount.objects.exists()
    assert table_schema() == before


def test_a_first_load_refused_for_a_repeated_cell_late_in_the_file_leaves_the_table_empty():
    # Found by the unique constraint when it is rebuilt, after the rows were inserted without it.
    first = sample_bytes().splitlines()[1].decode()
    before = table_schema()
    with pytest.raises(EncounterFileError) as caught:
        run(late_in_the_sample(first))
    error = caught.value
    assert (error.total, error.errors[0].row) == (1, 1002)
    assert "Row 2 has the same fiscal year, month and dimensions" in error.errors[0].message
    assert not EncounterCount.objects.exists()
    assert not EncounterArea.objects.exists()  # recorded before the rows, rolled back with them
    assert table_schema() == before
    assert_the_model_schema_is_in_place()


def test_a_first_load_names_repeated_cells_together_with_other_problems():
    data = lines(row(), row(month="XXX", citizenship="CUBA"), row(citizenship=""), row())
    with pytest.raises(EncounterFileError) as caught:
        run(data)
    assert [(problem.row, problem.column) for problem in caught.value.errors] == [
        (3, "month_abbv"),
        (4, "citizenship"),
        (5, None),
    ]
    assert not EncounterCount.objects.exists()


def test_a_failure_after_the_rebuild_rolls_the_rows_and_the_schema_back(monkeypatch):
    before = table_schema()
    original = Staging.merge

    def merge_then_fail(self, problems, **options):
        assert original(self, problems) == (1000, 0, 0)
        assert EncounterCount.objects.count() == 1000  # the rows are in, inside the transaction
        raise DatabaseError("the connection dropped")

    monkeypatch.setattr(Staging, "merge", merge_then_fail)
    with pytest.raises(DatabaseError):
        run(sample_bytes())
    assert not EncounterCount.objects.exists()
    assert table_schema() == before


def test_a_dry_run_into_an_empty_table_saves_nothing_and_keeps_the_schema():
    before = table_schema()
    result = run(sample_bytes(), dry_run=True)
    assert (result.added, result.replaced, result.unchanged) == (1000, 0, 0)
    assert not EncounterCount.objects.exists()
    assert table_schema() == before


@pytest.mark.parametrize("repeated_first", [False, True])
def test_command_with_a_first_load_and_a_refused_file_imports_nothing(tmp_path, repeated_first):
    # The repeated cell is found on a first load (by the rebuilt unique constraint) when its file comes first,
    # by the merge's own check when it comes second.
    good, repeated = tmp_path / "good.csv", tmp_path / "repeated.csv"
    good.write_bytes(sample_bytes())
    repeated.write_bytes(lines(row(citizenship="CUBA"), row(citizenship="CUBA")))
    paths = [str(repeated), str(good)] if repeated_first else [str(good), str(repeated)]
    before = table_schema()
    with pytest.raises(CommandError) as caught:
        call_command("import_cbp_encounters", *paths, verbosity=0)
    assert "Nothing was imported: 1 of 2 files refused." in str(caught.value)
    assert "row 3: Row 2 has the same fiscal year, month and dimensions" in str(caught.value)
    assert not EncounterCount.objects.exists()
    assert table_schema() == before


def test_command_first_load_then_a_second_file_in_the_same_transaction(tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_bytes(sample_bytes())
    rows = sample_rows()[:10]
    rows[0]["encounter_count"] = str(int(rows[0]["encounter_count"]) + 5)
    second.write_bytes(to_csv(rows))
    call_command("import_cbp_encounters", str(first), str(second), verbosity=0)
    assert database_state() == (1000, sample_total() + 5)
    assert_the_model_schema_is_in_place()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")
def test_an_account_that_may_only_write_rows_merges_into_an_empty_table():
    # Dropping indexes needs the table's owner; a deployment may import with an account that only writes rows.
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE cbp_import_rows_only_test")
        for table in (EncounterCount._meta.db_table, EncounterArea._meta.db_table):
            cursor.execute(f'GRANT SELECT, INSERT, UPDATE ON "{table}" TO cbp_import_rows_only_test')
            cursor.execute(f"GRANT USAGE ON SEQUENCE {table}_id_seq TO cbp_import_rows_only_test")
        for model in (EncounterAreaTotal, EncounterRegionTotal):  # a changed month's totals are replaced
            table = model._meta.db_table
            cursor.execute(f'GRANT SELECT, INSERT, DELETE ON "{table}" TO cbp_import_rows_only_test')
            cursor.execute(f"GRANT USAGE ON SEQUENCE {table}_id_seq TO cbp_import_rows_only_test")
        cursor.execute("SET LOCAL ROLE cbp_import_rows_only_test")
    before = table_schema()
    statements = statements_of(sample_bytes())
    assert not any("DROP" in sql and "staging" not in sql for sql in statements)
    assert database_state() == (1000, sample_total())
    assert table_schema() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_planner_has_statistics_after_a_first_load():
    # Without them the next import's search for unchanged rows was planned as an index probe per row.
    run(sample_bytes())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stats WHERE tablename = %s AND attname = 'citizenship'",
            [EncounterCount._meta.db_table],
        )
        assert cursor.fetchone()[0] == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans (PostgreSQL plans a hash join)")
def test_on_sqlite_each_staged_row_is_looked_up_through_the_unique_key():
    # Through a secondary index SQLite read a month's worth of rows for each staged one: hours for a 1M-row file.
    with Staging() as staging, connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {staging.take_out_unchanged_rows}")
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    columns = [EncounterCount._meta.get_field(name).column for name in CELL_KEY]
    assert f"SEARCH existing USING INDEX sqlite_autoindex_{EncounterCount._meta.db_table}_1 (" in plan, plan
    assert f"({' AND '.join(f'{column}=?' for column in columns)})" in plan, plan


# The command


def test_command_imports_and_summarises(tmp_path, capsys):
    path = tmp_path / "sample.csv"
    path.write_bytes(sample_bytes())
    call_command("import_cbp_encounters", str(path), progress_every=400)
    out, err = capsys.readouterr()
    assert f"{path}: 1000 rows read" in out
    assert "Imported 1 file(s), 1000 rows: 1000 added, 0 replaced, 0 unchanged." in out
    assert "rows read (" in err  # progress
    assert database_state() == (1000, sample_total())


def test_command_dry_run(tmp_path, capsys):
    path = tmp_path / "sample.csv"
    path.write_bytes(sample_bytes())
    call_command("import_cbp_encounters", str(path), "--dry-run")
    assert "1000 would be added" in capsys.readouterr().out
    assert not EncounterCount.objects.exists()


def test_command_imports_several_files_in_order(tmp_path, capsys):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_bytes(lines(row(count="10")))
    second.write_bytes(lines(row(count="12"), row(citizenship="CUBA")))
    call_command("import_cbp_encounters", str(first), str(second), verbosity=0)
    assert dict(EncounterCount.objects.values_list("citizenship", "encounter_count")) == {"MEXICO": 12, "CUBA": 10}


def test_command_refuses_all_files_when_one_is_bad(tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(sample_bytes())
    bad.write_bytes(lines(row(), row(count="-3", citizenship="CUBA")))
    with pytest.raises(CommandError) as caught:
        call_command("import_cbp_encounters", str(good), str(bad), str(tmp_path / "missing.csv"), verbosity=0)
    message = str(caught.value)
    assert "Nothing was imported: 2 of 3 files refused." in message
    assert f"{bad} was refused" in message
    assert "row 3, column “encounter_count”: The count -3 is negative." in message
    assert "missing.csv cannot be read" in message
    assert not EncounterCount.objects.exists()


def test_command_exits_non_zero_on_a_bad_file(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(lines(row(month="XYZ")))
    # run_from_argv closes database connections when it ends; the test's transaction needs them open.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["manage.py", "import_cbp_encounters", str(bad)]).execute()
    assert caught.value.code == 1
    assert "row 2, column “month_abbv”: “XYZ” is not a month abbreviation" in capsys.readouterr().err


# The admin upload page

IMPORT_URL = "admin:briefings_encountercount_import"


def upload(client, data: bytes, *, name="upload.csv", dry_run=False):
    payload = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if dry_run:
        payload["dry_run"] = "on"
    # The upload becomes a background job (run at once in tests) and the answer is its page.
    return client.post(reverse(IMPORT_URL), payload, follow=True)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_permission_are_refused(client, editor):
    for user in (UserFactory(username="plain-staff"), editor):
        client.force_login(user)
        assert client.get(reverse(IMPORT_URL)).status_code == 403
        assert upload(client, sample_bytes()).status_code == 403
    assert not EncounterCount.objects.exists()


def test_publishers_hold_the_import_permission_and_editors_may_only_view():
    publishers = set(Group.objects.get(name=PUBLISHERS).permissions.values_list("codename", flat=True))
    editors = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    assert {"import_encountercount", "view_encountercount"} <= publishers
    assert "view_encountercount" in editors and "import_encountercount" not in editors
    hand_edits = {"add_encountercount", "change_encountercount", "delete_encountercount"}
    assert not hand_edits & (publishers | editors)


def test_a_user_given_only_the_permission_may_import(client):
    user = UserFactory(username="importer")
    user.user_permissions.add(Permission.objects.get(codename="import_encountercount"))
    client.force_login(user)
    assert client.get(reverse(IMPORT_URL)).status_code == 200


def test_publisher_uploads_the_sample_and_sees_the_summary(client, publisher):
    client.force_login(publisher)
    page = client.get(reverse(IMPORT_URL))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = upload(client, sample_bytes(), name="cbp-encounters-sample.csv")

    content = response.content.decode()
    assert response.status_code == 200
    assert "cbp-encounters-sample.csv: 1000 rows read" in content
    assert "1000 added, 0 replaced, 0 unchanged" in content
    assert database_state() == (1000, sample_total())


def test_upload_dry_run(client, publisher):
    client.force_login(publisher)
    content = upload(client, sample_bytes(), dry_run=True).content.decode()
    assert "Dry run: nothing was saved" in content
    assert not EncounterCount.objects.exists()


def test_a_bad_upload_shows_rows_and_columns(client, publisher):
    client.force_login(publisher)
    response = upload(client, lines(row(), row(count="many", citizenship="CUBA"), row(month="XYZ")), name="bad.csv")
    content = response.content.decode()
    assert response.status_code == 200
    assert "bad.csv was refused; nothing was imported. 2 problems were found" in content
    assert "<td>3</td><td>encounter_count</td><td>“many” is not a whole number.</td>" in content
    assert "<td>4</td><td>month_abbv</td>" in content
    assert not EncounterCount.objects.exists()


def test_an_upload_without_a_file_shows_the_form_error(client, publisher):
    client.force_login(publisher)
    response = client.post(reverse(IMPORT_URL), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_changelist_is_view_only_with_an_import_button_for_publishers(client, publisher, editor):
    EncounterCountFactory()
    changelist = reverse("admin:briefings_encountercount_changelist")

    client.force_login(publisher)
    content = client.get(changelist).content.decode()
    assert reverse(IMPORT_URL) in content and "Import CBP CSV" in content
    assert client.get(reverse("admin:briefings_encountercount_add")).status_code == 403

    client.force_login(editor)
    response = client.get(changelist)
    assert response.status_code == 200
    assert "Import CBP CSV" not in response.content.decode()


def test_changelist_filters_and_search_work(client, superuser):
    EncounterCountFactory(citizenship="MEXICO")
    EncounterCountFactory(citizenship="CUBA")
    client.force_login(superuser)
    changelist = reverse("admin:briefings_encountercount_changelist")
    response = client.get(changelist, {"q": "MEXICO", "fiscal_year": "2024", "component__exact": "U.S. Border Patrol"})
    assert response.status_code == 200
    assert [row.citizenship for row in response.context["cl"].result_list] == ["MEXICO"]
    detail = client.get(
        reverse("admin:briefings_encountercount_change", args=[response.context["cl"].result_list[0].pk])
    )
    assert detail.status_code == 200
    assert b'name="encounter_count"' not in detail.content  # read-only
