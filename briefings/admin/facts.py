"""A Publisher's own change of a published fact says what it is: a correction readers see, or a stated fix.

On the change forms of figures, quotes and offers (and their inline rows) a Publisher finds two fields: the
correction, and the note of a non-substantive fix (a typo, style). Saving a change of a published fact (the
fields of briefings/review.py FACTS) of a live record needs exactly one of them; the correction is published
through services.correction_publish, the fix is recorded in the version's comment. Editors never see them: their
changes of live content are held for review, and the Publisher who approves one chooses there.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import review
from ..roles import PUBLISH_PERMISSION
from .stale import StaleEditGuardForm

FACT_FIELDS = ["fact_correction", "fact_fix"]


class FactChangeForm(StaleEditGuardForm):
    fact_correction = forms.CharField(
        label=_("Correction for readers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when this changes a published fact: what was wrong and what is right, shown to readers."),
    )
    fact_fix = forms.CharField(
        label=_("Or: a non-substantive fix"),
        required=False,
        max_length=300,
        help_text=_("Only when the change of a published fact is a typo or style fix: say what it was."),
    )
    user = None  # set per request by the admin (DeskAdmin.get_form, DeskInline.get_formset)

    def facts_changed(self) -> list[str]:
        facts = review.fact_fields(type(self.instance))
        changed = sorted(name for name in self.changed_data if name in facts)
        # Only a changed fact of a record readers see asks for it (is_live reads the database: last).
        return changed if changed and self.instance.pk is not None and review.is_live(self.instance) else []

    def clean(self):
        cleaned_data = super().clean()
        if self.user is None or not self.user.has_perm(f"briefings.{PUBLISH_PERMISSION}"):
            return cleaned_data
        changed = self.facts_changed()
        correction, fix = cleaned_data.get("fact_correction", "").strip(), cleaned_data.get("fact_fix", "").strip()
        if changed and not (correction or fix):
            labels = ", ".join(str(self.instance._meta.get_field(name).verbose_name) for name in changed)
            self.add_error(
                "fact_correction",
                _(
                    "This changes a published fact (%(fields)s): write a correction readers see, or say what the "
                    "non-substantive fix was."
                )
                % {"fields": labels},
            )
        elif correction and changed and not review.correction_briefings(self.instance):
            self.add_error(
                "fact_correction",
                _("No published briefing shows this record, so readers could not see a correction: describe a fix."),
            )
        elif correction and fix:
            self.add_error("fact_fix", _("Either a correction or a fix, not both."))
        elif (correction or fix) and not changed:
            self.add_error(
                "fact_correction" if correction else "fact_fix",
                _("Nothing published that needs it has changed; leave this empty."),
            )
        return cleaned_data
