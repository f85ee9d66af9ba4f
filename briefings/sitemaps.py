"""sitemap.xml for every public page, with `lastmod`, and a Google News sitemap of recent briefings.

Each sitemap lists objects through the same published querysets the pages use, so it never names a page
that answers 404. Each page is listed once per language it is read in (English at the root, Spanish under
/es/), with the others as `hreflang` alternates and English as `x-default`; a briefing only in the languages
it is published in.
"""

import datetime

from django.contrib import sitemaps
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from .models import (
    Briefing,
    Correction,
    Figure,
    Measure,
    Metric,
    Organization,
    Person,
    Place,
    RewardOffer,
    RewardProgram,
    Source,
    Topic,
)

NEWS_WINDOW = datetime.timedelta(days=2)


class TranslatedSitemap(sitemaps.Sitemap):
    """Django's sitemap, every page in each language with its alternates."""

    i18n = True
    alternates = True
    x_default = True


class BriefingSitemap(TranslatedSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Briefing.objects.published().newest_first()

    def get_languages_for_item(self, briefing):
        return briefing.languages

    def lastmod(self, briefing):
        return briefing.modified_at


class NewsSitemap(BriefingSitemap):
    """Briefings published in the last two days, as Google News asks (templates/sitemaps/news.xml)."""

    def items(self):
        return super().items().filter(published_at__gte=timezone.now() - NEWS_WINDOW)


class FigureSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self):
        return Figure.objects.published().select_related("metric", "briefing").order_by("pk")

    def lastmod(self, figure):
        return figure.updated_at


class ModelSitemap(TranslatedSitemap):
    """Every record of a model that has a public page; `updated_at` is its lastmod."""

    changefreq = "weekly"
    model = None

    def items(self):
        return self.model.objects.order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


def model_sitemap(model):
    return type(f"{model.__name__}Sitemap", (ModelSitemap,), {"model": model})


class MetricSitemap(ModelSitemap):
    def items(self):
        return Metric.objects.filter(figures__in=Figure.objects.published()).distinct().order_by("pk")


class SectionSitemap(TranslatedSitemap):
    """The section pages; each changes when the newest published briefing or correction does."""

    changefreq = "daily"
    priority = 0.6
    url_names = [
        "briefings:home",
        "briefings:briefing-list",
        "briefings:figure-list",
        "briefings:encounters",
        "briefings:reward-list",
        "briefings:topic-list",
        "briefings:place-list",
        "briefings:organization-list",
        "briefings:person-list",
        "briefings:measure-list",
        "briefings:source-list",
        "briefings:correction-list",
    ]

    def items(self):
        return self.url_names

    def location(self, url_name):
        return reverse(url_name)

    def lastmod(self, url_name):
        if not hasattr(self, "_latest"):
            latest = [
                *Briefing.objects.published().aggregate(Max("updated_at"), Max("revised_at")).values(),
                Correction.objects.published().aggregate(latest=Max("published_at"))["latest"],
            ]
            self._latest = max((moment for moment in latest if moment), default=None)
        return self._latest


SITEMAPS = {
    "sections": SectionSitemap,
    "briefings": BriefingSitemap,
    "figures": FigureSitemap,
    "metrics": MetricSitemap,
    "reward-programs": model_sitemap(RewardProgram),
    "reward-offers": model_sitemap(RewardOffer),
    "topics": model_sitemap(Topic),
    "places": model_sitemap(Place),
    "organizations": model_sitemap(Organization),
    "people": model_sitemap(Person),
    "measures": model_sitemap(Measure),
    "sources": model_sitemap(Source),
}
