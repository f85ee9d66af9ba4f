from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "briefings"
    verbose_name = _("Briefings desk")

    def ready(self):
        from . import modified
        from .page_cache import signals

        signals.watch_content_models()
        modified.watch()


class DeskAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the desk's site (briefings/admin_site.py); named in INSTALLED_APPS instead."""

    default = False  # the briefings app's own config stays BriefingsConfig
    default_site = "briefings.admin_site.DeskAdminSite"
