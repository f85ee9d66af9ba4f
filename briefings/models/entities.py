"""The organizations, people, places and topics that reports refer to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fast_paths import ChoiceLabels, page_url
from ..search import SearchableQuerySet
from .base import NamedTerm, SlugNaturalKey, SlugQuerySet, TimeStamped


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    STATE = "state", _("State or province")
    CITY = "city", _("City or town")
    REGION = "region", _("Region")
    BORDER_REGION = "border_region", _("Border region")
    RIVER = "river", _("River")
    NATURAL_AREA = "natural_area", _("Natural area or crossing")
    OTHER = "other", _("Other")


class PlaceQuerySet(SearchableQuerySet, SlugQuerySet):
    search_fields = {"name": "A", "description": "C"}


class Place(ChoiceLabels, SlugNaturalKey, TimeStamped):
    Kind = PlaceKind

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("within"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The place this one lies in, e.g. Matamoros within Tamaulipas."),
    )
    countries = models.ManyToManyField(
        "self",
        verbose_name=_("countries"),
        blank=True,
        symmetrical=False,
        related_name="places_in_country",
        limit_choices_to={"kind": "country"},
        help_text=_("The countries it lies in; the Darién Gap spans two."),
    )
    description = models.TextField(_("description"), blank=True)
    photo = models.ForeignKey(
        "briefings.Photo",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places",
    )
    # How the place matches CBP's official encounter data, so a reported figure can be set beside the record.
    cbp_region = models.CharField(
        _("CBP land border region"),
        max_length=100,
        blank=True,
        help_text=_("As CBP's files name it, e.g. “Southwest Land Border”. Leave empty if none matches."),
    )
    cbp_area = models.CharField(
        _("CBP area of responsibility"),
        max_length=100,
        blank=True,
        help_text=_("A sector or field office as CBP's files name it, e.g. “Rio Grande Valley Sector”."),
    )
    cbp_match_note = models.TextField(
        _("how the CBP match was made"),
        blank=True,
        help_text=_("Shown to readers beside the official figures: the match is the desk's, not the source's."),
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=PlaceKind.values), name="place_kind_valid"),
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="place_not_own_parent"),
            models.CheckConstraint(
                condition=models.Q(cbp_region="", cbp_area="") | ~models.Q(cbp_match_note=""),
                name="place_cbp_match_has_note",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("briefings:place-detail", slug=self.slug)


class OrganizationKind(models.TextChoices):
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    TASK_FORCE = "task_force", _("Task force")
    CRIMINAL_ORGANIZATION = "criminal_organization", _("Criminal organization")
    LEGISLATIVE_COMMITTEE = "legislative_committee", _("Legislative committee")
    RELIGIOUS_CIVIL_SOCIETY = "religious_civil_society", _("Religious or civil-society group")
    NEWS_MEDIA = "news_media", _("News organization")
    OTHER = "other", _("Other")


class OrganizationQuerySet(SearchableQuerySet, SlugQuerySet):
    search_fields = {"name": "A", "acronym": "A", "description": "C"}


class Organization(ChoiceLabels, SlugNaturalKey, TimeStamped):
    Kind = OrganizationKind

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    country = models.ForeignKey(
        Place,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
        limit_choices_to={"kind": Place.Kind.COUNTRY},
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web address"), blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return page_url("briefings:organization-detail", slug=self.slug)


class Person(SlugNaturalKey, TimeStamped):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    role = models.CharField(_("role or title"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    description = models.TextField(_("description"), blank=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("briefings:person-detail", slug=self.slug)


class Topic(NamedTerm):
    class Meta(NamedTerm.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def get_absolute_url(self):
        return page_url("briefings:topic-detail", slug=self.slug)
