from django.conf import settings


def site(request):
    # The address a page is known by: its own, with the query string that selects what it shows.
    return {"site_name": settings.SITE_NAME, "canonical_url": request.build_absolute_uri()}
