"""Published documents: the provenance every figure and quote points into."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fast_paths import ChoiceLabels, page_url
from .base import SlugNaturalKey, SlugQuerySet, TimeStamped
from .entities import Organization, Person, Place


class Source(ChoiceLabels, SlugNaturalKey, TimeStamped):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    publisher = models.ForeignKey(
        Organization,
        verbose_name=_("publisher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_sources",
    )
    authors = models.ManyToManyField(Person, verbose_name=_("authors"), blank=True, related_name="authored_sources")
    dateline = models.ForeignKey(
        Place, verbose_name=_("dateline"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField(_("web address"), blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    published_on_is_inferred = models.BooleanField(
        _("publication date is inferred"),
        default=False,
        help_text=_("Tick when the document does not print its date and the date was worked out."),
    )
    published_on_note = models.TextField(
        _("how the date was established"),
        blank=True,
        help_text=_("The reasoning behind an inferred date, shown to readers beside it."),
    )
    full_text = models.TextField(
        _("full text"), help_text=_("The document word for word. Quotes and source sentences must be passages of it.")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the document is written in: its quotes and sentences are shown in it, marked so."),
    )

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published_on_is_inferred=False) | ~models.Q(published_on_note=""),
                name="source_inferred_date_has_note",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_url("briefings:source-detail", slug=self.slug)
