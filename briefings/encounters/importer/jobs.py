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
from .cbp import EncounterFileError, ImportResult, RowError, import_session

Status = EncounterImportJob.Status
# How often a running job reports the rows it has read.
PROGRESS_EVERY = 10_000
STALLED_AFTER = timedelta(minutes=2)


def start(*, upload, dry_run: bool, user) -> EncounterImportJob:
    """Store `upload` (an uploaded file) and queue its import."""
    job = EncounterImportJob(name=upload.name, dry_run=dry_run, created_by=user)
    job.file.save(Path(upload.name).name or "upload.csv", upload, save=False)
    job.save()
    import_encounter_file.enqueue(job.pk)
    return job


def retry(job: EncounterImportJob) -> bool:
    """Queue a job again if it failed or lost its worker; False if it is waiting, running or finished."""
    if job.status == Status.FAILED or (job.status == Status.RUNNING and stalled(job)):
        EncounterImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, failure="")
        import_encounter_file.enqueue(job.pk)
        return True
    return False


@task()
def import_encounter_file(job_id: int) -> str:
    """The background task: import one job's file. Run again after success, it does nothing."""
    return run(job_id)


def run(job_id: int) -> str:
    job = EncounterImportJob.objects.get(pk=job_id)
    if job.status in (Status.DONE, Status.REFUSED):
        return job.status
    jobs = EncounterImportJob.objects.filter(pk=job.pk)
    jobs.update(status=Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1)
    progress = Progress(job.pk)
    progress.phase("queued")
    try:
        with job.file.open("rb") as file, import_session(dry_run=job.dry_run) as session:
            result = session.add(
                file=file, name=job.name, progress=progress.rows, progress_every=PROGRESS_EVERY, phase=progress.phase
            )
            if not job.dry_run:  # done in the import's own transaction: both, or neither
                jobs.update(status=Status.DONE, result=_as_json(result), finished_at=timezone.now())
    except EncounterFileError as refusal:
        problems = [dataclasses.asdict(error) for error in refusal.errors]
        jobs.update(status=Status.REFUSED, problems=problems, problem_total=refusal.total, finished_at=timezone.now())
        return Status.REFUSED
    except Exception as error:
        jobs.update(status=Status.FAILED, failure=f"{type(error).__name__}: {error}", finished_at=timezone.now())
        raise
    finally:
        progress.forget()
    if job.dry_run:
        jobs.update(status=Status.DONE, result=_as_json(result), finished_at=timezone.now())
    return Status.DONE


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
