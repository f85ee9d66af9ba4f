"""Marks requests that only read (safe methods), so their transactions do not take SQLite's write lock (base.py).

Harmless on PostgreSQL, where nothing reads the mark.
"""

from django.http import HttpRequest

from briefings.sqlite.base import only_reading

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadingRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = only_reading.set(request.method in READING_METHODS)
        try:
            return self.get_response(request)
        finally:
            only_reading.reset(token)
