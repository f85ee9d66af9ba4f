from django.contrib import admin
from django.urls import include, path

from briefings import api
from briefings.views import discovery, health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", discovery.sitemap, name="sitemap"),
    path("sitemap-news.xml", discovery.news_sitemap, name="news-sitemap"),
    path("robots.txt", discovery.robots_txt, name="robots-txt"),
    path("healthz", health.healthz, name="healthz"),
    path("api/", api.urls),
    path("", include("briefings.urls")),
]

handler400 = "briefings.views.errors.bad_request"
handler404 = "briefings.views.errors.page_not_found"
handler500 = "briefings.views.errors.server_error"
