"""The service charters' section of the page of one service
(servicecharters/service_page.py), read through the core as the pages do."""

import datetime as dt
from decimal import Decimal

import pytest

from qclub.modules import Readers, service_codes, service_sections
from qclub.tenancy import acting_for
from servicecharters import service_page
from servicecharters.charters import services
from servicecharters.monitoring import services as monitoring

pytestmark = pytest.mark.django_db

LAST = dt.date.today().year - 1
TEMPLATE = "servicecharters/service_section.html"


def section(municipality, service, readers):
    found = [s for s in service_sections(municipality, service, readers) if s.template == TEMPLATE]
    return found[0] if found else None


@pytest.mark.parametrize("readers", list(Readers))
def test_the_charter_in_force_shows_with_its_standards(comune_a, service, published, readers):
    shown = section(comune_a, service, readers)
    assert shown.context["version"] == published
    assert [line.standard.title for line in shown.context["lines"]] == ["Attesa media allo sportello"]
    assert shown.context["lines"][0].result is None and shown.context["monitoring_year"] is None
    assert service_codes(comune_a, readers) >= {service.code}


@pytest.mark.parametrize("readers", list(Readers))
def test_a_draft_charter_has_no_section(comune_a, service, draft, readers):
    assert section(comune_a, service, readers) is None
    assert service.code not in service_codes(comune_a, readers)


@pytest.mark.parametrize("readers", list(Readers))
def test_monitoring_shows_once_published(comune_a, service, published, officer_a, manager_a, readers):
    with acting_for(comune_a):
        report = monitoring.compute_year(charter=published.charter, year=LAST, acting_user=officer_a)
        result = report.results.get()
        monitoring.enter_result(result=result, actual_value=Decimal("18"), evidence="Registro code",
                                lock_version=result.lock_version, acting_user=officer_a)
    assert section(comune_a, service, readers).context["lines"][0].result is None
    with acting_for(comune_a):
        monitoring.publish_report(report=report, acting_user=manager_a)
    shown = section(comune_a, service, readers)
    assert shown.context["lines"][0].result.met is False
    assert shown.context["monitoring_year"] == LAST and shown.context["judged_count"] == 1


def test_a_new_version_published_replaces_the_one_in_force(comune_a, service, published, officer_a, manager_a):
    with acting_for(comune_a):
        second = services.start_new_version(charter=published.charter, acting_user=officer_a)
        second = services.update_draft(version=second, lock_version=second.lock_version, acting_user=officer_a,
                                       title="Carta rinnovata")
        assert section(comune_a, service, Readers.PUBLIC).context["version"] == published
        services.submit(version=second, acting_user=officer_a)
        services.approve(version=second, acting_user=manager_a)
        services.publish(version=second, acting_user=manager_a)
    assert section(comune_a, service, Readers.PUBLIC).context["version"].title == "Carta rinnovata"


def test_the_link_to_the_public_charter_is_left_out_until_its_page_exists(comune_a, service, monkeypatch):
    from django.urls import NoReverseMatch

    def missing(*args, **kwargs):
        raise NoReverseMatch("charters_public")

    monkeypatch.setattr(service_page, "reverse", missing)
    assert service_page.public_charter_url(comune_a, service) == ""
    monkeypatch.setattr(service_page, "reverse", lambda name, args: f"/{name}/{'/'.join(args)}/")
    assert service_page.public_charter_url(comune_a, service) == f"/charters_public:charter/trento/{service.code}/"
