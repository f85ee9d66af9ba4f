"""The error pages: 404 in the site's layout; 400, 500 and 503 self-contained, since what failed may be the
request's own host or the database. Under /api/ every one of them is JSON, as the API's own errors are."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from ..log import log_event

API_PREFIX = "/api/"
# What a database that cannot be reached (down, restarting, out of connections, locked) raises.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# How long a reader is asked to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 10
logger = logging.getLogger("briefings")


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _page(status, *, title, message, headers=None):
    """A self-contained error page: no request, context processors or database needed to render it."""
    html = loader.get_template("error.html").render({"title": title, "message": message})
    return HttpResponse(html, status=status, headers=headers)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def bad_request(request, exception=None, *, reason=None):
    """A request no page can answer: a host not served here, or an address or parameter no database would take."""
    detail = reason or _("The request could not be understood.")
    if _is_api(request):
        return JsonResponse({"detail": detail}, status=400)
    return _page(400, title=_("Bad request"), message=detail)


def server_error(request):
    """A 500, or a 503 when what failed was reaching the database (from any middleware or view: Django calls
    this inside its exception handler, so the exception is at hand). No request context: context processors
    might need the database that has just failed."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)  # django.request has logged it, with its traceback
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def log_database_unavailable(request, error: Exception, *, served: str = "503") -> None:
    """Log, as a WARNING, a request answered without the database (`served`: "503", or "stale" for a stored
    page), with what the driver said, where no exception reaches Django's own error log."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    log_event(logger, "database unavailable", level=logging.WARNING, path=request.path, served=served, error=reason)


def service_unavailable(request):
    """The database is away: nothing can be read, and a page not already stored cannot be made. It usually comes
    back by itself within seconds."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    detail = _("The desk is briefly unavailable. Please try again in a few seconds.")
    if _is_api(request):
        return JsonResponse({"detail": detail}, status=503, headers=headers)
    return _page(503, title=_("Briefly unavailable"), message=detail, headers=headers)
