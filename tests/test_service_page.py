"""The page of one service (issue #12): for a comune and a service of the
shared taxonomy, every module's section — benchmarking's figures against the
peers, what citizens say (surveys), what they complain about (complaints),
what the comune promised and kept (service charters) — for citizens on the
comune's public pages and for the club's members in the reserved area. The
core reads every module in the page's scope (public or club) with no comune
active: these tests fail if it did not."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.models import Visibility
from benchmarking.tests.factories import campaign_for
from complaints.models import ComplaintFigure, ComplaintReport
from qclub import modules, tenancy
from qclub.models import Municipality
from qclub.tenancy import acting_for
from tests.factories import MunicipalityFactory, ServiceFactory, officer_of
from tests.service_page_scene import LAST, anagrafe_of, draft_charter, figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def anagrafe(comune_a):
    return anagrafe_of(comune_a)


# --- Citizens ---------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", ["anonymous", "the comune's own officer"])
def test_the_public_page_shows_only_what_the_comune_published(client, comune_a, anagrafe, visitor):
    if visitor != "anonymous":
        client.force_login(officer_of(comune_a))
    response = client.get(reverse("service_public", args=[comune_a.slug, anagrafe.code]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Anagrafe centrale" in content and "Comune di Trento" in content
    # The charter in force and its published monitoring; not the new draft.
    assert "Carta dell&#x27;anagrafe 2024" in content and "Attesa media allo sportello" in content
    assert "Rispettato" in content
    assert "Bozza della carta 2026" not in content
    # The published survey; not the closed one of this year, newer though it is.
    assert "Indagine pubblicata" in content and "Indagine chiusa" not in content
    assert reverse("surveys:public_results", args=[comune_a.slug, _survey_id(comune_a, "Indagine pubblicata")]) in content
    # The open data figure; neither the club's nor the comune's own.
    assert "11,5" in content
    assert "66,5" not in content and "13,5" not in content and "77,5" not in content
    # No per-service complaint figure for citizens (the yearly report has none).
    assert "segnalazioni su questo servizio" not in content


def _survey_id(comune, title):
    from surveys.models import Survey

    with acting_for(comune):
        return Survey.objects.get(title=title).public_id


def test_a_draft_charter_never_shows_to_citizens_even_to_its_own_officer(client, comune_a):
    service = ServiceFactory(name="Nido d'infanzia")
    draft_charter(comune_a, service, title="Carta del nido in bozza")
    client.force_login(officer_of(comune_a))
    content = client.get(reverse("service_public", args=[comune_a.slug, service.code])).content.decode()
    assert "Carta del nido in bozza" not in content
    assert "non ha ancora pubblicato nulla su questo servizio" in content


def test_the_comunes_public_page_links_the_services_with_something_published(client, comune_a, anagrafe):
    nursery = ServiceFactory(name="Nido d'infanzia")
    draft_charter(comune_a, nursery)
    content = client.get(reverse("municipality_public", args=[comune_a.slug])).content.decode()
    assert f'href="{reverse("service_public", args=[comune_a.slug, anagrafe.code])}"' in content
    assert reverse("service_public", args=[comune_a.slug, nursery.code]) not in content


def test_unknown_comune_or_service_has_no_page(client, comune_a, service):
    assert client.get(reverse("service_public", args=["non-esiste", service.code])).status_code == 404
    assert client.get(reverse("service_public", args=[comune_a.slug, "non-esiste"])).status_code == 404


def test_a_comune_with_nothing_on_a_service_says_so(client, comune_a, service):
    response = client.get(reverse("service_public", args=[comune_a.slug, service.code]))
    assert response.status_code == 200
    assert "non ha ancora pubblicato nulla su questo servizio" in response.content.decode()


# --- Members -----------------------------------------------------------------------------------


def test_members_read_another_comunes_club_material(client, comune_a, comune_b, anagrafe):
    client.force_login(officer_of(comune_b))
    response = client.get(reverse("service_members", args=[anagrafe.code]), {"comune": comune_a.slug})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Comune di Trento" in content
    # The closed survey, newest, as the comparisons read it; with the link to compare.
    assert "Indagine chiusa" in content and "chiusa, non ancora pubblicata" in content
    # The club's figure with the club median and position; never the comune's own.
    assert "13,5" in content and "14,7" in content and "2° su 5" in content and "66,5" in content
    assert "77,5" not in content
    # Complaints: the stored figures of the service.
    assert "ha ricevuto 737 segnalazioni su questo servizio" in content and "90,0 %" in content
    # The charter in force, not the draft.
    assert "Carta dell&#x27;anagrafe 2024" in content and "Bozza della carta 2026" not in content


def test_members_read_their_own_comune_as_the_club_does(client, comune_a, anagrafe):
    """No comune active: the comune's own-only figure stays out of the club's page."""
    client.force_login(officer_of(comune_a))
    content = client.get(reverse("service_members", args=[anagrafe.code])).content.decode()
    assert "13,5" in content
    assert "77,5" not in content
    assert "Bozza della carta 2026" not in content


def test_the_members_index_lists_services_and_marks_those_with_material(client, comune_a, anagrafe):
    other = ServiceFactory(name="Biblioteca civica")
    client.force_login(officer_of(comune_a))
    content = client.get(reverse("service_members_index"), {"comune": comune_a.slug}).content.decode()
    assert f'{reverse("service_members", args=[anagrafe.code])}?comune={comune_a.slug}' in content
    assert f'{reverse("service_members", args=[other.code])}?comune={comune_a.slug}' in content
    assert content.count("con dati") == 1


def test_the_members_area_links_the_service_pages(client, comune_a):
    client.force_login(officer_of(comune_a))
    assert f'href="{reverse("service_members_index")}"' in client.get(reverse("members_area")).content.decode()


def test_non_members_are_refused_and_visitors_sent_to_log_in(client, service):
    url = reverse("service_members", args=[service.code])
    assert client.get(url).status_code == 302
    client.force_login(officer_of(MunicipalityFactory(status=Municipality.Status.CANDIDATE)))
    assert client.get(url).status_code == 403
    assert client.get(reverse("service_members_index")).status_code == 403


def test_members_page_404s_for_an_unknown_service_or_a_comune_outside_the_club(client, comune_a, service):
    client.force_login(officer_of(comune_a))
    assert client.get(reverse("service_members", args=["non-esiste"])).status_code == 404
    url = reverse("service_members", args=[service.code])
    assert client.get(url, {"comune": "non-esiste"}).status_code == 404
    outsider = MunicipalityFactory(status=Municipality.Status.NON_MEMBER)
    assert client.get(url, {"comune": outsider.slug}).status_code == 404


def test_members_page_of_a_service_with_nothing_says_so(client, comune_a, service):
    client.force_login(officer_of(comune_a))
    content = client.get(reverse("service_members", args=[service.code])).content.decode()
    assert "non ha ancora condiviso con il club nulla su questo servizio" in content


# --- The core's contract ------------------------------------------------------------------------


class Recorder(modules.ModuleHooks):
    """A module that says in which scope and for which comune it was asked."""

    def __init__(self):
        self.seen = []

    def service_sections(self, municipality, service, audience):
        self.seen.append((audience, tenancy.active_scope(), tenancy.active_municipality_id()))
        return (modules.ServiceSection(title=f"Sezione {audience}", template="includes/under_construction.html"),)


def test_each_module_reads_in_the_pages_scope_with_no_comune_active(client, monkeypatch, comune_a, service):
    recorder = Recorder()
    monkeypatch.setattr(modules, "installed_modules", lambda: [modules.Module("rec", "Rec", recorder)])
    client.force_login(officer_of(comune_a))
    assert client.get(reverse("service_public", args=[comune_a.slug, service.code])).status_code == 200
    assert client.get(reverse("service_members", args=[service.code])).status_code == 200
    assert recorder.seen == [(modules.Readers.PUBLIC, "public", None), (modules.Readers.MEMBERS, "club", None)]


def test_sections_come_in_position_order_with_an_index(client, monkeypatch, comune_a, service):
    class Two(modules.ModuleHooks):
        def service_sections(self, municipality, service, audience):
            return (
                modules.ServiceSection(title="Seconda", template="includes/under_construction.html", position=60),
                modules.ServiceSection(title="Prima", template="includes/under_construction.html", position=5),
            )

    monkeypatch.setattr(modules, "installed_modules", lambda: [modules.Module("two", "Two", Two())])
    content = client.get(reverse("service_public", args=[comune_a.slug, service.code])).content.decode()
    assert content.index("Prima") < content.index("Seconda")
    assert 'href="#service-section-1"' in content and 'href="#service-section-2"' in content


def test_the_pages_work_when_a_module_provides_no_hooks(client, monkeypatch, comune_a, anagrafe):
    monkeypatch.setattr(modules, "installed_modules", lambda: [
        modules.Module(label="empty", name="Vuoto", hooks=modules.ModuleHooks()),
    ])
    public = client.get(reverse("service_public", args=[comune_a.slug, anagrafe.code]))
    assert public.status_code == 200 and "non ha ancora pubblicato nulla" in public.content.decode()
    client.force_login(officer_of(comune_a))
    members = client.get(reverse("service_members", args=[anagrafe.code]))
    assert members.status_code == 200 and "non ha ancora condiviso" in members.content.decode()
    assert client.get(reverse("service_members_index")).status_code == 200


def test_public_complaints_section_links_the_published_report_only(client, comune_a, anagrafe):
    with acting_for(comune_a):
        ComplaintReport.objects.create(year=LAST, figures={"total": {}, "by": {}}, published_on=dt.date.today())
    content = client.get(reverse("service_public", args=[comune_a.slug, anagrafe.code])).content.decode()
    assert "Reclami sul servizio" in content
    assert f'href="{reverse("municipality_public", args=[comune_a.slug])}"' in content
    assert "segnalazioni su questo servizio" not in content


def test_the_pages_read_a_fixed_number_of_queries_whatever_the_years(client, comune_a, anagrafe):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer_of(comune_a))
    urls = [reverse("service_members", args=[anagrafe.code]),
            reverse("service_public", args=[comune_a.slug, anagrafe.code])]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    indicator = anagrafe.indicators.get(code="attesa_media")
    with acting_for(comune_a):
        for year in range(LAST - 6, LAST - 1):
            ComplaintFigure.objects.create(year=year, dimension=ComplaintFigure.Dimension.SERVICE, key=anagrafe.code,
                                           received=5, computed_at=timezone.now())
    for year in range(LAST - 5, LAST - 1):
        campaign = campaign_for(anagrafe.area, [indicator], year=year, published_at=timezone.now())
        figure(comune_a, indicator, campaign, "10", Visibility.PUBLIC)
    assert counts() == before
