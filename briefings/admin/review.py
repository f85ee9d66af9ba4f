"""Changes to live content held for review (briefings/review.py): Editors see theirs; Publishers approve or reject."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .. import review
from ..models import PendingChange
from ..roles import PUBLISH_PERMISSION


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(label=_("decision"), choices=PendingChange.Decision.choices, widget=forms.RadioSelect)

    class Meta:
        model = PendingChange
        fields = ["decision", "note"]

    def clean(self):
        cleaned_data = super().clean()
        if "decision" in cleaned_data:
            try:
                review.check_decision(
                    self.instance, decision=cleaned_data["decision"], note=cleaned_data.get("note", "")
                )
            except ValidationError as error:
                self.add_error("decision" if error.code == "fact_changed" else "note", error)
        if cleaned_data.get("decision") not in (None, PendingChange.Decision.REJECT):
            try:
                review.check_applies(self.instance)
            except ValidationError as error:
                self.add_error(None, _("It cannot be approved as it stands: %(why)s") % {"why": _messages(error)})
        return cleaned_data


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    form = DecisionForm
    list_display = ["object_repr", "content_type", "briefing", "created_by", "created_at", "status"]
    list_filter = ["status", "content_type"]
    list_select_related = ["content_type", "briefing", "created_by"]
    readonly = ["content_type", "object_repr", "briefing", "created_by", "created_at", "status", "what_it_changes"]
    decided = ["decision", "note", "decided_by", "decided_at"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status == PendingChange.Status.PENDING and self._is_publisher(request):
            return [*self.readonly, "decision", "note"]
        return [*self.readonly, *self.decided]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if not self.has_change_permission(request, obj) else self.readonly

    @admin.display(description=_("what it changes"))
    def what_it_changes(self, change):
        rows = [(item.label, item.old, item.diff_html) for item in review.proposed_changes(change)]
        if not rows:
            return _("Nothing: the record already holds these values.")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("field"),
            _("published now"),
            _("proposed"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return self._is_publisher(request) and (obj is None or obj.status == PendingChange.Status.PENDING)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and request.user.has_perm("briefings.view_pendingchange")

    def save_model(self, request, obj, form, change):
        decision, note = form.cleaned_data["decision"], form.cleaned_data.get("note", "")
        if decision == PendingChange.Decision.REJECT:
            review.change_reject(change=obj, user=request.user, note=note)
        else:
            review.change_approve(change=obj, user=request.user, decision=decision, note=note)
        obj.refresh_from_db()

    def _is_publisher(self, request):
        return request.user.has_perm(f"briefings.{PUBLISH_PERMISSION}")
