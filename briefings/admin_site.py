"""The desk's admin site: Django's, with pickers (autocomplete fields) that say what each choice belongs to.

It lives beside the admin package, not in it: Django makes the site while that package is being imported (the
package's modules register with it), so the site's module must not import the package.

A model admin with `autocomplete_label(obj)` labels its records in every picker that searches them (a figure or
an offer names its briefing), and may read `?briefing=` (see BriefingFirst) to list the records of the briefing
being edited first. settings.INSTALLED_APPS names briefings.apps.DeskAdminConfig, which makes this `admin.site`.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class DeskAutocompleteJsonView(AutocompleteJsonView):
    def get_queryset(self):
        if hasattr(self.source_field, "get_limit_choices_to"):
            return super().get_queryset()
        # A picker on the other side of a many-to-many (a briefing's reward offers): no limit_choices_to there.
        queryset = self.model_admin.get_queryset(self.request)
        queryset, use_distinct = self.model_admin.get_search_results(self.request, queryset, self.term)
        return queryset.distinct() if use_distinct else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        return {**result, "text": label(obj)} if label else result


class DeskAdminSite(admin.AdminSite):
    site_header = _("Border Briefings Desk")
    site_title = _("Briefings desk admin")
    index_title = _("Editing the desk")

    def autocomplete_view(self, request):
        return DeskAutocompleteJsonView.as_view(admin_site=self)(request)


class BriefingFirst:
    """Mixed into a picker: its search asks for the records of one briefing first (`?briefing=<pk>`); set
    `briefing_pk` once the briefing being edited is known."""

    briefing_pk = None

    def get_url(self):
        url = super().get_url()
        return f"{url}?{urlencode({'briefing': self.briefing_pk})}" if self.briefing_pk else url


class BriefingFirstAutocomplete(BriefingFirst, AutocompleteSelect):
    pass


class BriefingFirstAutocompleteMultiple(BriefingFirst, AutocompleteSelectMultiple):
    pass


class PickerSearch:
    """Mixed into a model admin whose records pickers list: its `for_pickers(queryset, briefing_pk=…)` loads what
    `autocomplete_label()` reads and puts the records of the briefing being edited first."""

    def for_pickers(self, queryset, *, briefing_pk=None):
        return queryset

    def get_search_results(self, request, queryset, search_term):
        queryset, use_distinct = super().get_search_results(request, queryset, search_term)
        searching, briefing_pk = picker_search(request)
        return (self.for_pickers(queryset, briefing_pk=briefing_pk) if searching else queryset), use_distinct


def picker_search(request) -> tuple[bool, int | None]:
    """(whether `request` is a picker's search, the `?briefing=` it asks to see first or None)."""
    match = request.resolver_match
    if match is None or match.url_name != "autocomplete":
        return False, None
    value = request.GET.get("briefing", "")
    return True, int(value) if value.isdigit() and len(value) < 12 else None
