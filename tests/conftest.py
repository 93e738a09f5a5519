"""Shared fixtures: users placed in the role groups that the data migrations
followups/0002_create_role_groups and 0011_contributor_role create."""

import shutil
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from followups.models import Contributor
from tests.factories import UserFactory

CASEWORKER = "Handläggare"
SECRETARY = "Nämndsekreterare"
ADMINISTRATOR = "Administratör"
READER = "Läsare"
CONTRIBUTOR = "Bidragsgivare"


@pytest.fixture(scope="session", autouse=True)
def remove_test_media():
    """The test settings put media in a new temporary folder; remove it at
    the end, so test runs do not fill /tmp with archived PDFs."""
    yield
    if "huddinge-test-media-" in str(settings.MEDIA_ROOT):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def user_in_group(db) -> Callable:
    """Returns a function that creates a user in the named role group."""

    def make(group_name: str, units=(), **fields):
        user = UserFactory(**fields)
        user.groups.add(Group.objects.get(name=group_name))
        if units:
            Contributor.objects.create(user=user).units.set(units)
        return user

    return make


@pytest.fixture
def caseworker(user_in_group):
    return user_in_group(CASEWORKER)


@pytest.fixture
def secretary(user_in_group):
    return user_in_group(SECRETARY)


@pytest.fixture
def administrator(user_in_group):
    return user_in_group(ADMINISTRATOR)


@pytest.fixture
def reader(user_in_group):
    return user_in_group(READER)
