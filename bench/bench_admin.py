"""Benchmark the desk's admin under concurrent use: gunicorn and the task worker as `make serve` runs them.

Not a test (house style: speed targets live in a benchmark). It builds a throwaway site (a SQLite file in a
temporary directory unless --database-url is given: migrate, the seed report, collectstatic, a Publisher), starts
gunicorn from config/gunicorn.conf.py with `manage.py db_worker` beside it, and then, as staff would:

    .venv/bin/python bench/bench_admin.py [--rows 1600000] [--database-url postgres://…/a_throwaway_name]

- logs in from many browsers at once (--logins, all together);
- publishes and unpublishes the seed briefing from many sessions at once (--publishes, --concurrency at a time);
- has two editors save the same briefing at the same moment, round after round (--rounds): one save wins, the
  other is refused by the stale-save guard with what was typed kept in the form;
- uploads a generated CBP file (--rows; 1.6M rows is about 216 MB) on the admin's import page and follows the job
  page until the import ends: how long the upload request took (it must answer well inside gunicorn's 30 s
  timeout), the job's time and rows per second, and the worker's peak memory.

Printed: the answers by status for each part; any 5xx, or an upload or job that fails, is a miss.
"""

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path

from bench_import import postgres_admin, write_file
from bench_load import BASE_DIR, PYTHON, free_port, manage, peak_memory_mib, start_gunicorn, wait_until_up

sys.path.insert(0, str(BASE_DIR))
from tests.html_forms import form_data

PASSWORD = secrets.token_urlsafe(16)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STALE_SAVE = "after you opened it"


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One staff member's browser: its own cookies (sent over plain HTTP on the loopback, as browsers do for
    localhost even when they are Secure) and the CSRF token of the last form it read. Redirects are not followed,
    so every answer's own status is counted."""

    opener = urllib.request.build_opener(_KeepRedirects)

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, path, data=None, *, body=None, headers=None, timeout=60) -> tuple[int, str, dict]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            response = self.opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            if match := CSRF_FIELD.search(text):
                self.csrf = match[1]
            return response.status, text, dict(response.headers)

    def log_in(self, username: str) -> int:
        self.request("/admin/login/?next=/admin/")
        status, _text, _headers = self.request(
            "/admin/login/?next=/admin/",
            {"username": username, "password": PASSWORD, "next": "/admin/", "csrfmiddlewaretoken": self.csrf},
        )
        return status

    def form(self, path: str, form_id: str) -> dict:
        """The fields of the form `form_id` on the page, as a browser would submit them."""
        return form_data(self.request(path)[1], form_id)


def shell(env, code: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    ).stdout


def make_staff(env) -> dict:
    """Three Publishers, and the seed briefing's id."""
    code = f"""
import json
from django.contrib.auth.models import Group, User
from briefings.models import Briefing
for name, group in [("publisher", "Publishers"), ("desk-a", "Publishers"), ("desk-b", "Publishers")]:
    user = User.objects.create_user(name, password={PASSWORD!r}, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
briefing = Briefing.objects.get()
print(json.dumps({{"briefing": briefing.pk}}))
"""
    return json.loads(shell(env, code).strip().splitlines()[-1])


def together(count: int, concurrency: int, work) -> Counter:
    """Run `work(i)` `count` times, `concurrency` at once, all starting at the same moment; count the answers."""
    start = threading.Barrier(min(count, concurrency))

    def run(index):
        if index < concurrency:
            start.wait()
        try:
            return work(index)
        except Exception as error:  # a failed connection is an answer too, and a miss
            return type(error).__name__

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return Counter(pool.map(run, range(count)))


def logins(base, count) -> Counter:
    return together(count, count, lambda _i: Browser(base).log_in("publisher"))


def publishes(base, count, concurrency, briefing) -> Counter:
    browsers = [Browser(base) for _ in range(concurrency)]
    for browser in browsers:
        browser.log_in("publisher")
        browser.request("/admin/briefings/briefing/")

    def publish(index):
        browser = browsers[index % concurrency]
        action = "publish_selected" if index % 2 else "unpublish_selected"
        data = {"action": action, "_selected_action": briefing, "index": "0", "csrfmiddlewaretoken": browser.csrf}
        return browser.request("/admin/briefings/briefing/", data)[0]

    return together(count, concurrency, publish)


def stale_saves(base, rounds, briefing) -> tuple[Counter, int]:
    """Two of the desk open the same briefing and save different deks at the same moment. Returns the answers and
    the rounds in which one save won and the other was refused with its typing kept."""
    editors = [Browser(base), Browser(base)]
    for browser, name in zip(editors, ["desk-a", "desk-b"], strict=True):
        browser.log_in(name)
    path = f"/admin/briefings/briefing/{briefing}/change/"
    answers, clean = Counter(), 0
    for round_number in range(rounds):
        forms = [browser.form(path, "briefing_form") for browser in editors]
        for index, form in enumerate(forms):
            form["dek"] = f"Round {round_number}, typed by editor {index}."
        results = _at_once(
            [
                lambda browser=browser, form=form: browser.request(path, form)
                for browser, form in zip(editors, forms, strict=True)
            ]
        )
        statuses = sorted(status for status, _text, _headers in results)
        answers.update(statuses)
        refused = [text for status, text, _headers in results if status == 200]
        if statuses == [200, 302] and STALE_SAVE in refused[0] and "typed by editor" in refused[0]:
            clean += 1
    return answers, clean


def upload(base, path: Path, env) -> dict:
    """POST the file on the import page as a browser would (multipart, streamed), then follow the job page."""
    browser = Browser(base)
    browser.log_in("publisher")
    browser.request("/admin/briefings/encountercount/import/")
    boundary = "----bench" + secrets.token_hex(8)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{browser.csrf}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = path.stat().st_size

    def body():
        yield head
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                yield chunk
        yield tail

    started = time.perf_counter()
    status, _text, headers = browser.request(
        "/admin/briefings/encountercount/import/",
        body=body(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + size + len(tail)),
        },
        timeout=120,
    )
    uploaded = time.perf_counter() - started
    job_path = headers.get("Location", "")
    if status != 302 or not job_path:
        return {"upload_status": status, "upload_seconds": uploaded, "size": size}
    polls = Counter()
    while True:
        poll_status, text, _headers = browser.request(job_path)
        polls[poll_status] += 1
        if poll_status != 200 or not re.search(r"Status: (waiting for the worker|running)", text):
            break
        time.sleep(1)
    finished = time.perf_counter() - started
    job = json.loads(
        shell(
            env,
            "import json; from briefings.models import EncounterImportJob, EncounterCount; "
            "job = EncounterImportJob.objects.latest('pk'); "
            "print(json.dumps({'status': job.status, 'rows': EncounterCount.objects.count()}))",
        )
        .strip()
        .splitlines()[-1]
    )
    return {
        "upload_status": status,
        "upload_seconds": uploaded,
        "size": size,
        "polls": polls,
        "seconds": finished,
        "status": job["status"],
        "rows_in_table": job["rows"],
    }


def _at_once(calls):
    """Call each of `calls` in a thread of its own, all released at the same moment; their results in order."""
    barrier = threading.Barrier(len(calls))

    def call(function):
        barrier.wait()
        return function()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(call, calls))


def describe(counter: Counter) -> str:
    return ", ".join(f"{count} × {answer}" for answer, count in sorted(counter.items(), key=str))


def misses(counter: Counter) -> int:
    return sum(count for answer, count in counter.items() if not isinstance(answer, int) or answer >= 500)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_600_000, help="rows in the uploaded CBP file")
    parser.add_argument("--logins", type=int, default=40, help="logins at the same moment")
    parser.add_argument("--publishes", type=int, default=120, help="publish and unpublish actions")
    parser.add_argument("--concurrency", type=int, default=24, help="publish actions at the same moment")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of two editors saving at once")
    parser.add_argument(
        "--database-url",
        help="a throwaway PostgreSQL database, created and dropped here (default: SQLite in a temporary directory)",
    )
    arguments = parser.parse_args()
    if not arguments.database_url:
        return benchmark(arguments)
    admin, name = postgres_admin(arguments.database_url)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        benchmark(arguments)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def benchmark(arguments):

    with tempfile.TemporaryDirectory() as directory:
        env = os.environ | {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "insecure-key-for-the-benchmark-only-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": arguments.database_url or f"sqlite:///{directory}/bench.sqlite3",
            "DJANGO_STATIC_ROOT": f"{directory}/static",
            "DJANGO_MEDIA_ROOT": f"{directory}/media",
            "DJANGO_LOG_LEVEL": "ERROR",
        }
        started = time.perf_counter()
        manage(env, "migrate", "--noinput")
        manage(env, "load_initial_data")
        manage(env, "collectstatic", "--noinput")
        seed = make_staff(env)
        database = env["DATABASE_URL"].split(":")[0]
        print(f"Site built in {time.perf_counter() - started:.1f} s ({database})", flush=True)
        csv_file = write_file(Path(directory) / "upload.csv", arguments.rows)
        print(f"Generated {arguments.rows:,} CBP rows: {csv_file.stat().st_size / 1e6:,.0f} MB", flush=True)

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_gunicorn(env | {"PORT": str(port)}, port=port, workers=2)
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(f"{base}/", server)
            print(f"gunicorn, 2 workers, and the task worker; {os.cpu_count()} CPUs shared with this client")
            answers = logins(base, arguments.logins)
            total = misses(answers)
            print(f"  {arguments.logins} logins at once: {describe(answers)}", flush=True)
            answers = publishes(base, arguments.publishes, arguments.concurrency, seed["briefing"])
            total += misses(answers)
            print(
                f"  {arguments.publishes} publish/unpublish actions, {arguments.concurrency} at once: "
                f"{describe(answers)}",
                flush=True,
            )
            answers, clean = stale_saves(base, arguments.rounds, seed["briefing"])
            total += misses(answers) + (arguments.rounds - clean)
            print(
                f"  {arguments.rounds} rounds of two editors saving at once: {describe(answers)}; "
                f"{clean} of {arguments.rounds} rounds saved one and refused the other, its typing kept",
                flush=True,
            )
            job = upload(base, csv_file, env)
            ok = job["upload_status"] == 302 and job.get("status") == "done"
            total += not ok
            line = (
                f"  upload of {job['size'] / 1e6:,.0f} MB: answered {job['upload_status']} in "
                f"{job['upload_seconds']:.1f} s"
            )
            if "status" in job:
                line += (
                    f"; the job ended '{job['status']}' {job['seconds']:.1f} s after the upload began "
                    f"({arguments.rows / job['seconds']:,.0f} rows/s overall), job page {describe(job['polls'])}; "
                    f"{job['rows_in_table']:,} counts in the table; task worker peak memory "
                    f"{peak_memory_mib(worker.pid) or 0:.0f} MiB"
                )
            print(line, flush=True)
        finally:
            for process in (server, worker):
                process.send_signal(signal.SIGTERM)
            for process in (server, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
    print(
        f"Answers of 5xx, failed requests, unclean rounds and failed imports: {total} "
        f"{'meets' if total == 0 else 'MISSES'} the target of none"
    )


if __name__ == "__main__":
    main()
