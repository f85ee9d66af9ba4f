"""CBP's official encounter counts as the named tables the public encounters page shows.

One `EncounterReport` builds each table once (the database does the summing, from the totals the importer keeps:
briefings/encounters/totals.py),
and the HTML page, the chart, the CSV and the JSON downloads are all rendered from those same table objects:
that is what keeps every download equal to the table shown beside it. The tables themselves, and how each is
shown, are in briefings/encounters/tables.py.
"""

import datetime
from functools import cached_property

from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ..fast_paths import page_url
from .filters import AreaOfResponsibility, EncounterFilters
from .models import EncounterComponent
from .months import fiscal_year, month_key, next_month
from .tables import COUNT, MONTH, EncounterTable, TableColumn, TableRow, cbp_words

CBP_PUBLISHER = "U.S. Customs and Border Protection"
CBP_TITLE = "Nationwide Encounters"
CBP_URL = "https://www.cbp.gov/newsroom/stats/nationwide-encounters"

# How many citizenships the page names one by one; the rest are summed into one row.
CITIZENSHIPS_SHOWN = 10


class EncounterReport:
    """The tables for one set of filters; each table costs one GROUP BY query over the importer's totals
    (briefings/encounters/totals.py), never over the counts, run the first time it is asked for. Built for one
    request: its words are in the language active when each table is made, and what it says of them (the
    months covered, the source line) is worked out once."""

    table_slugs = ["monthly", "areas", "components", "demographics", "citizenships", "encounter-types"]

    def __init__(self, filters: EncounterFilters):
        self.filters = filters

    def table(self, slug: str) -> EncounterTable:
        if slug not in self.table_slugs:
            raise KeyError(slug)
        return getattr(self, slug.replace("-", "_"))

    @property
    def tables(self) -> list[EncounterTable]:
        return [self.table(slug) for slug in self.table_slugs]

    # The period the data covers, read from the monthly table (the source line needs it for every download).

    @cached_property
    def months_with_data(self) -> list[datetime.date]:
        return [row.values[0] for row in self.monthly.rows if row.values[1] is not None]

    @property
    def is_empty(self) -> bool:
        return not self.months_with_data

    @property
    def first_month(self) -> datetime.date | None:
        return self.months_with_data[0] if self.months_with_data else None

    @property
    def last_month(self) -> datetime.date | None:
        return self.months_with_data[-1] if self.months_with_data else None

    @cached_property
    def fiscal_years(self) -> list[int]:
        return sorted({fiscal_year(month) for month in self.months_with_data})

    @property
    def total(self) -> int:
        return sum(self.monthly_values)

    @property
    def monthly_values(self) -> list[int]:
        return [row.values[1] for row in self.monthly.rows if row.values[1] is not None]

    @property
    def empty_message(self) -> str:
        filters = self.filters
        if filters.period:
            return _("No official CBP data covers %(place)s %(period)s in the desk's database.") % {
                "place": filters.place,
                "period": filters.period,
            }
        return _("No official CBP data covers %(place)s in the desk's database.") % {"place": filters.place}

    @cached_property
    def months_covered(self) -> str:
        """The months with data, in words: “April 2020 to August 2020”, or “April 2020” alone."""
        first = date_format(self.first_month, "YEAR_MONTH_FORMAT")
        if self.first_month == self.last_month:
            return first
        return _("%(first)s to %(last)s") % {"first": first, "last": date_format(self.last_month, "YEAR_MONTH_FORMAT")}

    @cached_property
    def source_line(self) -> str:
        if self.is_empty:
            return _("Source: %(publisher)s, “%(title)s”.") % {"publisher": CBP_PUBLISHER, "title": CBP_TITLE}
        years = self.fiscal_years
        line = ngettext(
            "Source: %(publisher)s, “%(title)s”, monthly counts by area of responsibility for fiscal year "
            "%(years)s, as imported by the desk. These tables cover %(months)s.",
            "Source: %(publisher)s, “%(title)s”, monthly counts by area of responsibility for fiscal years "
            "%(years)s, as imported by the desk. These tables cover %(months)s.",
            len(years),
        ) % {
            "publisher": CBP_PUBLISHER,
            "title": CBP_TITLE,
            "years": ", ".join(str(year) for year in years),
            "months": self.months_covered,
        }
        return f"{line} {self.component_gap}" if self.component_gap else line

    @cached_property
    def only_component(self) -> EncounterComponent | None:
        """For a whole region, the one CBP component the desk has counts of, when it lacks the other's: then the
        region's total is that component's, not the region's (the seed ships Border Patrol's counts alone). An area
        of responsibility belongs to one component, so it is never said of one."""
        if self.filters.area is not None or self.is_empty:
            return None
        present = {row.values[0] for row in self.components.rows}
        return EncounterComponent(present.pop()) if len(present) == 1 else None

    @cached_property
    def component_gap(self) -> str:
        """The component the desk has not imported, said plainly (see only_component); empty when there is none."""
        shown = self.only_component
        if shown is None:
            return ""
        missing = [label for value, label in EncounterComponent.choices if value != shown]
        return _(
            "They hold %(shown)s counts only: the desk has imported no %(missing)s counts for them, so their totals "
            "are %(shown)s totals."
        ) % {"shown": shown.label, "missing": " or ".join(str(label) for label in missing)}

    @cached_property
    def chart_source(self) -> str:
        """The source line under each chart: shorter than `source_line`, same facts."""
        return ngettext(
            "Source: CBP, “%(title)s”, fiscal year %(years)s; %(months)s.",
            "Source: CBP, “%(title)s”, fiscal years %(years)s; %(months)s.",
            len(self.fiscal_years),
        ) % {
            "title": CBP_TITLE,
            "years": ", ".join(str(year) for year in self.fiscal_years),
            "months": self.months_covered,
        }

    def source_json(self) -> dict:
        return {
            "publisher": CBP_PUBLISHER,
            "title": CBP_TITLE,
            "url": CBP_URL,
            "license": "Public domain (work of the U.S. government)",
            "fiscal_years": self.fiscal_years,
            "months": {
                "first": month_key(self.first_month) if self.first_month else None,
                "last": month_key(self.last_month) if self.last_month else None,
            },
            "citation": self.source_line,
            "revisions": _(
                "CBP's figures come from live systems and are revised until a fiscal year is final; CBP reissues its "
                "files every month. These are the numbers as last imported."
            ),
        }

    def as_json(self) -> dict:
        """Every table, with the filters applied and the source: what /encounters/data.json serves."""
        return {
            "filters": self.filters.as_json(),
            "source": self.source_json(),
            "total_encounters": self.total,
            "tables": [table.as_json() for table in self.tables],
        }

    def table_as_json(self, table: EncounterTable) -> dict:
        """One table, with the filters applied and the source."""
        return {"filters": self.filters.as_json(), "source": self.source_json(), **table.as_json()}

    # The tables, in the order the page shows them.

    @cached_property
    def monthly(self) -> EncounterTable:
        by_month = {row["month"]: row["encounters"] for row in self.filters.totals().monthly_totals()}
        rows = []
        if by_month:
            # Months between the first and the last with data are listed even without data, marked as such:
            # no rows is not the same as zero encounters.
            month, last = min(by_month), max(by_month)
            while month <= last:
                rows.append(TableRow((month, by_month.get(month))))
                month = next_month(month)
        return EncounterTable(
            slug="monthly",
            title=_("Encounters per month"),
            description=_("encounters per calendar month, %(place)s.") % {"place": self.filters.place},
            columns=[
                TableColumn("month", _("Calendar month"), MONTH),
                TableColumn("encounters", _("Encounters"), COUNT),
            ],
            rows=rows,
            chart_kind="columns",
            note=_("A month between the first and the last shown for which CBP's data has no rows reads “no data”.")
            if any(row.values[1] is None for row in rows)
            else "",
            chart_labels=[date_format(row.values[0], "YEAR_MONTH_FORMAT") for row in rows],
        )

    @cached_property
    def areas(self) -> EncounterTable:
        fields = ["area_of_responsibility", "aor_abbv", "component", "land_border_region"]
        totals = list(self.filters.totals().totals_by(*fields))
        page = page_url("briefings:encounters")
        rows = []
        for total in totals:
            area = AreaOfResponsibility(name=total["area_of_responsibility"], abbv=total["aor_abbv"], component="")
            query = self.filters.query_string(region=total["land_border_region"], area=area)
            rows.append(TableRow((*(total[name] for name in fields), total["encounters"]), link=f"{page}?{query}"))
        names, language = [row.values[0] for row in rows], get_language()
        return EncounterTable(
            slug="areas",
            title=_("Encounters by area of responsibility"),
            description=_(
                "encounters per Border Patrol sector and Office of Field Operations field office, %(place)s."
            )
            % {"place": self.filters.place},
            columns=[
                TableColumn("area_of_responsibility", _("Area of responsibility")),
                TableColumn("aor_abbv", _("Abbreviation")),
                component_column(),
                TableColumn("land_border_region", _("Region")),
                TableColumn("encounters", _("Encounters"), COUNT),
            ],
            rows=rows,
            chart_kind="bars",
            note=_("Largest first. Each area links to its own figures for the same months."),
            # An area counted in two regions (a field office with airports, say) is told apart by its region.
            chart_labels=[
                cbp_words(
                    f"{row.values[0]} ({row.values[3]})" if names.count(row.values[0]) > 1 else row.values[0],
                    language,
                )
                for row in rows
            ],
        )

    def _breakdown(self, *, slug, fields, columns, title, description, note="", limit=None, rest_label=""):
        totals = list(self.filters.totals().totals_by(*fields))
        rows = [TableRow((*(total[name] for name in fields), total["encounters"])) for total in totals]
        if limit is not None and len(rows) > limit:
            rest = sum(row.values[-1] for row in rows[limit:])
            rows = [*rows[:limit], TableRow((rest_label, rest), ours=True)]
        language = get_language()
        return EncounterTable(
            slug=slug,
            title=title,
            description=description,
            columns=[*columns, TableColumn("encounters", _("Encounters"), COUNT)],
            rows=rows,
            chart_kind="bars",
            note=note,
            chart_labels=[  # e.g. “Expulsions · Title 42”
                row.values[0]
                if row.ours
                else _joined(
                    [
                        column.shown(value, language)
                        for column, value in zip(columns, row.values[:-1], strict=True)
                        if value
                    ],
                    language,
                )
                for row in rows
            ],
        )

    @cached_property
    def components(self) -> EncounterTable:
        return self._breakdown(
            slug="components",
            fields=["component"],
            columns=[component_column()],
            title=_("Encounters by component"),
            description=_("encounters by CBP component, %(place)s.") % {"place": self.filters.place},
            note=_(
                "U.S. Border Patrol apprehends people between ports of entry; the Office of Field Operations "
                "finds people inadmissible at ports of entry."
            ),
        )

    @cached_property
    def demographics(self) -> EncounterTable:
        return self._breakdown(
            slug="demographics",
            fields=["demographic"],
            columns=[TableColumn("demographic", _("Demographic"))],
            title=_("Encounters by demographic"),
            description=_("encounters by demographic group, %(place)s.") % {"place": self.filters.place},
            note=_(
                "As CBP names them: FMUA is individuals in a family unit; UC / Single Minors is unaccompanied "
                "children."
            ),
        )

    @cached_property
    def citizenships(self) -> EncounterTable:
        return self._breakdown(
            slug="citizenships",
            fields=["citizenship"],
            columns=[TableColumn("citizenship", _("Citizenship"))],
            title=_("Encounters by citizenship"),
            description=_("encounters by citizenship, the %(count)d largest and all others summed, %(place)s.")
            % {"count": CITIZENSHIPS_SHOWN, "place": self.filters.place},
            note=_(
                "The %(count)d largest citizenships one by one; “All other citizenships” sums the rest, including "
                "CBP's own OTHER group when it is not among them."
            )
            % {"count": CITIZENSHIPS_SHOWN},
            limit=CITIZENSHIPS_SHOWN,
            rest_label=_("All other citizenships"),
        )

    @cached_property
    def encounter_types(self) -> EncounterTable:
        return self._breakdown(
            slug="encounter-types",
            fields=["encounter_type", "title_of_authority"],
            columns=[
                TableColumn("encounter_type", _("Encounter type")),
                TableColumn("title_of_authority", _("Title of authority")),
            ],
            title=_("Encounters by type and legal authority"),
            description=_("encounters by encounter type and title of authority, %(place)s.")
            % {"place": self.filters.place},
            note=_(
                "Title 8 (immigration law): Border Patrol apprehensions and OFO inadmissibles. Title 42 (public "
                "health): expulsions, from March 2020 to May 2023."
            ),
        )


def _joined(labels, language):
    """A chart's label of several columns (“Expulsions · Title 42”), marked as CBP's words when any part is."""
    text = " · ".join(str(label) for label in labels)
    return cbp_words(text, language) if any(getattr(label, "language", "") for label in labels) else text


def component_column():
    """CBP's two components, named in the reader's language on the page (CBP's names stay in the downloads)."""
    return TableColumn("component", _("Component"), labels=dict(EncounterComponent.choices))
