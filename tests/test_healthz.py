"""/healthz: 200 while the database answers, 503 when it does not; open to
load balancers without login."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy_database_answers_200_without_login(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"), {"check": "database"})

    assert response.status_code == 200
    assert response.content == b"ok\ndatabase: ok\n"
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_database_that_does_not_answer_gives_503(client):
    # Django's connection, not our code, is what fails here.
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


def test_all_checks_take_three_queries_whatever_the_number_of_archives(
    client, django_assert_num_queries
):
    with django_assert_num_queries(3):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\ndatabase: ok\narchived reports: ok (0)\n"


def test_health_check_takes_no_posts(client):
    assert client.post(reverse("healthz")).status_code == 405
