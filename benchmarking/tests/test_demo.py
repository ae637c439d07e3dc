"""The benchmarking demo data: the status mix of seed_demo, written through the
services, and idempotent."""

from collections import Counter

import pytest

from benchmarking import demo
from benchmarking.models import Campaign, DataValue, IndicatorResult, Submission, SubmissionEvent
from qclub.models import Role, ThematicArea
from qclub.tenancy import acting_for
from tests.factories import AreaCoordinatorFactory, MunicipalityFactory, UserFactory, officer_of

AREAS = ["servizi-demografici", "customer-satisfaction", "asili-nido", "personale", "finanziari", "biblioteche"]
CLUB = [("trento", 118_911), ("milano", 1_366_155), ("torino", 856_745), ("genova", 563_947),
        ("venezia", 250_369), ("bergamo", 120_886), ("bolzano", 106_441), ("modena", 184_739)]


@pytest.fixture
def club(db):
    coordinator = UserFactory(username="coordinator")
    for position, code in enumerate(AREAS, start=1):
        area = ThematicArea.objects.create(code=code, name=code.replace("-", " ").title(), position=position)
        AreaCoordinatorFactory(user=coordinator, area=area)
    comuni = []
    for slug, population in CLUB:
        comune = MunicipalityFactory(slug=slug, name=slug.title(), population=population)
        officer_of(comune, role=Role.OFFICER, user__username=f"officer.{slug}")
        officer_of(comune, role=Role.MANAGER, user__username=f"manager.{slug}")
        comuni.append(comune)
    return comuni


def statuses(comuni, year):
    found = []
    for comune in comuni:
        with acting_for(comune):
            found += list(Submission.objects.filter(campaign__period_year=year).values_list("campaign__area__code", "status"))
    return found


def snapshot(comuni):
    rows = []
    for comune in comuni:
        with acting_for(comune):
            rows += list(DataValue.objects.order_by("pk").values_list("pk", "state", "value", "version"))
            rows += list(Submission.objects.order_by("pk").values_list("pk", "status", "version"))
    return rows


@pytest.mark.slow
def test_the_demo_gives_the_status_mix_through_the_rules_and_is_idempotent(club):
    # One seed for the whole suite: it writes ~140 submissions through the services.
    lonely = MunicipalityFactory(slug="lonely")  # a member comune without demo users
    # (Its duration is not asserted here: timings belong to `make bench`.)
    demo.seed()
    assert Campaign.objects.count() == 18
    assert set(Campaign.objects.filter(period_year__lt=2025).values_list("status", flat=True)) == {"closed"}
    assert set(Campaign.objects.filter(period_year=2025).values_list("status", flat=True)) == {"open"}
    # Citizens find the closed years as open data (/dati-aperti/, /comuni/<slug>/).
    assert set(Campaign.objects.filter(published_at__isnull=False).values_list("period_year", flat=True)) == {
        2023, 2024
    }
    assert Campaign.objects.filter(published_at__isnull=False).count() == 12
    for year in (2023, 2024):
        past = statuses(club, year)
        assert len(past) == 48 and {status for _area, status in past} == {"approved"}
    current = statuses(club, 2025)
    for area in AREAS:
        mix = Counter(status for code, status in current if code == area)
        # The eighth comune has not started: it has no submission at all.
        assert mix == {"approved": 4, "returned": 1, "submitted": 1, "draft": 1}, (area, mix)

    milano = next(comune for comune in club if comune.slug == "milano")
    with acting_for(milano):
        assert not Submission.objects.filter(status="approved", unjustified_count__gt=0).exists()
        assert not IndicatorResult.objects.filter(submission__status="approved", value__isnull=True).exists()
        complaints = DataValue.objects.get(submission__campaign__period_year=2024, element__code="reclami_ricevuti")
    # Milano's centralised complaint handling makes it the club's genuine outlier.
    assert complaints.value > 3 * 1_366_155 / 10_000 * 8
    justified = 0
    for comune in club:
        with acting_for(comune):
            justified += DataValue.objects.filter(submission__status="approved").exclude(justification="").count()
    assert justified > 0
    returned = [comune for comune in club if ("returned" in dict(statuses([comune], 2025)).values())]
    with acting_for(returned[0]):
        assert SubmissionEvent.objects.filter(to_status="returned").exclude(note="").exists()
    with acting_for(lonely):
        assert not Submission.objects.exists()

    before = snapshot(club)
    demo.seed()
    assert snapshot(club) == before
    assert Campaign.objects.count() == 18


def test_figures_are_deterministic_and_keep_parts_within_their_whole():
    comune = MunicipalityFactory.build(slug="trento", population=118_911)
    first, again = demo.figures_for(comune, 2024), demo.figures_for(comune, 2024)
    assert first == again
    assert first["certificati_online"] <= first["certificati_rilasciati"]
    assert first["reclami_risposti_30gg"] <= first["reclami_risposti"] <= first["reclami_ricevuti"]
    drift = demo.figures_for(comune, 2025)["certificati_rilasciati"] / first["certificati_rilasciati"]
    assert 0.9 < drift < 1.1
