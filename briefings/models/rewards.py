"""Reward programs, their offers, and the channels that take tips."""

from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fast_paths import ChoiceLabels, page_url
from ..search import SearchableQuerySet
from .base import SlugNaturalKey, SlugQuerySet, SourceSentence, TimeStamped
from .briefing import Briefing
from .entities import Organization, Place
from .sources import Source


class RewardProgram(SlugNaturalKey, TimeStamped):
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    administering_agency = models.ForeignKey(
        Organization,
        verbose_name=_("administering agency"),
        on_delete=models.PROTECT,
        related_name="reward_programs",
    )
    year_established = models.PositiveSmallIntegerField(_("year established"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web address"), blank=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("reward program")
        verbose_name_plural = _("reward programs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_established__isnull=True) | models.Q(year_established__gte=1900),
                name="reward_program_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return page_url("briefings:reward-program-detail", slug=self.slug)


class TipChannelQuerySet(models.QuerySet):
    def get_by_natural_key(self, kind, value):
        return self.get(kind=kind, value=value)


class TipChannelKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    WEB = "web", _("Web")
    EMAIL = "email", _("Email")
    APP = "app", _("App")


class TipChannel(ChoiceLabels, SourceSentence, TimeStamped):
    Kind = TipChannelKind

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(
        _("number or address"), max_length=300, help_text=_("As printed, e.g. (866) 347-2423 or www.ice.gov/tips")
    )
    receiving_agencies = models.ManyToManyField(
        Organization, verbose_name=_("receiving agencies"), blank=True, related_name="tip_channels"
    )
    toll_free = models.BooleanField(_("toll-free"), default=False)
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("Languages it takes tips in, where known.")
    )
    instructions = models.TextField(
        _("how to use it"),
        blank=True,
        help_text=_("What a reader needs to know to send a tip this way (hours, what to say), in a few lines."),
    )
    checked_on = models.DateField(
        _("last checked"),
        null=True,
        blank=True,
        help_text=_("When the desk last checked that this channel works as described. Readers see the date."),
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tip_channels",
    )

    objects = TipChannelQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("tip channel")
        verbose_name_plural = _("tip channels")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="tip_channel_unique_kind_value"),
            models.CheckConstraint(condition=models.Q(kind__in=TipChannelKind.values), name="tip_channel_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def natural_key(self):
        return (self.kind, self.value)

    def get_absolute_url(self):
        return page_url("briefings:reward-list") + f"#tip-{self.pk}"

    @property
    def href(self):
        """A link a reader can follow or tap: tel:, mailto: or https://."""
        if self.kind == self.Kind.PHONE:
            digits = "".join(ch for ch in self.value if ch.isdigit())
            return f"tel:+1{digits}" if len(digits) == 10 else f"tel:{digits}"
        if self.kind == self.Kind.EMAIL:
            return f"mailto:{self.value}"
        if self.kind == self.Kind.WEB and not self.value.startswith(("http://", "https://")):
            return f"https://{self.value}"
        return self.value


class RewardOfferQuerySet(SearchableQuerySet, SlugQuerySet):
    search_fields = {"criterion_text": "A", "source_sentence": "B"}

    def active(self):
        return self.filter(status=RewardOfferStatus.ACTIVE)

    def with_related(self):
        return self.with_related_records().prefetch_related("tip_channels__receiving_agencies")

    def with_related_records(self):
        """What an offer is shown with that is one record each (a join): its program, agency, target, region."""
        return self.select_related("program", "program__administering_agency", "target_organization", "region")


class RewardOfferCriterion(models.TextChoices):
    """Kinds of criterion, for lists and filters; each offer also says its criterion in a few words of its own."""

    ARREST_OR_CONVICTION = "arrest_or_conviction", _("Arrest and/or conviction")
    IDENTIFICATION_OR_LOCATION = "identification_or_location", _("Identification or location")
    FINANCIAL_DISRUPTION = "financial_disruption", _("Disruption of financial mechanisms")
    PREVENTION = "prevention", _("Preventing an act or attack")
    INFORMATION = "information", _("Information")
    OTHER = "other", _("Other")


class RewardOfferStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class RewardOffer(ChoiceLabels, SourceSentence, SlugNaturalKey, TimeStamped):
    Criterion = RewardOfferCriterion
    Status = RewardOfferStatus

    program = models.ForeignKey(
        RewardProgram, verbose_name=_("program"), on_delete=models.PROTECT, related_name="offers"
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    target_organization = models.ForeignKey(
        Organization,
        verbose_name=_("target organization"),
        on_delete=models.PROTECT,
        related_name="targeted_by_offers",
    )
    region = models.ForeignKey(
        Place,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reward_offers",
    )
    ceiling_amount = models.DecimalField(
        _("maximum reward (USD)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("“Up to” this amount: a ceiling, not a promised sum."),
    )
    criterion_kind = models.CharField(_("kind of criterion"), max_length=40, choices=Criterion.choices)
    criterion = models.CharField(
        _("criterion"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the reward is for, in a few words readers see, e.g. “Arrest and/or conviction of a key leader”. "
            "Empty: the kind's name."
        ),
    )
    criterion_text = models.TextField(_("criterion as worded"), help_text=_("The offer's wording, word for word."))
    criterion_translation = models.TextField(
        _("desk's translation of the wording"),
        blank=True,
        help_text=_("The desk's translation of the words above, shown beside them, never instead of them."),
    )
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announced_on_is_inferred = models.BooleanField(_("announcement date is inferred"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    tip_channels = models.ManyToManyField(
        TipChannel, verbose_name=_("tip channels"), blank=True, related_name="reward_offers"
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reward_offers",
    )
    briefings = models.ManyToManyField(Briefing, verbose_name=_("briefings"), blank=True, related_name="reward_offers")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = RewardOfferQuerySet.as_manager()
    verbatim_fields = ("source_sentence", "criterion_text")

    class Meta:
        ordering = ["program", "position", "pk"]
        verbose_name = _("reward offer")
        verbose_name_plural = _("reward offers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ceiling_amount__gte=0), name="reward_offer_ceiling_non_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(criterion_kind__in=RewardOfferCriterion.values),
                name="reward_offer_criterion_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RewardOfferStatus.values), name="reward_offer_status_valid"
            ),
            models.CheckConstraint(condition=~models.Q(criterion=""), name="reward_offer_criterion_given"),
        ]

    def __str__(self):
        return _("Up to $%(amount)s: %(criterion)s (%(target)s)") % {
            "amount": intcomma(round(self.ceiling_amount)),
            "criterion": self.criterion or self.get_criterion_kind_display(),
            "target": self.target_organization.name,
        }

    def get_absolute_url(self):
        return page_url("briefings:reward-offer-detail", slug=self.slug)

    def clean(self):
        """Verbatim passages (Verbatim.clean), and a criterion in words: the kind's name when left empty."""
        errors = self.verbatim_errors()
        self.criterion = " ".join(self.criterion.split())
        if self.criterion in {str(label) for label in self.Criterion.labels}:
            self.criterion = ""  # a kind's name, not the desk's own words: it follows the kind
        if not self.criterion and self.criterion_kind == self.Criterion.OTHER:
            errors["criterion"] = ValidationError(_("Say what the reward is for: the kind is “Other”."))
        elif not self.criterion and self.criterion_kind in self.Criterion.values:
            self.criterion = str(self.Criterion(self.criterion_kind).label)
        if errors:
            raise ValidationError(errors)
