"""One named table of official encounter counts, and the ways it is shown: an HTML table, a chart, CSV and JSON.

EncounterReport (briefings/encounters/report.py) builds the tables; the page and the downloads render them, so
every download equals the table shown beside it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..fast_paths import intcomma
from . import charts
from .months import month_key

MONTH = "month"
TEXT = "text"
COUNT = "count"


# CBP's files name areas, regions, groups and countries in English; the pages show them as CBP writes them.
CBP_LANGUAGE = "en"


class Words(str):
    """A text shown in a language of its own: `language` names it when that is not the page's (CBP's names on a
    Spanish page), so the page can mark it."""

    language = ""


def cbp_words(value, language=None):
    """One of CBP's names, marked as English on a page in another `language` (the active one when None)."""
    if not isinstance(value, str) or (language or get_language()) == CBP_LANGUAGE:
        return value
    words = Words(value)
    words.language = CBP_LANGUAGE
    return words


@dataclass(frozen=True)
class TableColumn:
    key: str  # the CSV header and the JSON key
    heading: str  # the HTML column heading
    kind: str = TEXT
    # What the page shows for CBP's values, in the reader's language (a component's name); downloads keep CBP's.
    labels: Mapping | None = field(default=None, compare=False, hash=False)

    def shown(self, value, language=None):
        """A cell's value as the page shows it: translated when the desk has a name for it, else CBP's own, in
        `language` (the active one when None)."""
        if self.kind != TEXT or value is None:
            return value
        if self.labels and value in self.labels:
            return str(self.labels[value])
        return cbp_words(value, language)


@dataclass(frozen=True)
class TableRow:
    values: tuple
    link: str = ""  # the area table links each area to its own page
    ours: bool = False  # its words are the desk's, in the page's language (“All other citizenships”), not CBP's


@dataclass
class EncounterTable:
    """One named table: the rows shown on the page, drawn as its chart, and downloadable as CSV and JSON."""

    slug: str
    title: str
    description: str
    columns: list[TableColumn]
    rows: list[TableRow]
    chart_kind: str  # "columns" or "bars"
    note: str = ""
    label_columns: tuple[int, ...] = (0,)
    chart_labels: list[str] = field(default_factory=list)

    @property
    def value_index(self) -> int:
        return len(self.columns) - 1

    def records(self) -> list[dict]:
        """The rows as JSON-ready dicts: months as YYYY-MM, counts as numbers, no data as None."""
        return [
            {
                column.key: month_key(value) if column.kind == MONTH and value is not None else value
                for column, value in zip(self.columns, row.values, strict=True)
            }
            for row in self.rows
        ]

    def csv_rows(self) -> list[list]:
        """A header of column keys, then the rows; no data is an empty cell."""
        return [
            [column.key for column in self.columns],
            *[["" if value is None else value for value in record.values()] for record in self.records()],
        ]

    def as_json(self) -> dict:
        return {
            "slug": self.slug,
            "title": str(self.title),
            "description": str(self.description),
            "note": str(self.note),
            "columns": [{"key": column.key, "heading": str(column.heading)} for column in self.columns],
            "rows": self.records(),
        }

    def html_rows(self) -> list[tuple[str, list[tuple[TableColumn, object]]]]:
        language = get_language()
        return [
            (
                row.link,
                [
                    (column, value if row.ours else column.shown(value, language))
                    for column, value in zip(self.columns, row.values, strict=True)
                ],
            )
            for row in self.rows
        ]

    @cached_property
    def chart(self):
        values = [row.values[self.value_index] for row in self.rows]
        if self.chart_kind == "columns":
            months = [row.values[0] for row in self.rows]
            return charts.column_chart(
                [
                    (
                        label,
                        value,
                        date_format(month, "M"),
                        str(month.year) if index == 0 or month.month == 1 else "",
                    )
                    for index, (label, value, month) in enumerate(zip(self.chart_labels, values, months, strict=True))
                ]
            )
        return charts.bar_chart(list(zip(self.chart_labels, values, strict=True)))

    @property
    def chart_summary(self) -> str:
        """The chart's <desc>: what it shows and its largest value, pointing to the table for the rest."""
        shown = [
            (label, row.values[self.value_index]) for label, row in zip(self.chart_labels, self.rows, strict=True)
        ]
        shown = [(label, value) for label, value in shown if value is not None]
        if not shown:
            return ""
        label, value = max(shown, key=lambda item: item[1])
        kind = _("Column chart") if self.chart_kind == "columns" else _("Bar chart")
        return _("%(kind)s of %(description)s Largest: %(label)s, %(value)s. The table below has every number.") % {
            "kind": kind,
            "description": self.description,
            "label": label,
            "value": intcomma(value),  # as the table beside it prints it, in the reader's language
        }


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """A CSV cell that opens as text in a spreadsheet: text that begins like a formula gets a leading apostrophe,
    as OWASP recommends. Numbers are left as they are (the counts are never negative)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell
