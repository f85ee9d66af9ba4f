"""Official monthly encounter counts published by U.S. Customs and Border Protection (CBP).

Rows are written only by the importer (briefings/encounters/importer/); staff view them, never edit them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Max, Min, Q, Sum
from django.utils.translation import gettext_lazy as _

from .months import FIRST_FISCAL_YEAR, FISCAL_MONTHS

# Land border regions are open-ended text in CBP's files; these are the ones the desk's pages name.
SOUTHWEST_LAND_BORDER = "Southwest Land Border"
NORTHERN_LAND_BORDER = "Northern Land Border"

# Every column but the count, in CBP's order: one row per cell, so a re-import replaces rather than duplicates.
DIMENSIONS = [
    "fiscal_year",
    "month_abbv",
    "component",
    "land_border_region",
    "area_of_responsibility",
    "aor_abbv",
    "demographic",
    "citizenship",
    "title_of_authority",
    "encounter_type",
]

# What makes a row one cell, for the unique constraint: the calendar month stands for the fiscal year and month
# (each determines the other), and the columns with the most distinct values come first. A date compares faster
# than text, and an early difference ends a comparison: the constraint's index is built much faster
# than one led by CBP's column order, which matters for the importer (briefings/encounters/importer/staging.py), and it
# serves the pages' month ranges as well.
CELL_KEY = [
    "month",
    "area_of_responsibility",
    "citizenship",
    "demographic",
    "title_of_authority",
    "encounter_type",
    "component",
    "land_border_region",
    "aor_abbv",
]
# The columns that name an area of responsibility, kept once each in EncounterArea.
AREA_COLUMNS = ["area_of_responsibility", "aor_abbv", "component", "land_border_region"]


class EncounterComponent(models.TextChoices):
    # The values are CBP's own wording, so imported text is stored as printed.
    BORDER_PATROL = "U.S. Border Patrol", _("U.S. Border Patrol")
    FIELD_OPERATIONS = "Office of Field Operations", _("Office of Field Operations")


class EncounterCountQuerySet(models.QuerySet):
    def southwest_border(self):
        return self.filter(land_border_region=SOUTHWEST_LAND_BORDER)

    def northern_border(self):
        return self.filter(land_border_region=NORTHERN_LAND_BORDER)

    def border_patrol(self):
        return self.filter(component=EncounterComponent.BORDER_PATROL)

    def field_operations(self):
        return self.filter(component=EncounterComponent.FIELD_OPERATIONS)

    def for_area(self, area):
        """An area of responsibility by its full name (“Tucson Sector”) or CBP's abbreviation (“TCA”).

        The abbreviation is looked up in EncounterArea, so that the counts are found through their index on
        (area_of_responsibility, month) alone."""
        names = EncounterArea.objects.filter(Q(area_of_responsibility=area) | Q(aor_abbv=area))
        return self.filter(area_of_responsibility__in=names.values("area_of_responsibility"))

    def for_place(self, place):
        """The counts a desk place is matched to: its CBP area if it has one, else its land border region;
        none when the place has no CBP match."""
        if place.cbp_area:
            return self.for_area(place.cbp_area)
        if place.cbp_region:
            return self.for_region(place.cbp_region)
        return self.none()

    def for_fiscal_year(self, fiscal_year):
        return self.filter(fiscal_year=fiscal_year)

    def for_region(self, region):
        """One land border region as CBP names it; None means every region (nationwide)."""
        return self if region is None else self.filter(land_border_region=region)

    def between(self, start, end):
        """Calendar months from the month of `start` to the month of `end`, both included.

        Either end may be None, leaving the period open on that side."""
        months = self
        if start is not None:
            months = months.filter(month__gte=start.replace(day=1))
        if end is not None:
            months = months.filter(month__lte=end.replace(day=1))
        return months

    def monthly_totals(self, *group_by):
        """Encounters per calendar month (and per each of `group_by`), summed by the database, oldest first."""
        return (
            self.order_by()
            .values("month", *group_by)
            .annotate(encounters=Sum("encounter_count"))
            .order_by("month", *group_by)
        )

    def totals_by(self, *fields):
        """Encounters per combination of `fields`, summed by the database, largest first (ties by `fields`)."""
        return (
            self.order_by()
            .values(*fields)
            .annotate(encounters=Sum("encounter_count"))
            .order_by("-encounters", *fields)
        )

    def total(self) -> int:
        return self.aggregate(total=Sum("encounter_count"))["total"] or 0

    def period(self):
        """(first, last) calendar month covered, or (None, None) when there are no rows."""
        bounds = self.aggregate(first=Min("month"), last=Max("month"))
        return bounds["first"], bounds["last"]


class EncounterCount(models.Model):
    """One cell of CBP's “Nationwide Encounters” table: a count for one month and one combination of dimensions."""

    Component = EncounterComponent

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    month_abbv = models.CharField(_("fiscal month"), max_length=3, help_text=_("As CBP prints it: OCT, NOV, … SEP."))
    month = models.DateField(
        _("calendar month"), help_text=_("First day of the calendar month, worked out from the fiscal year and month.")
    )
    component = models.CharField(_("component"), max_length=30, choices=Component.choices)
    land_border_region = models.CharField(_("land border region"), max_length=100)
    area_of_responsibility = models.CharField(_("area of responsibility"), max_length=100)
    aor_abbv = models.CharField(_("area of responsibility (abbreviation)"), max_length=100)
    demographic = models.CharField(_("demographic"), max_length=100)
    citizenship = models.CharField(_("citizenship"), max_length=100)
    title_of_authority = models.CharField(_("title of authority"), max_length=100)
    encounter_type = models.CharField(_("encounter type"), max_length=100)
    encounter_count = models.PositiveIntegerField(_("encounters"))

    objects = EncounterCountQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("CBP encounter count")
        verbose_name_plural = _("CBP encounter counts")
        permissions = [("import_encountercount", _("Can import CBP encounter files"))]
        constraints = [
            models.UniqueConstraint(fields=CELL_KEY, name="encounter_count_unique_cell"),
            models.CheckConstraint(condition=Q(encounter_count__gte=0), name="encounter_count_non_negative"),
            models.CheckConstraint(condition=Q(month_abbv__in=FISCAL_MONTHS), name="encounter_month_abbv_valid"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=FIRST_FISCAL_YEAR), name="encounter_fiscal_year_valid"
            ),
            models.CheckConstraint(
                condition=Q(component__in=EncounterComponent.values), name="encounter_component_valid"
            ),
        ]
        # Few indexes on purpose: each one costs every import. Months alone use the unique constraint's index
        # (it starts with the month); for_area() finds an abbreviation's name in EncounterArea first.
        indexes = [
            models.Index(fields=["land_border_region", "month"], name="encounter_region_month_idx"),
            models.Index(fields=["area_of_responsibility", "month"], name="encounter_aor_month_idx"),
        ]

    def __str__(self):
        return (
            f"{self.fiscal_year} {self.month_abbv} · {self.area_of_responsibility} · {self.demographic} · "
            f"{self.citizenship} · {self.title_of_authority}: {self.encounter_count}"
        )


class EncounterAreaQuerySet(models.QuerySet):
    def by_name(self):
        return self.order_by(*AREA_COLUMNS)


class EncounterArea(models.Model):
    """A Border Patrol sector or OFO field office as the imported counts name it, once per region and component.

    Written only by the importer, which adds the areas of every file it stores; the encounters page lists its
    places from here instead of looking for distinct values among every count.
    """

    area_of_responsibility = models.CharField(_("area of responsibility"), max_length=100)
    aor_abbv = models.CharField(_("area of responsibility (abbreviation)"), max_length=100)
    component = models.CharField(_("component"), max_length=30, choices=EncounterComponent.choices)
    land_border_region = models.CharField(_("land border region"), max_length=100)

    objects = EncounterAreaQuerySet.as_manager()

    class Meta:
        ordering = AREA_COLUMNS
        verbose_name = _("CBP area of responsibility")
        verbose_name_plural = _("CBP areas of responsibility")
        constraints = [models.UniqueConstraint(fields=AREA_COLUMNS, name="encounter_area_unique")]
        indexes = [models.Index(fields=["aor_abbv"], name="encounter_area_abbv_idx")]

    def __str__(self):
        return f"{self.area_of_responsibility} ({self.aor_abbv}) · {self.component} · {self.land_border_region}"


class EncounterImportJob(models.Model):
    """One CBP file uploaded in the admin, imported by a background worker (briefings/encounters/importer/jobs.py).

    The file is kept (MEDIA_ROOT) so that a job whose worker died can be run again. The import itself is one
    transaction, so a job is either wholly imported (and marked done in the same transaction) or not at all.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    file = models.FileField(_("file"), upload_to="cbp-imports/")
    name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_total = models.PositiveIntegerField(_("problems found"), default=0)
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("CBP import")
        verbose_name_plural = _("CBP imports")
        # Seen and started through the encounter counts' import permission; no permissions of its own.
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "refused", "failed"]),
                name="encounter_import_job_status_valid",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"
