"""Import CBP “Nationwide Encounters” CSV files into EncounterCount.

The one write path for encounter counts: the `import_cbp_encounters` command, the admin upload page and the seed
import inside `import_session()`. A file is read row by row, checked, and streamed into a temporary staging table
(briefings/encounters/importer/staging.py), which merges it into the table by the full dimension key. Any problem
refuses the whole file (briefings/encounters/importer/errors.py) and leaves the database as it was.
"""

import codecs
import csv
import datetime
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter

from django.db import transaction
from django.utils.translation import gettext as _

from ...log import log_event
from ...page_cache import content_changed
from ..models import EncounterCount
from ..months import CALENDAR_MONTH_NUMBER, FIRST_FISCAL_YEAR, calendar_month
from .errors import MAX_REPORTED_ERRORS, REQUIRED_COLUMNS, EncounterFileError, Problems, RowError, text_problem
from .staging import Staging

__all__ = [
    "MAX_REPORTED_ERRORS",
    "PROGRESS_EVERY",
    "EncounterFileError",
    "ImportResult",
    "RowError",
    "ImportSession",
    "encounters_import",
    "import_session",
]

BATCH_ROWS = 10_000
PROGRESS_EVERY = 100_000
MAX_COUNT = 2_147_483_647  # the largest value a PositiveIntegerField holds on every database

# The published header normalises to the snake_case names (“Month (abbv)” → month_abbv).
# “Month Grouping” is allowed but not stored.
PUBLISHED_NAMES = {
    "fiscal_year": "Fiscal Year",
    "month_abbv": "Month (abbv)",
    "component": "Component",
    "land_border_region": "Land Border Region",
    "area_of_responsibility": "Area of Responsibility",
    "aor_abbv": "AOR (Abbv)",
    "demographic": "Demographic",
    "citizenship": "Citizenship",
    "title_of_authority": "Title of Authority",
    "encounter_type": "Encounter Type",
    "encounter_count": "Encounter Count",
}
COMPONENTS = frozenset(EncounterCount.Component.values)
FISCAL_YEAR_PATTERN = re.compile(r"([0-9]{4})(?:\s*\(FYTD\))?", re.IGNORECASE)
COUNT_PATTERN = re.compile(r"-?[0-9]+")

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
    import tells the page cache itself (its bulk SQL sends no signal), once, when the transaction commits.
    """
    session = ImportSession(dry_run=dry_run)
    with transaction.atomic():
        yield session
        if dry_run:
            transaction.set_rollback(True)
        elif session.changed:
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
        as unchanged (the seed's way, briefings/seed.py). `progress(rows_done, rows_per_second)` is called about
        every `progress_every` rows; `phase(name)` as it moves from "reading" to "checking" and "writing".
        """
        phase = phase or (lambda name: None)
        phase("reading")
        started = time.perf_counter()
        with transaction.atomic(), Staging() as staging:
            parser = _Parser(name=name)
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


def _column_key(name: str) -> str:
    """“Month (abbv)” and “month_abbv” are the same column."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


class _Parser:
    """Reads a file row by row and yields batches of staging rows; collects every problem on the way.

    The per-row path is kept short for speed: fiscal months and counts repeat, so each distinct text is
    checked once and remembered; a row that misses the caches or fails a quick check goes the slow way,
    which names every problem in it.
    """

    def __init__(self, *, name):
        self.name = name
        self.errors = Problems(name)
        self.rows = 0
        self.encounters = 0
        self.fiscal_months: dict[tuple[str, str], tuple[int, str, str]] = {}
        self.counts: dict[str, int] = {}
        self.latest_fiscal_year = datetime.date.today().year + 1

    @property
    def first_month(self):
        months = [month for _, _, month in self.fiscal_months.values()]
        return datetime.date.fromisoformat(min(months)) if months else None

    @property
    def last_month(self):
        months = [month for _, _, month in self.fiscal_months.values()]
        return datetime.date.fromisoformat(max(months)) if months else None

    def _lines(self, file) -> Iterator[str]:
        """Decode line by line, so that bytes that are not UTF-8, and NUL characters, are reported with their line."""
        lines = iter(file)
        first = next(lines, None)
        if first is None:
            return
        if isinstance(first, str):  # a file opened in text mode: already decoded
            yield first.removeprefix("\ufeff")
            yield from lines
            return
        yield self._decode(first.removeprefix(codecs.BOM_UTF8), 1)
        for line_number, line in enumerate(lines, start=2):
            if b"\x00" not in line:
                try:
                    yield line.decode("utf-8")
                    continue
                except UnicodeDecodeError:
                    pass
            yield self._decode(line, line_number)

    def _decode(self, line: bytes, line_number: int) -> str:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            self.errors.add(
                line_number,
                None,
                _("This line is not UTF-8 text (byte 0x%(byte)02X at position %(position)d). Save the file as UTF-8.")
                % {"byte": line[error.start], "position": error.start + 1},
            )
            text = line.decode("utf-8", "replace")
        else:
            if "\x00" in text:
                self.errors.add(
                    line_number,
                    None,
                    _(
                        "This line contains a NUL character (byte 0x00 at position %(position)d). A file saved as "
                        "UTF-16 has one in every character: save it as UTF-8."
                    )
                    % {"position": line.index(b"\x00") + 1},
                )
        # No database stores a NUL in text (PostgreSQL refuses it): kept out of the staging table.
        return text.replace("\x00", "")

    def _columns(self, header: list[str]) -> list[int] | None:
        positions: dict[str, int] = {}
        for position, column in enumerate(header):
            key = _column_key(column)
            if key in positions and key in PUBLISHED_NAMES:
                self.errors.add(1, column, _("This column appears twice in the header."))
            positions.setdefault(key, position)
        missing = [column for column in REQUIRED_COLUMNS if column not in positions]
        for column in missing:
            self.errors.add(
                1,
                PUBLISHED_NAMES[column],
                _("The header has no “%(published)s” (or “%(snake)s”) column.")
                % {"published": PUBLISHED_NAMES[column], "snake": column},
            )
        if missing:
            return None
        return [positions[column] for column in REQUIRED_COLUMNS]

    def batches(self, file) -> Iterator[list[tuple]]:
        reader = csv.reader(self._lines(file))
        try:
            header = next(reader, None)
        except csv.Error as error:
            self.errors.add(1, None, _("The header is not valid CSV: %(error)s") % {"error": error})
            return
        if header is None:
            self.errors.add(None, None, _("The file is empty."))
            return
        positions = self._columns(header)
        if positions is None:
            return
        self.column_names = [header[position].strip() for position in positions]
        pick = itemgetter(*positions)
        width = len(header)
        # Locals, not attributes, in the loop below: it runs once per row.
        fiscal_months, counts = self.fiscal_months, self.counts
        rows = encounters = 0
        row_number = 1  # the header
        while True:  # restarted after a row the csv module cannot read, so that later rows are checked too
            try:
                batch = []
                for row_number, row in enumerate(reader, start=row_number + 1):  # noqa: B020 (resumes counting)
                    if len(row) == width:
                        values = pick(row)
                        fiscal_month = fiscal_months.get(values[:2])
                        count = counts.get(values[10])
                    else:
                        values = fiscal_month = count = None
                    # Empty and over-long text is looked for later, in one query (Staging.find_bad_text).
                    if fiscal_month is None or count is None or values[2] not in COMPONENTS:
                        checked = self._checked(row_number, row, width, values)
                        if checked is None:
                            continue
                        fiscal_month, count = checked
                    rows += 1
                    encounters += count
                    key = (*fiscal_month, *values[2:10])
                    batch.append((row_number, *key, count, hash(key)))
                    if len(batch) == BATCH_ROWS:
                        self.rows, self.encounters = rows, encounters
                        yield batch
                        batch = []
                self.rows, self.encounters = rows, encounters
                if batch:
                    yield batch
                return
            except csv.Error as error:
                row_number += 1
                self.errors.add(row_number, None, _("This row is not valid CSV: %(error)s") % {"error": error})

    def _checked(self, row_number, row, width, values):
        """The slow path: name every problem in the row; remember valid fiscal months and counts."""
        if not row:
            return None  # a blank line
        if values is None:
            self.errors.add(
                row_number,
                None,
                _("This row has %(found)d fields; the header has %(expected)d.")
                % {"found": len(row), "expected": width},
            )
            return None
        problems = self.errors.total
        fiscal_month = self._fiscal_month(row_number, values[0], values[1])
        count = self._count(row_number, values[10])
        if values[2] not in COMPONENTS and values[2]:
            self.errors.add(
                row_number,
                self.column_names[2],
                _("“%(value)s” is not a CBP component (expected %(expected)s).")
                % {"value": values[2], "expected": " or ".join(f"“{c}”" for c in sorted(COMPONENTS))},
            )
        for index in range(2, 10):
            problem = text_problem(values[index])
            if problem:
                self.errors.add(row_number, self.column_names[index], problem)
        if self.errors.total > problems:
            return None
        return fiscal_month, count

    def _fiscal_month(self, row_number, fiscal_year_text, month_text):
        fiscal_year = None
        match = FISCAL_YEAR_PATTERN.fullmatch(fiscal_year_text.strip())
        if match and FIRST_FISCAL_YEAR <= int(match[1]) <= self.latest_fiscal_year:
            fiscal_year = int(match[1])
        else:
            self.errors.add(
                row_number,
                self.column_names[0],
                _("“%(value)s” is not a fiscal year from %(first)d to %(last)d (such as 2024 or “2024 (FYTD)”).")
                % {"value": fiscal_year_text, "first": FIRST_FISCAL_YEAR, "last": self.latest_fiscal_year},
            )
        month_abbv = month_text.strip().upper()
        if month_abbv not in CALENDAR_MONTH_NUMBER:
            self.errors.add(
                row_number,
                self.column_names[1],
                _("“%(value)s” is not a month abbreviation (JAN … DEC).") % {"value": month_text},
            )
            return None
        if fiscal_year is None:
            return None
        month = calendar_month(fiscal_year=fiscal_year, month_abbv=month_abbv).isoformat()
        fiscal_month = self.fiscal_months[fiscal_year_text, month_text] = (fiscal_year, month_abbv, month)
        return fiscal_month

    def _count(self, row_number, text):
        column = self.column_names[10]
        if not text.strip():
            self.errors.add(row_number, column, _("The count is empty."))
        elif not COUNT_PATTERN.fullmatch(text.strip()):
            self.errors.add(row_number, column, _("“%(value)s” is not a whole number.") % {"value": text})
        elif int(text) < 0:
            self.errors.add(row_number, column, _("The count %(value)s is negative.") % {"value": text.strip()})
        elif int(text) > MAX_COUNT:
            self.errors.add(row_number, column, _("The count %(value)s is too large.") % {"value": text.strip()})
        else:
            count = self.counts[text] = int(text)
            return count
        return None
