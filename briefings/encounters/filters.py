"""What a reader asks the encounters page for: a region, an area of responsibility, and calendar months.

`EncounterFilterForm` reads and checks the query parameters (`region`, `area`, `from`, `to`: other pages link
to /encounters/ with exactly these names) and gives `EncounterFilters`, which selects the matching totals
(briefings/encounters/totals.py; or the counts themselves, through EncounterCountQuerySet) and writes the same
parameters back for links and downloads.
"""

import datetime
import functools
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db import router
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..fast_paths import prepare
from .models import (
    AREA_COLUMNS,
    NORTHERN_LAND_BORDER,
    SOUTHWEST_LAND_BORDER,
    EncounterArea,
    EncounterComponent,
    EncounterCount,
)
from .months import month_key
from .totals import EncounterTotals


@dataclass(frozen=True)
class AreaOfResponsibility:
    """A Border Patrol sector or an OFO field office as CBP's files name it, with the regions it appears in."""

    name: str
    abbv: str
    component: str
    regions: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        wanted = text.strip().casefold()
        return wanted in (self.name.casefold(), self.abbv.casefold())

    def __str__(self):
        # Field offices go by their city (“El Paso”), already in the name; sectors by a code (“RGV”).
        return self.name if not self.abbv or self.abbv in self.name else f"{self.name} ({self.abbv})"


def areas_of_responsibility() -> list[AreaOfResponsibility]:
    """Every area of responsibility in the data, by name (one query, compiled once: every page of /encounters/
    asks it, for its form)."""
    using = router.db_for_read(EncounterArea)
    merged: dict[tuple[str, str, str], list[str]] = {}
    for row in _areas_statement(using).run([], using=using):
        key = (row["area_of_responsibility"], row["aor_abbv"], row["component"])
        merged.setdefault(key, []).append(row["land_border_region"])
    return [
        AreaOfResponsibility(name=name, abbv=abbv, component=component, regions=tuple(sorted(regions)))
        for (name, abbv, component), regions in merged.items()
    ]


@functools.cache
def _areas_statement(using):
    return prepare(lambda: EncounterArea.objects.using(using).by_name().values_list(*AREA_COLUMNS), arguments=[])


@dataclass(frozen=True)
class EncounterFilters:
    """What the reader asked for, validated: a region (None for every region), an area, calendar months."""

    region: str | None = SOUTHWEST_LAND_BORDER
    area: AreaOfResponsibility | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def encounters(self):
        """The counts these filters select."""
        rows = EncounterCount.objects.for_region(self.region)
        if self.area is not None:
            rows = rows.for_area(self.area.name)
        return rows.between(self.start, self.end)

    def totals(self) -> EncounterTotals:
        """The same counts' sums as the importer keeps them: what the page and its downloads read. Its
        monthly_totals() and totals_by() give what those of encounters() would, reading a bounded number of rows."""
        area = None if self.area is None else self.area.name
        return EncounterTotals(region=self.region, area=area, start=self.start, end=self.end)

    def query(self, **changes) -> dict[str, str]:
        """The query parameters that ask for these filters (with `changes`), in the page's own names."""
        values = {"region": self.region, "area": self.area, "start": self.start, "end": self.end} | changes
        query = {"region": values["region"] or "all"}
        if values["area"] is not None:
            query["area"] = values["area"].abbv or values["area"].name
        if values["start"] is not None:
            query["from"] = month_key(values["start"])
        if values["end"] is not None:
            query["to"] = month_key(values["end"])
        return query

    def query_string(self, **changes) -> str:
        return urlencode(self.query(**changes))

    def as_json(self) -> dict:
        return {
            "region": self.region or "all",
            "area": None
            if self.area is None
            else {"name": self.area.name, "abbreviation": self.area.abbv, "component": self.area.component},
            "from": month_key(self.start) if self.start else None,
            "to": month_key(self.end) if self.end else None,
        }

    @property
    def place(self) -> str:
        """Where, in words: “Rio Grande Valley Sector (RGV), Southwest Land Border”, or “all regions”."""
        region = self.region or _("all regions (nationwide)")
        if self.area is None:
            return region
        return _("%(area)s, %(region)s") % {"area": self.area, "region": region}

    @property
    def period(self) -> str:
        """The months asked for, in words (empty when the reader set no period)."""
        start = date_format(self.start, "YEAR_MONTH_FORMAT") if self.start else None
        end = date_format(self.end, "YEAR_MONTH_FORMAT") if self.end else None
        if start and end:
            return _("from %(start)s to %(end)s") % {"start": start, "end": end}
        if start:
            return _("from %(start)s on") % {"start": start}
        if end:
            return _("up to %(end)s") % {"end": end}
        return ""


ALL_REGIONS = "all"
# The regions CBP's files use (README: Nationwide = Northern + Southwest + Other), offered even before any import.
STANDARD_REGIONS = [SOUTHWEST_LAND_BORDER, NORTHERN_LAND_BORDER, "Other"]
MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")


class MonthField(forms.CharField):
    """A calendar month written YYYY-MM (what <input type="month"> sends), as the first day of that month."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = MONTH_PATTERN.fullmatch(value)
        if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
            raise forms.ValidationError(
                _("“%(value)s” is not a calendar month: write it as YYYY-MM, for example 2024-06."),
                code="invalid_month",
                params={"value": value},
            )
        return datetime.date(int(match[1]), int(match[2]), 1)


# The query parameters the form reads, and so all that the encounter pages and downloads read.
ENCOUNTER_FILTER_PARAMS = ["region", "area", "from", "to"]


class EncounterFilterForm(forms.Form):
    """The page's query parameters: region, area, from and to. Other pages link here with exactly these names."""

    region = forms.CharField(label=gettext_lazy("Region"), required=False)
    area = forms.CharField(label=gettext_lazy("Area of responsibility"), required=False)

    def __init__(self, data, *, areas):
        super().__init__(data)
        self.areas = areas
        # “from” is a Python keyword, so the month fields are added by name.
        self.fields["from"] = MonthField(label=gettext_lazy("From (month)"), required=False)
        self.fields["to"] = MonthField(label=gettext_lazy("To (month)"), required=False)

    @property
    def regions(self) -> list[str]:
        found = {region for area in self.areas for region in area.regions}
        return [*STANDARD_REGIONS, *sorted(found - set(STANDARD_REGIONS))]

    def clean_region(self):
        region = self.cleaned_data["region"].strip()
        if not region:
            return ""  # decided in clean(), once the area is known
        if region.casefold() in (ALL_REGIONS, "nationwide"):
            return ALL_REGIONS
        for known in self.regions:
            if known.casefold() == region.casefold():
                return known
        raise forms.ValidationError(
            _("“%(value)s” is not a land border region in CBP's data. Use one of: %(regions)s, or “all”."),
            code="unknown_region",
            params={"value": region, "regions": ", ".join(f"“{known}”" for known in self.regions)},
        )

    def clean_area(self):
        area = self.cleaned_data["area"].strip()
        if not area:
            return None
        for known in self.areas:
            if known.matches(area):
                return known
        if not self.areas:
            # Nothing imported yet: the page says plainly that no official data covers the area.
            return AreaOfResponsibility(name=area, abbv=area, component="")
        raise forms.ValidationError(
            _(
                "CBP's data has no area of responsibility called “%(value)s”. Use a sector or field office by its "
                "full name (e.g. “Rio Grande Valley Sector”) or CBP's abbreviation (e.g. “RGV”); the form lists them."
            ),
            code="unknown_area",
            params={"value": area},
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error(
                "to",
                forms.ValidationError(
                    _("“to” (%(end)s) is before “from” (%(start)s)."),
                    code="reversed_period",
                    params={"start": month_key(start), "end": month_key(end)},
                ),
            )
        if "region" in cleaned and not cleaned["region"]:
            # A link naming only an area (“?area=Miami”) means that area wherever CBP counts it; with no area
            # either, the page opens on the Southwest border.
            cleaned["region"] = ALL_REGIONS if cleaned.get("area") else SOUTHWEST_LAND_BORDER
        return cleaned

    def filters(self) -> EncounterFilters:
        region = self.cleaned_data["region"]
        return EncounterFilters(
            region=None if region == ALL_REGIONS else region,
            area=self.cleaned_data["area"],
            start=self.cleaned_data["from"],
            end=self.cleaned_data["to"],
        )

    def problems(self) -> list[tuple[str, str]]:
        """(parameter, message) for each problem, in the order of the parameters."""
        return [(name, message) for name, messages in self.errors.items() for message in messages]

    def area_groups(self):
        """The areas for the form's select: Border Patrol sectors, then OFO field offices, each by name."""
        groups = [
            (_("U.S. Border Patrol sectors"), EncounterComponent.BORDER_PATROL),
            (_("Office of Field Operations field offices"), EncounterComponent.FIELD_OPERATIONS),
        ]
        return [(label, [area for area in self.areas if area.component == component]) for label, component in groups]
