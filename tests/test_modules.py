"""The module contract (qclub/modules.py): the core finds each module's hooks
through the app registry and shows what they offer — dashboard cards,
navigation, a comune's public page, the members area, demo data, periodic
jobs — and still works when a module offers nothing."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from benchmarking.hooks import BenchmarkingHooks
from benchmarking.models import ApprovedResult, Campaign, Submission, Visibility
from benchmarking.tests.factories import campaign_for, indicator_with
from qclub import modules
from qclub.models import Municipality, Role
from qclub.tenancy import acting_for
from tests.factories import (
    AreaCoordinatorFactory,
    MunicipalityFactory,
    ThematicAreaFactory,
    officer_of,
)

pytestmark = pytest.mark.django_db

Status = Submission.Status
LAST_YEAR = timezone.localdate().year - 1


def open_campaign(area, year=LAST_YEAR, **kwargs):
    """An open campaign of `area`, due in a month (not overdue)."""
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        area=area, period_year=year, opens_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=30), **kwargs,
    )
    return campaign


def submission(campaign, comune, status, *, filled=3, expected=3):
    with acting_for(comune):
        return Submission.objects.create(
            campaign=campaign, status=status, filled_count=filled, expected_count=expected
        )


# --- The registry --------------------------------------------------------------------


def test_the_registry_finds_benchmarkings_hooks():
    found = {module.label: module for module in modules.installed_modules()}
    assert isinstance(found["benchmarking"].hooks, BenchmarkingHooks)
    assert {"surveys", "complaints", "servicecharters"} <= set(found)
    # Apps that name no hooks are not modules: the core itself, Django's apps.
    assert "qclub" not in found and "auth" not in found


def test_hooks_that_are_not_module_hooks_are_refused(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("surveys"), "hooks", "qclub.models.Municipality", raising=False)
    with pytest.raises(modules.ImproperModule, match="surveys"):
        modules.installed_modules()


# --- Dashboard -----------------------------------------------------------------------


def test_officer_with_a_returned_submission_sees_to_correct_1_with_a_link(client, officer_a, comune_a, comune_b):
    area = ThematicAreaFactory()
    returned = open_campaign(area)
    submission(returned, comune_a, Status.RETURNED)
    # Another comune's returned form is not this officer's work.
    submission(returned, comune_b, Status.RETURNED)
    submission(open_campaign(area, year=LAST_YEAR - 1), comune_b, Status.RETURNED)
    client.force_login(officer_a)
    content = client.get(reverse("dashboard")).content.decode()
    form = reverse("benchmarking:submission", args=[returned.public_id])
    # One form: the line leads straight to it, not to the list.
    assert f'<a href="{form}">Da correggere (restituite dal coordinatore) (1)</a>' in content
    assert "Nessuna scheda aspetta il tuo intervento." not in content


def test_several_forms_are_each_linked_under_their_line(client, officer_a, comune_a):
    first, second = open_campaign(ThematicAreaFactory(name="Anagrafe")), open_campaign(ThematicAreaFactory(name="Nidi"))
    for campaign in (first, second):
        submission(campaign, comune_a, Status.RETURNED)
    client.force_login(officer_a)
    content = client.get(reverse("dashboard")).content.decode()
    assert "Da correggere (restituite dal coordinatore) (2)" in content
    for campaign, name in ((first, "Anagrafe"), (second, "Nidi")):
        link = reverse("benchmarking:submission", args=[campaign.public_id])
        assert f'<a href="{link}">{name}, {LAST_YEAR}</a>' in content


def test_officer_sees_overdue_and_half_filled_forms_and_only_a_manager_sees_ready_ones(client, comune_a):
    area = ThematicAreaFactory()
    today = timezone.localdate()
    # Past its due date and never opened by the comune: overdue all the same.
    Campaign.objects.create(area=area, period_year=LAST_YEAR - 2, opens_on=today - datetime.timedelta(days=90),
                            due_on=today - datetime.timedelta(days=1))
    submission(open_campaign(area), comune_a, Status.DRAFT, filled=1, expected=3)
    submission(open_campaign(ThematicAreaFactory()), comune_a, Status.DRAFT, filled=3, expected=3)
    client.force_login(officer_of(comune_a))
    content = client.get(reverse("dashboard")).content.decode()
    assert "In ritardo (1)" in content
    assert "Compilate a metà (1)" in content
    assert "Complete: segnale come pronte per il responsabile (1)" in content
    assert "da inviare al coordinatore" not in content
    client.force_login(officer_of(comune_a, role=Role.MANAGER))
    assert "Complete, da inviare al coordinatore (1)" in client.get(reverse("dashboard")).content.decode()


def test_a_manager_sees_the_forms_an_officer_marked_ready(client, comune_a, comune_b):
    ready = open_campaign(ThematicAreaFactory())
    submission(ready, comune_a, Status.READY)
    submission(ready, comune_b, Status.READY)
    client.force_login(officer_of(comune_a, role=Role.MANAGER))
    content = client.get(reverse("dashboard")).content.decode()
    form = reverse("benchmarking:submission", args=[ready.public_id])
    assert f'<a href="{form}">Pronte per te: segnate dall&#x27;operatore, da controllare e inviare (1)</a>' in content
    client.force_login(officer_of(comune_a))
    assert "In attesa del responsabile (1)" in client.get(reverse("dashboard")).content.decode()


def test_a_comune_admitted_later_is_not_late_for_rounds_due_before(client, comune_a):
    today = timezone.localdate()
    Campaign.objects.create(area=ThematicAreaFactory(), period_year=LAST_YEAR - 2,
                            opens_on=today - datetime.timedelta(days=90), due_on=today - datetime.timedelta(days=10))
    comune_a.member_since = today - datetime.timedelta(days=5)
    comune_a.save()
    client.force_login(officer_of(comune_a))
    assert "In ritardo" not in client.get(reverse("dashboard")).content.decode()


def test_coordinator_sees_waiting_submissions_only_of_the_areas_they_coordinate(client, comune_a, comune_b):
    mine = ThematicAreaFactory(name="Servizi demografici")
    other = ThematicAreaFactory(name="Biblioteche")
    coordinator = AreaCoordinatorFactory(area=mine).user
    AreaCoordinatorFactory(area=other)
    mine_campaign, other_campaign = open_campaign(mine), open_campaign(other)
    submission(mine_campaign, comune_a, Status.SUBMITTED)
    submission(mine_campaign, comune_b, Status.SUBMITTED)
    submission(other_campaign, comune_a, Status.SUBMITTED)
    submission(other_campaign, comune_b, Status.SUBMITTED)
    third = MunicipalityFactory()
    submission(other_campaign, third, Status.SUBMITTED)
    client.force_login(coordinator)
    content = client.get(reverse("dashboard")).content.decode()
    board = reverse("benchmarking:board", args=[mine_campaign.public_id])
    assert f'<a href="{board}?stato=submitted">Da approvare: Servizi demografici, {LAST_YEAR} (2)</a>' in content
    assert "Biblioteche" not in content
    assert "(3)" not in content


def test_coordinator_goes_straight_to_a_single_waiting_form_and_to_rounds_to_close(client, comune_a):
    area = ThematicAreaFactory(name="Servizi demografici")
    coordinator = AreaCoordinatorFactory(area=area).user
    waiting = open_campaign(area)
    submission(waiting, comune_a, Status.SUBMITTED)
    today = timezone.localdate()
    late = Campaign.objects.create(area=area, period_year=LAST_YEAR - 3, opens_on=today - datetime.timedelta(days=90),
                                   due_on=today - datetime.timedelta(days=1))
    client.force_login(coordinator)
    content = client.get(reverse("dashboard")).content.decode()
    review = reverse("benchmarking:review", args=[waiting.public_id, comune_a.slug])
    assert f'<a href="{review}">Da approvare: Servizi demografici, {LAST_YEAR} (1)</a>' in content
    close = reverse("benchmarking:campaign_close", args=[late.public_id])
    assert f'<a href="{close}">Scadute e ancora aperte: da chiudere (1)</a>' in content


# --- Navigation ----------------------------------------------------------------------


def test_nav_entries_are_hidden_from_users_without_the_permission(client, comune_a):
    members_url = f'href="{reverse("benchmarking:members")}"'
    open_data_url = f'href="{reverse("opendata:index")}"'
    benchmarking_url = f'href="{reverse("benchmarking:index")}"'

    anonymous = client.get(reverse("home")).content.decode()
    assert open_data_url in anonymous
    assert benchmarking_url not in anonymous and members_url not in anonymous

    candidate = MunicipalityFactory(status=Municipality.Status.CANDIDATE)
    client.force_login(officer_of(candidate))
    not_a_member = client.get(reverse("dashboard")).content.decode()
    assert benchmarking_url in not_a_member
    assert members_url not in not_a_member

    client.force_login(officer_of(comune_a))
    assert members_url in client.get(reverse("dashboard")).content.decode()

    # A coordinator works for the club, not in a comune's complaints.
    client.force_login(AreaCoordinatorFactory().user)
    coordinator = client.get(reverse("dashboard")).content.decode()
    assert benchmarking_url in coordinator
    assert f'href="{reverse("complaints:index")}"' not in coordinator


def test_the_nav_entry_of_the_current_module_is_marked(client, officer_a):
    client.force_login(officer_a)
    content = client.get(reverse("opendata:index")).content.decode()
    assert f'<a class="nav-link active" href="{reverse("opendata:index")}" aria-current="page">' in content


# --- The comune's public page ----------------------------------------------------------


def approved_result(campaign, comune, indicator, value, visibility):
    with acting_for(comune):
        sub = Submission.objects.create(campaign=campaign, status=Status.APPROVED)
        return ApprovedResult.objects.create(
            submission=sub, campaign=campaign, area=campaign.area, indicator=indicator,
            indicator_version=indicator.versions.get(), period_year=campaign.period_year,
            value=Decimal(value), visibility=visibility, approved_at=timezone.now(),
        )


@pytest.fixture
def published_and_not(comune_a):
    area = ThematicAreaFactory(code="anagrafe", name="Anagrafe")
    indicator = indicator_with(area, "1", code="certificati_per_fte", decimals=1)
    indicator.name = "Certificati per addetto"
    indicator.save()
    kept = indicator_with(area, "1", code="costo_per_certificato")
    published = campaign_for(area, [indicator, kept], year=2023, published_at=timezone.now())
    result = approved_result(published, comune_a, indicator, "1234.5", Visibility.PUBLIC)
    # Published campaign, but the comune keeps this figure to itself.
    with acting_for(comune_a):
        ApprovedResult.objects.create(
            submission=result.submission, campaign=published, area=area, indicator=kept,
            indicator_version=kept.versions.get(), period_year=2023, value=Decimal("5555"),
            visibility=Visibility.OWN, approved_at=timezone.now(),
        )
    club_only = campaign_for(area, [indicator], year=2024)
    approved_result(club_only, comune_a, indicator, "9876", Visibility.CLUB)
    draft = campaign_for(area, [indicator], year=2025)
    submission(draft, comune_a, Status.DRAFT)
    return {"published": published, "club_only": club_only}


@pytest.mark.parametrize("visitor", ["anonymous", "the comune's own officer"])
def test_a_comunes_public_page_shows_nothing_unpublished(client, comune_a, published_and_not, visitor):
    if visitor != "anonymous":
        client.force_login(officer_of(comune_a))
    response = client.get(reverse("municipality_public", args=[comune_a.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Comune di Trento" in content and "Trentino-Alto Adige" in content
    assert "Certificati per addetto" in content and "1.234,5" in content
    assert reverse("opendata:dataset", args=["anagrafe", "2023"]) in content
    assert "9876" not in content and "9.876" not in content
    assert "5555" not in content and "5.555" not in content
    assert reverse("opendata:dataset", args=["anagrafe", "2024"]) not in content
    assert "2025" not in content


def test_a_comune_with_nothing_published_says_so(client, comune_b):
    # A member comune always offers the complaints form (complaints/hooks.py); one
    # outside the club has no section at all.
    outsider = MunicipalityFactory(status="non_member")
    content = client.get(reverse("municipality_public", args=[outsider.slug])).content.decode()
    assert "non ha ancora pubblicato dati" in content
    member = client.get(reverse("municipality_public", args=[comune_b.slug])).content.decode()
    assert reverse("complaints:public_form", args=[comune_b.slug]) in member


def test_an_unknown_comune_has_no_public_page(client):
    assert client.get(reverse("municipality_public", args=["non-esiste"])).status_code == 404


# --- Members area ----------------------------------------------------------------------


def test_members_area_lists_the_modules_entries_for_members_only(client, comune_a):
    client.force_login(officer_of(comune_a))
    content = client.get(reverse("members_area")).content.decode()
    assert f'href="{reverse("benchmarking:scorecard")}"' in content
    assert f'href="{reverse("benchmarking:reports")}"' in content
    client.force_login(officer_of(MunicipalityFactory(status=Municipality.Status.CANDIDATE)))
    assert client.get(reverse("members_area")).status_code == 403


# --- A module that offers nothing -------------------------------------------------------


def test_the_core_works_when_a_module_provides_no_hooks(client, monkeypatch, comune_a, published_and_not):
    monkeypatch.setattr(modules, "installed_modules", lambda: [
        modules.Module(label="empty", name="Vuoto", hooks=modules.ModuleHooks()),
    ])
    client.force_login(officer_of(comune_a))
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert "Il tuo lavoro" not in dashboard.content.decode()
    assert f'href="{reverse("benchmarking:index")}"' not in dashboard.content.decode()
    public = client.get(reverse("municipality_public", args=[comune_a.slug])).content.decode()
    assert "non ha ancora pubblicato dati" in public
    members = client.get(reverse("members_area")).content.decode()
    assert "Nessun modulo offre ancora contenuti" in members


def test_home_links_each_member_comunes_public_page(client, comune_a):
    content = client.get(reverse("home")).content.decode()
    assert "<title>QClub — Qualità dei servizi comunali a confronto</title>" in content
    assert f'href="{reverse("municipality_public", args=[comune_a.slug])}"' in content
