from django.urls import path

from . import feeds
from .encounters import views as encounters
from .encounters.filters import ENCOUNTER_FILTER_PARAMS
from .page_cache import public_path
from .selectors import BRIEFING_FILTERS
from .views import corrections, figures, pages, rewards, search

app_name = "briefings"

# The query parameters each page reads; the page cache drops any other (briefings/page_cache/middleware.py).
BRIEFING_LIST_PARAMS = [*BRIEFING_FILTERS, "page"]
ENCOUNTER_PARAMS = ENCOUNTER_FILTER_PARAMS

urlpatterns = [
    # Search is the one public page not cached: briefings/page_cache/ says why.
    path("search/", search.SearchView.as_view(), name="search"),
    public_path("", pages.HomeView.as_view(), name="home"),
    public_path("briefings/", pages.BriefingListView.as_view(), name="briefing-list", params=BRIEFING_LIST_PARAMS),
    public_path("briefings/<slug:slug>/", pages.BriefingDetailView.as_view(), name="briefing-detail"),
    public_path("figures/", figures.FigureListView.as_view(), name="figure-list"),
    public_path("figures/<slug:slug>/", figures.MetricDetailView.as_view(), name="metric-detail"),
    public_path("figures/<slug:metric_slug>/<slug:slug>/", figures.FigureDetailView.as_view(), name="figure-detail"),
    public_path("rewards/", rewards.RewardListView.as_view(), name="reward-list"),
    public_path("rewards/offers/<slug:slug>/", rewards.RewardOfferDetailView.as_view(), name="reward-offer-detail"),
    public_path("rewards/<slug:slug>/", rewards.RewardProgramDetailView.as_view(), name="reward-program-detail"),
    public_path("topics/", pages.TopicListView.as_view(), name="topic-list"),
    public_path("topics/<slug:slug>/", pages.TopicDetailView.as_view(), name="topic-detail"),
    public_path("places/", pages.PlaceListView.as_view(), name="place-list"),
    public_path("places/<slug:slug>/", pages.PlaceDetailView.as_view(), name="place-detail"),
    public_path("organizations/", pages.OrganizationListView.as_view(), name="organization-list"),
    public_path("organizations/<slug:slug>/", pages.OrganizationDetailView.as_view(), name="organization-detail"),
    public_path("people/", pages.PersonListView.as_view(), name="person-list"),
    public_path("people/<slug:slug>/", pages.PersonDetailView.as_view(), name="person-detail"),
    public_path("measures/", pages.MeasureListView.as_view(), name="measure-list"),
    public_path("measures/<slug:slug>/", pages.MeasureDetailView.as_view(), name="measure-detail"),
    public_path("feeds/briefings.rss", feeds.BriefingFeed(), name="feed-rss"),
    public_path("feeds/briefings.atom", feeds.AtomBriefingFeed(), name="feed-atom"),
    public_path("topics/<slug:slug>/feed.rss", feeds.TopicFeed(), name="topic-feed-rss"),
    public_path("topics/<slug:slug>/feed.atom", feeds.AtomTopicFeed(), name="topic-feed-atom"),
    public_path("places/<slug:slug>/feed.rss", feeds.PlaceFeed(), name="place-feed-rss"),
    public_path("places/<slug:slug>/feed.atom", feeds.AtomPlaceFeed(), name="place-feed-atom"),
    public_path("corrections/", corrections.CorrectionListView.as_view(), name="correction-list", params=["page"]),
    public_path("sources/", pages.SourceListView.as_view(), name="source-list"),
    public_path("sources/<slug:slug>/", pages.SourceDetailView.as_view(), name="source-detail"),
    public_path("encounters/", encounters.EncounterReportView.as_view(), name="encounters", params=ENCOUNTER_PARAMS),
    public_path(
        "encounters/data.json",
        encounters.EncounterDownloadView.as_view(format="json"),
        name="encounter-data",
        params=ENCOUNTER_PARAMS,
    ),
    public_path(
        "encounters/<slug:table>.csv",
        encounters.EncounterDownloadView.as_view(format="csv"),
        name="encounter-table-csv",
        params=ENCOUNTER_PARAMS,
    ),
    public_path(
        "encounters/<slug:table>.json",
        encounters.EncounterDownloadView.as_view(format="json"),
        name="encounter-table-json",
        params=ENCOUNTER_PARAMS,
    ),
]
