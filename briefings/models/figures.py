"""Numbers stated in reports, the series they belong to, and the measures they describe."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..evidence import rules
from ..evidence.numbers import Qualifier as FigureQualifier
from ..fast_paths import ChoiceLabels, page_url
from ..search import SearchableQuerySet
from .base import NamedTerm, SlugNaturalKey, SlugQuerySet, SourceSentence, TimeStamped
from .briefing import Briefing
from .corrections import Correction
from .entities import Organization, Person, Place
from .sources import Source


class MeasureKind(models.TextChoices):
    PROCLAMATION = "proclamation", _("Proclamation")
    EXECUTIVE_ORDER = "executive_order", _("Executive order")
    BILL = "bill", _("Bill")
    RULE = "rule", _("Rule")


class Measure(ChoiceLabels, SourceSentence, SlugNaturalKey, TimeStamped):
    """A policy or bill: a proclamation, an executive order, a bill, a rule."""

    Kind = MeasureKind

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    date_is_inferred = models.BooleanField(_("date is inferred"), default=False)
    date_note = models.TextField(_("how the date was established"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("issued or considered by"), blank=True, related_name="measures"
    )
    people = models.ManyToManyField(Person, verbose_name=_("people"), blank=True, related_name="measures")
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT, related_name="measures"
    )
    url = models.URLField(_("web address"), blank=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=MeasureKind.values), name="measure_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(date_is_inferred=False) | ~models.Q(date_note=""),
                name="measure_inferred_date_has_note",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("briefings:measure-detail", slug=self.slug)


class Metric(NamedTerm):
    """What is counted. Figures of one metric form a series."""

    class Meta(NamedTerm.Meta):
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")

    def get_absolute_url(self):
        return page_url("briefings:metric-detail", slug=self.slug)


class FigureQuerySet(SearchableQuerySet, SlugQuerySet):
    search_fields = {"value_as_printed": "A", "source_sentence": "B", "attribution": "C"}

    def published(self):
        return self.filter(**Briefing.objects.published_lookups("briefing"))

    def for_metric(self, metric):
        return self.filter(metric=metric)

    def for_place(self, place):
        return self.filter(place=place)

    def key(self):
        return self.filter(is_key=True)

    def with_provenance(self):
        """Everything a figure is shown with: what it counts, where, who said it, its source, and its
        corrections (of a briefing the caller has already checked readers may see)."""
        corrections = Correction.objects.current().order_by("published_at", "pk")
        related = ["metric", "place", "attributed_to", "source", "briefing", "measure"]
        return self.select_related(*related).prefetch_related(models.Prefetch("corrections", queryset=corrections))


class FigureUnit(models.TextChoices):
    """The units the desk suggests, with the meaning rules and pages rely on (money, percent, encounters). A
    figure's unit is free text: any other unit (“migrants”, “gotaways”) is stored as typed, in lower case."""

    PEOPLE = "people", _("people")
    ENCOUNTERS = "encounters", _("encounters")
    INTERVIEWS = "interviews", _("interviews")
    ARRESTS = "arrests", _("arrests")
    CONVICTIONS = "convictions", _("convictions")
    USD = "usd", _("US dollars")
    MILES = "miles", _("miles")
    YEARS = "years", _("years")
    PERCENT = "percent", _("percent")

    @classmethod
    def normalize(cls, text: str) -> str:
        """The stored form of a unit as typed: a suggested unit by its code (“US dollars”, “dollars” and “$” are
        `usd`), any other in lower case with single spaces."""
        words = " ".join(str(text).split()).lower()
        return UNIT_ALIASES.get(words, words)

    @classmethod
    def label_of(cls, unit: str) -> str:
        label = UNIT_LABELS.get(unit)  # a dict made once: a page asks this of every figure, several times
        return str(label) if label is not None else unit


UNIT_LABELS = dict(FigureUnit.choices)  # lazy labels: translated when read, into the reader's language
UNIT_ALIASES = {
    **{str(label).lower(): value for value, label in FigureUnit.choices},
    "$": "usd",
    "dollars": "usd",
    "u.s. dollars": "usd",
    "%": "percent",
    "per cent": "percent",
}


class ChangeDirection(models.TextChoices):
    UP = "up", _("up")
    DOWN = "down", _("down")
    UNCHANGED = "unchanged", _("unchanged")


class FigurePeriod(models.TextChoices):
    PER_DAY = "per_day", _("per day")
    PER_WEEK = "per_week", _("per week")
    PER_MONTH = "per_month", _("per month")
    PER_YEAR = "per_year", _("per year")
    OVER_RANGE = "over_range", _("over the stated dates")
    TOTAL_TO_DATE = "total_to_date", _("total to date")
    AT_A_TIME = "at_a_time", _("at one time")
    AMOUNT = "amount", _("amount")
    LENGTH = "length", _("length")
    DURATION = "duration", _("duration")


HEADLINE_PERIODS = {
    FigurePeriod.PER_DAY,
    FigurePeriod.PER_WEEK,
    FigurePeriod.PER_MONTH,
    FigurePeriod.PER_YEAR,
    FigurePeriod.AT_A_TIME,
}


class OfficialRecordNotAttached(RuntimeError):
    """A page showed a figure without CBP's record beside it: it must load it through
    selectors.with_official_record()."""


class _OfficialComparison:
    """`figure.official_comparison`, set by selectors.with_official_record(). Reading it before that is an error
    (not a silent blank in a template), so a page that forgets the official record fails in its tests."""

    def __get__(self, figure, owner=None):
        if figure is None:
            return self
        try:
            return figure.__dict__["official_comparison"]
        except KeyError:
            raise OfficialRecordNotAttached(f"Figure {figure.pk} was shown without its official record.") from None

    def __set__(self, figure, comparison):
        figure.__dict__["official_comparison"] = comparison


class Figure(ChoiceLabels, SourceSentence, SlugNaturalKey, TimeStamped):
    Qualifier = FigureQualifier
    Unit = FigureUnit
    Period = FigurePeriod
    Direction = ChangeDirection

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    metric = models.ForeignKey(Metric, verbose_name=_("metric"), on_delete=models.PROTECT, related_name="figures")
    value_as_printed = models.CharField(
        _("as printed"), max_length=200, help_text=_("The number as the source prints it, e.g. “about 200”.")
    )
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Empty only when the source gives no number (“a few hundred”)."),
    )
    qualifier = models.CharField(_("qualifier"), max_length=20, choices=Qualifier.choices)
    unit = models.CharField(
        _("unit"),
        max_length=60,
        help_text=_("What is counted, in the plural: pick a suggestion or type another (“migrants”)."),
    )
    period = models.CharField(_("period"), max_length=20, choices=Period.choices)
    place = models.ForeignKey(
        Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="figures"
    )
    date_start = models.DateField(_("describes from"), null=True, blank=True)
    date_end = models.DateField(_("describes until"), null=True, blank=True)
    date_is_inferred = models.BooleanField(_("dates are inferred"), default=False)
    date_note = models.TextField(_("how the dates were established"), blank=True)
    attributed_to = models.ForeignKey(
        Person, verbose_name=_("said by"), null=True, blank=True, on_delete=models.PROTECT, related_name="figures"
    )
    attribution = models.CharField(
        _("attribution as printed"),
        max_length=300,
        blank=True,
        help_text=_("Who the source says it comes from, e.g. “officials said”."),
    )
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="figures")
    source_sentence = models.TextField(_("source sentence"), help_text=_("The sentence it comes from, word for word."))
    sentence_translation = models.TextField(
        _("desk's translation of the sentence"),
        blank=True,
        help_text=_("The desk's translation of the words above, shown beside them, never instead of them."),
    )
    briefing = models.ForeignKey(
        Briefing, verbose_name=_("briefing"), on_delete=models.CASCADE, related_name="figures"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), null=True, blank=True, on_delete=models.SET_NULL, related_name="figures"
    )
    change_direction = models.CharField(
        _("change: direction"),
        max_length=10,
        choices=Direction.choices,
        blank=True,
        help_text=_("Only when the sentence states a change (“down 21% from 46,666”): which way."),
    )
    change_from_as_printed = models.CharField(
        _("change: from, as printed"), max_length=200, blank=True, help_text=_("The earlier number, e.g. “46,666”.")
    )
    change_from_value = models.DecimalField(
        _("change: from, value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    change_percent_as_printed = models.CharField(
        _("change: percent, as printed"), max_length=50, blank=True, help_text=_("e.g. “21%”")
    )
    change_percent = models.DecimalField(_("change: percent"), max_digits=9, decimal_places=2, null=True, blank=True)
    is_key = models.BooleanField(_("key figure"), default=False, help_text=_("Shown on the home page."))
    is_minor = models.BooleanField(
        _("minor figure"),
        default=False,
        help_text=_(
            "Left out of the briefing's “The numbers” box: a number that only sets the scene (“60-mile”, “third "
            "anniversary”). It is still linked in the story and has its own page."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = FigureQuerySet.as_manager()
    official_comparison = _OfficialComparison()

    class Meta:
        ordering = ["briefing", "position", "pk"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0), name="figure_value_non_negative"
            ),
            models.CheckConstraint(
                condition=(models.Q(qualifier="indefinite") & models.Q(value__isnull=True))
                | (~models.Q(qualifier="indefinite") & models.Q(value__isnull=False)),
                name="figure_value_unless_indefinite",
            ),
            models.CheckConstraint(
                condition=models.Q(qualifier__in=FigureQualifier.values),
                name="figure_qualifier_valid",
            ),
            models.CheckConstraint(condition=~models.Q(unit=""), name="figure_unit_given"),
            models.CheckConstraint(
                condition=models.Q(change_direction__in=["", *ChangeDirection.values]),
                name="figure_change_direction_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(change_direction="")
                | (
                    models.Q(change_from_as_printed="", change_from_value__isnull=True)
                    & models.Q(change_percent_as_printed="", change_percent__isnull=True)
                ),
                name="figure_change_has_direction",
            ),
            models.CheckConstraint(
                condition=models.Q(change_from_value__isnull=True) | models.Q(change_from_value__gte=0),
                name="figure_change_from_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(change_percent__isnull=True) | models.Q(change_percent__gte=0),
                name="figure_change_percent_non_negative",
            ),
            models.CheckConstraint(condition=models.Q(period__in=FigurePeriod.values), name="figure_period_valid"),
            models.CheckConstraint(
                condition=models.Q(date_start__isnull=True)
                | models.Q(date_end__isnull=True)
                | models.Q(date_start__lte=models.F("date_end")),
                name="figure_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.value_as_printed} {self.get_unit_display()} — {self.metric}"

    def get_absolute_url(self):
        return page_url("briefings:figure-detail", metric_slug=self.metric.slug, slug=self.slug)

    @property
    def said_by(self):
        return str(self.attributed_to) if self.attributed_to_id else self.attribution

    def get_unit_display(self) -> str:
        return FigureUnit.label_of(self.unit)

    @property
    def unit_beside_value(self) -> str:
        """The unit to print after the value, or "" when the value says it already: “$8 million” (dollars),
        “21%”, “60-mile”, “five-year”, “third anniversary”."""
        printed, unit = self.value_as_printed.lower(), self.get_unit_display()
        if self.unit in ("usd", "percent") or "anniversary" in printed:
            return ""
        stem = unit.lower().removesuffix("s")
        return "" if stem and re.search(rf"\b{re.escape(stem)}s?\b", printed) else unit

    @property
    def period_is_headline(self) -> bool:
        """Whether the period belongs beside the number in large type (“200 per day”, “3,000 per month”)."""
        return self.period in HEADLINE_PERIODS

    @property
    def change_summary(self) -> str:
        """The change the sentence states, in its own words: “down 21% from 46,666”; empty when it states none."""
        if not self.change_direction:
            return ""
        parts = [self.get_change_direction_display(), self.change_percent_as_printed]
        if self.change_from_as_printed:
            parts.append(_("from %(earlier)s") % {"earlier": self.change_from_as_printed})
        return " ".join(part for part in parts if part)

    def clean(self):
        self.unit = FigureUnit.normalize(self.unit)
        errors = rules.figure_errors(
            value_as_printed=self.value_as_printed,
            value=self.value,
            qualifier=self.qualifier,
            unit=self.unit,
            source_sentence=self.source_sentence,
        )
        change = rules.change_errors(
            value=self.value,
            unit=self.unit,
            direction=self.change_direction,
            from_as_printed=self.change_from_as_printed,
            from_value=self.change_from_value,
            percent_as_printed=self.change_percent_as_printed,
            percent=self.change_percent,
            source_sentence=self.source_sentence,
        )
        errors = {**change, **errors}
        # A passage not in the source says so first: the sentence check would only repeat it.
        errors = {**errors, **self.verbatim_errors()}
        if self.qualifier == self.Qualifier.INDEFINITE and self.value is not None:
            errors["value"] = ValidationError(_("Leave the value empty when no number is stated."))
        if self.qualifier != self.Qualifier.INDEFINITE and self.value is None and "qualifier" not in errors:
            errors["value"] = ValidationError(_("Enter the value, or choose “indefinite”."))
        if errors:
            raise ValidationError(errors)
