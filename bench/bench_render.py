"""The public pages rendered in the process, with no cache at all: the cost a reader meets on a page no cache holds.

Issue 20's in-process figures and its “flat cost” check: each page is asked for through Django's test client (every
middleware, the view, its queries and its template; no network, no server), `--runs` times after a warm-up, at two
sizes of the desk: a small one (the seed report and 9 more briefings, CBP's seed rows) and a large one (10,000
briefings and a million CBP encounter rows more; on SQLite the two are two files and each page is timed on both in
turns, so that the machine's changes of speed fall on both alike). Every cache is off: the page cache and any other
Django cache (`CACHE_URL=dummycache://`); nothing is served from one. Prints p50 / p95 in ms, each page's queries
and size, and the verdicts: the briefing at 8 ms or less at p50, and each page's p50 at the large size within 25%
of the small.

    DATABASE_URL=sqlite:////tmp/render.sqlite3 .venv/bin/python bench/bench_render.py
"""

import argparse
import itertools
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from bench_import import write_file  # noqa: E402
from bench_search import generate_briefings, p50_p95, sentences, timed, vocabulary  # noqa: E402

SEED = "us-expands-task-force-to-darien-gap-offers-rewards-clan-del-golfo"
PAGES = {
    "briefing": f"/briefings/{SEED}/",
    "briefing (es)": f"/es/briefings/{SEED}/",
    "home": "/",
    "encounters": "/encounters/",
    # The same month at both sizes: /encounters/ itself shows a row for every month the data holds (161 in the
    # large desk), so its page grows with them.
    "encounters, 1 month": "/encounters/?from=2024-06&to=2024-06",
    "figures": "/figures/",
}
BRIEFING_TARGET_MS = 8.0
FLAT_TOLERANCE = 1.25  # the large desk's p50 over the small one's: “the same”, with a run's noise
ROUNDS = 5  # turns in which the two desks' pages are timed, alternating (SQLite)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=9, help="briefings added to the seed's for the small desk")
    parser.add_argument("--briefings", type=int, default=10_000, help="briefings in the large desk")
    parser.add_argument("--encounter-rows", type=int, default=1_000_000, help="CBP rows added for the large desk")
    parser.add_argument("--runs", type=int, default=100, help="timed renders of each page")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a throwaway database.")
    # No cache of any kind, production's settings otherwise; the test client's host, over plain HTTP.
    os.environ["CACHE_URL"] = "dummycache://"
    os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-benchmark-only")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    static_root = tempfile.mkdtemp(prefix="bench-render-static-")  # hashed static files, as production serves them
    os.environ["DJANGO_STATIC_ROOT"] = static_root
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from briefings.encounters.importer import encounters_import
    from briefings.models import Briefing, EncounterCount

    assert settings.CACHES["default"]["BACKEND"].endswith("DummyCache"), settings.CACHES
    call_command("migrate", verbosity=0)
    if Briefing.objects.exists():
        sys.exit("The database already holds briefings; run the benchmark on a throwaway database.")
    call_command("compile_catalogues", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_initial_data", verbosity=0)
    client = Client()
    rng = random.Random(2024)
    words, cumulative = vocabulary(rng)
    generated = generate_briefings(args.briefings, rng=rng, pool=sentences(rng, words, cumulative, 5_000))

    def add_briefings(count):
        while count and (batch := list(itertools.islice(generated, min(count, 2_000)))):
            Briefing.objects.bulk_create(batch)
            count -= len(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def pages():
        """Each page's queries and size, after checking that it renders and is not served from a cache."""
        shown = {}
        for name, address in PAGES.items():
            queries = []

            def counted(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counted):
                response = client.get(address)
            assert response.status_code == 200, (address, response.status_code)
            assert "X-Page-Cache" not in response, address
            shown[name] = (len(queries), len(response.content) / 1024)
        return shown

    def described():
        return (
            f"{Briefing.objects.count():,} briefings, {EncounterCount.objects.count():,} CBP rows "
            f"({connection.vendor}, no cache)"
        )

    def report(label, description, shown, times):
        print(f"{label}: {description}")
        print(f"  {'page':<20} {'queries':>7} {'KB':>6} {'p50 ms':>8} {'p95 ms':>8}")
        figures = {}
        for name in PAGES:
            (queries, size), (p50, p95) = shown[name], p50_p95(times[name])
            print(f"  {name:<20} {queries:>7} {size:>6.0f} {p50:>8.1f} {p95:>8.1f}", flush=True)
            figures[name] = (p50, size)
        return figures

    def use(database):
        """Point the default connection at another SQLite file (the two desks, see below)."""
        connection.close()
        connection.settings_dict["NAME"] = database

    add_briefings(args.small)
    small_shown, small_description = pages(), described()
    # On SQLite the two desks are two files, and their pages are timed in turns, a share of the runs at a time:
    # the machine's speed moves by half within minutes (bench/RESULTS.md), which would otherwise be read as a
    # difference between the desks. Elsewhere the small desk is timed, then grown into the large one.
    interleaved = connection.vendor == "sqlite"
    rounds = ROUNDS if interleaved else 1
    times = {"small": {name: [] for name in PAGES}, "large": {name: [] for name in PAGES}}

    def time_pages(desk):
        for name, address in PAGES.items():
            times[desk][name] += timed(lambda address=address: client.get(address), args.runs // rounds)

    if interleaved:
        small_file = Path(tempfile.mkdtemp(prefix="bench-render-small-")) / "small-desk.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(small_file)])
        large_file = connection.settings_dict["NAME"]
    else:
        time_pages("small")
    started = time.perf_counter()
    add_briefings(args.briefings - args.small - 1)
    with tempfile.TemporaryDirectory() as directory:
        path = write_file(Path(directory) / "encounters.csv", args.encounter_rows)
        with path.open("rb") as file:
            encounters_import(file=file, name=path.name)
    print(f"(the large desk built in {time.perf_counter() - started:.0f} s)")
    large_shown, large_description = pages(), described()
    for _round in range(rounds):
        if interleaved:
            use(str(small_file))
            time_pages("small")
            use(large_file)
        time_pages("large")
    if interleaved:
        print(f"(each desk's pages timed in {rounds} turns of {args.runs // rounds} runs, the desks alternating)")
    small = report("A small desk", small_description, small_shown, times["small"])
    large = report("A large desk", large_description, large_shown, times["large"])
    shutil.rmtree(static_root, ignore_errors=True)
    if interleaved:
        use(large_file)
        shutil.rmtree(small_file.parent, ignore_errors=True)

    print("Verdicts:")
    for label, (p50, _size) in (("small", small["briefing"]), ("large", large["briefing"])):
        verdict = "meets" if p50 <= BRIEFING_TARGET_MS else "is ABOVE"
        print(f"  the briefing at p50, {label} desk: {p50:.1f} ms {verdict} the {BRIEFING_TARGET_MS:.0f} ms target")
    for name in PAGES:
        ratio, grown = large[name][0] / small[name][0], large[name][1] / small[name][1]
        verdict = "flat" if ratio <= FLAT_TOLERANCE else "GROWS"
        if grown > FLAT_TOLERANCE:  # a page with more to show: its cost per KB is what should stay
            verdict = f"{verdict} (its page is {grown:.1f} times as large: {ratio / grown:4.2f} per KB)"
        print(f"  {name:<20} large / small {ratio:4.2f}: {verdict}")
    print(f"  (“flat”: the large desk's p50 within {FLAT_TOLERANCE - 1:.0%} of the small one's)")


if __name__ == "__main__":
    main()
