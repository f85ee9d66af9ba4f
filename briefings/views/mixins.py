"""What the public pages share: their mixins. What they read comes from briefings/selectors.py, so a draft, a
scheduled briefing, or a figure or quote of one never reaches a reader; staff who may change briefings preview
them."""

from django.utils.cache import add_never_cache_headers, patch_cache_control

from ..models import Briefing
from ..selectors import published_briefings, with_official_record


class SectionMixin:
    """Names the site section a page belongs to, so the navigation can mark it as current."""

    section = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class PreviewMixin:
    """A page shown to staff before it is public (context `is_preview`) is marked as a preview, kept out
    of shared caches, and kept out of search engines (the template adds the same as a meta tag)."""

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            # A preview is for the editor who asked for it: no shared cache may keep it.
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response["X-Robots-Tag"] = "noindex"
        return response


class PublishedBriefingMixin(SectionMixin):
    """Readers get published briefings only. With `allow_preview`, staff who may change briefings
    also get drafts and scheduled ones, marked as a preview."""

    model = Briefing
    section = "briefings"
    allow_preview = False

    def get_queryset(self):
        if self.allow_preview:
            return Briefing.objects.visible_to(self.request.user)
        return Briefing.objects.published()


class BriefingsAboutMixin:
    """Adds the latest published briefings about the page's object, through the domain queryset
    method named by `briefings_method` (e.g. `for_topic`), and a link to the full filtered list."""

    briefings_method = None
    briefings_filter = None
    briefings_shown = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        briefings = getattr(published_briefings(), self.briefings_method)(self.object)
        # One row more than shown tells whether to link to the rest, without a COUNT query.
        latest = list(briefings[: self.briefings_shown + 1])
        context["briefings"] = latest[: self.briefings_shown]
        context["more_briefings"] = len(latest) > self.briefings_shown
        context["briefings_filter"] = self.briefings_filter
        return context


class OfficialRecordMixin:
    """For detail pages whose object comes with its figures prefetched as `published_figures`: each is set
    beside CBP's record, as every page that shows a figure does."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        with_official_record(obj.published_figures)
        return obj
