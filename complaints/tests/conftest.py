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


@pytest.fixture
def make_complaint(register):
    """make_complaint(municipality=None, user=None, received_on=..., kind=..., **stored) -> Complaint:
    registered, then given the stored handling fields as they would be after handling
    (answered, late, founded, rated...), for the KPI figures."""

    def make(municipality=None, user=None, kind=Complaint.Kind.COMPLAINT, channel=Complaint.Channel.COUNTER,
             category=None, service=None, **stored):
        complaint = register(municipality=municipality, user=user, kind=kind, channel=channel,
                             category=category, service=service).complaint
        if stored:
            with acting_for(complaint.municipality):
                Complaint.objects.filter(pk=complaint.pk).update(**stored)
                complaint.refresh_from_db()
        return complaint

    return make
