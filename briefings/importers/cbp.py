"""Import CBP “Nationwide Encounters” CSV files into EncounterCount.

The one write path for encounter counts: the `import_cbp_encounters` command and the admin upload page call
`encounters_import()`. A file is read row by row, checked, and streamed into a temporary staging table
(COPY on PostgreSQL, executemany in batches on SQLite); then one INSERT ... ON CONFLICT DO UPDATE merges it
into the table by the full dimension key. Any problem refuses the whole file and leaves the database as it was.
"""

import codecs
import csv
import datetime
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter

from django.db import connection, transaction
from django.utils.translation import gettext as _

from ..models import EncounterCount
from ..models.encounters import CALENDAR_MONTH_NUMBER, DIMENSIONS, FIRST_FISCAL_YEAR, calendar_month

MAX_REPORTED_ERRORS = 20
BATCH_ROWS = 10_000
PROGRESS_EVERY = 100_000
MAX_COUNT = 2_147_483_647  # the largest value a PositiveIntegerField holds on every database

COUNT_COLUMN = "encounter_count"
# The columns a file must have, in CBP's order, by their snake_case names; the published header normalises
# to the same names (“Month (abbv)” → month_abbv). “Month Grouping” is allowed but not stored.
REQUIRED_COLUMNS = [*DIMENSIONS, COUNT_COLUMN]
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
TEXT_COLUMNS = DIMENSIONS[3:]  # open-ended, stored as printed
MAX_TEXT_LENGTH = min(EncounterCount._meta.get_field(name).max_length for name in TEXT_COLUMNS)
COMPONENTS = frozenset(EncounterCount.Component.values)
FISCAL_YEAR_PATTERN = re.compile(r"([0-9]{4})(?:\s*\(FYTD\))?", re.IGNORECASE)
COUNT_PATTERN = re.compile(r"-?[0-9]+")

ProgressCallback = Callable[[int, float], None]


@dataclass(frozen=True)
class RowError:
    """One problem in a file: the spreadsheet row (header = 1), the column as the file names it, what is wrong."""

    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class EncounterFileError(Exception):
    """A file was refused as a whole; nothing of it was written."""

    def __init__(self, *, name: str, errors: list[RowError], total: int | None = None):
        self.name = name
        self.errors = errors
        self.total = max(total or 0, len(errors))
        super().__init__(self.report())

    @property
    def more(self) -> int:
        return self.total - len(self.errors)

    def report(self) -> str:
        lines = [
            _("%(name)s was refused; nothing was imported. Problems found: %(total)d.")
            % {"name": self.name, "total": self.total}
        ]
        lines += [f"  {error}" for error in self.errors]
        if self.more:
            lines.append("  " + _("… and %(more)d more.") % {"more": self.more})
        return "\n".join(lines)


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
    progress: ProgressCallback | None = None,
    progress_every: int = PROGRESS_EVERY,
) -> ImportResult:
    """Import one CBP encounters CSV file (opened in binary mode), replacing the rows it revises.

    All or nothing: on any problem raises EncounterFileError listing rows and columns, and nothing is written.
    With `dry_run`, works out what would be added, replaced and left unchanged, then rolls back.
    `progress(rows_done, rows_per_second)` is called about every `progress_every` rows.
    """
    started = time.perf_counter()
    with transaction.atomic():
        with _Staging() as staging:
            parser = _Parser(name=name)
            with staging.loader() as load:
                for batch in parser.batches(file):
                    load(batch)
                    if progress and parser.rows // progress_every > (parser.rows - len(batch)) // progress_every:
                        progress(parser.rows, parser.rows / (time.perf_counter() - started))
            problems = parser.errors
            if not parser.rows and not problems.total:
                problems.add(None, None, _("The file has a header but no data rows."))
            if parser.rows:
                staging.find_bad_text(problems, column_names=parser.column_names)
                staging.find_duplicates(problems)
            if problems.total:
                raise problems.refusal()
            added, replaced, unchanged = staging.merge()
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(
        name=name,
        rows=parser.rows,
        added=added,
        replaced=replaced,
        unchanged=unchanged,
        encounters=parser.encounters,
        first_month=parser.first_month,
        last_month=parser.last_month,
        seconds=time.perf_counter() - started,
        dry_run=dry_run,
    )


def text_problem(value: str) -> str | None:
    if not value:
        return _("This value is empty.")
    if len(value) > MAX_TEXT_LENGTH:
        return _("This value is longer than %(max)d characters.") % {"max": MAX_TEXT_LENGTH}
    return None


def _column_key(name: str) -> str:
    """“Month (abbv)” and “month_abbv” are the same column."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


class _Errors:
    def __init__(self, name):
        self.name = name
        self.shown: list[RowError] = []
        self.total = 0

    def add(self, row, column, message):
        self.total += 1
        if len(self.shown) < MAX_REPORTED_ERRORS:
            self.shown.append(RowError(row, column, message))

    def refusal(self) -> EncounterFileError:
        shown = sorted(self.shown, key=lambda error: error.row or 0)
        return EncounterFileError(name=self.name, errors=shown, total=self.total)


class _Parser:
    """Reads a file row by row and yields batches of staging rows; collects every problem on the way.

    The per-row path is kept short for speed: fiscal months and counts repeat, so each distinct text is
    checked once and remembered; a row that misses the caches or fails a quick check goes the slow way,
    which names every problem in it.
    """

    def __init__(self, *, name):
        self.name = name
        self.errors = _Errors(name)
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
        """Decode line by line, so that bytes that are not UTF-8 are reported with their line."""
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
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:
                yield self._decode(line, line_number)

    def _decode(self, line: bytes, line_number: int) -> str:
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError as error:
            self.errors.add(
                line_number,
                None,
                _("This line is not UTF-8 text (byte 0x%(byte)02X at position %(position)d). Save the file as UTF-8.")
                % {"byte": line[error.start], "position": error.start + 1},
            )
            return line.decode("utf-8", "replace")

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
                    # Empty and over-long text is looked for in the staging table, in one query (see _Staging).
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


class _Staging:
    """All the SQL of the import, in one place: a temporary staging table, the checks on it, and the merge.

    Column names come from the model. The staging table has the model's columns plus the file's row number
    and a hash of the key (computed while reading), which makes finding repeated keys cheap.
    """

    TABLE = "cbp_encounter_staging"
    # Enough for the duplicate check and the unchanged-row anti-join of a million-row file to run in memory;
    # PostgreSQL only, and only for this transaction.
    WORK_MEM = "256MB"

    def __init__(self):
        if connection.vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"CBP imports need PostgreSQL or SQLite, not {connection.vendor}.")
        quote = connection.ops.quote_name
        opts = EncounterCount._meta
        self.target = quote(opts.db_table)
        columns = ["fiscal_year", "month_abbv", "month", *DIMENSIONS[2:], COUNT_COLUMN]
        self.target_columns = ", ".join(quote(opts.get_field(name).column) for name in columns)
        self.staging_columns = ", ".join(columns)
        self.load_columns = f"line, {self.staging_columns}, key_hash"  # the order of the parser's tuples
        self.conflict_key = ", ".join(quote(opts.get_field(name).column) for name in DIMENSIONS)
        self.count_column = quote(opts.get_field(COUNT_COLUMN).column)
        self.same_row = " AND ".join(
            f"existing.{quote(opts.get_field(name).column)} = staged.{name}" for name in [*DIMENSIONS, COUNT_COLUMN]
        )

    def __enter__(self):
        self.cursor = connection.cursor()
        if connection.vendor == "postgresql":
            self.cursor.execute(f"SET LOCAL work_mem = '{self.WORK_MEM}'")
        texts = ", ".join(f"{column} text NOT NULL" for column in DIMENSIONS[1:])
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {self.TABLE} (line integer NOT NULL, fiscal_year smallint NOT NULL, "
            f"month date NOT NULL, {texts}, {COUNT_COLUMN} integer NOT NULL, key_hash bigint NOT NULL)"
        )
        return self

    def __exit__(self, exc_type, exc, traceback):
        # After an error the transaction is rolled back, and the table with it.
        if exc_type is None:
            self.cursor.execute(f"DROP TABLE {self.TABLE}")
        self.cursor.close()

    @contextmanager
    def loader(self) -> Iterator[Callable[[list[tuple]], None]]:
        """A function that appends a batch of rows to the staging table: one COPY for the whole file on
        PostgreSQL, one executemany per batch on SQLite."""
        if connection.vendor == "postgresql":
            with self.cursor.cursor.copy(f"COPY {self.TABLE} ({self.load_columns}) FROM STDIN") as copy:
                write_row = copy.write_row

                def load(batch):
                    for row in batch:
                        write_row(row)

                yield load
        else:
            placeholders = ", ".join(["%s"] * len(self.load_columns.split(", ")))
            sql = f"INSERT INTO {self.TABLE} ({self.load_columns}) VALUES ({placeholders})"
            yield lambda batch: self.cursor.executemany(sql, batch)

    def find_bad_text(self, problems: "_Errors", *, column_names: list[str]):
        """Empty or over-long values of the open-ended columns, named by the file's row and column."""
        # Counting bytes first is much cheaper than counting characters; a value can only have more
        # characters than the limit if it has more bytes.
        byte_length = "octet_length" if connection.vendor == "postgresql" else "length"
        limit = MAX_TEXT_LENGTH
        bad = [
            f"({column} = '' OR ({byte_length}({column}) > {limit} AND length({column}) > {limit}))"
            for column in TEXT_COLUMNS
        ]
        where = " OR ".join(bad)
        self.cursor.execute(f"SELECT COUNT(*) FROM {self.TABLE} WHERE {where}")
        if not self.cursor.fetchone()[0]:
            return
        self.cursor.execute(
            f"SELECT line, {', '.join(TEXT_COLUMNS)} FROM {self.TABLE} WHERE {where} "
            f"ORDER BY line LIMIT {MAX_REPORTED_ERRORS}"
        )
        printed = dict(zip(REQUIRED_COLUMNS, column_names, strict=True))
        shown = 0
        for line, *values in self.cursor.fetchall():
            for column, value in zip(TEXT_COLUMNS, values, strict=True):
                problem = text_problem(value)
                if problem:
                    problems.add(line, printed[column], problem)
                    shown += 1
        self.cursor.execute(
            f"SELECT SUM({' + '.join(f'CASE WHEN {condition} THEN 1 ELSE 0 END' for condition in bad)}) "
            f"FROM {self.TABLE} WHERE {where}"
        )
        problems.total += self.cursor.fetchone()[0] - shown

    def find_duplicates(self, problems: "_Errors"):
        """A file must not give the same cell twice: neither summing nor picking one would be safe."""
        grouped = (
            f"SELECT MIN(line), MAX(line), COUNT(*) FROM {self.TABLE} WHERE key_hash IN "
            f"(SELECT key_hash FROM {self.TABLE} GROUP BY key_hash HAVING COUNT(*) > 1) "
            f"GROUP BY {', '.join(DIMENSIONS)} HAVING COUNT(*) > 1"
        )
        self.cursor.execute(f"{grouped} ORDER BY 2 LIMIT {MAX_REPORTED_ERRORS + 1}")
        duplicates = self.cursor.fetchall()
        if not duplicates:
            return
        same = _("Row %(first)d has the same fiscal year, month and dimensions: each cell may appear only once.")
        same_in_all = _(
            "Row %(first)d has the same fiscal year, month and dimensions (%(count)d rows in all): "
            "each cell may appear only once."
        )
        for first, last, count in duplicates[:MAX_REPORTED_ERRORS]:
            problems.add(last, None, (same if count == 2 else same_in_all) % {"first": first, "count": count})
        if len(duplicates) > MAX_REPORTED_ERRORS:
            self.cursor.execute(f"SELECT COUNT(*) FROM ({grouped}) AS duplicated")
            problems.total += self.cursor.fetchone()[0] - MAX_REPORTED_ERRORS

    def merge(self) -> tuple[int, int, int]:
        """Upsert the staged rows by their full key; return (added, replaced, unchanged).

        Rows identical to a stored one are taken out of staging first (in a statement of their own, while the
        table is not growing), so that re-importing a reissued file does not lock and rewrite every row it
        leaves as it was.
        """
        if connection.vendor == "postgresql":
            # Imports take turns, so that the before/after row counts below describe this import alone.
            # Readers are not blocked.
            self.cursor.execute(f"LOCK TABLE {self.target} IN SHARE ROW EXCLUSIVE MODE")
            self.cursor.execute(f"ANALYZE {self.TABLE}")  # temporary tables get no statistics otherwise
        self.cursor.execute(
            f"DELETE FROM {self.TABLE} AS staged "
            f"WHERE EXISTS (SELECT 1 FROM {self.target} AS existing WHERE {self.same_row})"
        )
        unchanged = self.cursor.rowcount
        self.cursor.execute(f"SELECT COUNT(*) FROM {self.target}")
        before = self.cursor.fetchone()[0]
        self.cursor.execute(
            f"INSERT INTO {self.target} ({self.target_columns}) "
            f"SELECT {self.staging_columns} FROM {self.TABLE} WHERE true "
            f"ON CONFLICT ({self.conflict_key}) DO UPDATE SET {self.count_column} = excluded.{self.count_column}"
        )
        written = self.cursor.rowcount  # added plus replaced
        self.cursor.execute(f"SELECT COUNT(*) FROM {self.target}")
        added = self.cursor.fetchone()[0] - before
        return added, written - added, unchanged
