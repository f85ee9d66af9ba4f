"""The staff side of CBP encounter counts: the rows are view-only, and files come in through an upload page.

Imports are the only write (briefings/encounters/importer/); only users with the import permission (Publishers,
superusers) may upload. An upload becomes a background job (importer/jobs.py) with a page of its own that shows
its progress, then its result or its problems, and offers to run it again if its worker was lost.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..admin.base import ReadOnlyAdminMixin
from ..roles import IMPORT_ENCOUNTERS_PERMISSION
from .importer import jobs
from .models import EncounterCount, EncounterImportJob


class EncounterImportForm(forms.Form):
    file = forms.FileField(
        label=_("CBP CSV file"),
        help_text=_(
            "A “Nationwide Encounters” CSV file as CBP publishes it (or with snake_case column names), UTF-8. "
            "Counts it revises are replaced; a file with any problem is refused as a whole. It is imported in the "
            "background: the next page shows how far it has got."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"), required=False, help_text=_("Report what would be added and replaced; save nothing.")
    )


@admin.register(EncounterCount)
class EncounterCountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "month",
        "fiscal_year",
        "month_abbv",
        "component",
        "area_of_responsibility",
        "demographic",
        "citizenship",
        "title_of_authority",
        "encounter_type",
        "encounter_count",
    ]
    list_filter = ["fiscal_year", "component", "land_border_region", "encounter_type"]
    search_fields = ["citizenship", "area_of_responsibility", "aor_abbv"]
    date_hierarchy = "month"
    list_per_page = 100
    # The table holds hundreds of thousands of rows: do not count them all again on every filtered page.
    show_full_result_count = False
    fieldsets = [
        (_("When"), {"fields": ["fiscal_year", "month_abbv", "month"]}),
        (_("Where"), {"fields": ["component", "land_border_region", "area_of_responsibility", "aor_abbv"]}),
        (_("Who"), {"fields": ["demographic", "citizenship", "title_of_authority", "encounter_type"]}),
        (_("Count"), {"fields": ["encounter_count"]}),
    ]

    def has_import_permission(self, request):
        return request.user.has_perm(f"briefings.{IMPORT_ENCOUNTERS_PERMISSION}")

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=f"{prefix}_import"),
            path("import/<int:job_id>/", self.admin_site.admin_view(self.job_view), name=f"{prefix}_import_job"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = EncounterImportForm(request.POST, request.FILES) if request.method == "POST" else EncounterImportForm()
        if form.is_bound and form.is_valid():
            job = jobs.start(upload=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"], user=request.user)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_job", job_id=job.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import CBP CSV"),
            "form": form,
            "recent_jobs": EncounterImportJob.objects.select_related("created_by")[:10],
        }
        return TemplateResponse(request, "admin/briefings/encountercount/import.html", context)

    def job_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(EncounterImportJob, pk=job_id)
        if request.method == "POST":
            if jobs.retry(job):
                self.message_user(request, _("The import was queued again."), messages.SUCCESS)
            else:
                self.message_user(request, _("This import is not one that can be run again."), messages.WARNING)
            return redirect(request.path)
        result, refusal = jobs.outcome(job)
        running = job.status in (job.Status.QUEUED, job.Status.RUNNING)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("CBP import: %(name)s") % {"name": job.name},
            "job": job,
            "result": result,
            "refusal": refusal,
            "progress": jobs.Progress(job.pk).read() if running else {},
            "running": running,
            "can_retry": job.status == job.Status.FAILED or (job.status == job.Status.RUNNING and jobs.stalled(job)),
        }
        return TemplateResponse(request, "admin/briefings/encountercount/job.html", context)
