"""RSS 2.0 and Atom feeds of published briefings: all of them, and per topic and per place.

Each item carries the briefing's dek and, when there are any, its dated corrections, so a feed reader
learns of a correction the way a reader of the page does. Feed readers show a description as HTML, so the
text is escaped into paragraphs: markup typed into a dek or a correction is shown, never run.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .models import Briefing, Correction, Place, Topic

ITEMS_IN_FEED = 50


class BriefingFeed(Feed):
    """The latest published briefings (RSS 2.0)."""

    description = gettext_lazy("The latest border and migration briefings, every figure with its source.")

    def title(self, obj=None):
        return settings.SITE_NAME if obj is None else f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj=None):
        return reverse("briefings:briefing-list") if obj is None else obj.get_absolute_url()

    def briefings(self, obj):
        return (
            Briefing.objects.published()
            .select_related("dateline")
            .prefetch_related(
                "topics",
                Prefetch("corrections", queryset=Correction.objects.published().order_by("published_at", "pk")),
            )
            .newest_first()
        )

    def items(self, obj=None):
        # A feed in Spanish (/es/feeds/…) lists the briefings published in Spanish; the English one, all of them.
        return self.briefings(obj).in_language(get_language())[:ITEMS_IN_FEED]

    def item_title(self, briefing):
        return briefing.headline

    def item_description(self, briefing):
        lines = [briefing.dek]
        lines += [
            _("Correction (%(date)s): %(text)s")
            % {"date": correction.published_at.date().isoformat(), "text": correction.text}
            for correction in briefing.corrections.all()
        ]
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines if line))

    def item_pubdate(self, briefing):
        return briefing.published_at

    def item_updateddate(self, briefing):
        return max([briefing.modified_at, *(correction.published_at for correction in briefing.corrections.all())])

    def item_author_name(self, briefing):
        return briefing.byline or None

    def item_categories(self, briefing):
        return [topic.name for topic in briefing.topics.all()]

    def item_guid(self, briefing):
        return self.item_link(briefing)


class AtomBriefingFeed(BriefingFeed):
    feed_type = Atom1Feed
    subtitle = BriefingFeed.description


class TopicFeedMixin:
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def briefings(self, obj):
        return super().briefings(obj).for_topic(obj)


class PlaceFeedMixin:
    def get_object(self, request, slug):
        return get_object_or_404(Place, slug=slug)

    def briefings(self, obj):
        return super().briefings(obj).for_place(obj)


class TopicFeed(TopicFeedMixin, BriefingFeed):
    pass


class AtomTopicFeed(TopicFeedMixin, AtomBriefingFeed):
    pass


class PlaceFeed(PlaceFeedMixin, BriefingFeed):
    pass


class AtomPlaceFeed(PlaceFeedMixin, AtomBriefingFeed):
    pass
