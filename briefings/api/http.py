"""HTTP around every API address: validators and conditional GET, HEAD, and a JSON 405.

- `ETag` is a hash of the body, so it changes exactly when the answer does; `If-None-Match` with it gets a 304.
- `Last-Modified` is the newest `updated_at` or `published_at` among the records in the body (absent when the
  body has none, e.g. CBP's counts and the OpenAPI document); `If-Modified-Since` gets a 304 when nothing in the
  body is newer. A record that leaves a list does not move it, so clients should prefer `If-None-Match` (when a
  request has both, only `If-None-Match` counts, as RFC 9110 says and Django's `get_conditional_response` does).
- `Cache-Control: no-cache`: caches may keep an answer but must revalidate it, instead of guessing a lifetime
  from Last-Modified.
"""

import datetime
import hashlib
from functools import wraps

from django.http import JsonResponse
from django.urls import URLPattern
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from ninja.renderers import JSONRenderer

TIMESTAMP_KEYS = {"updated_at", "published_at"}


def newest_timestamp(data) -> datetime.datetime | None:
    """The newest `updated_at` / `published_at` anywhere in a response body (before it is encoded)."""
    newest = None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in TIMESTAMP_KEYS and isinstance(value, datetime.datetime):
                    newest = value if newest is None else max(newest, value)
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return newest


class Renderer(JSONRenderer):
    """Ninja's JSON renderer, noting on the request when the records of a successful answer last changed."""

    def render(self, request, data, *, response_status):
        if response_status == 200:
            request.api_last_modified = newest_timestamp(data)
        return super().render(request, data, response_status=response_status)


def conditional(request, response):
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    last_modified = getattr(request, "api_last_modified", None)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, no_cache=True)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def method_not_allowed(response):
    allowed = [method.strip() for method in response["Allow"].split(",")]
    if "GET" in allowed:
        allowed.append("HEAD")
    answer = JsonResponse({"detail": "Method not allowed."}, status=405)
    answer["Allow"] = ", ".join(allowed)
    return answer


def api_view(view):
    """Wrap one API address: HEAD answered as GET without a body, JSON 405, validators on JSON answers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        is_head = request.method == "HEAD"
        if is_head:
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            if is_head:
                request.method = "HEAD"
        if response.status_code == 405:
            return method_not_allowed(response)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("application/json")
        ):
            response = conditional(request, response)
        if is_head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapped


def wrap_patterns(patterns):
    """The same URL patterns, each view wrapped by `api_view`."""
    return [
        URLPattern(pattern.pattern, api_view(pattern.callback), pattern.default_args, pattern.name)
        for pattern in patterns
    ]
