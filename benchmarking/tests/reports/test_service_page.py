"""Benchmarking's section of the page of one service
(benchmarking/reports/service_page.py), read through the core as the pages do."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from benchmarking.models import ApprovedResult, ResultSummary, Submission, Visibility
from benchmarking.tests.factories import campaign_for, indicator_with
from qclub.modules import Readers, service_codes, service_sections
from qclub.tenancy import acting_for

pytestmark = pytest.mark.django_db

TEMPLATE = "benchmarking/service_section.html"


def lines(municipality, service, readers):
    found = [s for s in service_sections(municipality, service, readers) if s.template == TEMPLATE]
    return found[0].context["lines"] if found else []


def figure(comune, indicator, campaign, value, visibility=Visibility.PUBLIC, rank=None):
    with acting_for(comune):
        submission = Submission.objects.create(campaign=campaign, status=Submission.Status.APPROVED)
        return ApprovedResult.objects.create(
            submission=submission, campaign=campaign, area=campaign.area, indicator=indicator,
            indicator_version=indicator.versions.get(), period_year=campaign.period_year,
            value=Decimal(value), score=Decimal(value), rank=rank, visibility=visibility,
            approved_at=timezone.now(),
        )


@pytest.fixture
def indicator(service):
    indicator = indicator_with(service.area, "1", code="attesa")
    indicator.service = service
    indicator.save()
    return indicator


def test_members_read_the_latest_year_with_the_club_median_position_and_line(comune_a, service, indicator):
    for year, value in ((2023, "10"), (2024, "12")):
        figure(comune_a, indicator, campaign_for(service.area, [indicator], year=year), value, Visibility.CLUB, rank=3)
    ResultSummary.objects.create(indicator=indicator, period_year=2024, reported=9, median=Decimal("11"),
                                 best=Decimal("20"))
    (line,) = lines(comune_a, service, Readers.MEMBERS)
    assert line.result.period_year == 2024 and line.median == Decimal("11")
    assert (line.rank, line.reported, line.light) == (3, 9, "amber")
    assert "<svg" in line.sparkline and "2023: 10" in line.trend_text
    assert service_codes(comune_a, Readers.MEMBERS) == {service.code}


def test_no_position_when_too_few_comuni_report(comune_a, service, indicator):
    figure(comune_a, indicator, campaign_for(service.area, [indicator], year=2024), "12", Visibility.CLUB, rank=1)
    ResultSummary.objects.create(indicator=indicator, period_year=2024, reported=1, median=Decimal("12"))
    (line,) = lines(comune_a, service, Readers.MEMBERS)
    assert line.rank is None and line.light == ""


def test_citizens_read_only_open_data_past_its_embargo(comune_a, service, indicator):
    published = campaign_for(service.area, [indicator], year=2023, published_at=timezone.now())
    figure(comune_a, indicator, published, "10")
    embargoed = campaign_for(service.area, [indicator], year=2024, published_at=timezone.now(),
                             embargo_until=dt.date.today() + dt.timedelta(days=30))
    figure(comune_a, indicator, embargoed, "12")
    figure(comune_a, indicator, campaign_for(service.area, [indicator], year=2025), "14", Visibility.CLUB)
    (line,) = lines(comune_a, service, Readers.PUBLIC)
    assert line.result.period_year == 2023 and line.median == Decimal("10") and line.rank is None
    assert service_codes(comune_a, Readers.PUBLIC) == {service.code}


def test_a_figure_the_comune_keeps_to_itself_shows_to_no_one(comune_a, service, indicator):
    figure(comune_a, indicator, campaign_for(service.area, [indicator], year=2024, published_at=timezone.now()),
           "12", Visibility.OWN)
    for readers in Readers:
        assert lines(comune_a, service, readers) == []
        assert service_codes(comune_a, readers) == set()
