"""The public pages of briefings and of what they refer to: home, the briefing list and page, topics, places,
organizations, people, measures and sources. The figures and rewards pages have modules
of their own.

Each page is fetched in a fixed number of queries whatever the amount of data (tests/test_query_counts.py holds
the numbers). Every page that shows figures sets each encounter figure beside CBP's record
(selectors.with_official_record()), in one more query when any figure on the page can be compared.
"""

import re

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls.converters import SlugConverter
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from .. import story, structured_data
from ..languages import in_language
from ..models import (
    Briefing,
    Measure,
    Organization,
    Person,
    Place,
    Source,
    Topic,
)
from ..selectors import (
    BRIEFING_FILTERS,
    briefing_for_page,
    briefings_filtered,
    published_briefings,
    published_figures,
    published_quotes,
    read_briefing_page,
    read_home_page,
    reward_offers,
    tip_channels,
    with_official_record,
)
from .mixins import BriefingsAboutMixin, OfficialRecordMixin, PreviewMixin, PublishedBriefingMixin, SectionMixin

# What the `slug` path converter accepts: the filters take the same.
SLUG = re.compile(SlugConverter.regex)


class HomeView(SectionMixin, TemplateView):
    template_name = "briefings/home.html"
    section = "home"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**read_home_page(), **kwargs)


class BriefingListView(PublishedBriefingMixin, ListView):
    """All published briefings, newest first, optionally narrowed to one topic, place, organization
    or person. An unknown slug in a filter is a 404, not a silently unfiltered list."""

    context_object_name = "briefings"

    def get_paginate_by(self, queryset):
        return settings.BRIEFINGS_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.active_filters = {
            name: self.filter_record(model, request.GET[name])
            for name, (model, _method) in BRIEFING_FILTERS.items()
            if request.GET.get(name)
        }
        return super().get(request, *args, **kwargs)

    @staticmethod
    def filter_record(model, slug):
        """The record a filter names. What is not a slug names none, and is not looked up: PostgreSQL refuses
        some text outright (a NUL character), which would otherwise be a server error instead of a 404."""
        if not SLUG.fullmatch(slug):
            raise Http404(_("There is no %(what)s “%(slug)s”.") % {"what": model._meta.verbose_name, "slug": slug})
        return get_object_or_404(model, slug=slug)

    def get_queryset(self):
        return briefings_filtered(super().get_queryset().for_listing().newest_first(), self.active_filters)

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

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        briefing = briefing_for_page(slug, user=self.request.user)
        if briefing is None:
            raise Http404(_("There is no %(what)s “%(slug)s”.") % {"what": Briefing._meta.verbose_name, "slug": slug})
        read_briefing_page(briefing)
        return briefing

    def get_context_data(self, **kwargs):
        figures = with_official_record(self.object.figures.all())
        photo = self.object.lead_photo
        renditions = reversed(photo.urls("jpeg")) if photo else []
        images = [self.request.build_absolute_uri(url) for url, _width, _height in renditions]
        article = structured_data.news_article(
            self.object,
            url=self.request.build_absolute_uri(self.object.get_absolute_url()),
            corrections=self.object.corrections.all(),
            images=images,
        )
        return super().get_context_data(
            is_preview=not self.object.is_public,
            structured_data=structured_data.as_script(article),
            share_image=(images[0], *photo.largest_jpeg[1:]) if images else None,
            **story.page(self.object.rendered_body, figures, self.object.quotes.all()),
            **kwargs,
        )


class TopicListView(SectionMixin, ListView):
    context_object_name = "topics"
    section = "topics"

    def get_queryset(self):
        return Topic.objects.order_by(in_language("name"), "pk")


class TopicDetailView(SectionMixin, BriefingsAboutMixin, DetailView):
    model = Topic
    section = "topics"
    briefings_method = "for_topic"
    briefings_filter = "topic"


class PlaceListView(SectionMixin, ListView):
    context_object_name = "places"
    section = "places"

    def get_queryset(self):
        return Place.objects.select_related("parent").order_by(in_language("name"), "pk")


class PlaceDetailView(OfficialRecordMixin, SectionMixin, BriefingsAboutMixin, DetailView):
    model = Place
    section = "places"
    briefings_method = "for_place"
    briefings_filter = "place"

    def get_queryset(self):
        return Place.objects.select_related("parent", "photo").prefetch_related(
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
        return Organization.objects.select_related("parent").order_by(in_language("name"), "pk")


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


class PersonDetailView(OfficialRecordMixin, SectionMixin, BriefingsAboutMixin, DetailView):
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


class MeasureDetailView(OfficialRecordMixin, SectionMixin, DetailView):
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


class SourceDetailView(OfficialRecordMixin, SectionMixin, DetailView):
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
