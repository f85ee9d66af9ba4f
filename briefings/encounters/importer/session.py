"""The import session: one transaction for the CBP files it imports, and what each import did.

The one write path for encounter counts: the `import_cbp_encounters` command, the admin's import job
(briefings/encounters/importer/jobs.py) and the seed all import inside `import_session()`. Each file is read and
checked by briefings/encounters/importer/cbp.py, streamed into a staging table and merged by
briefings/encounters/importer/staging.py. Any problem refuses the whole file (errors.py) and leaves the database as
it was.
"""

import datetime
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ...log import log_event
from ...page_cache import content_changed
from .cbp import Parser
from .staging import Staging
from .totals import refresh_totals

PROGRESS_EVERY = 100_000

ProgressCallback = Callable[[int, float], None]

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    name: str
    rows: int
    added: int
    replaced: int
    unchanged: int
    encounters: int
    first_month: datetime.date | None
    last_month: datetime.date | None
    seconds: float
    dry_run: bool = False

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        period = (
            _("%(first)s to %(last)s") % {"first": f"{self.first_month:%Y-%m}", "last": f"{self.last_month:%Y-%m}"}
            if self.first_month
            else _("no months")
        )
        text = _(
            "%(name)s: %(rows)d rows read (%(encounters)d encounters, %(period)s): %(added)d added, "
            "%(replaced)d replaced, %(unchanged)d unchanged, in %(seconds).1f s (%(speed)d rows/s)."
        ) % {
            "name": self.name,
            "rows": self.rows,
            "encounters": self.encounters,
            "period": period,
            "added": self.added,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "seconds": self.seconds,
            "speed": self.rows_per_second,
        }
        if self.dry_run:
            text += " " + _("Dry run: nothing was saved.")
        return text


def encounters_import(
    *,
    file: Iterable[bytes],
    name: str,
    dry_run: bool = False,
    keep_existing: bool = False,
    progress: ProgressCallback | None = None,
    progress_every: int = PROGRESS_EVERY,
) -> ImportResult:
    """Import one CBP encounters CSV file (opened in binary mode) on its own: `import_session()` with one file."""
    with import_session(dry_run=dry_run) as session:
        return session.add(
            file=file, name=name, keep_existing=keep_existing, progress=progress, progress_every=progress_every
        )


@contextmanager
def import_session(*, dry_run: bool = False) -> Iterator["ImportSession"]:
    """One transaction for the files `session.add()` imports: all or nothing together.

    An exception inside rolls every file back. A dry run works out what each file would add, replace and leave
    unchanged, in order, then rolls back: the only dry-run path, for the admin, the command and the seed. A real
    import that changed counts sums the totals of the months it changed again (the encounters page reads those,
    briefings/encounters/totals.py), once for all its files, in this transaction; and it tells the page cache
    itself (its bulk SQL sends no signal), once, when the transaction commits.
    """
    session = ImportSession(dry_run=dry_run)
    with transaction.atomic():
        yield session
        if dry_run:
            transaction.set_rollback(True)
        elif session.changed:
            refresh_totals(session.changed_months)
            content_changed()
    # Logged once it is certain: at once for a dry run, on commit for a real import inside a wider transaction.
    if dry_run:
        session.log()
    else:
        transaction.on_commit(session.log)


class ImportSession:
    def __init__(self, *, dry_run: bool):
        self.dry_run = dry_run
        self.results: list[ImportResult] = []
        self.changed_months: set[datetime.date] = set()  # of the files imported: their totals are summed again

    @property
    def changed(self) -> bool:
        return any(result.added or result.replaced for result in self.results)

    def add(
        self,
        *,
        file: Iterable[bytes],
        name: str,
        keep_existing: bool = False,
        progress: ProgressCallback | None = None,
        progress_every: int = PROGRESS_EVERY,
        phase: Callable[[str], None] | None = None,
    ) -> ImportResult:
        """Import one file (opened in binary mode), replacing the rows it revises.

        On any problem raises EncounterFileError listing rows and columns, and nothing of this file is written.
        With `keep_existing`, only cells the table lacks are added: a stored count is never replaced, and counts
        as unchanged (the seed's way, briefings/seed/). `progress(rows_done, rows_per_second)` is called about
        every `progress_every` rows; `phase(name)` as it moves from "reading" to "checking" and "writing".
        """
        phase = phase or (lambda name: None)
        phase("reading")
        started = time.perf_counter()
        with transaction.atomic(), Staging() as staging:
            parser = Parser(name=name)
            with staging.loader() as load:
                for batch in parser.batches(file):
                    load(batch)
                    if progress and parser.rows // progress_every > (parser.rows - len(batch)) // progress_every:
                        progress(parser.rows, parser.rows / (time.perf_counter() - started))
            problems = parser.errors
            if not parser.rows and not problems.total:
                problems.add(None, None, _("The file has a header but no data rows."))
            phase("checking")
            if parser.rows:
                staging.check(problems, column_names=parser.column_names)
            if problems.total:
                log_event(logger, "cbp import refused", file=name, problems=problems.total)
                raise problems.refusal()
            phase("writing")
            added, replaced, unchanged = staging.merge(problems, keep_existing=keep_existing)
            changed_months = staging.changed_months
        result = ImportResult(
            name=name,
            rows=parser.rows,
            added=added,
            replaced=replaced,
            unchanged=unchanged,
            encounters=parser.encounters,
            first_month=parser.first_month,
            last_month=parser.last_month,
            seconds=time.perf_counter() - started,
            dry_run=self.dry_run,
        )
        self.results.append(result)
        self.changed_months.update(changed_months)  # only once the file is in: a refused one changed nothing
        return result

    def log(self) -> None:
        for result in self.results:
            log_event(
                logger,
                "cbp import dry run" if self.dry_run else "cbp import",
                file=result.name,
                rows=result.rows,
                added=result.added,
                replaced=result.replaced,
                unchanged=result.unchanged,
            )
