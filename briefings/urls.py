from django.urls import path

from .views import pages

app_name = "briefings"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("briefings/", pages.BriefingListView.as_view(), name="briefing-list"),
    path("briefings/<slug:slug>/", pages.BriefingDetailView.as_view(), name="briefing-detail"),
    path("figures/", pages.FigureListView.as_view(), name="figure-list"),
    path("figures/<slug:slug>/", pages.MetricDetailView.as_view(), name="metric-detail"),
    path("rewards/", pages.RewardListView.as_view(), name="reward-list"),
    path("rewards/offers/<slug:slug>/", pages.RewardOfferDetailView.as_view(), name="reward-offer-detail"),
    path("rewards/<slug:slug>/", pages.RewardProgramDetailView.as_view(), name="reward-program-detail"),
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
    path("sources/", pages.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", pages.SourceDetailView.as_view(), name="source-detail"),
]
