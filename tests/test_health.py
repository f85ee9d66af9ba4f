"""/healthz says whether the database answers, for load balancers and process supervisors."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse


@pytest.mark.django_db
def test_healthy_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_unavailable_when_the_database_does_not_answer(client, caplog):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert "no-store" in response["Cache-Control"]
    assert "connection refused" in caplog.text


@pytest.mark.django_db
def test_a_failing_query_is_unavailable_too(client):
    class BrokenCursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return False

        def execute(self, sql):
            raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(connection, "cursor", return_value=BrokenCursor()):
        assert client.get(reverse("healthz")).status_code == 503


@pytest.mark.django_db
def test_head_works_and_writes_are_refused(client):
    assert client.head(reverse("healthz")).status_code == 200
    assert client.post(reverse("healthz")).status_code == 405
