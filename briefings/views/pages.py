"""The public pages.

Every view starts from the published querysets, so a draft, a scheduled briefing, or a figure or quote
of one never reaches a reader; staff who may change briefings preview them. Each page is fetched in a
fixed number of queries whatever the amount of data (tests/test_query_counts.py holds the numbers).
The briefing, metric and figure pages set each encounter figure beside CBP's record
(briefings/official_record.py), in one more query when any figure on the page can be compared.
"""

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.generic import DetailView, ListView, TemplateView

from .. import structured_data
from ..models import (
    Briefing,
    Correction,
    Figure,
    Measure,
    Metric,
    Organization,
    Person,
    Place,
    Quote,
    RewardOffer,
    RewardProgram,
    Source,
    TipChannel,
    Topic,
)
from ..official_record import attach_comparisons


def published_briefings():
    return Briefing.objects.published().for_listing().newest_first()


def published_figures():
    return Figure.objects.published().with_provenance()


def published_quotes():
    return Quote.objects.published().with_provenance()


def reward_offers():
    return RewardOffer.objects.with_related().select_related("source")


def tip_channels():
    return TipChannel.objects.prefetch_related("receiving_agencies")


class SectionMixin:
    """Names the site section a page belongs to, so the navigation can mark it as current."""

    section = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class PreviewMixin:
    """A page shown to staff before it is public (context `is_preview`) is marked as a preview, kept out
    of shared caches, and kept out of search engines (the template adds the same as a meta tag)."""

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            # A preview is for the editor who asked for it: no shared cache may keep it.
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response["X-Robots-Tag"] = "noindex"
        return response


class PublishedBriefingMixin(SectionMixin):
    """Readers get published briefings only. With `allow_preview`, staff who may change briefings
    also get drafts and scheduled ones, marked as a preview."""

    model = Briefing
    section = "briefings"
    allow_preview = False

    def get_queryset(self):
        if self.allow_preview:
            return Briefing.objects.visible_to(self.request.user)
        return Briefing.objects.published()


class BriefingsAboutMixin:
    """Adds the latest published briefings about the page's object, through the domain queryset
    method named by `briefings_method` (e.g. `for_topic`), and a link to the full filtered list."""

    briefings_method = None
    briefings_filter = None
    briefings_shown = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        briefings = getattr(published_briefings(), self.briefings_method)(self.object)
        # One row more than shown tells whether to link to the rest, without a COUNT query.
        latest = list(briefings[: self.briefings_shown + 1])
        context["briefings"] = latest[: self.briefings_shown]
        context["more_briefings"] = len(latest) > self.briefings_shown
        context["briefings_filter"] = self.briefings_filter
        return context


class HomeView(SectionMixin, TemplateView):
    template_name = "briefings/home.html"
    section = "home"
    latest_shown = 5

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest_briefings=published_briefings()[: self.latest_shown],
            key_figures=published_figures().key(),
            reward_offers=reward_offers().active(),
            tip_channels=tip_channels(),
            **kwargs,
        )


class BriefingListView(PublishedBriefingMixin, ListView):
    """All published briefings, newest first, optionally narrowed to one topic, place, organization
    or person. An unknown slug in a filter is a 404, not a silently unfiltered list."""

    context_object_name = "briefings"
    # query parameter: (model, BriefingQuerySet method)
    filters = {
        "topic": (Topic, "for_topic"),
        "place": (Place, "for_place"),
        "organization": (Organization, "for_organization"),
        "person": (Person, "for_person"),
    }

    def get_paginate_by(self, queryset):
        return settings.BRIEFINGS_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.active_filters = {
            name: get_object_or_404(model, slug=request.GET[name])
            for name, (model, _method) in self.filters.items()
            if request.GET.get(name)
        }
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        briefings = super().get_queryset().for_listing().newest_first()
        for name, value in self.active_filters.items():
            briefings = getattr(briefings, self.filters[name][1])(value)
        return briefings

    def get_context_data(self, **kwargs):
        published = Briefing.objects.published()
        return super().get_context_data(
            active_filters=self.active_filters,
            filter_topics=Topic.objects.filter(briefings__in=published).distinct(),
            filter_places=Place.objects.filter(
                Q(briefings__in=published) | Q(datelined_briefings__in=published)
            ).distinct(),
            filter_organizations=Organization.objects.filter(briefings__in=published).distinct(),
            **kwargs,
        )


class BriefingDetailView(PreviewMixin, PublishedBriefingMixin, DetailView):
    allow_preview = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("dateline")
            .prefetch_related(
                "topics",
                "places",
                "organizations",
                "people",
                Prefetch("sources", queryset=Source.objects.select_related("publisher")),
                Prefetch("figures", queryset=Figure.objects.with_provenance()),
                Prefetch("corrections", queryset=Correction.objects.current().select_related("figure__metric")),
                Prefetch("quotes", queryset=Quote.objects.with_provenance()),
                Prefetch("reward_offers", queryset=reward_offers()),
            )
        )

    def get_context_data(self, **kwargs):
        attach_comparisons(self.object.figures.all())
        article = structured_data.news_article(
            self.object,
            url=self.request.build_absolute_uri(self.object.get_absolute_url()),
            corrections=self.object.corrections.all(),
        )
        return super().get_context_data(
            is_preview=not self.object.is_public, structured_data=structured_data.as_script(article), **kwargs
        )


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


class MetricDetailView(SectionMixin, DetailView):
    """One metric's series: its published figures in the order of the dates they describe."""

    model = Metric
    section = "figures"

    def get_queryset(self):
        series = published_figures().order_by("date_start", "date_end", "position", "pk")
        return Metric.objects.prefetch_related(Prefetch("figures", queryset=series, to_attr="published_figures"))

    def get_context_data(self, **kwargs):
        figures = attach_comparisons(self.object.published_figures)
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
        attach_comparisons([self.object])
        return super().get_context_data(is_preview=not self.object.briefing.is_public, **kwargs)


class RewardListView(SectionMixin, ListView):
    template_name = "briefings/reward_list.html"
    context_object_name = "programs"
    section = "rewards"

    def get_queryset(self):
        return RewardProgram.objects.select_related("administering_agency").prefetch_related(
            Prefetch("offers", queryset=reward_offers())
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(tip_channels=tip_channels(), **kwargs)


class RewardProgramDetailView(SectionMixin, DetailView):
    model = RewardProgram
    context_object_name = "program"
    section = "rewards"

    def get_queryset(self):
        return RewardProgram.objects.select_related("administering_agency").prefetch_related(
            Prefetch("offers", queryset=reward_offers())
        )

    def get_context_data(self, **kwargs):
        channels = tip_channels().filter(reward_offers__program=self.object).distinct()
        return super().get_context_data(tip_channels=channels, **kwargs)


class RewardOfferDetailView(SectionMixin, DetailView):
    model = RewardOffer
    context_object_name = "offer"
    section = "rewards"

    def get_queryset(self):
        return reward_offers().prefetch_related(
            Prefetch("briefings", queryset=published_briefings(), to_attr="published_briefings")
        )


class TopicListView(SectionMixin, ListView):
    model = Topic
    context_object_name = "topics"
    section = "topics"


class TopicDetailView(SectionMixin, BriefingsAboutMixin, DetailView):
    model = Topic
    section = "topics"
    briefings_method = "for_topic"
    briefings_filter = "topic"


class PlaceListView(SectionMixin, ListView):
    context_object_name = "places"
    section = "places"

    def get_queryset(self):
        return Place.objects.select_related("parent")


class PlaceDetailView(SectionMixin, BriefingsAboutMixin, DetailView):
    model = Place
    section = "places"
    briefings_method = "for_place"
    briefings_filter = "place"

    def get_queryset(self):
        return Place.objects.select_related("parent").prefetch_related(
            "children",
            "countries",
            "places_in_country",
            "organizations",
            Prefetch("figures", queryset=published_figures(), to_attr="published_figures"),
            Prefetch("reward_offers", queryset=reward_offers()),
        )


class OrganizationListView(SectionMixin, ListView):
    context_object_name = "organizations"
    section = "organizations"

    def get_queryset(self):
        return Organization.objects.select_related("parent")


class OrganizationDetailView(SectionMixin, BriefingsAboutMixin, DetailView):
    model = Organization
    section = "organizations"
    briefings_method = "for_organization"
    briefings_filter = "organization"

    def get_queryset(self):
        return Organization.objects.select_related("country", "parent").prefetch_related(
            "units",
            "people",
            "reward_programs",
            "tip_channels",
            "measures",
            "published_sources",
            Prefetch("quotes", queryset=published_quotes(), to_attr="published_quotes"),
            Prefetch("targeted_by_offers", queryset=reward_offers()),
        )


class PersonListView(SectionMixin, ListView):
    context_object_name = "people"
    section = "people"

    def get_queryset(self):
        return Person.objects.select_related("organization")


class PersonDetailView(SectionMixin, BriefingsAboutMixin, DetailView):
    model = Person
    section = "people"
    briefings_method = "for_person"
    briefings_filter = "person"

    def get_queryset(self):
        return Person.objects.select_related("organization").prefetch_related(
            "measures",
            "authored_sources",
            Prefetch("quotes", queryset=published_quotes(), to_attr="published_quotes"),
            Prefetch("figures", queryset=published_figures(), to_attr="published_figures"),
        )


class MeasureListView(SectionMixin, ListView):
    model = Measure
    context_object_name = "measures"
    section = "measures"


class MeasureDetailView(SectionMixin, DetailView):
    model = Measure
    section = "measures"

    def get_queryset(self):
        return Measure.objects.select_related("source").prefetch_related(
            "organizations",
            "people",
            Prefetch("figures", queryset=published_figures(), to_attr="published_figures"),
        )


class SourceListView(SectionMixin, ListView):
    context_object_name = "sources"
    section = "sources"

    def get_queryset(self):
        return Source.objects.select_related("publisher")


class SourceDetailView(SectionMixin, DetailView):
    model = Source
    section = "sources"

    def get_queryset(self):
        return Source.objects.select_related("publisher", "dateline").prefetch_related(
            "authors",
            "measures",
            Prefetch("briefings", queryset=published_briefings(), to_attr="published_briefings"),
            Prefetch("figures", queryset=published_figures(), to_attr="published_figures"),
            Prefetch("quotes", queryset=published_quotes(), to_attr="published_quotes"),
            Prefetch("reward_offers", queryset=reward_offers()),
            Prefetch("tip_channels", queryset=tip_channels()),
        )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: context processors might need the database that has just failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
