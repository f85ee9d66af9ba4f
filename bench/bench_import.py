"""Benchmark the CBP encounters import: rows per second and peak memory, on the database in DATABASE_URL.

Not a test (house style: speed and memory targets live in a benchmark, not in timed tests). Run it on a
throwaway database: it migrates the database and imports a million generated rows into it.

    DATABASE_URL=sqlite:////tmp/bench/bench.sqlite3 .venv/bin/python bench/bench_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_briefings .venv/bin/python bench/bench_import.py \\
        --create-database     # creates that PostgreSQL database first and drops it at the end

`make bench` runs both. The target is at least 50,000 rows/s on PostgreSQL for a first load of a
1,000,000-row file into an empty table (the importer's fast path, see briefings/encounters/importer/staging.py);
new rows into a table that already holds some take the row-by-row merge and are measured too.
"""

import argparse
import csv
import itertools
import math
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SAMPLE = Path(os.environ.get("CBP_SAMPLE", BASE_DIR / "tests" / "data" / "cbp-encounters-sample.csv"))
TARGET_ROWS_PER_SECOND = 50_000

PUBLISHED_HEADER = [
    "Fiscal Year",
    "Month Grouping",
    "Month (abbv)",
    "Component",
    "Land Border Region",
    "Area of Responsibility",
    "AOR (Abbv)",
    "Demographic",
    "Citizenship",
    "Title of Authority",
    "Encounter Type",
    "Encounter Count",
]
BORDER_PATROL = "U.S. Border Patrol"
FIELD_OPERATIONS = "Office of Field Operations"
SOUTHWEST, NORTHERN, OTHER = "Southwest Land Border", "Northern Land Border", "Other"
AREAS = [
    (BORDER_PATROL, SOUTHWEST, "San Diego Sector", "SDC"),
    (BORDER_PATROL, SOUTHWEST, "El Centro Sector", "ELC"),
    (BORDER_PATROL, SOUTHWEST, "Yuma Sector", "YUM"),
    (BORDER_PATROL, SOUTHWEST, "Tucson Sector", "TCA"),
    (BORDER_PATROL, SOUTHWEST, "El Paso Sector", "EPT"),
    (BORDER_PATROL, SOUTHWEST, "Big Bend Sector", "BBT"),
    (BORDER_PATROL, SOUTHWEST, "Del Rio Sector", "DRT"),
    (BORDER_PATROL, SOUTHWEST, "Laredo Sector", "LRT"),
    (BORDER_PATROL, SOUTHWEST, "Rio Grande Valley Sector", "RGV"),
    (BORDER_PATROL, NORTHERN, "Blaine Sector", "BLW"),
    (BORDER_PATROL, NORTHERN, "Buffalo Sector", "BUN"),
    (BORDER_PATROL, NORTHERN, "Detroit Sector", "DTM"),
    (BORDER_PATROL, NORTHERN, "Grand Forks Sector", "GFN"),
    (BORDER_PATROL, NORTHERN, "Havre Sector", "HVM"),
    (BORDER_PATROL, NORTHERN, "Houlton Sector", "HTM"),
    (BORDER_PATROL, NORTHERN, "Spokane Sector", "SPW"),
    (BORDER_PATROL, NORTHERN, "Swanton Sector", "SWB"),
    (BORDER_PATROL, OTHER, "Miami Sector", "MIP"),
    (BORDER_PATROL, OTHER, "New Orleans Sector", "NOL"),
    (BORDER_PATROL, OTHER, "Ramey Sector", "RMY"),
    (FIELD_OPERATIONS, SOUTHWEST, "San Diego Field Office", "San Diego"),
    (FIELD_OPERATIONS, SOUTHWEST, "Tucson Field Office", "Tucson"),
    (FIELD_OPERATIONS, SOUTHWEST, "El Paso Field Office", "El Paso"),
    (FIELD_OPERATIONS, SOUTHWEST, "Laredo Field Office", "Laredo"),
    (FIELD_OPERATIONS, NORTHERN, "Boston Field Office", "Boston"),
    (FIELD_OPERATIONS, NORTHERN, "Buffalo Field Office", "Buffalo"),
    (FIELD_OPERATIONS, NORTHERN, "Detroit Field Office", "Detroit"),
    (FIELD_OPERATIONS, NORTHERN, "Seattle Field Office", "Seattle"),
    (FIELD_OPERATIONS, OTHER, "Atlanta Field Office", "Atlanta"),
    (FIELD_OPERATIONS, OTHER, "Baltimore Field Office", "Baltimore"),
    (FIELD_OPERATIONS, OTHER, "Chicago Field Office", "Chicago"),
    (FIELD_OPERATIONS, OTHER, "Houston Field Office", "Houston"),
    (FIELD_OPERATIONS, OTHER, "Los Angeles Field Office", "Los Angeles"),
    (FIELD_OPERATIONS, OTHER, "Miami Field Office", "Miami"),
    (FIELD_OPERATIONS, OTHER, "New Orleans Field Office", "New Orleans"),
    (FIELD_OPERATIONS, OTHER, "New York Field Office", "New York"),
    (FIELD_OPERATIONS, OTHER, "San Francisco Field Office", "San Francisco"),
]
DEMOGRAPHICS = ["Accompanied Minors", "FMUA", "Single Adults", "UC / Single Minors"]
CITIZENSHIPS = [
    "BRAZIL",
    "CANADA",
    "CHINA, PEOPLES REPUBLIC OF",
    "COLOMBIA",
    "CUBA",
    "ECUADOR",
    "EL SALVADOR",
    "GUATEMALA",
    "HAITI",
    "HONDURAS",
    "INDIA",
    "MEXICO",
    "MYANMAR (BURMA)",
    "NICARAGUA",
    "OTHER",
    "PERU",
    "ROMANIA",
    "RUSSIA",
    "TURKEY",
    "UKRAINE",
    "VENEZUELA",
]
FISCAL_MONTHS = ["OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP"]


def generated_rows(count: int, *, revised_share: float = 0.0):
    """`count` CBP-like rows with unique keys, one at a time (never all in memory), in the order CBP's files
    use: fiscal year, month abbreviation (alphabetically), component, region, area, demographic, citizenship.

    With `revised_share`, that share of counts differs from the first issue, as in CBP's monthly reissues.
    """
    counts, revisions = random.Random(2024), random.Random(2025)
    areas = sorted(AREAS)
    # Fiscal years back from 2025, as many as `count` needs: 14 (from 2012) for a million rows.
    per_year = len(FISCAL_MONTHS) * len(areas) * len(DEMOGRAPHICS) * len(CITIZENSHIPS) * 2
    first_year = 2026 - math.ceil(count / per_year)
    cells = itertools.product(
        range(first_year, 2026), sorted(FISCAL_MONTHS), areas, DEMOGRAPHICS, CITIZENSHIPS, ["Title 42", "Title 8"]
    )
    for fiscal_year, month, area, demographic, citizenship, title in itertools.islice(cells, count):
        component, region, name, abbv = area
        if title == "Title 42":
            encounter_type = "Expulsions"
        else:
            encounter_type = "Apprehensions" if component == BORDER_PATROL else "Inadmissibles"
        printed_year = f"{fiscal_year} (FYTD)" if fiscal_year == 2025 else str(fiscal_year)
        encounters = int(counts.expovariate(1 / 40))
        if revised_share and revisions.random() < revised_share:
            encounters += revisions.randint(1, 5)
        yield (printed_year, "FYTD", month, component, region, name, abbv, demographic, citizenship, title,
               encounter_type, encounters)  # fmt: skip


def write_file(path: Path, rows: int, *, revised_share: float = 0.0) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(PUBLISHED_HEADER)
        writer.writerows(generated_rows(rows, revised_share=revised_share))
    return path


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def cpu_waiting_microseconds() -> int | None:
    """How long, in all, some task has waited for a CPU (Linux pressure stall information), or None.

    Printed as "CPU contention": the share of a run's wall time in which some task on the machine was ready to
    run but waiting for a CPU. Other work on a shared machine raises it, and so do the benchmark's own processes
    (the importer, its PostgreSQL backend, parallel index-build workers) when they outnumber the CPUs; a high
    figure says the run measured the machine as much as the importer.
    """
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    return int(some.rsplit("total=", 1)[1])


def settle():
    """Start each run on a quiet disk: write out what earlier steps left dirty (the generated files, and on
    PostgreSQL the pages and WAL of the previous import), so that a run is not charged for flushing them. A monthly
    import in production finds the database in that state too: imports are weeks apart."""
    from django.db import connection

    os.sync()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")


def run(label: str, path: Path, *, dry_run=False, traced=False):
    from briefings.encounters.importer import encounters_import

    def progress(rows, rows_per_second):
        print(f"    … {rows:>9,} rows, {rows_per_second:,.0f} rows/s", file=sys.stderr)

    settle()
    if traced:
        tracemalloc.start()
    with path.open("rb") as file:
        waited = cpu_waiting_microseconds()
        started = time.perf_counter()
        result = encounters_import(file=file, name=path.name, dry_run=dry_run, progress=progress)
        seconds = time.perf_counter() - started
    contention = ""
    if waited is not None:
        contention = f", CPU contention {(cpu_waiting_microseconds() - waited) / 1e6 / seconds:.0%}"
    memory = ""
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory = f", Python heap peak {peak / 2**20:.1f} MiB (tracemalloc; slows the run)"
    print(
        f"  {label:<46} {result.rows:>9,} rows {seconds:7.2f} s {result.rows / seconds:>9,.0f} rows/s "
        f"(+{result.added:,} ~{result.replaced:,} ={result.unchanged:,}); peak RSS {peak_rss_mib():.0f} MiB"
        f"{contention}{memory}"
    )
    return result.rows / seconds


def empty_the_table():
    """TRUNCATE on PostgreSQL (DELETE on SQLite), so that the next imports start from an empty, unbloated table;
    the totals the importer keeps of it go too."""
    from django.core.management.color import no_style
    from django.db import connection

    from briefings.models import EncounterAreaTotal, EncounterCount, EncounterRegionTotal

    tables = [model._meta.db_table for model in (EncounterCount, EncounterAreaTotal, EncounterRegionTotal)]
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    print("  emptied the table")


def postgres_admin(url: str):
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    connection = psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    return connection, config["NAME"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the generated file")
    parser.add_argument(
        "--create-database", action="store_true", help="PostgreSQL: create the database first, drop it at the end"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to a throwaway database.")
    is_postgres = url.startswith(("postgres://", "postgresql://"))
    if args.create_database:
        if not is_postgres:
            sys.exit("--create-database is for PostgreSQL URLs.")
        admin, name = postgres_admin(url)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        benchmark(url, args.rows)
    finally:
        if args.create_database:
            from django.db import connections

            connections.close_all()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.close()


def benchmark(url, rows):
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from briefings.models import EncounterCount

    call_command("migrate", verbosity=0)
    if EncounterCount.objects.exists():
        sys.exit("The database already holds encounter counts; run the benchmark on a throwaway database.")
    from django.db import connection

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    speeds = {}
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        big = write_file(Path(directory) / "generated-1m.csv", rows)
        revised = write_file(Path(directory) / "generated-1m-revised.csv", rows + rows // 50, revised_share=0.05)
        small = write_file(Path(directory) / "generated-100k.csv", min(rows, 100_000))
        print(f"  generated three files in {time.perf_counter() - started:.1f} s, peak RSS {peak_rss_mib():.0f} MiB")
        speeds["first load into an empty table"] = run(f"{big.name} first load (empty table)", big)
        speeds["unchanged"] = run(f"{big.name} again (unchanged)", big)
        speeds["revised, dry run"] = run(f"{revised.name} dry run", revised, dry_run=True)
        speeds["revised"] = run(f"{revised.name} (5% revised, 2% new)", revised)
        empty_the_table()
        run("sample first load (empty table)", SAMPLE)
        run("sample again (unchanged)", SAMPLE)
        speeds["new rows, table not empty"] = run(f"{big.name} (new rows after the sample)", big)
        run(f"{small.name} (traced)", small, traced=True)
        run(f"{revised.name} (traced)", revised, traced=True)
    total = EncounterCount.objects.count()
    print(f"  rows in the table: {total:,}")
    for label, speed in speeds.items():
        verdict = "meets" if speed >= TARGET_ROWS_PER_SECOND else "is BELOW"
        print(f"  1M rows, {label}: {speed:,.0f} rows/s {verdict} the {TARGET_ROWS_PER_SECOND:,} rows/s target")


if __name__ == "__main__":
    main()
