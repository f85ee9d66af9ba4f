"""What the site adds to Django, django-csp and django-axes to keep readers and staff safe.

- `PermissionsPolicyMiddleware`: the `Permissions-Policy` header, turning off browser features no page uses.
- `client_ip`: the address a login attempt came from, for django-axes, also behind a reverse proxy.
- `lockout_response`: the page django-axes shows to an address locked out of the admin login.

The settings themselves (Content-Security-Policy, HSTS, cookies, lockout limits) are in config/settings.py.
"""

import math

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render

# No page of the desk uses any of these, so no page (nor anything injected into one) may: a header is the only
# way to switch them off for the admin and the Swagger UI page too. Only features browsers know, so that Chrome
# logs no "unrecognized feature" warning.
DISABLED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "sync-xhr",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DISABLED_FEATURES)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def client_ip(request):
    """The client's address. Behind `TRUSTED_PROXY_COUNT` proxies that each append the address they saw to
    X-Forwarded-For, it is the entry that many places from the right; entries further left are whatever the
    client chose to send. Without proxies it is REMOTE_ADDR, and X-Forwarded-For is ignored."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [address for address in forwarded if address]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """429 with a page saying why the login is refused and for how long."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {
        **admin.site.each_context(request),  # the admin's header and titles
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
    }
    return render(request, "admin/lockout.html", context, status=429)
