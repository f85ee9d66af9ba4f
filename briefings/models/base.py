"""What every record of the desk shares: a slug that is its natural key, and timestamps."""

from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class SlugQuerySet(models.QuerySet):
    """Fixtures refer to records by slug, so they load twice without duplicates."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class TimeStamped(models.Model):
    """The base of every record the desk edits: when it was made and last changed, and its choice labels."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        """`get_<field>_display()`, as Django's, but looking the value up in a dict made once per field. Django's
        makes a dict of all the field's choices on every call, hashing each lazy label, which translates it: a
        briefing page makes some 70 such calls."""
        value, labels = getattr(self, field.attname), _labels(field)
        return str(labels[value]) if value in labels else value


@cache
def _labels(field):
    """The labels of a field's choices by value (lazy, so each is translated into the language of its reader)."""
    return dict(field.flatchoices)


class SlugNaturalKey:
    def natural_key(self):
        return (self.slug,)


def verbatim_error(*, text, source, field):
    """The error to report when `text` is not found word for word in the source's full text."""
    if text and source is not None and text not in source.full_text:
        message = _("This must be a verbatim passage of the source “%(source)s”.")
        return {field: ValidationError(message, code="not_verbatim", params={"source": source})}
    return {}
