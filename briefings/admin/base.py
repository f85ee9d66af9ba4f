"""What every admin page of the desk's content shares.

- History: each save stores a version (django-reversion). The history page shows who changed what, field by
  field, with a readable diff, and links to restore that version.
- Restore: reverting to an earlier version, or recovering a deleted record, may change what readers see, so
  it is a Publisher's action, like deleting (Editors get 403).
- No lost updates: each form carries the `updated_at` of the record it showed. A save from a form whose
  record has been saved by someone else since is refused, the error says who changed what meanwhile, and
  the form keeps what its author typed; saving again then overwrites knowingly.
"""

import datetime
import logging

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from .. import history
from ..evidence import rules
from ..log import log_event

logger = logging.getLogger(__name__)

EDIT_TOKEN = "edit_token"
PROVENANCE = _("Provenance")


class StaleEditGuardForm(forms.ModelForm):
    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.instance.updated_at:
            self.fields[EDIT_TOKEN].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or self.instance._state.adding:
            return cleaned_data
        # Locked until the request's transaction ends, so two saves cannot both pass this check.
        current = (
            type(self.instance)
            ._base_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        loaded_at = _parse_token(cleaned_data.get(EDIT_TOKEN))
        if current is None or loaded_at == current:
            return cleaned_data
        # Let the author's next save go through: they have now seen what changed.
        self.data = self.data.copy()
        self.data[self.add_prefix(EDIT_TOKEN)] = current.isoformat()
        raise ValidationError(self._stale_messages(loaded_at))

    def _stale_messages(self, loaded_at):
        if loaded_at is None:
            return [
                ValidationError(
                    _("This form did not say which version of the record it showed. Check the values and save again."),
                    code="stale",
                )
            ]
        changes, versions = history.changed_since(self.instance, loaded_at=loaded_at)
        savers = sorted({str(version.revision.user or _("an unknown user")) for version in versions})
        latest = versions[0].revision.date_created if versions else None
        messages = [
            ValidationError(
                _(
                    "Someone saved this %(record)s after you opened it (%(who)s%(when)s), so your save was not "
                    "applied. What you typed is still in the form. Review what changed below, then save again "
                    "to keep your version."
                ),
                code="stale",
                params={
                    "record": self.instance._meta.verbose_name,
                    "who": ", ".join(savers) if savers else _("outside the admin"),
                    "when": f", {date_format(localtime(latest), 'DATETIME_FORMAT')}" if latest else "",
                },
            )
        ]
        messages += [
            ValidationError(
                _("Changed meanwhile: %(field)s, from “%(old)s” to “%(new)s”."),
                code="stale_field",
                params={"field": change.label, "old": change.old, "new": change.new},
            )
            for change in changes
        ]
        return messages


def _parse_token(token):
    try:
        return datetime.datetime.fromisoformat(token) if token else None
    except ValueError:
        return None


class DeskAdmin(VersionAdmin):
    form = StaleEditGuardForm
    # Editors paste addresses without a scheme; https is the right guess (and Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    history_latest_first = True
    object_history_template = "admin/briefings/object_history.html"
    change_list_template = "admin/briefings/change_list.html"
    change_form_template = "admin/briefings/change_form.html"

    def reversion_register(self, model, **options):
        # A save that changes nothing (or loading the fixtures again) adds no version.
        super().reversion_register(model, ignore_duplicates=True, **options)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if EDIT_TOKEN in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], EDIT_TOKEN]}), *rest]

    def has_restore_permission(self, request):
        return self.has_delete_permission(request)

    def render_change_form(self, request, context, *args, **kwargs):
        forms = [context["adminform"].form] + [
            inline_form.form for formset in context.get("inline_admin_formsets", []) for inline_form in formset
        ]
        context["source_wordings"] = source_wordings(forms)
        return super().render_change_form(request, context, *args, **kwargs)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"has_restore_permission": self.has_restore_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            history.record_baseline(self.model, unquote(object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {
            "entries": history.history(obj) if obj is not None else [],
            "has_restore_permission": self.has_restore_permission(request),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self._require_restore_permission(request)
        response = super().revision_view(request, object_id, version_id, extra_context)
        self._log_restore(request, response, "record restored", object_id=unquote(object_id), version=version_id)
        return response

    def recoverlist_view(self, request, extra_context=None):
        self._require_restore_permission(request)
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        self._require_restore_permission(request)
        response = super().recover_view(request, version_id, extra_context)
        self._log_restore(request, response, "record recovered", version=version_id)
        return response

    def _log_restore(self, request, response, event, **fields):
        """django-reversion answers a restore that went through with a redirect; a form with errors is a 200."""
        if request.method == "POST" and response.status_code == 302:
            log_event(logger, event, model=self.opts.model_name, **fields, user=request.user.get_username())

    def _require_restore_permission(self, request):
        if not self.has_restore_permission(request):
            raise PermissionDenied


def source_wordings(forms) -> list[dict]:
    """For each field refused as not word for word: its id and the source's closest passage, to offer in a click."""
    wordings = []
    for form in forms:
        if not form.is_bound:
            continue
        for name, errors in form.errors.as_data().items():
            for error in errors:
                passage = (error.params or {}).get("passage") if error.code == rules.NOT_VERBATIM else None
                if passage and name in form.fields:
                    wordings.append({"for": form[name].auto_id, "text": passage})
    return wordings


class ReadOnlyAdminMixin:
    """For records staff read but never write by hand (imported counts, the audit log)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeskInline:
    """Mixed into inlines: the same stale-edit guard on every inline record."""

    form = StaleEditGuardForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if EDIT_TOKEN in flatten_fieldsets([(None, {"fields": fields})]) else [*fields, EDIT_TOKEN]


class DeskStackedInline(DeskInline, admin.StackedInline):
    pass
