from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("briefings/", views.BriefingListView.as_view(), name="briefing-list"),
    path("briefings/<slug:slug>/", views.BriefingDetailView.as_view(), name="briefing-detail"),
    path("figures/", views.FigureListView.as_view(), name="figure-list"),
    path("figures/<slug:slug>/", views.MetricDetailView.as_view(), name="metric-detail"),
    path("rewards/", views.RewardListView.as_view(), name="reward-list"),
    path("rewards/offers/<slug:slug>/", views.RewardOfferDetailView.as_view(), name="reward-offer-detail"),
    path("rewards/<slug:slug>/", views.RewardProgramDetailView.as_view(), name="reward-program-detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("places/", views.PlaceListView.as_view(), name="place-list"),
    path("places/<slug:slug>/", views.PlaceDetailView.as_view(), name="place-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("measures/", views.MeasureListView.as_view(), name="measure-list"),
    path("measures/<slug:slug>/", views.MeasureDetailView.as_view(), name="measure-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
]
