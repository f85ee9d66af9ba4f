"""Errors as JSON: whatever goes wrong under /api/, the answer is JSON, never Django's HTML error page.

Shapes (also in the OpenAPI document): `{"detail": "Not found."}` for 404, 405 and 500, and for 503 (with
`Retry-After`) while the database cannot be reached;
`{"detail": [{"type", "loc": ["query", "<parameter>"], "msg"}]}` with status 422 for a bad parameter.
"""

import logging

from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from ..views.errors import log_database_unavailable, service_unavailable

logger = logging.getLogger("django.request")

NOT_FOUND = "Not found."
SERVER_ERROR = "Server error."


def parameter_error(name: str, message: str, *, source: str = "query") -> ValidationError:
    """The error for one bad parameter, named as the client sent it."""
    return ValidationError([{"type": "value_error", "loc": [source, name], "msg": message}])


def lookup(queryset, slug: str, parameter: str, what: str):
    """The record a filter names by slug; a slug that names none is a bad parameter, not an empty list."""
    found = queryset.filter(slug=slug).first()
    if found is None:
        raise parameter_error(parameter, f"No {what} has the slug “{slug}”.")
    return found


def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint."""
    return JsonResponse({"detail": NOT_FOUND}, status=404)


def install_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def http_404(request, exc):
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        return api.create_response(request, {"detail": exc.errors}, status=422)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_away(request, exc):
        log_database_unavailable(request, exc)
        if connection.in_atomic_block:
            transaction.set_rollback(True)
        return service_unavailable(request)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        # Logged the way Django logs a 500 (so ADMINS mail and log handlers still see it), then answered as JSON.
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
        )
        if connection.in_atomic_block:
            transaction.set_rollback(True)
        return api.create_response(request, {"detail": SERVER_ERROR}, status=500)
