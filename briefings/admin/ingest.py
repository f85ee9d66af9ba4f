"""“New briefing from a report”: paste or upload a report, review what the ingest assistant proposes, accept.

1. The start page takes the text (pasted, or a .txt, .html or .pdf file) and stores it as a Source; the same text
   again finds the Source it already is.
2. The review page shows the text with every proposal highlighted, and a row per proposal (report_review.py):
   accept or reject, and its fields to correct (a figure's metric, value, qualifier, unit and period; a quote's
   speaker; an offer's program, target, amount and kind). What the desk already holds from this source is shown
   as accepted.
3. Accepting makes a draft briefing with the accepted figures (with the change a percentage states), quotes, offers
   and links, in one transaction (briefings/reports.py): a refused row says why, and nothing is saved.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .. import reports, services
from ..ingest import propose
from ..ingest.documents import Document, UnreadableDocument, from_text, read_file
from ..ingest.names import directory_from_database
from ..models import (
    Source,
)
from ..models.base import unique_slug
from .report_review import Review

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Paste the report"), widget=forms.Textarea(attrs={"rows": 14}), required=False)
    file = forms.FileField(label=_("or upload it"), required=False, help_text=_(".txt (UTF-8), .html or .pdf"))
    title = forms.CharField(label=_("Title"), max_length=300, required=False, help_text=_("Empty: read from it."))
    published_on = forms.DateField(label=_("Publication date"), required=False, help_text=_("Empty: read from it."))

    def clean(self):
        cleaned_data = super().clean()
        text, upload = cleaned_data.get("text", "").strip(), cleaned_data.get("file")
        if bool(text) == bool(upload):
            raise ValidationError(_("Paste the report or upload its file (one of the two)."))
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("%(name)s is larger than 20 MB: no report is.") % {"name": upload.name})
        try:
            document = read_file(upload.name, upload.read()) if upload else from_text(text)
        except UnreadableDocument as error:
            raise ValidationError(str(error)) from None
        if cleaned_data.get("title"):
            document.title, document.title_is_inferred = cleaned_data["title"], False
        if cleaned_data.get("published_on"):
            document.published_on, document.published_on_is_inferred = cleaned_data["published_on"], False
        cleaned_data["document"] = document
        return cleaned_data


def source_for(document, *, user) -> Source:
    """The Source holding exactly this text, or a new one."""
    existing = Source.objects.filter(full_text=document.text).first()
    if existing:
        return existing
    title = document.title[:300] or _("Report")
    source = Source(
        title=title,
        slug=unique_slug(Source, slugify(title)[:180].strip("-") or "report"),
        full_text=document.text,
        published_on=document.published_on,
        published_on_is_inferred=document.published_on_is_inferred,
        published_on_note=_("Taken from the page's metadata, not its words.")
        if document.published_on_is_inferred
        else "",
    )
    source.full_clean()
    with services.revision(user=user, comment=_("Stored as the text of a report to review.")):
        source.save()
    return source


class IngestViews:
    """Mixed into the briefing admin: its “New briefing from a report” pages."""

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("from-report/", self.admin_site.admin_view(self.report_view), name=f"{prefix}_from_report"),
            path(
                "from-report/<int:source_id>/",
                self.admin_site.admin_view(self.review_view),
                name=f"{prefix}_from_report_review",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_ingest": self.has_add_permission(request)}
        return super().changelist_view(request, extra_context)

    def report_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ReportForm(request.POST, request.FILES) if request.method == "POST" else ReportForm()
        if form.is_bound and form.is_valid():
            source = source_for(form.cleaned_data["document"], user=request.user)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_from_report_review", source.pk)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form}
        context["title"] = _("New briefing from a report")
        return TemplateResponse(request, "admin/briefings/briefing/from_report.html", context)

    def review_view(self, request, source_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        source = get_object_or_404(Source, pk=source_id)
        # The stored text as it is (a source saved elsewhere may hold \r\n): every offset indexes it.
        document = Document(text=source.full_text, title=source.title, published_on=source.published_on)
        result = propose(document, directory_from_database())
        rows = Review(source, result["proposals"], data=request.POST if request.method == "POST" else None)
        headline = request.POST.get("headline", "").strip() if request.method == "POST" else source.title
        errors = {}
        if request.method == "POST":
            if not headline:
                errors["headline"] = [_("Give the briefing a headline.")]
            else:
                try:
                    records, links = rows.accepted()
                    briefing = reports.report_accept(
                        source=source, headline=headline, records=records, links=links, user=request.user
                    )
                except ValidationError as error:
                    errors = error.message_dict
                else:
                    self.message_user(
                        request,
                        _("A draft briefing was made from the report; check it, then publish it."),
                        messages.SUCCESS,
                    )
                    return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", briefing.pk)
        rows.set_errors(errors)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Review what the report holds"),
            "source": source,
            "headline": headline,
            "headline_errors": errors.get("headline", []),
            "marked_text": rows.marked_text(),
            "rows": rows.rows,
            "row_errors": bool(errors),
            "choices": rows.choices,
        }
        return TemplateResponse(request, "admin/briefings/briefing/from_report_review.html", context)
