"""Fixtures of the service charters tests: a manager for comune A and a
published charter with two standards (one entered by hand, one linked)."""

import datetime as dt
from decimal import Decimal

import pytest

from qclub.models import Role
from qclub.tenancy import acting_for
from servicecharters.charters import services
from tests.factories import officer_of


@pytest.fixture
def manager_a(comune_a):
    return officer_of(comune_a, role=Role.MANAGER)


@pytest.fixture
def draft(comune_a, service, officer_a):
    """Comune A's first draft for `service`, complete enough to submit."""
    with acting_for(comune_a):
        version = services.create_charter(municipality=comune_a, service=service, acting_user=officer_a)
        version = services.update_draft(
            version=version, lock_version=version.lock_version, acting_user=officer_a,
            presentation="Il servizio **anagrafe**.", complaints="Con il modulo online.",
        )
        services.save_standard(
            version=version, acting_user=officer_a, dimension="timeliness", kind="general",
            title="Attesa media allo sportello", comparator="at_most", target_value=Decimal("15"), unit="minuti",
        )
        version.refresh_from_db()
        return version


@pytest.fixture
def published(draft, comune_a, officer_a, manager_a):
    """The draft submitted, approved and published, in force from 1 January two years ago."""
    with acting_for(comune_a):
        services.submit(version=draft, acting_user=officer_a)
        services.approve(version=draft, acting_user=manager_a)
        version = services.publish(
            version=draft, valid_from=dt.date(dt.date.today().year - 2, 1, 1), acting_user=manager_a
        )
        return version
