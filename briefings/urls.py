from django.urls import path

from . import feeds
from .page_cache import cached
from .views import corrections, encounters, figures, pages, rewards, search

app_name = "briefings"

urlpatterns = [
    # Search is the one public page not cached: briefings/page_cache.py says why.
    path("search/", search.SearchView.as_view(), name="search"),
    *cached(
        [
            path("", pages.HomeView.as_view(), name="home"),
            path("briefings/", pages.BriefingListView.as_view(), name="briefing-list"),
            path("briefings/<slug:slug>/", pages.BriefingDetailView.as_view(), name="briefing-detail"),
            path("figures/", figures.FigureListView.as_view(), name="figure-list"),
            path("figures/<slug:slug>/", figures.MetricDetailView.as_view(), name="metric-detail"),
            path("figures/<slug:metric_slug>/<slug:slug>/", figures.FigureDetailView.as_view(), name="figure-detail"),
            path("rewards/", rewards.RewardListView.as_view(), name="reward-list"),
            path("rewards/offers/<slug:slug>/", rewards.RewardOfferDetailView.as_view(), name="reward-offer-detail"),
            path("rewards/<slug:slug>/", rewards.RewardProgramDetailView.as_view(), name="reward-program-detail"),
            path("topics/", pages.TopicListView.as_view(), name="topic-list"),
            path("topics/<slug:slug>/", pages.TopicDetailView.as_view(), name="topic-detail"),
            path("places/", pages.PlaceListView.as_view(), name="place-list"),
            path("places/<slug:slug>/", pages.PlaceDetailView.as_view(), name="place-detail"),
            path("organizations/", pages.OrganizationListView.as_view(), name="organization-list"),
            path("organizations/<slug:slug>/", pages.OrganizationDetailView.as_view(), name="organization-detail"),
            path("people/", pages.PersonListView.as_view(), name="person-list"),
            path("people/<slug:slug>/", pages.PersonDetailView.as_view(), name="person-detail"),
            path("measures/", pages.MeasureListView.as_view(), name="measure-list"),
            path("measures/<slug:slug>/", pages.MeasureDetailView.as_view(), name="measure-detail"),
            path("feeds/briefings.rss", feeds.BriefingFeed(), name="feed-rss"),
            path("feeds/briefings.atom", feeds.AtomBriefingFeed(), name="feed-atom"),
            path("topics/<slug:slug>/feed.rss", feeds.TopicFeed(), name="topic-feed-rss"),
            path("topics/<slug:slug>/feed.atom", feeds.AtomTopicFeed(), name="topic-feed-atom"),
            path("places/<slug:slug>/feed.rss", feeds.PlaceFeed(), name="place-feed-rss"),
            path("places/<slug:slug>/feed.atom", feeds.AtomPlaceFeed(), name="place-feed-atom"),
            path("corrections/", corrections.CorrectionListView.as_view(), name="correction-list"),
            path("sources/", pages.SourceListView.as_view(), name="source-list"),
            path("sources/<slug:slug>/", pages.SourceDetailView.as_view(), name="source-detail"),
            path("encounters/", encounters.EncounterReportView.as_view(), name="encounters"),
            path(
                "encounters/data.json", encounters.EncounterDownloadView.as_view(format="json"), name="encounter-data"
            ),
            path(
                "encounters/<slug:table>.csv",
                encounters.EncounterDownloadView.as_view(format="csv"),
                name="encounter-table-csv",
            ),
            path(
                "encounters/<slug:table>.json",
                encounters.EncounterDownloadView.as_view(format="json"),
                name="encounter-table-json",
            ),
        ]
    ),
]
