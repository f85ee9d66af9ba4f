"""CBP's official monthly encounter counts, one row per published cell, filtered as on the encounters page."""

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ..api import schemas
from ..api.errors import parameter_error
from ..api.pagination import LongPage
from ..api.parameters import QueryParameters
from . import models
from .models import EncounterComponent

router = Router(tags=["official CBP encounter data"])

# Years 1000 to 9999: four digits, and never year 0, which no calendar (nor Python's date) has.
MONTH_PATTERN = r"^[1-9]\d{3}-(0[1-9]|1[0-2])$"

# CBP's own abbreviations for its two components, mapped to EncounterCountQuerySet methods.
COMPONENTS = {"usbp": "border_patrol", "ofo": "field_operations"}


class EncounterCount(Schema):
    """One cell of CBP's “Nationwide Encounters” table, as published."""

    id: int
    fiscal_year: int
    month_abbv: str = Field(examples=["OCT"])
    month: datetime.date = Field(description="First day of the calendar month (FY2024 OCT is 2023-10-01).")
    component: EncounterComponent
    land_border_region: str
    area_of_responsibility: str
    aor_abbv: str
    demographic: str
    citizenship: str
    title_of_authority: str
    encounter_type: str
    encounter_count: int


class EncounterFilters(QueryParameters):
    # `from` and `to` are the encounters page's own names for its period, so its links can be reused here.
    month_from: str | None = Field(
        None, alias="from", pattern=MONTH_PATTERN, description="First calendar month, YYYY-MM, e.g. 2023-10."
    )
    month_to: str | None = Field(
        None, alias="to", pattern=MONTH_PATTERN, description="Last calendar month, YYYY-MM, e.g. 2024-09."
    )
    region: str | None = Field(
        None, description="Land border region as CBP names it, e.g. “Southwest Land Border”. Default: all."
    )
    area: str | None = Field(
        None, description="Area of responsibility: its name (“Tucson Sector”) or CBP's abbreviation (“TCA”)."
    )
    component: Literal["usbp", "ofo"] | None = Field(
        None, description="`usbp` (U.S. Border Patrol) or `ofo` (Office of Field Operations)."
    )
    fiscal_year: int | None = Field(None, ge=2000, le=2100, description="CBP's fiscal year (FY2024 began 2023-10).")


def first_of_month(text: str | None) -> datetime.date | None:
    return None if text is None else datetime.date(int(text[:4]), int(text[5:7]), 1)


@router.get(
    "/encounter-counts",
    response={200: list[EncounterCount], **schemas.BAD_PARAMETER},
    url_name="encounter-count-list",
    summary="Official CBP encounter counts, oldest month first",
)
@paginate(LongPage)
def encounter_count_list(request, filters: Query[EncounterFilters]):
    start, end = first_of_month(filters.month_from), first_of_month(filters.month_to)
    if start and end and start > end:
        raise parameter_error("to", "to is before from.")
    counts = models.EncounterCount.objects.for_region(filters.region or None).between(start, end)
    if filters.area:
        counts = counts.for_area(filters.area)
    if filters.component:
        counts = getattr(counts, COMPONENTS[filters.component])()
    if filters.fiscal_year is not None:
        counts = counts.for_fiscal_year(filters.fiscal_year)
    return counts.order_by("month", "pk")
