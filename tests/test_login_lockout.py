"""The admin login locks a username out from an address after too many failed attempts (django-axes)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from .factories import UserFactory
from .html_safety import unsafe_markup

PASSWORD = "correct horse battery staple"  # tests/factories.py
LOGIN = reverse("admin:login")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every attempt checks a password; the production hasher would make each one take a good part of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db, fast_password_hashing):
    return UserFactory(username="reporter", is_superuser=True)


def log_in(client, username, password, *, address="198.51.100.7", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address, **headers
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


def fail_until_locked(client, username, **kwargs):
    return [log_in(client, username, "wrong password", **kwargs) for _ in range(settings.AXES_FAILURE_LIMIT)]


def test_wrong_passwords_below_the_limit_still_let_the_right_one_in(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "reporter", "wrong password")
        assert response.status_code == 200  # the login form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()
    response = log_in(client, "reporter", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)
    # A successful login forgets the failures before it.
    assert not AccessAttempt.objects.filter(username="reporter").exists()


def test_the_limit_th_failure_locks_the_login_with_a_clear_message(client, staff):
    responses = fail_until_locked(client, "reporter")
    assert [response.status_code for response in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Login locked" in page
    assert "Border Briefings Desk" in page  # the admin's own header
    assert f"There were {settings.AXES_FAILURE_LIMIT} failed login attempts" in page
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"locked for {minutes} minutes, even with the right password" in page
    assert "default-src 'none'" in locked["Content-Security-Policy"]
    assert unsafe_markup(page) == []
    assert not is_logged_in(client)


def test_the_right_password_is_refused_while_locked(client, staff):
    fail_until_locked(client, "reporter")
    response = log_in(client, "reporter", PASSWORD)
    assert response.status_code == 429
    assert "Login locked" in response.content.decode()
    assert not is_logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 302  # back to the login page


def test_the_lock_lifts_after_the_cool_off(client, staff):
    fail_until_locked(client, "reporter")
    cool_off_ago = datetime.timedelta(seconds=settings.AXES_COOLOFF_TIME.total_seconds() + 60)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - cool_off_ago)
    response = log_in(client, "reporter", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_lock_holds_one_username_from_one_address_only(client, staff):
    UserFactory(username="colleague", is_superuser=True)
    fail_until_locked(client, "reporter", address="198.51.100.7")

    assert log_in(client, "colleague", PASSWORD, address="198.51.100.7").status_code == 302
    client.logout()
    assert log_in(client, "reporter", PASSWORD, address="203.0.113.20").status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_lock_without_a_proxy(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "reporter", "wrong password", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    assert log_in(client, "reporter", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_behind_a_proxy_the_client_address_comes_from_the_proxy_s_entry(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy (REMOTE_ADDR 127.0.0.1) appends the address it saw; what the client sent stands to its left.
    fail_until_locked(client, "reporter", address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
    forged = log_in(client, "reporter", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1, 198.51.100.7")
    assert forged.status_code == 429
    elsewhere = log_in(client, "reporter", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.20")
    assert elsewhere.status_code == 302


def test_force_login_is_untouched_by_the_lock(client, staff):
    fail_until_locked(client, "reporter")
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200
