"""The audit log: every saved version of the desk's content, newest first, read-only."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import ContentChange
from .base import ReadOnlyAdminMixin


@admin.register(ContentChange)
class ContentChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log: every saved version of the desk's content, newest first, read-only."""

    list_display = ["saved_at", "saved_by", "kind", "record", "comment"]
    list_filter = [
        ("revision__user", admin.RelatedOnlyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["revision__user", "content_type"]
    search_fields = ["object_repr", "revision__comment"]
    date_hierarchy = "revision__date_created"
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).filter(content_type__app_label="briefings")

    @admin.display(description=_("saved"), ordering="revision__date_created")
    def saved_at(self, change):
        return change.revision.date_created

    @admin.display(description=_("by"), ordering="revision__user")
    def saved_by(self, change):
        return change.revision.user or "—"

    @admin.display(description=_("type"), ordering="content_type")
    def kind(self, change):
        return change.content_type.name

    @admin.display(description=_("record"))
    def record(self, change):
        try:
            url = reverse(f"admin:briefings_{change.content_type.model}_history", args=[change.object_id])
        except NoReverseMatch:
            return change.object_repr
        return format_html('<a href="{}">{}</a>', url, change.object_repr)

    @admin.display(description=_("comment"))
    def comment(self, change):
        return change.revision.get_comment()
