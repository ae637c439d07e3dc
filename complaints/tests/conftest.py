"""Fixtures of the complaints tests."""

import datetime

import pytest

from complaints.intake.services import register_complaint
from complaints.models import Complaint
from qclub.models import Role
from qclub.tenancy import acting_for
from tests.factories import officer_of


@pytest.fixture
def manager_a(comune_a):
    return officer_of(comune_a, role=Role.MANAGER)


@pytest.fixture
def register(comune_a, officer_a):
    """register(**overrides) -> Registered: a complaint of comune A, registered by its officer."""

    def make(municipality=None, user=None, **overrides):
        municipality = municipality or comune_a
        fields = {
            "kind": Complaint.Kind.COMPLAINT, "channel": Complaint.Channel.COUNTER,
            "received_on": datetime.date.today() - datetime.timedelta(days=1),
            "what_happened": "Ho atteso due ore allo sportello anagrafe",
            "request": "Più operatori il lunedì", "wants_answer": True,
            "contact_name": "Mario Rossi", "contact_email": "mario@example.org",
        }
        fields.update(overrides)
        with acting_for(municipality):
            return register_complaint(municipality=municipality, user=user or officer_a, **fields)

    return make
