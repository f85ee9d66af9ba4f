"""The figures pages: every figure by what it counts, one metric's series, one figure's provenance.

Each sets its encounter figures beside CBP's record (selectors.with_official_record()), in one more query when
any figure on the page can be compared.
"""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from ..models import Briefing, Figure, Metric
from ..selectors import published_figures, with_official_record
from .mixins import PreviewMixin, SectionMixin


class FigureListView(SectionMixin, ListView):
    """Every published figure, grouped by what it counts."""

    template_name = "briefings/figure_list.html"
    context_object_name = "metrics"
    section = "figures"

    def get_queryset(self):
        return (
            Metric.objects.filter(figures__in=Figure.objects.published())
            .distinct()
            .prefetch_related(Prefetch("figures", queryset=published_figures(), to_attr="published_figures"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        with_official_record(figure for metric in context["metrics"] for figure in metric.published_figures)
        return context


class MetricDetailView(SectionMixin, DetailView):
    """One metric's series: its published figures in the order of the dates they describe."""

    model = Metric
    section = "figures"

    def get_queryset(self):
        series = published_figures().order_by("date_start", "date_end", "position", "pk")
        return Metric.objects.prefetch_related(Prefetch("figures", queryset=series, to_attr="published_figures"))

    def get_context_data(self, **kwargs):
        figures = with_official_record(self.object.published_figures)
        return super().get_context_data(
            shows_official_record=any(figure.official_comparison.concerns_encounters for figure in figures), **kwargs
        )


class FigureDetailView(PreviewMixin, SectionMixin, DetailView):
    """One figure's provenance page, with the official record beside it. The address names the figure's
    metric too; a figure asked for under another metric is a 404."""

    section = "figures"

    def get_queryset(self):
        # For readers this is Figure.objects.published(); staff who may change briefings also preview the
        # figures of drafts and scheduled briefings, as on the briefing page.
        visible = Briefing.objects.visible_to(self.request.user)
        return Figure.objects.filter(briefing__in=visible, metric__slug=self.kwargs["metric_slug"]).with_provenance()

    def get_context_data(self, **kwargs):
        with_official_record([self.object])
        return super().get_context_data(is_preview=not self.object.briefing.is_public, **kwargs)
