"""No lost updates, and no silent reverts: the stale-save guard every admin form and inline row carries.

Each form carries the `updated_at` of the record it showed (`edit_token`). A save from a form whose record was
saved by someone else since is refused: the error says who changed what meanwhile, the fields this author did not
change now show what was saved meanwhile, and a field both changed is a conflict, shown with both values (the
form keeps the author's; a button takes the other). The refused form also carries the version its author has now
seen (`edit_seen`). Saving it again applies only the fields this author changed since opening the form: the
others keep what is stored, so a change saved meanwhile is never put back by a field the author never touched.
"""

import datetime

from django import forms
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorDict
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .. import history

EDIT_TOKEN = "edit_token"
SEEN_TOKEN = "edit_seen"
TOKENS = (EDIT_TOKEN, SEEN_TOKEN)
CONFLICT = "stale_conflict"


class StaleEditGuardForm(forms.ModelForm):
    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    edit_seen = forms.CharField(widget=forms.HiddenInput, required=False)

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
        base = history.state_at(self.instance, loaded_at=loaded_at) if loaded_at else None
        if _parse_token(cleaned_data.get(SEEN_TOKEN)) == current:
            # Saved again after seeing what changed: apply only what this author changed.
            if base is not None:
                for name in self._unchanged_by_author(base):
                    del cleaned_data[name]
            return cleaned_data
        self.data = self.data.copy()
        self.data[self.add_prefix(SEEN_TOKEN)] = current.isoformat()
        conflicts = []
        if base is not None:
            stored = history.record_state(self.instance)
            for name in self._content_fields():
                field = self.instance._meta.get_field(name)
                theirs = stored.get(field.attname)
                if history.comparable(theirs) == history.comparable(base.get(field.attname)):
                    continue
                if name in self._unchanged_by_author(base):
                    self._show(name, theirs)
                elif history.comparable(self._model_value(name)) != history.comparable(theirs):
                    conflicts.append((name, theirs))
        raise ValidationError(self._stale_messages(loaded_at, conflicts))

    # --- the author's changes ---------------------------------------------------------------------------------

    def _content_fields(self) -> list[str]:
        names = {field.name for field in self.instance._meta.get_fields() if field.concrete or field.many_to_many}
        return [
            name
            for name in self.fields
            if name in names and name in self.cleaned_data and name not in history.IGNORED_FIELDS
        ]

    def _model_value(self, name):
        """The cleaned value of `name` as the record stores it (a pk, a list of pks, or the value)."""
        value = self.cleaned_data.get(name)
        field = self.instance._meta.get_field(name)
        if field.many_to_many:
            return [item.pk for item in value or []]
        if field.is_relation:
            return value.pk if isinstance(value, models.Model) else value
        return value

    def _unchanged_by_author(self, base: dict) -> list[str]:
        changed = self.changed_from(base)
        return [name for name in self._content_fields() if name not in changed]

    def changed_from(self, base: dict) -> list[str]:
        """The content fields whose cleaned value differs from `base` (a stored state): what this author changed."""
        return [
            name
            for name in self._content_fields()
            if history.comparable(self._model_value(name))
            != history.comparable(base.get(self.instance._meta.get_field(name).attname))
        ]

    def _show(self, name, value) -> None:
        """Put a stored value into the bound data of field `name`, as its widget would have rendered it."""
        key, field = self.add_prefix(name), self.fields[name]
        widget = getattr(field.widget, "widget", field.widget)  # the admin wraps related fields' widgets
        if isinstance(widget, forms.MultiWidget):
            for index, (part, subwidget) in enumerate(zip(widget.decompress(value), widget.widgets, strict=True)):
                self.data[f"{key}_{index}"] = subwidget.format_value(part) or ""
        elif isinstance(widget, forms.SelectMultiple):
            self.data.setlist(key, [str(pk) for pk in value or []])
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
        else:
            self.data[key] = "" if value is None else str(field.prepare_value(value))

    # --- what the author is told ------------------------------------------------------------------------------

    def _stale_messages(self, loaded_at, conflicts):
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
                    "applied. What you typed is still in the form; the fields you did not change now show what "
                    "was saved meanwhile. Review what changed below, then save again: only your changes are "
                    "applied."
                ),
                code="stale",
                params={
                    "record": self.instance._meta.verbose_name,
                    "who": ", ".join(savers) if savers else _("outside the admin"),
                    "when": f", {date_format(localtime(latest), 'DATETIME_FORMAT')}" if latest else "",
                },
            )
        ]
        conflicting = dict(conflicts)
        model = type(self.instance)
        for change in changes:
            if change.name in conflicting:
                messages.append(
                    ValidationError(
                        _(
                            "Changed by you and meanwhile: %(field)s. Yours: “%(mine)s”; saved meanwhile: "
                            "“%(theirs)s”. The form keeps yours: saving again applies it."
                        ),
                        code=CONFLICT,
                        params={
                            "field": change.label,
                            "mine": history.readable(model, change.name, self._model_value(change.name)),
                            "theirs": change.new,
                            "name": change.name,
                            "stored": self._form_value(change.name, conflicting[change.name]),
                        },
                    )
                )
            else:
                messages.append(
                    ValidationError(
                        _("Changed meanwhile: %(field)s, from “%(old)s” to “%(new)s”."),
                        code="stale_field",
                        params={"field": change.label, "old": change.old, "new": change.new},
                    )
                )
        return messages

    def _form_value(self, name, value) -> str | None:
        """The stored value as one field's text, for a button that puts it in (None for fields of many inputs)."""
        field = self.fields[name]
        widget = getattr(field.widget, "widget", field.widget)
        if isinstance(widget, forms.MultiWidget | forms.SelectMultiple | forms.CheckboxInput):
            return None
        return "" if value is None else str(field.prepare_value(value))


def _parse_token(token):
    try:
        return datetime.datetime.fromisoformat(token) if token else None
    except ValueError:
        return None


class StaleGuardInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows and deletions under the same guard.

    - A row deleted by someone else since the form was opened: if its author changed nothing in it, it is left
      deleted and the rest saves; if they did, the save is refused saying so, and saving again (from the page
      that says so, which no longer shows the row) leaves it deleted.
      (Django's own answer is “Select a valid choice” and no way forward.)
    - A row this author deletes that someone else changed meanwhile: refused, saying what changed; saving again
      deletes it.
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # An initial row whose record is gone: its pk as posted, or "" when the page showed no such row (the
        # page that said it was deleted meanwhile).
        gone = self.is_bound and i < self.initial_form_count() and form.instance.pk is None
        form.deleted_meanwhile = (form.data.get(form.add_prefix(self.model._meta.pk.name)) or "") if gone else None
        return form

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for form in self.forms:
            if getattr(form, "deleted_meanwhile", None) == "":
                form._errors = ErrorDict()
            elif getattr(form, "deleted_meanwhile", None):
                self._row_deleted_meanwhile(form)
            elif self.can_delete and self._should_delete_form(form) and form.instance.pk is not None:
                stale = [error for error in form.non_field_errors().as_data() if error.code == "stale"]
                if stale:
                    self._non_form_errors.append(
                        ValidationError(
                            _(
                                "You are deleting “%(record)s”, which was saved by someone else after you opened "
                                "the form. Review the changes below, then save again to delete it anyway."
                            ),
                            params={"record": form.instance},
                            code="stale_delete",
                        )
                    )
        self._errors = [form.errors for form in self.forms]

    def _row_deleted_meanwhile(self, form) -> None:
        loaded_at = _parse_token(form.data.get(form.add_prefix(EDIT_TOKEN)))
        versions = history.versions_of(self.model, form.deleted_meanwhile)
        base = history.state_in(versions, loaded_at) if loaded_at else None
        changed = base is None or bool(form.changed_from(base))
        form._errors = ErrorDict()
        if not changed or self._should_delete_form(form):
            return  # left deleted; the row's instance has no pk, so the formset does not save it
        # The admin shows no row for a record that is gone, so the formset says it; the page it answers with has
        # no such row, and saving it again leaves the record deleted.
        deletion = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=str(form.deleted_meanwhile),
                action_flag=DELETION,
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        self._non_form_errors.append(
            ValidationError(
                _(
                    "“%(record)s” was deleted by %(who)s after you opened the form, so your changes to it were not "
                    "saved. Save again to save the rest; a Publisher can recover it from its history."
                ),
                params={
                    "record": versions[0].object_repr if versions else self.model._meta.verbose_name,
                    "who": str(deletion.user) if deletion else _("someone"),
                },
                code="deleted_meanwhile",
            )
        )
