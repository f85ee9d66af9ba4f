"""What every record of the desk shares: a slug that is its natural key, and timestamps."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fast_paths import ChoiceLabels


class SlugQuerySet(models.QuerySet):
    """Fixtures refer to records by slug, so they load twice without duplicates."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class TimeStamped(ChoiceLabels, models.Model):
    """The base of every record the desk edits: when it was made and last changed. Its choice labels come
    through ChoiceLabels (briefings/fast_paths.py)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class SlugNaturalKey:
    def natural_key(self):
        return (self.slug,)


def verbatim_error(*, text, source, field):
    """The error to report when `text` is not found word for word in the source's full text."""
    if text and source is not None and text not in source.full_text:
        message = _("This must be a verbatim passage of the source “%(source)s”.")
        return {field: ValidationError(message, code="not_verbatim", params={"source": source})}
    return {}
