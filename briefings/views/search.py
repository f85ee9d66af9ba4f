"""The search page (/search/?q=&kind=&page=). The searching itself is briefings/search/site/.

Any query gets a page, never an error; an unknown `kind` is a 404, like an unknown filter elsewhere. Result
pages are kept out of search engines: they are endless, and every result has its own page to index.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..search import MAX_QUERY_LENGTH
from ..search import site as search
from .mixins import SectionMixin


class SearchView(SectionMixin, TemplateView):
    template_name = "briefings/search.html"
    section = "search"

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("kind", "")
        if kind and kind not in search.kinds():
            raise Http404(_("There is no kind of result called “%(kind)s”.") % {"kind": kind})
        self.search = search.site_search(request.GET.get("q", ""), kind=kind or None, page=request.GET.get("page", 1))
        response = super().get(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        kinds = [(kind, self.search.counts[kind.slug]) for kind in search.kinds().values()]
        return super().get_context_data(
            search=self.search,
            page_obj=self.search.page,
            kinds=kinds,
            max_query_length=MAX_QUERY_LENGTH,
            **kwargs,
        )
