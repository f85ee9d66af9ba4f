from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from briefings import api
from briefings.views import discovery, health, photos

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", discovery.sitemap, name="sitemap"),
    path("sitemap-news.xml", discovery.news_sitemap, name="news-sitemap"),
    path("robots.txt", discovery.robots_txt, name="robots-txt"),
    path("healthz", health.healthz, name="healthz"),
    path("api/", api.urls),
    # The public site: English at the root, Spanish under /es/ (briefings/languages.py).
    *i18n_patterns(path("", include("briefings.urls")), prefix_default_language=False),
]

# Photo renditions kept on this machine's disk are served here (PHOTOS_STORAGE=local, the default): only
# MEDIA_ROOT/photos/renditions, never the originals or the rest of MEDIA_ROOT. A busy site lets its web server
# answer /media/photos/ instead, or uses S3.
if settings.PHOTOS_STORAGE == "local":
    urlpatterns.insert(
        0,
        re_path(r"^media/photos/(?P<path>renditions/.+)$", photos.photo_file, name="photo-file"),
    )

handler400 = "briefings.views.errors.bad_request"
handler404 = "briefings.views.errors.page_not_found"
handler500 = "briefings.views.errors.server_error"
