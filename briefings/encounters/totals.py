"""The sums the encounters page shows, kept beside CBP's counts so that a page never sums the counts themselves.

/encounters/ shows, for a region or an area of responsibility and a span of months, encounters per month, per
area, component, demographic, citizenship, and encounter type with title of authority. Summed from EncounterCount on
each request, each table read every matching count: 1.5 s a page with a million of them. The importer keeps these
sums instead (briefings/encounters/importer/totals.py), in the import's own transaction, at two levels:

- EncounterAreaTotal: per month, area of responsibility (with its abbreviation, component and region) and
  breakdown: the area's total, its counts by citizenship, or by demographic, encounter type and title of authority
  together (the demographics table and the encounter types table each sum these: one breakdown fewer to keep);
- EncounterRegionTotal: the same per land border region and component, the areas of the region summed.

Each key also has a row without a month (month NULL) that sums every month: a page asked for no period (the default)
reads one row per key, not one per key and month. So a page's query reads at most (months asked for × keys) rows, and
with no period at most the keys, however many counts there are. `EncounterTotals` answers the page's two questions
(monthly_totals, totals_by) exactly as EncounterCountQuerySet does from the counts: the same rows, in the same order.
"""

import datetime
import functools
from dataclasses import dataclass

from django.db import connections, models, router
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from ..fast_paths import placeholder, prepare
from .models import EncounterArea, EncounterComponent


class Breakdown(models.TextChoices):
    TOTAL = "total", _("total")
    CITIZENSHIP = "citizenship", _("citizenship")
    DEMOGRAPHIC_AND_TYPE = "demographic_type", _("demographic, encounter type and title of authority")


# The columns of the counts each breakdown sums by, besides the month and the place. On its rows the other
# breakdowns' columns hold "", which CBP's data never does (the importer refuses empty text).
BREAKDOWN_COLUMNS = {
    Breakdown.TOTAL: [],
    Breakdown.CITIZENSHIP: ["citizenship"],
    Breakdown.DEMOGRAPHIC_AND_TYPE: ["demographic", "encounter_type", "title_of_authority"],
}
SUMMED_COLUMNS = ["demographic", "citizenship", "encounter_type", "title_of_authority"]
# What names the place of a total, at each level.
REGION_PLACE = ["land_border_region", "component"]
AREA_PLACE = ["land_border_region", "area_of_responsibility", "aor_abbv", "component"]


class EncounterTotalQuerySet(models.QuerySet):
    def for_region(self, region):
        """One land border region as CBP names it; None means every region (nationwide)."""
        return self if region is None else self.filter(land_border_region=region)

    def for_area(self, area):
        """An area of responsibility by its full name or CBP's abbreviation, as EncounterCountQuerySet.for_area()."""
        names = EncounterArea.objects.filter(Q(area_of_responsibility=area) | Q(aor_abbv=area))
        return self.filter(area_of_responsibility__in=names.values("area_of_responsibility"))

    def monthly(self, start=None, end=None):
        """The rows of single calendar months, from the month of `start` to that of `end` (either may be None)."""
        if start is None and end is None:
            return self.filter(month__isnull=False)
        # A bound leaves out the rows without a month by itself; with IS NOT NULL beside it, SQLite took that for the
        # lower bound of its index range and read every month before `end`.
        rows = self
        if start is not None:
            rows = rows.filter(month__gte=start.replace(day=1))
        if end is not None:
            rows = rows.filter(month__lte=end.replace(day=1))
        return rows

    def over(self, start=None, end=None):
        """What sums to the period: its months' rows, or with no period at all the rows that sum every month."""
        if start is None and end is None:
            return self.filter(month__isnull=True)
        return self.monthly(start, end)


class EncounterTotal(models.Model):
    """Encounters summed over the counts of one month (or, without a month, of every month) and one key."""

    Breakdown = Breakdown

    month = models.DateField(
        _("calendar month"), null=True, help_text=_("Empty on the rows that sum every month of the data.")
    )
    land_border_region = models.CharField(_("land border region"), max_length=100)
    component = models.CharField(_("component"), max_length=30, choices=EncounterComponent.choices)
    breakdown = models.CharField(_("breakdown"), max_length=20, choices=Breakdown.choices)
    demographic = models.CharField(_("demographic"), max_length=100, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=100, blank=True)
    encounter_type = models.CharField(_("encounter type"), max_length=100, blank=True)
    title_of_authority = models.CharField(_("title of authority"), max_length=100, blank=True)
    encounters = models.PositiveBigIntegerField(_("encounters"))

    objects = EncounterTotalQuerySet.as_manager()

    class Meta:
        abstract = True
        # Written only by the importer, read only by the encounters page: no admin, no permissions.
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=Q(breakdown__in=Breakdown.values), name="%(class)s_breakdown_valid")
        ]


class EncounterRegionTotal(EncounterTotal):
    """A land border region's encounters of one component, in a month or in all, in total or by one breakdown."""

    class Meta(EncounterTotal.Meta):
        verbose_name = _("CBP encounter total of a region")
        verbose_name_plural = _("CBP encounter totals of regions")
        # Breakdown and month first: a nationwide page reads the same index as one region's.
        indexes = [
            models.Index(fields=["breakdown", "month", "land_border_region"], name="encounter_region_total_idx")
        ]

    def __str__(self):
        return f"{self.month or 'all months'} · {self.land_border_region} · {self.component} · {self.breakdown}"


class EncounterAreaTotal(EncounterTotal):
    """An area of responsibility's encounters, in a month or in all, in total or by one breakdown."""

    area_of_responsibility = models.CharField(_("area of responsibility"), max_length=100)
    aor_abbv = models.CharField(_("area of responsibility (abbreviation)"), max_length=100)

    class Meta(EncounterTotal.Meta):
        verbose_name = _("CBP encounter total of an area")
        verbose_name_plural = _("CBP encounter totals of areas")
        indexes = [
            # the areas table of a region (or of every region), and one area's tables
            models.Index(fields=["breakdown", "month", "land_border_region"], name="encounter_area_total_idx"),
            models.Index(fields=["area_of_responsibility", "breakdown", "month"], name="encounter_area_total_aor_idx"),
        ]

    def __str__(self):
        return f"{self.month or 'all months'} · {self.area_of_responsibility} · {self.breakdown}"


def breakdown_of(fields) -> Breakdown:
    """The smallest breakdown whose rows can be summed by `fields` (ValueError when none can: the page never asks)."""
    summed = [field for field in fields if field in SUMMED_COLUMNS]
    unknown = set(fields) - set(SUMMED_COLUMNS) - set(AREA_PLACE)
    for breakdown, columns in BREAKDOWN_COLUMNS.items():
        if not unknown and set(summed) <= set(columns):  # TOTAL first: fields of no breakdown are its own
            return breakdown
    raise ValueError(f"No encounter totals are kept by {', '.join(fields)}.")


@dataclass(frozen=True)
class EncounterTotals:
    """The encounters of a region (None: every region), an area of responsibility (by name or abbreviation) and
    calendar months (either end may be None), summed from the totals.

    Answers monthly_totals() and totals_by() with the rows EncounterCountQuerySet's methods of the same names give for
    the same filters (tests/test_encounter_totals.py compares the pages both make), as lists of dicts. Each is one
    query, compiled once for each shape of filters (which of them are given): building and compiling the page's
    six querysets took longer than running them.
    """

    region: str | None = None
    area: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def monthly_totals(self) -> list[dict]:
        """Encounters per calendar month, oldest first (months without counts have no row)."""
        return self._rows_of(())

    def totals_by(self, *fields) -> list[dict]:
        """Encounters per combination of `fields`, largest first (ties by `fields`)."""
        return self._rows_of(fields)

    def queryset(self, fields, using):
        """The query behind totals_by(*fields), or monthly_totals() when `fields` is empty, on the database `using`."""
        if not fields:
            return (
                self._rows(Breakdown.TOTAL, by_area=False, using=using)
                .monthly(self.start, self.end)
                .order_by()
                .values("month")
                .annotate(encounters=Sum("encounters"))
                .order_by("month")
            )
        by_area = "area_of_responsibility" in fields or "aor_abbv" in fields
        return (
            self._rows(breakdown_of(fields), by_area=by_area, using=using)
            .over(self.start, self.end)
            .order_by()
            .values(*fields)
            .annotate(encounters=Sum("encounters"))
            .order_by("-encounters", *fields)
        )

    def _rows(self, breakdown: Breakdown, *, by_area: bool, using):
        model = EncounterAreaTotal if by_area or self.area is not None else EncounterRegionTotal
        rows = model.objects.using(using).filter(breakdown=breakdown).for_region(self.region)
        return rows if self.area is None else rows.for_area(self.area)

    def _rows_of(self, fields):
        using = router.db_for_read(EncounterAreaTotal)
        given = tuple(value is not None for value in (self.region, self.area, self.start, self.end))
        return _statement(fields, given, using).run(self._arguments(using), using=using)

    def _arguments(self, using):
        """The statement's arguments: the region, the area, and the first and last months as the database is
        given them."""
        months = (None if month is None else month.replace(day=1) for month in (self.start, self.end))
        adapt = connections[using].ops.adapt_datefield_value
        return [self.region, self.area, *(None if month is None else adapt(month) for month in months)]


# Stand-ins for the filters while a statement is compiled: the region, the area, the first and the last month.
_STAND_INS = (placeholder(0), placeholder(1), datetime.date(1000, 1, 1), datetime.date(1000, 2, 1))


@functools.lru_cache(maxsize=64)
def _statement(fields, given, using):
    """EncounterTotals.queryset(fields) for filters of which `given` says which are set, compiled with stand-ins in
    their place."""
    stand_ins = EncounterTotals(
        *(stand_in if is_given else None for stand_in, is_given in zip(_STAND_INS, given, strict=True))
    )
    return prepare(lambda: stand_ins.queryset(fields, using), arguments=stand_ins._arguments(using))
