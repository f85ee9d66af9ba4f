"""The public page cache: whole pages, for anonymous readers, made fresh by any change to what they show.

- What is cached: the answer to a GET or HEAD from a reader who is not logged in, when it is a 200 that sets
  no cookie and asks for no privacy (a preview sends `Cache-Control: private, no-store`). The views wrapped are
  the ones `briefings/urls.py` routes with `public_path()`, and the sitemaps. Never cached: the admin, the API
  (it has its own validators, briefings/api/http.py), search (below), POSTs, and anything for a logged-in user,
  since staff may be shown drafts. A page is stored as the middleware inside PageCacheMiddleware left it (its
  Content-Security-Policy, Permissions-Policy, Vary and frame headers included) and served again from there.
- The key: the content generation (briefings/models/generation.py; state.py), the next scheduled publication time, the
  language and the full address (scheme, host, path and query). Any committed write to what the pages show bumps
  the generation, so every page is fresh after it; a briefing or correction scheduled for later has no write
  when its time comes, so the key changes by itself then, and no page cached before that time is served after.
- Bumps: a signal on every save, delete and many-to-many change of the models below, run when the transaction
  commits, so a reader never stores a page rendered before the change under the new generation. Raw saves
  (`loaddata`, `load_initial_data`) and django-reversion's restore send these signals too. Writes that send
  none (the CBP import's bulk SQL) call `content_changed()` themselves.
- Conditional GET: each page gets an `ETag` (a hash of the body) and a `Last-Modified` (the last change or
  scheduled publication), and a `304 Not Modified` when the request's validators still match; `Cache-Control:
  no-cache` tells browsers and proxies to revalidate every time instead of guessing a lifetime.
- Search is not cached: its key space is whatever readers type, so caching it would mostly fill the cache with
  pages read once and push out the pages worth keeping, and it costs only two indexed queries.

A cache hit costs one query and runs no view and almost no middleware (middleware.py says why). The query
reads just the generation row: the scheduled times around now, which take four more lookups, are read once per
process after each bump and each scheduled publication (content_state()).
"""

from .middleware import PageCacheMiddleware, cache_public_page, public_path
from .state import ContentState, content_changed, content_state, forget_content_state

__all__ = [
    "ContentState",
    "PageCacheMiddleware",
    "cache_public_page",
    "content_changed",
    "content_state",
    "forget_content_state",
    "public_path",
]
