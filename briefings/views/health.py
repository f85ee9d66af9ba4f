"""/healthz: whether this app server can serve pages, for a load balancer or a process supervisor."""

import logging

from django.db import Error, connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


# Outside ATOMIC_REQUESTS: opening that transaction would fail with a 500 before the check could say 503.
@transaction.non_atomic_requests
@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
