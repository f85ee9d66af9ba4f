"""What every admin page of the desk's content shares.

- History: each save stores a version (django-reversion). The history page shows who changed what, field by
  field, with a readable diff, and links to restore that version.
- Restore: reverting to an earlier version, or recovering a deleted record, may change what readers see, so
  it is a Publisher's action, like deleting (Editors get 403).
- No lost updates, no silent reverts: the stale-save guard on every form and inline row (stale.py).
- Live content through review: an Editor's save of what readers see is held for a Publisher
  (briefings/review.py); nothing of it is written, logged as a change or shown to readers until approved.
- Buttons that fill a field in one click: the source's wording, the version saved meanwhile; slugs and sources
  that fill themselves (entry.py).
"""

import logging

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from reversion.admin import VersionAdmin

from .. import history, review
from ..evidence import rules
from ..languages import column
from ..log import log_event
from ..roles import PUBLISH_PERMISSION
from .entry import QuickEntryForm
from .facts import FACT_FIELDS
from .stale import CONFLICT, TOKENS, StaleGuardInlineFormSet

logger = logging.getLogger(__name__)

PROVENANCE = _("Provenance")


class DeskAdmin(VersionAdmin):
    form = QuickEntryForm
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
        present = flatten_fieldsets(fieldsets)
        missing = [token for token in TOKENS if token not in present]
        if missing:
            (name, options), *rest = fieldsets
            fieldsets = [(name, {**options, "fields": [*options["fields"], *missing]}), *rest]
        if _asks_for_fact_changes(self.model, request) and FACT_FIELDS[0] not in present:
            fieldsets = [*fieldsets, (_("If this changes a published fact"), {"fields": FACT_FIELDS})]
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def has_restore_permission(self, request):
        return self.has_delete_permission(request)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        forms = [context["adminform"].form] + [
            inline_form.form for formset in context.get("inline_admin_formsets", []) for inline_form in formset
        ]
        context["fill_buttons"] = fill_buttons(forms)
        context["pending_changes"] = review.pending_for(obj) if obj is not None and obj.pk else []
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"has_restore_permission": self.has_restore_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    # --- live content through review (briefings/review.py) ---------------------------------------------------

    def save_model(self, request, obj, form, change):
        # A new record is held too when readers would see it at once: an offer, a tip channel, a figure or quote
        # added to a published briefing on its own add page.
        if review.needs_review(obj, request.user):
            request.held_for_review = True
            held = review.change_propose(record=obj, form=form, user=request.user)
            if held:
                request.held_changes = getattr(request, "held_changes", 0) + 1
                request.held_change = held
            return
        super().save_model(request, obj, form, change)
        _record_fact_change(request, obj, form)

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "held_for_review", False):
            return super().save_related(request, form, formsets, change)
        for formset in formsets:  # the record's own many-to-many links are in its held change
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        """Save the rows, holding for review those an Editor changed in live content; a Publisher's rows may
        carry a correction or a fix of a changed published fact."""
        parent_key = getattr(formset, "fk", None)  # an inline's link to its record, set by the formset on save
        for inline_form in formset.forms:
            if parent_key is not None and inline_form.has_changed():
                setattr(inline_form.instance, parent_key.name, formset.instance)  # a new record's, now saved
            if inline_form.has_changed() and review.needs_review(inline_form.instance, request.user):
                if review.change_propose(record=inline_form.instance, form=inline_form, user=request.user):
                    request.held_changes = getattr(request, "held_changes", 0) + 1
                inline_form.has_changed = lambda: False  # so the formset saves the other rows, not this one
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if inline_form.instance.pk is not None and getattr(inline_form, "cleaned_data", None):
                _record_fact_change(request, inline_form.instance, inline_form)

    def log_addition(self, request, obj, message):
        if getattr(request, "held_for_review", False):  # the new record is held: it does not exist yet
            return
        super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if getattr(request, "held_for_review", False):  # the record's change is held: not a change yet
            return
        super().log_change(request, obj, message)
        fixes = getattr(request, "fact_fixes", [])
        if fixes:
            fix = _("Non-substantive fix: %(note)s") % {"note": "; ".join(fixes)}
            reversion.set_comment(f"{reversion.get_comment()} {fix}".strip())

    def response_add(self, request, obj, post_url_continue=None):
        change = getattr(request, "held_change", None)
        if obj.pk is not None or change is None:
            return super().response_add(request, obj, post_url_continue)
        held = _("The new %(kind)s is waiting for a Publisher's review; readers will see it once it is approved.") % {
            "kind": self.opts.verbose_name
        }
        change_url = reverse("admin:briefings_pendingchange_change", args=[change.pk])
        if IS_POPUP_VAR in request.POST:  # a “+” window: nothing to pick in the form that opened it, so say so there
            context = {**self.admin_site.each_context(request), "is_popup": True, "title": held, "opts": self.opts}
            context["change_url"] = change_url
            return TemplateResponse(request, "admin/briefings/held_in_popup.html", context)
        self.message_user(request, held, messages.WARNING)
        return HttpResponseRedirect(change_url)

    def response_change(self, request, obj):
        held = getattr(request, "held_changes", 0)
        if not held:
            return super().response_change(request, obj)
        self.message_user(
            request,
            ngettext(
                "Your change is waiting for a Publisher's review; readers still see the published version.",
                "Your %(count)d changes are waiting for a Publisher's review; readers still see the published "
                "version.",
                held,
            )
            % {"count": held},
            messages.WARNING,
        )
        return HttpResponseRedirect(request.path)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            history.record_baseline(self.model, unquote(object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_model(self, request, obj):
        # A record deleted without a version (made before history was kept, or outside the admin) gets one first,
        # so it can be recovered and a stale form that still shows it knows what its author saw.
        history.record_baseline(type(obj), obj.pk)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            history.record_baseline(self.model, pk)
        super().delete_queryset(request, queryset)

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


def _asks_for_fact_changes(model, request) -> bool:
    """Publishers say what a change of a published fact is; Editors' changes of live content are held instead."""
    return model in review.FACTS and request.user.has_perm(f"briefings.{PUBLISH_PERMISSION}")


def _record_fact_change(request, record, form) -> None:
    """A Publisher's change of a published fact: publish its correction, or remember its fix for the comment."""
    correction = (form.cleaned_data.get("fact_correction") or "").strip()
    fix = (form.cleaned_data.get("fact_fix") or "").strip()
    if correction:
        review.fact_correction_publish(record=record, text=correction, user=request.user)
    if fix:
        request.fact_fixes = [*getattr(request, "fact_fixes", []), f"{record}: {fix}"]


def fill_buttons(forms) -> list[dict]:
    """Buttons that put a value into a field in one click: the source's closest wording for a passage refused as
    not word for word, and the value saved meanwhile for a field of a stale save that both authors changed."""
    buttons = []
    for form in forms:
        if not form.is_bound:
            continue
        for name, errors in form.errors.as_data().items():
            for error in errors:
                params = error.params or {}
                if error.code == rules.NOT_VERBATIM and params.get("passage") and name in form.fields:
                    buttons.append(
                        {"for": form[name].auto_id, "text": params["passage"], "label": _("Use the source’s wording")}
                    )
                elif error.code == CONFLICT and params.get("stored") is not None and params["name"] in form.fields:
                    buttons.append(
                        {
                            "for": form[params["name"]].auto_id,
                            "text": params["stored"],
                            "label": _("Use the version saved meanwhile"),
                        }
                    )
    return buttons


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

    form = QuickEntryForm
    formset = StaleGuardInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        return formset

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        present = flatten_fieldsets([(None, {"fields": fields})])
        facts = FACT_FIELDS if _asks_for_fact_changes(self.model, request) else []
        return [*fields, *(name for name in [*TOKENS, *facts] if name not in present)]


class DeskStackedInline(DeskInline, admin.StackedInline):
    pass


def side_by_side(name: str) -> tuple[str, ...]:
    """A translated field's columns (`headline_en`, `headline_es`) as one row of a fieldset: the English and the
    Spanish edited beside each other. Fields not named this way are listed one language under the other."""
    return tuple(column(name, code) for code, _name in settings.LANGUAGES)


class TranslatedDeskAdmin(DeskAdmin, TranslationAdmin):
    """DeskAdmin for a model with translated fields (briefings/translation.py): each is edited in every
    language, English required where the field is; the field's own column is not in the form."""

    class Media:
        css = {"all": ["admin/briefings/languages.css"]}


class TranslatedStackedInline(DeskInline, TranslationStackedInline):
    class Media:
        css = {"all": ["admin/briefings/languages.css"]}
