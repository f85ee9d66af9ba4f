"""Corrections: dated notes that say what a briefing or one of its figures got wrong and what is right.

A correction is never a silent rewrite: the record may be fixed too, and the earlier value stays in its
history, but readers see the correction on every page that shows what it corrects.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fast_paths import page_url
from .base import TimeStamped
from .briefing import Briefing


class CorrectionQuerySet(models.QuerySet):
    def current(self):
        """Corrections whose date has come; for pages whose briefing is already known to be visible."""
        return self.filter(published_at__lte=timezone.now())

    def published(self):
        """What readers see: corrections of published briefings, from the correction's own time on."""
        return self.current().filter(**Briefing.objects.published_lookups("briefing"))

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def with_related(self):
        return self.select_related("briefing", "figure", "figure__metric", "figure__source")


class Correction(TimeStamped):
    briefing = models.ForeignKey(
        Briefing, verbose_name=_("briefing"), on_delete=models.CASCADE, related_name="corrections"
    )
    figure = models.ForeignKey(
        "Figure",  # by name: figures.py reads corrections through this module's queryset
        verbose_name=_("figure"),
        null=True,
        blank=True,
        # A corrected figure cannot be deleted on its own (its correction would lose what it corrects);
        # deleting the whole briefing removes both.
        on_delete=models.RESTRICT,
        related_name="corrections",
        help_text=_("The figure it corrects, if it corrects one; it must belong to the briefing."),
    )
    published_at = models.DateTimeField(_("dated"), default=timezone.now)
    text = models.TextField(_("correction"), help_text=_("What was wrong and what is right, as readers will read it."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="correction_has_text")]
        indexes = [models.Index(fields=["-published_at"], name="correction_published_idx")]

    def __str__(self):
        return _("Correction of %(date)s to “%(briefing)s”") % {
            "date": timezone.localtime(self.published_at).date().isoformat() if self.published_at else "—",
            "briefing": self.briefing,
        }

    def get_absolute_url(self):
        return f"{page_url('briefings:correction-list')}#correction-{self.pk}"

    def clean(self):
        if self.figure_id and self.briefing_id and self.figure.briefing_id != self.briefing_id:
            raise ValidationError(
                {"figure": _("This figure belongs to another briefing.")}, code="figure_of_other_briefing"
            )
