"""The complaints' section of the page of one service
(complaints/kpis/service_page.py), read through the core as the pages do."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from complaints.models import ComplaintFigure, ComplaintReport
from qclub.modules import Readers, service_codes, service_sections
from qclub.tenancy import acting_for
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "complaints/kpis/service_section.html"
D = ComplaintFigure.Dimension


def section(municipality, service, readers):
    found = [s for s in service_sections(municipality, service, readers) if s.template == TEMPLATE]
    return found[0].context if found else None


def figures(comune, service, *years):
    with acting_for(comune):
        for year in years:
            ComplaintFigure.objects.create(
                year=year, dimension=D.SERVICE, key=service.code, received=10 + year % 10, complaints=8,
                answer_measured=8, answer_on_time=6, median_days=Decimal("9.0"), computed_at=timezone.now(),
            )


def test_members_read_the_service_figures_year_by_year_with_a_trend(comune_a, service):
    figures(comune_a, service, 2023, 2024, 2025)
    shown = section(comune_a, service, Readers.MEMBERS)
    assert [k.year for k in shown["years"]] == [2023, 2024, 2025]
    assert shown["latest"].answered_on_time == Decimal("75.0") and shown["latest"].median_days == Decimal("9.0")
    assert "<svg" in shown["chart"] and "2024" in shown["chart"]
    assert service_codes(comune_a, Readers.MEMBERS) == {service.code}


def test_another_services_or_comunes_figures_are_not_these(comune_a, service):
    other = MunicipalityFactory()
    figures(other, service, 2025)
    with acting_for(comune_a):
        ComplaintFigure.objects.create(year=2025, dimension=D.TOTAL, key="", received=99, computed_at=timezone.now())
    assert section(comune_a, service, Readers.MEMBERS) is None


def test_citizens_get_no_figures_only_the_published_report(comune_a, service):
    figures(comune_a, service, 2025)
    assert section(comune_a, service, Readers.PUBLIC) is None
    with acting_for(comune_a):
        ComplaintReport.objects.create(year=2024, figures={}, published_on=None)
    assert section(comune_a, service, Readers.PUBLIC) is None
    with acting_for(comune_a):
        ComplaintReport.objects.create(year=2023, figures={}, published_on=dt.date(2024, 3, 1))
    shown = section(comune_a, service, Readers.PUBLIC)
    assert shown["report_year"] == 2023 and "years" not in shown
    # A general report does not make the service's page worth listing.
    assert service_codes(comune_a, Readers.PUBLIC) == set()
