"""The content generation: one row that changes whenever what readers can see changes (briefings/page_cache/)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentGeneration(models.Model):
    """How many times the public content has changed, and when it last did.

    Every cached public page is stored under the current `number`, so bumping it makes every page fresh.
    It lives in the database, not in the cache, so that every process agrees on it whatever the cache
    backend: local memory is per process, and management commands run in processes of their own.
    """

    ROW = 1

    number = models.PositiveBigIntegerField(_("generation"), default=0)
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("content generation")
        verbose_name_plural = _("content generation")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="content_generation_single_row")]

    def __str__(self):
        return f"{self.number}"
