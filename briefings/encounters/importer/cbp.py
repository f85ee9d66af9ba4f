"""Read and check a CBP “Nationwide Encounters” CSV file, row by row, into batches for the staging table.

The parser behind `import_session()` (briefings/encounters/importer/session.py): it decodes each line, maps the
published header to the stored columns, checks every cell it can check on its own and collects each problem by row
and column (errors.py). What needs the whole file (duplicates, text lengths) is checked in staging.py.
"""

import codecs
import csv
import datetime
import re
from collections.abc import Iterator
from operator import itemgetter

from django.utils.translation import gettext as _

from ..models import EncounterCount
from ..months import CALENDAR_MONTH_NUMBER, FIRST_FISCAL_YEAR, calendar_month
from .errors import REQUIRED_COLUMNS, Problems, text_problem

BATCH_ROWS = 10_000
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


def _column_key(name: str) -> str:
    """“Month (abbv)” and “month_abbv” are the same column."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


class Parser:
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
