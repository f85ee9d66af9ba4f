"""The public pages rendered in the process, with no cache at all: the cost a reader meets on a page no cache holds.

Issue 20's baseline and its “flat cost” check: each page is asked for through Django's test client (every
middleware, the view, its queries and its template; no network, no server), `--runs` times after a warm-up, first
on the seed report alone, then again once `--briefings` more briefings are in the desk. The page cache is off
(`CACHE_URL=dummycache://`): nothing is served from it. Prints p50 / p95 in ms and each page's queries and size.

    DATABASE_URL=sqlite:////tmp/render.sqlite3 .venv/bin/python bench/bench_render.py
"""

import argparse
import itertools
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from bench_search import generate_briefings, p50_p95, sentences, timed, vocabulary  # noqa: E402

SEED = "us-expands-task-force-to-darien-gap-offers-rewards-clan-del-golfo"
PAGES = {
    "briefing": f"/briefings/{SEED}/",
    "briefing (es)": f"/es/briefings/{SEED}/",
    "home": "/",
    "encounters": "/encounters/",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefings", type=int, default=10_000, help="briefings added for the second size")
    parser.add_argument("--runs", type=int, default=50, help="timed renders of each page")
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
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from briefings.models import Briefing

    call_command("migrate", verbosity=0)
    if Briefing.objects.exists():
        sys.exit("The database already holds briefings; run the benchmark on a throwaway database.")
    call_command("compile_catalogues", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_initial_data", verbosity=0)
    client = Client()

    def measure(label):
        print(f"{label}: {Briefing.objects.count():,} briefings ({connection.vendor}, no cache)")
        print(f"  {'page':<16} {'queries':>7} {'KB':>6} {'p50 ms':>8} {'p95 ms':>8}")
        for name, address in PAGES.items():
            queries = []

            def counted(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counted):
                response = client.get(address)
            assert response.status_code == 200, (address, response.status_code)
            assert "X-Page-Cache" not in response, address
            p50, p95 = p50_p95(timed(lambda address=address: client.get(address), args.runs))
            size = len(response.content) / 1024
            print(f"  {name:<16} {len(queries):>7} {size:>6.0f} {p50:>8.1f} {p95:>8.1f}")

    measure("the seed report")
    rng = random.Random(2024)
    words, cumulative = vocabulary(rng)
    generated = generate_briefings(args.briefings, rng=rng, pool=sentences(rng, words, cumulative, 5_000))
    while batch := list(itertools.islice(generated, 2_000)):
        Briefing.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    measure(f"with {args.briefings:,} more")
    shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
