"""Benchmark the production-like server under load: gunicorn with 2 workers on 127.0.0.1, driven by wrk.

Not a test (house style: speed targets live in a benchmark). It builds a throwaway site (a SQLite file in a
temporary directory unless --database-url is given: migrate, the seed report, collectstatic), and for each address
starts gunicorn from config/gunicorn.conf.py, with the page cache on (CACHE_URL=locmemcache://) and then off
(dummycache://), and measures the address for a few seconds:

    .venv/bin/python bench/bench_load.py [--seconds 10] [--connections 16]

Printed for the home page, a briefing, /encounters/ and the figures page, cached and uncached, and for a static
file served by WhiteNoise from the same server (the ceiling for this stack): requests per second, latency p50 and
p99, the share of the static file's throughput (the static file loaded by the same server just before and after
each page: the machine's speed moves within minutes), and the count of responses that were not 2xx (or failed); beside
them, the health check (/healthz: one query, no template, never cached), the floor of any page Django renders per
request. Uncached means no cache of any kind (`dummycache://`: no page, no fragment, nothing else Django caches).
Then the same pages in an “edit storm”: the briefing saved once a second by another process (as the desk does
while readers read: each save changes what the pages show and clears the page cache), cached and uncached. Then
the peak memory of each worker (VmHWM). Targets: cached pages at least 80% of the static file's throughput; the
uncached home, briefing and /encounters/ at least 10%; no errors. wrk (Debian package `wrk`) is the load
generator: written in C, it leaves the CPUs to the server far better than a Python client would; `make bench`
installs it when missing.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SEED_SLUG = "us-expands-task-force-to-darien-gap-offers-rewards-clan-del-golfo"
PYTHON = sys.executable
CACHED_SHARE_TARGET = 0.80
UNCACHED_SHARE_TARGET = 0.10
UNCACHED_PAGES = ("home", "briefing", "encounters")
EDIT_STORM_PAGES = ("home", "briefing")


class Links(HTMLParser):
    """The stylesheet and the first briefing and figures links of the home page."""

    def __init__(self):
        super().__init__()
        self.stylesheet = self.briefing = self.figures = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        href = attributes.get("href") or ""
        if tag == "link" and attributes.get("rel") == "stylesheet" and self.stylesheet is None:
            self.stylesheet = href
        elif tag == "a" and re.fullmatch(r"/briefings/[^/]+/", href) and self.briefing is None:
            self.briefing = href
        elif tag == "a" and href == "/figures/":
            self.figures = href


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *arguments):
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_until_up(url, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with code {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url} within {seconds} s")


def worker_pids(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def peak_memory_mib(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match[1]) / 1024 if match else None


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def load(url, *, seconds, connections, threads):
    """wrk's figures for one address: requests/s, p50 and p99 in ms, and responses that were not 2xx/3xx or failed."""
    output = subprocess.run(
        ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if set(latency) != {"50", "99"}:
        sys.exit(f"Could not read wrk's latency distribution for {url}:\n{output}")
    not_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": milliseconds(latency["50"]),
        "p99": milliseconds(latency["99"]),
        "errors": (int(not_ok[1]) if not_ok else 0) + (sum(map(int, errors.groups())) if errors else 0),
    }


def start_gunicorn(env, *, port, workers):
    """gunicorn as production runs it (config/gunicorn.conf.py), on `port` with `workers` workers. Its logs are
    dropped: a pipe nobody reads would fill up and stall the server under load."""
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.conf.py",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
        ],  # fmt: skip
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_editor(env):
    """Another process that saves the seed briefing once a second (`edit_storm()`), ready when it returns."""
    editor = subprocess.Popen(  # its log lines (a page cache refresh per save) are dropped, as the server's are
        [PYTHON, __file__, "--edit-storm"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    if editor.stdout.readline().strip() != "ready":
        sys.exit("The edit storm's editor did not start.")
    return editor


def stop_editor(editor) -> int:
    """Stop the editor; how many saves it made."""
    editor.send_signal(signal.SIGINT)
    output, _ = editor.communicate(timeout=30)
    return int(output.split()[-1])


def edit_storm():
    """Save the seed briefing once a second until interrupted, as an editor's change in the admin does (the model's
    save, its signals: the “Updated” time, the page cache's generation), changing its dek each time; then print
    how many saves were made."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(BASE_DIR))
    django.setup()
    from django.db import transaction

    from briefings.models import Briefing

    briefing = Briefing.objects.get(slug=SEED_SLUG)
    original, saves = briefing.dek_en, 0
    # Stopped by SIGINT (stop_editor()), even when started from a shell's background job, which ignores it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print("ready", flush=True)
    try:
        while True:
            time.sleep(1)
            with transaction.atomic():
                briefing.dek_en = original if saves % 2 else f"{original} (edited)"
                briefing.save()
            saves += 1
    except KeyboardInterrupt:
        pass
    finally:
        with transaction.atomic():
            briefing.dek_en = original
            briefing.save()
        print(saves, flush=True)


def serve(env, *, port, cache_url, label, addresses, arguments, storm=False, beside=None):
    """For each address: start gunicorn with `cache_url`, warm the address, load it with wrk, stop gunicorn.
    Returns the figures and the peak memory of each worker.

    With `beside` (the static file's address), the same server is loaded with the static file for half as long
    just before and just after each address, and the address's figures carry `ceiling`, the mean of the two: the
    machine's speed moves by half within minutes (bench/RESULTS.md), and a share of a static file measured at
    another moment measured the moment as much as the page.

    A server of its own for each address: gunicorn replaces a worker after about 20,000 requests
    (config/gunicorn.conf.py), which one server loaded for a minute reaches, and a replacement in the middle of
    one address's run would be charged to that address alone. With `storm`, an editor saves the seed briefing
    once a second while wrk runs (`edit_storm()`)."""
    env = env | {"CACHE_URL": cache_url}
    base = f"http://127.0.0.1:{port}"
    results, memory = {}, []
    for name, path in addresses.items():
        process = start_gunicorn(env, port=port, workers=2)
        try:
            wait_until_up(f"{base}/", process)
            for _ in range(20):  # warm both workers (and, with the cache on, the cache); each must be a 200
                with urllib.request.urlopen(base + path, timeout=10) as response:
                    if response.status != 200 or response.geturl() != base + path:
                        sys.exit(f"{path} answered {response.status} at {response.geturl()}, not 200 at {path}")
                    response.read()
            options = {"connections": arguments.connections, "threads": arguments.threads}
            ceiling = beside if beside and path != beside else None
            before = load(base + ceiling, seconds=max(2, arguments.seconds // 2), **options) if ceiling else None
            editor = start_editor(env) if storm else None
            try:
                results[name] = figures = load(base + path, seconds=arguments.seconds, **options)
            finally:
                saves = stop_editor(editor) if editor else None
            if ceiling:
                after = load(base + ceiling, seconds=max(2, arguments.seconds // 2), **options)
                figures["ceiling"] = (before["rps"] + after["rps"]) / 2
                figures["errors"] += before["errors"] + after["errors"]
            print(
                f"  {label:<9} {name:<14} {figures['rps']:>9,.0f} req/s  p50 {figures['p50']:7.2f} ms  "
                f"p99 {figures['p99']:7.2f} ms  errors {figures['errors']}"
                + (f"  (static file beside it {figures['ceiling']:,.0f} req/s)" if ceiling else "")
                + (f"  ({saves} saves)" if storm else ""),
                flush=True,
            )
            if storm and saves < arguments.seconds - 1:
                sys.exit(f"The editor saved {saves} times in {arguments.seconds} s: the storm did not happen.")
            memory += [peak_memory_mib(pid) for pid in worker_pids(process.pid)]
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    return results, [m for m in memory if m is not None]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="how long wrk loads each address")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk's threads (the server needs the CPUs)")
    parser.add_argument("--database-url", help="a throwaway database (default: SQLite in a temporary directory)")
    parser.add_argument("--edit-storm", action="store_true", help=argparse.SUPPRESS)  # the editor's process
    arguments = parser.parse_args()
    if arguments.edit_storm:
        return edit_storm()
    if not shutil.which("wrk"):
        sys.exit("The load benchmark needs wrk: apt-get install wrk (make bench installs it when missing).")

    with tempfile.TemporaryDirectory() as directory:
        env = os.environ | {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "insecure-key-for-the-benchmark-only-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback; a proxy would terminate TLS
            "DATABASE_URL": arguments.database_url or f"sqlite:///{directory}/bench.sqlite3",
            "DJANGO_STATIC_ROOT": f"{directory}/static",
            "DJANGO_LOG_LEVEL": "ERROR",
        }
        started = time.perf_counter()
        manage(env, "migrate", "--noinput")
        manage(env, "load_initial_data")
        manage(env, "collectstatic", "--noinput")
        print(f"Site built in {time.perf_counter() - started:.1f} s ({env['DATABASE_URL'].split(':')[0]})")

        port = free_port()
        process = start_gunicorn(env, port=port, workers=1)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", process)
            links = Links()
            links.feed(urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode())
        finally:
            process.terminate()
            process.wait()
        if not (links.stylesheet and links.briefing and links.figures):
            sys.exit(f"The home page lacks a stylesheet, a briefing or the figures link: {vars(links)}")
        addresses = {
            "static file": links.stylesheet,
            "home": "/",
            "briefing": links.briefing,
            "encounters": "/encounters/",
            "figures": "/figures/",
        }
        print(
            f"gunicorn, 2 workers; wrk {arguments.threads} thread(s), {arguments.connections} connections, "
            f"{arguments.seconds} s per address; {os.cpu_count()} CPUs shared by server and load generator"
        )
        beside = addresses["static file"]
        cached, cached_memory = serve(
            env,
            port=port,
            cache_url="locmemcache://",
            label="cached",
            addresses=addresses,
            arguments=arguments,
            beside=beside,
        )
        uncached, uncached_memory = serve(
            env,
            port=port,
            cache_url="dummycache://",
            label="uncached",
            # The health check (one query, no template, never cached) is the floor of a page Django makes: the
            # whole middleware stack, a transaction-free view and a database round trip.
            addresses={name: path for name, path in addresses.items() if name != "static file"}
            | {"health check": "/healthz"},
            arguments=arguments,
            beside=beside,
        )
        print("Edit storm: the seed briefing saved once a second while the page is loaded")
        stormy = {
            label: serve(
                env,
                port=port,
                cache_url=cache_url,
                label=label,
                addresses={name: addresses[name] for name in EDIT_STORM_PAGES},
                arguments=arguments,
                storm=True,
                beside=beside,
            )[0]
            for label, cache_url in (("cached", "locmemcache://"), ("uncached", "dummycache://"))
        }

    ceiling = cached["static file"]["rps"]
    print(
        f"\nShare of the static file's throughput, loaded by the same server just before and after each page "
        f"(on its own: {ceiling:,.0f} req/s):"
    )
    verdicts = []
    for name in ("home", "briefing", "encounters", "figures"):
        cached_share, uncached_share = (run[name]["rps"] / run[name]["ceiling"] for run in (cached, uncached))
        print(f"  {name:<10} cached {cached_share:6.0%}   uncached {uncached_share:6.0%}")
        verdicts.append((f"{name}, cached", cached_share, CACHED_SHARE_TARGET))
        if name in UNCACHED_PAGES:
            verdicts.append((f"{name}, uncached", uncached_share, UNCACHED_SHARE_TARGET))
    print(
        f"  {'/healthz':<9} (one query, no template: the floor of any page rendered per request) "
        f"{uncached['health check']['rps'] / uncached['health check']['ceiling']:6.0%}"
    )
    print("In the edit storm (a save a second), beside the quiet runs:")
    for label, quiet in (("cached", cached), ("uncached", uncached)):
        for name in EDIT_STORM_PAGES:
            storm = stormy[label][name]
            print(
                f"  {name:<10} {label:<9} {storm['rps']:>7,.0f} req/s ({storm['rps'] / storm['ceiling']:4.0%}), "
                f"p99 {storm['p99']:7.2f} ms; quiet {quiet[name]['rps']:>7,.0f} req/s, "
                f"p99 {quiet[name]['p99']:7.2f} ms"
            )
    memory = cached_memory + uncached_memory
    if memory:
        print(f"Peak memory per worker (VmHWM): {min(memory):.0f}–{max(memory):.0f} MiB over {len(memory)} workers")
    runs = [*cached.values(), *uncached.values(), *(f for results in stormy.values() for f in results.values())]
    errors = sum(figures["errors"] for figures in runs)
    print(f"Responses that were not 2xx/3xx, or failed: {errors}")
    for label, share, target in verdicts:
        verdict = "meets" if share >= target else "is BELOW"
        print(f"  {label}: {share:.0%} of the static file {verdict} the {target:.0%} target")
    print(f"  errors under load: {errors} {'meets' if errors == 0 else 'MISSES'} the target of none")


if __name__ == "__main__":
    main()
