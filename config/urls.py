from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("briefings.urls")),
]

handler404 = "briefings.views.pages.page_not_found"
handler500 = "briefings.views.pages.server_error"
