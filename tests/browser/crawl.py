"""Walk the public site in a real browser, the way a reader clicks through it, and note what went wrong."""

from collections import deque
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve
from django.utils import translation

from briefings.languages import language_of_path

# Addresses no link on the site leads to, but that a reader reaches all the same: a search, a mistyped address.
START_PATHS = ["/", "/search/?q=reward", "/no-such-page/", "/es/search/?q=recompensa", "/es/no-such-page/"]

# Every kind of public page; the crawl must reach each of them, or a link is missing or broken.
ENGLISH_PAGE_TYPES = {
    "briefings:home",
    "briefings:briefing-list",
    "briefings:briefing-detail",
    "briefings:figure-list",
    "briefings:figure-detail",
    "briefings:metric-detail",
    "briefings:place-list",
    "briefings:place-detail",
    "briefings:organization-list",
    "briefings:organization-detail",
    "briefings:person-list",
    "briefings:person-detail",
    "briefings:source-list",
    "briefings:source-detail",
    "briefings:topic-list",
    "briefings:topic-detail",
    "briefings:measure-list",
    "briefings:measure-detail",
    "briefings:reward-list",
    "briefings:reward-program-detail",
    "briefings:reward-offer-detail",
    "briefings:encounters",
    "briefings:correction-list",
    "briefings:search",
    "not-found",
}
# And each in Spanish, under /es/ (reached by the language switcher on every page).
REQUIRED_PAGE_TYPES = ENGLISH_PAGE_TYPES | {f"es:{kind}" for kind in ENGLISH_PAGE_TYPES}

# Not pages for readers: the staff admin, the JSON API, static files, and downloads (feeds, CSV, JSON, sitemaps).
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/static/", "/feeds/")
EXCLUDED_SUFFIXES = (".csv", ".json", ".rss", ".atom", ".xml", ".txt")

# A handful of each kind is enough to find a template's faults: the same template renders them all.
PAGES_PER_TYPE = 2
MAX_PAGES = 120


def page_type(path):
    """The URL name of a public page ("briefings:briefing-detail"), "not-found" for an address no URL pattern
    matches, or None for what is not a reader's page; prefixed "es:" for a page in Spanish."""
    if path.startswith(EXCLUDED_PREFIXES) or path.endswith(EXCLUDED_SUFFIXES):
        return None
    language = language_of_path(path)
    prefix = "" if language == "en" else f"{language}:"
    if path.startswith(f"/{language}/feeds/"):
        return None
    try:
        with translation.override(language):
            return prefix + resolve(path).view_name
    except Resolver404:
        return f"{prefix}not-found"


def crawl(page, base_url, visit):
    """Breadth first from START_PATHS along same-origin links, calling `visit(path, kind)` after each page has
    loaded in `page`; returns {kind: [paths visited]}."""
    origin = urlsplit(base_url)
    queue = deque(START_PATHS)
    seen = set(START_PATHS)
    visited = {}
    while queue and sum(map(len, visited.values())) < MAX_PAGES:
        path = queue.popleft()
        kind = page_type(urlsplit(path).path)
        if kind is None or len(visited.get(kind, [])) >= PAGES_PER_TYPE:
            continue
        response = page.goto(base_url + path)
        expected_status = 404 if kind.endswith("not-found") else 200
        assert response.status == expected_status, f"{path} answered {response.status}, not {expected_status}"
        visit(path, kind)
        visited.setdefault(kind, []).append(path)
        hrefs = page.eval_on_selector_all("a[href]:not([download])", "links => links.map(link => link.href)")
        for href in hrefs:
            url = urlsplit(urldefrag(href).url)
            if (url.scheme, url.netloc) != (origin.scheme, origin.netloc):
                continue
            linked = url.path + (f"?{url.query}" if url.query else "")
            if linked not in seen:
                seen.add(linked)
                queue.append(linked)
    return visited


class PageProblems:
    """What a reader's browser complains about while pages load: console errors and uncaught exceptions
    (Chromium also reports Content-Security-Policy violations there), CSP violation events, requests that
    failed, and sub-resources (stylesheets, images, …) answered with an error status."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def _request_failed(self, request):
        # Chromium fetches the favicon after a page has loaded, and going on to the next page cancels that fetch:
        # not a fault of the page (a missing favicon still fails here, as a 404 in _response).
        if request.failure == "net::ERR_ABORTED" and request.url.endswith("/favicon.svg"):
            return
        self.problems.append(f"request failed: {request.url} {request.failure}")

    def _response(self, response):
        # The page itself is checked by the crawl (a 404 page must say 404); only what it loads is checked here.
        if response.request.resource_type != "document" and response.status >= 400:
            self.problems.append(f"{response.status} for {response.request.resource_type} {response.url}")

    def take(self, *, expected_status=200):
        """The problems since the last call, including the CSP violations the current page recorded."""
        problems = self.problems
        self.problems = []
        problems += [f"CSP violation: {violation}" for violation in self.page.evaluate("window.__cspViolations")]
        if expected_status >= 400:
            # Chromium logs the status of an error page it was asked for; that status is the point of the page.
            own_status = (
                f"console error: Failed to load resource: the server responded with a status of {expected_status} "
            )
            problems = [
                problem
                for problem in problems
                if not (problem.startswith(own_status) and problem.endswith(f"({self.page.url})"))
            ]
        return problems
