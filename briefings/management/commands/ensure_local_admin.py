"""Tell a newcomer how to reach the admin, creating a local superuser the first time (DEBUG only)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

USERNAME = "admin"


class Command(BaseCommand):
    help = _("With DEBUG on and no superuser yet, create a local 'admin' user and print its password once.")

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/", help=_("Where the admin is served."))

    def handle(self, *args, url, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                _("Admin: %(url)s — log in with your existing superuser (reset with: %(command)s).")
                % {"url": url, "command": ".venv/bin/python manage.py changepassword USERNAME"}
            )
            return
        if not settings.DEBUG:
            self.stdout.write(_("No superuser exists. Create one with: .venv/bin/python manage.py createsuperuser"))
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=USERNAME, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                _("Created a local admin. Log in at %(url)s as '%(user)s' with password: %(password)s")
                % {"url": url, "user": USERNAME, "password": password}
            )
        )
        self.stdout.write(
            _("This password is shown only once; change it with: .venv/bin/python manage.py changepassword admin")
        )
