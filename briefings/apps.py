from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "briefings"
    verbose_name = _("Briefings desk")

    def ready(self):
        from . import modified
        from .page_cache import signals

        signals.watch_content_models()
        modified.watch()
