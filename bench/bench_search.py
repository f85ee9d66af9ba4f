"""Benchmark site search: latency (p50, p95) at 100,000 briefings, beside a plain `icontains` search.

Not a test (house style: speed targets live in a benchmark, not in timed tests). Run it on a throwaway
database: it migrates it, loads the seed report and bulk-creates generated briefings of realistic length
(headline, dek and a body of 300 to 700 words), which the database indexes as they arrive (trigger + GIN),
then runs VACUUM ANALYZE, as autovacuum would on a live site, so that the planner has statistics.

    DJANGO_SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search \\
        .venv/bin/python bench/bench_search.py --create-database   # creates that database, drops it at the end

With --keep the database stays, and a later run with --reuse (and without --create-database) times it again
without generating the briefings again (it still migrates and runs VACUUM ANALYZE).

`make bench` runs it on PostgreSQL. Measured, for queries from common words to rare ones, names and a phrase,
each run once untimed and then timed (warm caches, as a busy site's would be):
- site search: `site_search(q)` with its page, which is what the results page runs: on PostgreSQL the
  planner's estimates (EXPLAIN; a second one for a phrase), the page ranked and the matches counted, the
  page's titles and snippets. Each query's database queries are counted and shown; template rendering is not
  timed;
- site search (es): the same in Spanish, as `/es/search/` runs it: the Spanish index (Spanish stemming), the
  briefings' Spanish columns or, as here, their English;
- briefings only: `Briefing.objects.published().search(q)`, its count and its first page: the queryset API,
  which ranks and counts every match;
- icontains: the same count and first page with `headline/dek/body__icontains` (no index can serve it).
The target is a site-search p95 under 20 ms on PostgreSQL. The machine's load average is printed before and
after: other work on it slows every figure.
"""

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 20
RUNS_PER_QUERY = 25


def words(text):
    return text.split()


# The desk's own words and names first (they are the frequent ones), then common English, then a long tail.
DESK_WORDS = words("""border migrants asylum encounters officials patrol crossing smuggling cartel rewards families
agents report department security federal enforcement policy proclamation numbers data sector court shelter
river wall detention deportation removal parole processing ports entry title administration governor mayor
journey route guides children caravan visa app appointment interviews hearing judge lawyers advocates
funding congress senate bill vote statement spokesperson arrests charges convictions prosecutors network
trafficking networks checkpoints highway desert heat water rescue deaths remains investigation""")
NAMES = [
    "Darién",
    "Tapachula",
    "Hidalgo",
    "McAllen",
    "Reynosa",
    "Matamoros",
    "Ciudad Juárez",
    "El Paso",
    "Tucson",
    "Nogales",
    "San Diego",
    "Tijuana",
    "Panama",
    "Colombia",
    "Venezuela",
    "Guatemala",
    "Honduras",
    "Haiti",
    "Ecuador",
    "Clan del Golfo",
    "Joint Task Force Alpha",
    "Rio Grande Valley",
    "Lajas Blancas",
    "Bajo Chiquito",
    "Necoclí",
]
ENGLISH = words("""the of and to in a is that for on was with as by at from it be this are have has an or not
their which but were they after more than about its said also who been over would new two first will up
one out other into some most what when there all could may many three she like last week year years day
time people state city county local national public group work part made make since while where before
during through under between another against early later month months told says according because""")
SYLLABLES = words("""ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga go la le li lo lu ma me mi mo mu na ne
ni no nu pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi zo""")
QUERIES = {
    "common word": "migrants",
    "frequent word": "detention",
    "name": "Tapachula",
    "accented name": "Darien",
    "phrase": '"Clan del Golfo"',
    "two words": "shelter rescue",
    "rare word": None,  # a long-tail word, picked from the vocabulary
    "rarer word": None,
}


def vocabulary(rng):
    """Words and their Zipf weights, so that how many briefings contain a word is like running text: common
    English in every one, the desk's words in 5% to 40%, names in 0.5% to 5%, the long tail in a few."""
    tail = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(60_000)})
    rng.shuffle(tail)
    words = [word for word in tail if word not in ENGLISH][:30_000]
    for rank, word in enumerate(ENGLISH):
        words.insert(rank, word)
    for number, word in enumerate(DESK_WORDS):
        words.insert(60 + number * 25, word)
    for number, name in enumerate(NAMES):
        words.insert(800 + number * 200, name)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(words))]
    return words, list(itertools.accumulate(weights))


def sentences(rng, words, cumulative, count):
    pool = []
    for _ in range(count):
        chosen = rng.choices(words, cum_weights=cumulative, k=rng.randint(10, 25))
        pool.append(" ".join(chosen).capitalize() + ".")
    return pool


def generate_briefings(count, *, rng, pool):
    from briefings.models import Briefing

    start = datetime(2019, 1, 1, tzinfo=UTC)
    for number in range(count):
        body_sentences = rng.sample(pool, rng.randint(18, 42))
        yield Briefing(
            headline=rng.choice(pool)[:-1][:200],
            slug=f"bench-briefing-{number}",
            dek=" ".join(rng.sample(pool, 2)),
            body="\n\n".join(" ".join(body_sentences[i : i + 6]) for i in range(0, len(body_sentences), 6)),
            byline="Bench reporter",
            # One in fifty is a draft: search must leave it out.
            status=Briefing.Status.DRAFT if number % 50 == 0 else Briefing.Status.PUBLISHED,
            published_at=start + timedelta(minutes=number * 30),
        )


def timed(function, runs):
    function()  # warm the caches first, as a busy site's would be
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def p50_p95(durations):
    ordered = sorted(durations)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def postgres_admin(url):
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
    parser.add_argument("--briefings", type=int, default=100_000, help="generated briefings")
    parser.add_argument("--runs", type=int, default=RUNS_PER_QUERY, help="timed runs of each query")
    parser.add_argument("--no-icontains", action="store_true", help="leave out the icontains scans (minutes)")
    parser.add_argument(
        "--create-database", action="store_true", help="PostgreSQL: create the database first, drop it at the end"
    )
    parser.add_argument(
        "--keep", action="store_true", help="leave the database in place at the end, for a later run with --reuse"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the briefings a run with --keep left in the database instead of generating them again",
    )
    args = parser.parse_args()
    if args.reuse and args.create_database:
        sys.exit("--reuse times the database a run with --keep left: leave out --create-database.")
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to a throwaway database.")
    if args.create_database:
        if not url.startswith(("postgres://", "postgresql://")):
            sys.exit("--create-database is for PostgreSQL URLs.")
        admin, name = postgres_admin(url)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        benchmark(args.briefings, args.runs, reuse=args.reuse, icontains=not args.no_icontains)
    finally:
        if args.create_database and not args.keep:
            from django.db import connections

            connections.close_all()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.close()


def benchmark(count, runs, *, reuse=False, icontains=True):
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from briefings.models import Briefing
    from briefings.search.site import RESULTS_PER_PAGE, site_search

    call_command("migrate", verbosity=0)
    generated = Briefing.objects.filter(slug__startswith="bench-briefing-")
    if reuse and generated.count() != count:
        sys.exit(
            f"--reuse needs the {count:,} briefings a run with --keep left; the database holds {generated.count():,}."
        )
    if not reuse and Briefing.objects.exists():
        sys.exit("The database already holds briefings; run the benchmark on a throwaway database.")
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")

    rng = random.Random(2024)
    started = time.perf_counter()
    words, cumulative = vocabulary(rng)
    QUERIES["rare word"], QUERIES["rarer word"] = words[10_000], words[25_000]
    if not reuse:
        call_command("load_initial_data", verbosity=0)
        pool = sentences(rng, words, cumulative, 30_000)
        briefings = generate_briefings(count, rng=rng, pool=pool)
        while batch := list(itertools.islice(briefings, 2_000)):
            Briefing.objects.bulk_create(batch)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Statistics for the planner, as autovacuum would gather on a live site; it also merges the GIN
            # index's pending entries into the index proper.
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('briefings_briefing'))")
            size = f", table with its indexes and text {cursor.fetchone()[0]}"
        else:
            cursor.execute("ANALYZE")
            size = ""
        cursor.execute("SELECT avg(length(body)) FROM briefings_briefing")
        average_body = cursor.fetchone()[0]
    if reuse:
        print(
            f"  {count:,} briefings left by an earlier run (--reuse), average body "
            f"{average_body:,.0f} characters{size}"
        )
    else:
        print(
            f"  {count:,} briefings generated and indexed in {seconds:.1f} s ({count / seconds:,.0f}/s), "
            f"average body {average_body:,.0f} characters{size}"
        )

    def site_page(query):
        return lambda: site_search(query).page

    def spanish_site_page(query):
        # /es/search/: the Spanish index (Spanish stemming), and the columns shown in Spanish or else English.
        def run():
            with translation.override("es"):
                return site_search(query).page

        return run

    def briefings_page(query):
        def run():
            found = Briefing.objects.published().search(query)
            return found.count(), list(found[:RESULTS_PER_PAGE])

        return run

    def icontains_page(query):
        word = query.strip('"')

        def run():
            found = Briefing.objects.published().filter(
                Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
            )
            return found.count(), list(found.order_by("-published_at")[:RESULTS_PER_PAGE])

        return run

    methods = {"site search": site_page, "site search (es)": spanish_site_page, "briefings only": briefings_page}
    if icontains:
        methods["icontains"] = icontains_page
    every = {method: [] for method in methods}
    print(f"  load average before timing: {load()}")
    print(f"  latency in ms, {runs} runs each after a warm-up (icontains: {min(runs, 5)}), p50 / p95")
    print(
        f"  {'query':<32} {'briefings found':>15} {'page says':>14} {'queries':>7} "
        + " ".join(f"{method:>17}" for method in methods)
    )
    for label, query in QUERIES.items():
        found = Briefing.objects.published().search_matches(query).count()
        with CaptureQueriesContext(connection) as page_queries:  # site_search() fetches its page
            result = site_search(query)
        says = f"{'about ' if 'briefing' in result.estimated else ''}{result.counts['briefing']:,}"
        cells = []
        for method, make in methods.items():
            # A scan of every body takes seconds: a few runs tell enough.
            durations = timed(make(query), runs if method != "icontains" else min(runs, 5))
            every[method] += durations
            cells.append("{:>7.1f} / {:>7.1f}".format(*p50_p95(durations)))
        print(f"  {label + ': ' + query:<32} {found:>15,} {says:>14} {len(page_queries):>7} " + " ".join(cells))
    print(
        f"  {'all queries':<32} {'':>15} {'':>14} {'':>7} "
        + " ".join("{:>7.1f} / {:>7.1f}".format(*p50_p95(every[m])) for m in methods)
    )
    print(f"  load average after timing: {load()}")
    p95 = p50_p95(every["site search"])[1]
    verdict = "meets" if p95 < TARGET_P95_MS else "MISSES"
    print(
        f"  site search p95 {p95:.1f} ms over {len(every['site search'])} pages {verdict} the {TARGET_P95_MS} ms "
        f"target ({connection.vendor}, warm caches)"
    )


def load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg()) + f" ({os.cpu_count()} CPUs)"


if __name__ == "__main__":
    main()
