"""The public pages for CBP's official encounter counts: /encounters/ and its CSV and JSON downloads.

The page and the downloads read the same query parameters through the same form
(briefings/encounters/filters.py) and render the same `EncounterReport` tables (briefings/encounters/report.py),
so a download holds exactly the rows and numbers the page shows. Bad parameters are a 400 that names the
parameter and the problem, never a 500.

Queries: the list of areas of responsibility (for the form and to check ?area=), then one GROUP BY per table over
the totals the importer keeps (briefings/encounters/totals.py), never over the counts; tests/test_encounter_pages.py
holds the numbers.
"""

import csv

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .. import structured_data
from ..fast_paths import page_url
from ..views.mixins import SectionMixin
from .filters import ALL_REGIONS, EncounterFilterForm, areas_of_responsibility
from .months import month_key
from .report import CBP_URL, EncounterReport
from .tables import spreadsheet_safe


class EncounterFiltersMixin:
    """Reads and checks the query parameters; sets `self.form`, and `self.report` when they are valid."""

    def load_report(self):
        self.form = EncounterFilterForm(self.request.GET, areas=areas_of_responsibility())
        self.report = EncounterReport(self.form.filters()) if self.form.is_valid() else None
        return self.report

    def page_url(self, **changes):
        return f"{page_url('briefings:encounters')}?{self.report.filters.query_string(**changes)}"


class EncounterReportView(SectionMixin, EncounterFiltersMixin, TemplateView):
    template_name = "briefings/encounter_report.html"
    section = "encounters"

    def get(self, request, *args, **kwargs):
        report = self.load_report()
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=200 if report else 400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, report=self.report, cbp_url=CBP_URL, **kwargs)
        data = self.form.data
        context["submitted"] = {name: data.get(name, "") for name in ("region", "area", "from", "to")}
        if self.report is None:
            # Show back what was asked, so the reader can correct it.
            cleaned = getattr(self.form, "cleaned_data", {})
            context["selected_region"] = cleaned.get("region") or context["submitted"]["region"]
            area = cleaned.get("area")
            context["selected_area"] = (area.abbv or area.name) if area else ""
            return context
        filters = self.report.filters
        context["selected_region"] = filters.region or ALL_REGIONS
        context["selected_area"] = (filters.area.abbv or filters.area.name) if filters.area else ""
        query = filters.query_string()
        context["all_data_url"] = f"{page_url('briefings:encounter-data')}?{query}"
        if filters.area is not None:
            context["whole_region_url"] = self.page_url(area=None)
        # Nothing to chart when no data covers the filters: the page says so instead of drawing empty charts.
        context["sections"] = [
            (
                table,
                f"{page_url('briefings:encounter-table-csv', table=table.slug)}?{query}",
                f"{page_url('briefings:encounter-table-json', table=table.slug)}?{query}",
            )
            for table in ([] if self.report.is_empty else self.report.tables)
        ]
        if not self.report.is_empty:
            context["structured_data"] = self.dataset_json_ld(context)
        return context

    def dataset_json_ld(self, context):
        report, absolute = self.report, self.request.build_absolute_uri
        downloads = [("application/json", absolute(context["all_data_url"]))]
        downloads += [("text/csv", absolute(csv_url)) for _table, csv_url, _json_url in context["sections"]]
        article = structured_data.dataset(
            name=_("Official encounter counts: %(place)s") % {"place": report.filters.place},
            description=_(
                "U.S. Customs and Border Protection's monthly “Nationwide Encounters” counts as loaded in the desk, "
                "by month, area of responsibility, component, demographic, citizenship and encounter type."
            ),
            url=absolute(),
            downloads=downloads,
            temporal_coverage=f"{report.first_month:%Y-%m}/{report.last_month:%Y-%m}",
            creator_name="U.S. Customs and Border Protection",
            creator_url=CBP_URL,
        )
        return structured_data.as_script(article)


class EncounterDownloadView(EncounterFiltersMixin, View):
    """One table (or, with no table named, all of them) as CSV or JSON, for the same query parameters."""

    format = "json"

    def get(self, request, table=None):
        if self.load_report() is None:
            return self.refusal()
        if self.format == "csv":
            return self.csv_response(self.table_or_404(table))
        data = self.report.as_json() if table is None else self.report.table_as_json(self.table_or_404(table))
        data["page"] = request.build_absolute_uri(self.page_url())
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'inline; filename="{self.filename(table or "data", "json")}"'
        return response

    def table_or_404(self, slug):
        try:
            return self.report.table(slug)
        except KeyError:
            raise Http404(_("There is no table called “%(slug)s”.") % {"slug": slug}) from None

    def filename(self, slug, extension):
        filters = self.report.filters
        parts = ["cbp-encounters", slug, slugify(filters.region or "nationwide")]
        if filters.area is not None:
            parts.append(slugify(filters.area.abbv or filters.area.name))
        if filters.start:
            parts.append(f"from-{month_key(filters.start)}")
        if filters.end:
            parts.append(f"to-{month_key(filters.end)}")
        return f"{'-'.join(parts)}.{extension}"

    def csv_response(self, table):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.filename(table.slug, "csv")}"'
        csv.writer(response, lineterminator="\n").writerows(
            [[spreadsheet_safe(cell) for cell in row] for row in table.csv_rows()]
        )
        return response

    def refusal(self):
        problems = self.form.problems()
        if self.format == "csv":
            text = "\n".join(f"{parameter}: {message}" for parameter, message in problems)
            return HttpResponse(text + "\n", status=400, content_type="text/plain; charset=utf-8")
        errors = {parameter: [m for p, m in problems if p == parameter] for parameter, _m in problems}
        return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
