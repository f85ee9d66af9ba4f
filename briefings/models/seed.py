"""The seed's ledger: which records the seed fixtures loaded into this database (briefings/seed/)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SeedRecord(models.Model):
    """One record the seed fixtures loaded or found here, by the natural key the fixture gives it.

    A later load reads this to leave alone what the desk has done since: a record renamed (its slug changed) is
    still the seed's record, and one the desk deleted stays deleted. Only `load_initial_data --restore-seed`
    brings them back.
    """

    model = models.CharField(
        _("model"), max_length=100, help_text=_("App label and model name, e.g. briefings.figure.")
    )
    natural_key = models.CharField(_("natural key"), max_length=500, help_text=_("As JSON, as the fixture gives it."))
    object_id = models.PositiveBigIntegerField(
        _("object id"),
        null=True,
        help_text=_("Empty: missing when the ledger began, in a database the desk had worked in; taken as deleted."),
    )
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    class Meta:
        verbose_name = _("seed record")
        verbose_name_plural = _("seed records")
        constraints = [models.UniqueConstraint(fields=["model", "natural_key"], name="seed_record_unique_key")]

    def __str__(self):
        return f"{self.model} {self.natural_key}"
