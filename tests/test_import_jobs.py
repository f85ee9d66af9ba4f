"""CBP uploads run as background jobs (briefings/encounters/importer/jobs.py): a page per job with its progress and
outcome, nothing half-written when its worker is killed, and a way to run it again.

In the suite, tasks run at once (config/test_settings.py); the worker test runs the real `db_worker` on a SQLite
file and kills it in the middle of an import."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from briefings.encounters.importer import jobs
from briefings.encounters.importer.session import ImportSession
from briefings.models import EncounterCount, EncounterImportJob

from .processes import clean_env

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "tests" / "data" / "cbp-encounters-sample.csv"
IMPORT_URL = reverse("admin:briefings_encountercount_import")


def job_url(job):
    return reverse("admin:briefings_encountercount_import_job", args=[job.pk])


def upload(client, data: bytes, *, dry_run=False):
    payload = {"file": SimpleUploadedFile("upload.csv", data, content_type="text/csv")}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(IMPORT_URL, payload)


def test_an_upload_becomes_a_job_with_a_page_of_its_own(client, publisher):
    client.force_login(publisher)
    response = upload(client, SAMPLE.read_bytes())
    job = EncounterImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert (job.status, job.created_by, job.attempts) == (job.Status.DONE, publisher, 1)
    assert job.result["added"] == EncounterCount.objects.count() > 0
    assert not job.file and not any((Path(settings.MEDIA_ROOT) / "cbp-imports").glob("upload*"))  # not kept
    page = client.get(job_url(job)).content.decode()
    assert "Status: done" in page and "Rows read" in page
    assert 'http-equiv="refresh"' not in page  # finished: it stops refreshing
    assert job.name in client.get(IMPORT_URL).content.decode()  # listed among the recent imports


def test_a_refused_file_shows_its_problems_by_row_and_column_on_the_job_page(client, publisher):
    client.force_login(publisher)
    bad = SAMPLE.read_bytes().replace(b"U.S. Border Patrol", b"Border Guards", 1)
    upload(client, bad)
    job = EncounterImportJob.objects.get()
    assert job.status == job.Status.REFUSED and job.problem_total >= 1
    assert not job.file
    page = client.get(job_url(job)).content.decode()
    assert "was refused; nothing was imported" in page and "component" in page.lower()
    assert not EncounterCount.objects.exists()


def test_a_dry_run_job_reports_and_saves_nothing(client, publisher):
    client.force_login(publisher)
    upload(client, SAMPLE.read_bytes(), dry_run=True)
    job = EncounterImportJob.objects.get()
    assert job.status == job.Status.DONE and job.result["dry_run"] and job.result["added"] > 0
    assert "Dry run: nothing was saved" in client.get(job_url(job)).content.decode()
    assert not EncounterCount.objects.exists()


def test_only_importers_see_or_start_jobs(client, editor, publisher):
    client.force_login(publisher)
    upload(client, SAMPLE.read_bytes(), dry_run=True)
    job = EncounterImportJob.objects.get()
    client.force_login(editor)
    assert client.get(job_url(job)).status_code == 403
    assert client.post(job_url(job)).status_code == 403


def test_a_running_job_shows_its_progress_and_refreshes(client, publisher):
    job = EncounterImportJob.objects.create(name="big.csv", status=EncounterImportJob.Status.RUNNING)
    progress = jobs.Progress(job.pk)
    progress.rows(40_000, 0)
    progress.phase("reading")
    client.force_login(publisher)
    page = client.get(job_url(job)).content.decode()
    assert "Reading: 40000 rows read" in page
    assert 'http-equiv="refresh"' in page
    assert "Run it again" not in page  # its worker is alive: it moved just now


def test_a_job_whose_worker_was_lost_can_run_again_from_the_stored_file(client, publisher):
    job = EncounterImportJob(name="sample.csv", status=EncounterImportJob.Status.RUNNING, created_by=publisher)
    job.file.save("sample.csv", SimpleUploadedFile("sample.csv", SAMPLE.read_bytes()), save=False)
    job.save()
    progress = jobs.Progress(job.pk)
    progress.rows(5_000, 0)
    stale = json.loads(progress.path.read_text()) | {"at": time.time() - 3600}
    progress.path.write_text(json.dumps(stale))
    client.force_login(publisher)
    assert "Run it again" in client.get(job_url(job)).content.decode()
    client.post(job_url(job))
    job.refresh_from_db()
    assert job.status == job.Status.DONE and job.attempts == 1
    assert EncounterCount.objects.count() == job.result["added"] > 0
    # A finished job is not run again: a second retry changes nothing.
    assert client.post(job_url(job), follow=True).status_code == 200
    job.refresh_from_db()
    assert job.attempts == 1


def stored_job(status, **fields):
    job = EncounterImportJob(name="sample.csv", status=status, **fields)
    job.file.save("sample.csv", SimpleUploadedFile("sample.csv", SAMPLE.read_bytes()), save=False)
    job.save()
    return job


def test_two_retries_of_one_failed_job_run_it_once():
    job = stored_job(EncounterImportJob.Status.FAILED, attempts=1, failure="OperationalError: gone")
    assert Path(job.file.path).exists()  # a failed job keeps its file, to be run again
    first_click, second_click = EncounterImportJob.objects.get(pk=job.pk), EncounterImportJob.objects.get(pk=job.pk)
    assert jobs.retry(first_click) is True  # queued, and (in the suite) run at once
    assert jobs.retry(second_click) is False  # it saw the job failed, but it has been run again since
    job.refresh_from_db()
    assert (job.status, job.attempts, job.failure) == (job.Status.DONE, 2, "")
    assert EncounterCount.objects.count() == job.result["added"] > 0


def test_a_job_that_fails_keeps_its_file_to_run_again(monkeypatch):
    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(jobs, "import_session", broken)
    job = stored_job(EncounterImportJob.Status.QUEUED)
    with pytest.raises(OSError):
        jobs.run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.failure) == (job.Status.FAILED, "OSError: disk full")
    assert Path(job.file.path).exists()


def test_an_upload_whose_job_cannot_be_queued_leaves_no_file_behind(monkeypatch, publisher):
    def refuse(self, *args, **kwargs):
        raise OSError("the queue is away")

    monkeypatch.setattr(EncounterImportJob, "save", refuse)
    with pytest.raises(OSError):
        jobs.start(upload=SimpleUploadedFile("lost.csv", SAMPLE.read_bytes()), dry_run=False, user=publisher)
    assert not list((Path(settings.MEDIA_ROOT) / "cbp-imports").glob("lost*"))


@pytest.mark.parametrize("status", ["running", "done", "refused"])
def test_a_worker_runs_only_a_job_that_is_waiting_for_one(status):
    job = stored_job(status, attempts=1)
    assert jobs.run(job.pk) == status
    job.refresh_from_db()
    assert (job.status, job.attempts) == (status, 1)
    assert not EncounterCount.objects.exists()


def test_a_job_taken_over_while_it_ran_keeps_nothing_of_that_run(monkeypatch):
    """A worker taken for lost (its job queued again) that finishes after all: its import is rolled back and the
    job is not marked done by it. (Here the job is queued again inside the import's own transaction, so that
    change is rolled back too; from another connection it would stay.)"""
    job = stored_job(EncounterImportJob.Status.QUEUED)
    importing = ImportSession.add

    def meanwhile_queued_again(self, **kwargs):
        # After the file is read and written (on PostgreSQL no other statement may run inside its COPY).
        result = importing(self, **kwargs)
        EncounterImportJob.objects.filter(pk=job.pk).update(status=EncounterImportJob.Status.QUEUED)
        return result

    monkeypatch.setattr(ImportSession, "add", meanwhile_queued_again)
    with pytest.raises(jobs.TakenOver):
        jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status != job.Status.DONE and job.result is None
    assert not EncounterCount.objects.exists()


# --- a real worker, killed in the middle of an import -------------------------------------------------------------

SETUP = """
import csv, io, sys
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.management import call_command
call_command("migrate", verbosity=0)
from briefings.encounters.importer import jobs
from briefings.encounters.months import FISCAL_MONTHS

buffer = io.StringIO()
out = csv.writer(buffer, lineterminator="\\n")
out.writerow(["fiscal_year", "month_abbv", "component", "land_border_region", "area_of_responsibility", "aor_abbv",
              "demographic", "citizenship", "title_of_authority", "encounter_type", "encounter_count"])
for year in range(2005, 2025):
    for month in FISCAL_MONTHS:
        for country in range(160):
            for demographic in ("Single Adults", "FMUA", "UC / Single Minors", "Accompanied Minors"):
                out.writerow([year, month, "U.S. Border Patrol", "Southwest Land Border", "Tucson Sector", "TCA",
                              demographic, f"COUNTRY {country}", "Title 8", "Apprehensions", 3])
upload = ContentFile(buffer.getvalue().encode(), name="big.csv")
job = jobs.start(upload=upload, dry_run=False, user=None)
print(job.pk)
"""

STATE = """
import json, sys
import django
django.setup()
from briefings.encounters.importer import jobs
from briefings.models import EncounterArea, EncounterCount, EncounterImportJob
job = EncounterImportJob.objects.get(pk=int(sys.argv[1]))
if sys.argv[2:] == ["retry"]:
    jobs.Progress(job.pk).path.unlink(missing_ok=True)
    EncounterImportJob.objects.filter(pk=job.pk).update(started_at="2000-01-01T00:00:00Z")
    job.refresh_from_db()
    print(json.dumps({"retried": jobs.retry(job)}))
else:
    print(json.dumps({"status": job.status, "attempts": job.attempts, "counts": EncounterCount.objects.count(),
                      "areas": EncounterArea.objects.count(), "result": job.result}))
"""


def test_a_worker_killed_mid_import_leaves_nothing_half_written_and_the_job_runs_again(tmp_path):
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'desk.sqlite3'}",
        DJANGO_SECRET_KEY="a-key-for-this-test-only",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )

    def python(*arguments, **options):
        return subprocess.run(
            [sys.executable, *arguments], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, **options
        )

    def state(*arguments):
        result = python("-c", STATE, job_id, *arguments, timeout=60)
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.splitlines()[-1])

    made = python("-c", SETUP, timeout=180)
    assert made.returncode == 0, made.stderr[-2000:]
    job_id = made.stdout.split()[-1]
    progress = tmp_path / "media" / "cbp-imports" / "progress" / f"{job_id}.json"

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        read = {}
        while time.monotonic() < deadline and not read.get("rows"):
            time.sleep(0.05)
            try:
                read = json.loads(progress.read_text())
            except (OSError, ValueError):
                read = {}
        assert read.get("rows"), "the worker never reported rows read"
        os.kill(worker.pid, signal.SIGKILL)  # in the middle of reading the file, inside the import's transaction
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    killed = state()
    assert killed["status"] == "running" and killed["attempts"] == 1
    assert (killed["counts"], killed["areas"]) == (0, 0)  # nothing half-written

    assert state("retry") == {"retried": True}
    finished = python("manage.py", "db_worker", "--batch", "--no-startup-delay", timeout=300)
    assert finished.returncode == 0, finished.stderr[-2000:]
    after = state()
    assert after["status"] == "done" and after["attempts"] == 2
    assert after["counts"] == after["result"]["added"] == 20 * 12 * 160 * 4
