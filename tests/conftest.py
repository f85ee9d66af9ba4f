import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from briefings.roles import EDITORS, PUBLISHERS

from .factories import UserFactory


@pytest.fixture
def seed(db):
    """The seed report, loaded the way a new deployment loads it."""
    call_command("load_initial_data", verbosity=0)


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def publisher(db):
    user = UserFactory(username="publisher")
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True)
