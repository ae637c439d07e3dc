"""A small registry-office catalogue, a 2025 campaign and the approved club,
shared by the benchmarking suites."""

import copy
import dataclasses

import pytest
from django.db import transaction

from benchmarking.collection import services
from benchmarking.tests.factories import (
    build_club,
    campaign_for,
    publish_datasets,
    registry_office_area,
    registry_office_elements,
    registry_office_indicators,
)
from qclub.models import Role
from qclub.tenancy import acting_for
from tests.factories import AreaCoordinatorFactory, officer_of


@pytest.fixture
def area(db):
    return registry_office_area()


@pytest.fixture
def elements(area):
    return registry_office_elements(area)


@pytest.fixture
def indicators(area, elements):
    return registry_office_indicators(area)


@pytest.fixture
def campaign(area, indicators):
    return campaign_for(area, indicators, year=2025)


@pytest.fixture
def manager_a(comune_a):
    return officer_of(comune_a, role=Role.MANAGER)


@pytest.fixture
def coordinator(area):
    return AreaCoordinatorFactory(area=area).user


@pytest.fixture
def submission_a(comune_a, campaign):
    """Comune A's submission to the 2025 campaign, every figure missing."""
    with acting_for(comune_a):
        return services.start_submission(campaign)


# --- The approved club, built once per test run ------------------------------

@dataclasses.dataclass
class ApprovedClub:
    """The catalogue, the 2025 campaign, its coordinator and the six comuni A–F
    of `factories.build_club`; `club[i]` is comune i (0 = A)."""

    area: object
    elements: dict
    indicators: list
    campaign: object
    coordinator: object
    comuni: list

    def __getitem__(self, index):
        return self.comuni[index]


def _build_club():
    area = registry_office_area()
    elements = registry_office_elements(area)
    indicators = registry_office_indicators(area)
    campaign = campaign_for(area, indicators, year=2025)
    coordinator = AreaCoordinatorFactory(area=area).user
    comuni = build_club(area, campaign, coordinator, indicators)
    return ApprovedClub(area, elements, indicators, campaign, coordinator, comuni)


# The shared worlds, outermost first: fixture name -> what builds it on top of the previous one.
LAYERS = {"club": _build_club, "published": lambda: publish_datasets(_built["club"])}
_open = {}  # layer -> the atomic block holding it, while open
_built = {}  # layer -> what it built
_blocker = []


def _uses_layer(item, layer) -> bool:
    """Whether `item` uses this conftest's fixture `layer` (not a module's own
    fixture of the same name)."""
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.get(layer) if info else None
    return bool(definitions) and definitions[-1].func.__module__ == __name__


def _layers_used(item) -> int:
    return sum(1 for layer in LAYERS if _uses_layer(item, layer))


def _open_layer(layer, django_db_blocker) -> None:
    _blocker[:] = [django_db_blocker]
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As Django's TestCase marks its own: code under test may open durable blocks.
        atomic._from_testcase = True
        atomic.__enter__()
        _open[layer] = atomic
        _built[layer] = LAYERS[layer]()


def _close_layer(layer) -> None:
    atomic = _open.pop(layer, None)
    if atomic is not None:
        with _blocker[0].unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _shared(request, layer):
    if layer not in _open:
        pytest.fail(f"the shared {layer} was already rolled back: its tests must run one after another")
    if "transactional_db" in request.fixturenames or (
        (marker := request.node.get_closest_marker("django_db")) and marker.kwargs.get("transaction")
    ):
        pytest.fail(f"a transactional test cannot see the shared {layer}: build your own (factories)")
    return copy.deepcopy(_built[layer])


@pytest.fixture(scope="session")
def _shared_club(django_db_setup, django_db_blocker):
    _open_layer("club", django_db_blocker)
    yield
    _close_layer("club")


@pytest.fixture(scope="session")
def _shared_published(_shared_club, django_db_blocker):
    _open_layer("published", django_db_blocker)
    yield
    _close_layer("published")


@pytest.fixture
def club(request, _shared_club, db):
    """The approved club of six comuni (`factories.build_club`), built once per
    test run.

    How: a session fixture opens a transaction and builds the club in it
    through the whole workflow (services; each comune inside `acting_for`,
    approvals in the review scope; row-level security in force). Every test
    that asks for `club` runs inside that transaction, in its own savepoint
    (pytest-django's `db`) rolled back afterwards: Django's `setUpTestData`,
    across modules. So a test may change anything (reopen, publish, hide a
    figure) and the next one still finds exactly the club; tests that count
    rows see the club and their own rows, as when each built its own club.
    `pytest_collection_modifyitems` runs these tests one after another, and
    the transaction is rolled back, never committed, as soon as the next test
    does not use the club (`pytest_runtest_teardown`): no other test sees it.

    A test using the club takes the catalogue from it (`club.area`,
    `club.indicators`, `club.campaign`, `club.coordinator`): the `area`,
    `campaign`... fixtures would make a second catalogue. Each test gets its
    own copy of the Python objects, so in-memory changes do not leak either.

    Transactional tests (live server, background threads) need committed data:
    they call `factories.build_club` themselves.
    """
    return _shared(request, "club")


@pytest.fixture
def published(request, _shared_published, club):
    """Open data on top of the club (`factories.publish_datasets`), built once
    per test run in a savepoint inside the club's transaction, the same way."""
    return _shared(request, "published")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests using the shared worlds one after another, where the
    first of them stands (after pytest-django's ordering), those using the
    club alone before those also using the published data, so that no
    transaction of a shared world wraps a test that does not expect it."""
    positions = [index for index, item in enumerate(items) if _layers_used(item)]
    if not positions:
        return
    together = sorted((items[index] for index in positions), key=_layers_used)
    others = [item for item in items if not _layers_used(item)]
    first = positions[0]
    items[:] = others[:first] + together + others[first:]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    for layer in reversed(LAYERS):
        if nextitem is None or not _uses_layer(nextitem, layer):
            _close_layer(layer)
    return result
