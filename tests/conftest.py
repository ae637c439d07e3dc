import pytest

from tests.factories import MunicipalityFactory, ServiceFactory, officer_of


@pytest.fixture
def comune_a(db):
    return MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")


@pytest.fixture
def comune_b(db):
    return MunicipalityFactory(name="Bergamo", slug="bergamo", istat_code="016024")


@pytest.fixture
def officer_a(comune_a):
    return officer_of(comune_a)


@pytest.fixture
def officer_b(comune_b):
    return officer_of(comune_b)


@pytest.fixture
def service(db):
    return ServiceFactory()
