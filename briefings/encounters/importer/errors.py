"""How the CBP importer refuses a file: the problems it finds, named by row and column.

Both halves of the import report here: the parser (briefings/encounters/importer/cbp.py), which checks each row as it
reads it, and the staging table (briefings/encounters/importer/staging.py), which checks the open-ended text columns
and repeated cells in SQL. The text rule lives here because both apply it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import DIMENSIONS, EncounterCount

MAX_REPORTED_ERRORS = 20

COUNT_COLUMN = "encounter_count"
# The columns a file must have, in CBP's order, by their snake_case names.
REQUIRED_COLUMNS = [*DIMENSIONS, COUNT_COLUMN]
TEXT_COLUMNS = DIMENSIONS[3:]  # open-ended, stored as printed
MAX_TEXT_LENGTH = min(EncounterCount._meta.get_field(name).max_length for name in TEXT_COLUMNS)


def text_problem(value: str) -> str | None:
    if not value:
        return _("This value is empty.")
    if len(value) > MAX_TEXT_LENGTH:
        return _("This value is longer than %(max)d characters.") % {"max": MAX_TEXT_LENGTH}
    return None


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


class Problems:
    """Every problem found in one file: all of them counted, the first MAX_REPORTED_ERRORS kept to show."""

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
