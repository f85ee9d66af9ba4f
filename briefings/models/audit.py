"""The audit log: every stored version of the desk's content, read through django-reversion's table."""

from django.utils.translation import gettext_lazy as _
from reversion.models import Version


class ContentChange(Version):
    """One record as saved in one change (a reversion Version), shown on the staff audit page."""

    class Meta:
        proxy = True
        ordering = ["-revision__date_created", "-pk"]
        verbose_name = _("change (audit log)")
        verbose_name_plural = _("recent changes (audit log)")
