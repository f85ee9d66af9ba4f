"""CBP uploads as background jobs: the admin stores the file and queues a task; a worker imports it.

Files of any size are imported outside the request (Django's task framework, the django-tasks backport; the
database backend and its `db_worker` by default, see config/settings.py TASKS). The job page shows the job's
progress while it runs (rows read, then checking, then writing), then its result or its problems by row and
column.

- All or nothing: the import is one transaction (import_session), and a real import marks its job done inside
  that same transaction, so a worker killed at any point leaves either the whole file imported and the job done,
  or nothing written and the job still "running". Such a job can be run again (`retry()`), from the stored file.
- Progress is written to a small file beside the upload, not to the database: the import's transaction holds the
  database (on SQLite, its only write lock) until it ends, and a row written inside it is seen by nobody else
  until then. A job whose progress has not moved for STALLED_AFTER is taken to have lost its worker.
- Every change of a job's status is made only if the job is still as its writer last saw it, so a double click
  on "run it again", or a worker taken for lost that finishes after all, cannot run or finish a job twice.
- A finished job's upload is deleted (its result or problems are kept); a failed or interrupted one keeps it.
"""

import dataclasses
import datetime
import json
import os
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from ..models import EncounterImportJob
from .errors import EncounterFileError, RowError
from .session import ImportResult, import_session

Status = EncounterImportJob.Status
# How often a running job reports the rows it has read.
PROGRESS_EVERY = 10_000
STALLED_AFTER = timedelta(minutes=2)


def start(*, upload, dry_run: bool, user) -> EncounterImportJob:
    """Store `upload` (an uploaded file) and queue its import."""
    job = EncounterImportJob(name=upload.name, dry_run=dry_run, created_by=user)
    job.file.save(Path(upload.name).name or "upload.csv", upload, save=False)
    try:
        job.save()
        import_encounter_file.enqueue(job.pk)
    except BaseException:  # no job refers to the stored file: it is not left behind
        job.file.delete(save=False)
        raise
    return job


def retry(job: EncounterImportJob) -> bool:
    """Queue a job again if it failed or lost its worker; False if it is waiting, running or finished.

    The change is made only if the job is still as `job` says (its status and attempts), so two clicks, or two
    editors, queue it once.
    """
    if job.status == Status.FAILED or (job.status == Status.RUNNING and stalled(job)):
        as_seen = EncounterImportJob.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts)
        if as_seen.update(status=Status.QUEUED, failure=""):
            import_encounter_file.enqueue(job.pk)
            return True
    return False


class TakenOver(Exception):
    """The job was queued or claimed again while this worker ran it (its worker was taken for lost)."""


@task()
def import_encounter_file(job_id: int) -> str:
    """The background task: import one job's file. Run again after success, it does nothing."""
    return run(job_id)


def run(job_id: int) -> str:
    """Claim a queued job and import its file; a job that is not queued (finished, or run by another worker) is
    left as it is. Every later change of status is made only while this worker's claim holds."""
    job = EncounterImportJob.objects.get(pk=job_id)
    claimed = EncounterImportJob.objects.filter(pk=job.pk, status=Status.QUEUED, attempts=job.attempts)
    if not claimed.update(status=Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1):
        return job.status
    mine = EncounterImportJob.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts + 1)

    def finish(**changes) -> None:
        if not mine.update(finished_at=timezone.now(), **changes):
            raise TakenOver(f"import job {job.pk} was taken over while it ran; its result was not kept")

    progress = Progress(job.pk)
    progress.phase("queued")
    try:
        with job.file.open("rb") as file, import_session(dry_run=job.dry_run) as session:
            result = session.add(
                file=file, name=job.name, progress=progress.rows, progress_every=PROGRESS_EVERY, phase=progress.phase
            )
            if not job.dry_run:  # done in the import's own transaction: both, or neither
                finish(status=Status.DONE, result=_as_json(result))
    except EncounterFileError as refusal:
        problems = [dataclasses.asdict(error) for error in refusal.errors]
        finish(status=Status.REFUSED, problems=problems, problem_total=refusal.total)
        _forget_file(job)
        return Status.REFUSED
    except TakenOver:
        raise
    except Exception as error:
        finish(status=Status.FAILED, failure=f"{type(error).__name__}: {error}")
        raise
    finally:
        progress.forget()
    if job.dry_run:
        finish(status=Status.DONE, result=_as_json(result))
    _forget_file(job)
    return Status.DONE


def _forget_file(job: EncounterImportJob) -> None:
    """A finished job's upload is not needed again (its result and problems are stored): it is deleted, so
    uploads of hundreds of megabytes do not pile up. A failed or interrupted job keeps its file to run again."""
    job.file.delete(save=False)
    EncounterImportJob.objects.filter(pk=job.pk).update(file="")


def outcome(job: EncounterImportJob) -> tuple[ImportResult | None, EncounterFileError | None]:
    """What a finished job did, as the importer reported it: its result, or its refusal."""
    if job.status == Status.DONE and job.result:
        data = dict(job.result)
        for name in ("first_month", "last_month"):
            data[name] = datetime.date.fromisoformat(data[name]) if data[name] else None
        return ImportResult(**data), None
    if job.status == Status.REFUSED:
        errors = [RowError(**problem) for problem in job.problems]
        return None, EncounterFileError(name=job.name, errors=errors, total=job.problem_total)
    return None, None


def _as_json(result) -> dict:
    data = dataclasses.asdict(result)
    for name in ("first_month", "last_month"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def stalled(job: EncounterImportJob) -> bool:
    """Whether a running job's worker seems gone: no progress for STALLED_AFTER."""
    moved = Progress(job.pk).read().get("at")
    last = moved if moved is not None else (job.started_at.timestamp() if job.started_at else 0)
    return time.time() - last > STALLED_AFTER.total_seconds()


class Progress:
    """What a running job has done so far, in a file that the worker rewrites whole (never half-written)."""

    def __init__(self, job_id: int):
        self.path = Path(settings.MEDIA_ROOT) / "cbp-imports" / "progress" / f"{job_id}.json"
        self.state = {"phase": "queued", "rows": 0}

    def rows(self, rows: int, rows_per_second: float) -> None:
        self.state["rows"] = rows
        self._write()

    def phase(self, name: str) -> None:
        self.state["phase"] = name
        self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps({**self.state, "at": time.time()}), encoding="utf-8")
        os.replace(partial, self.path)

    def read(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)
