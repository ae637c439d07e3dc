"""A comune's material for one service, published and not, for the tests of
the page of one service (tests/test_service_page.py and its browser test):
a charter in force with its published monitoring and a new draft, a
published and a newer closed survey, open data, club-only and own-only
benchmarking figures, the service's complaint figures."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from benchmarking.models import ApprovedResult, ResultSummary, Submission, Visibility
from benchmarking.tests.factories import campaign_for, indicator_with
from complaints.models import ComplaintFigure
from qclub.models import Role, Service
from qclub.tenancy import acting_for
from servicecharters.charters import services as charters
from servicecharters.monitoring import services as monitoring
from surveys.tests.factories import questionnaire_with_every_kind
from surveys.tests.results_factories import survey_with_results
from tests.factories import officer_of

THIS_YEAR = dt.date.today().year
LAST = THIS_YEAR - 1


def published_charter(comune, service, *, title="Carta dell'anagrafe", monitored_value=None):
    """A charter for `service` published from two years ago with one standard;
    with `monitored_value`, last year's monitoring entered and published."""
    officer, manager = officer_of(comune), officer_of(comune, role=Role.MANAGER)
    with acting_for(comune):
        version = charters.create_charter(municipality=comune, service=service, acting_user=officer)
        version = charters.update_draft(
            version=version, lock_version=version.lock_version, acting_user=officer, title=title,
            presentation="Il servizio.", complaints="Con il modulo online.",
        )
        charters.save_standard(
            version=version, acting_user=officer, dimension="timeliness", kind="general",
            title="Attesa media allo sportello", comparator="at_most", target_value=Decimal("15"), unit="minuti",
        )
        version.refresh_from_db()
        charters.submit(version=version, acting_user=officer)
        charters.approve(version=version, acting_user=manager)
        version = charters.publish(version=version, valid_from=dt.date(THIS_YEAR - 2, 1, 1), acting_user=manager)
        if monitored_value is not None:
            report = monitoring.compute_year(charter=version.charter, year=LAST, acting_user=officer)
            result = report.results.get()
            monitoring.enter_result(result=result, actual_value=Decimal(monitored_value), evidence="Registro code",
                                    lock_version=result.lock_version, acting_user=officer)
            monitoring.publish_report(report=report, acting_user=manager)
        return version


def draft_charter(comune, service, *, title="Bozza della carta"):
    officer = officer_of(comune)
    with acting_for(comune):
        version = charters.create_charter(municipality=comune, service=service, acting_user=officer)
        return charters.update_draft(version=version, lock_version=version.lock_version, acting_user=officer,
                                     title=title)


def new_draft_version(version, *, title):
    officer = officer_of(version.charter.municipality)
    with acting_for(version.charter.municipality):
        draft = charters.start_new_version(charter=version.charter, acting_user=officer)
        return charters.update_draft(version=draft, lock_version=draft.lock_version, acting_user=officer,
                                     title=title)


def figure(comune, indicator, campaign, value, visibility, *, rank=None, submission=None):
    with acting_for(comune):
        if submission is None:
            submission = Submission.objects.create(campaign=campaign, status=Submission.Status.APPROVED)
        return ApprovedResult.objects.create(
            submission=submission, campaign=campaign, area=campaign.area, indicator=indicator,
            indicator_version=indicator.versions.get(), period_year=campaign.period_year,
            value=Decimal(value), score=Decimal(value), rank=rank, visibility=visibility,
            approved_at=timezone.now(),
        )


def anagrafe_of(comune_a) -> Service:
    """The comune's anagrafe: published material, and unpublished material next to it."""
    version = questionnaire_with_every_kind()
    service = version.questionnaire.service
    service.name, service.code = "Anagrafe centrale", "anagrafe-centrale"
    service.save()
    charter = published_charter(comune_a, service, title="Carta dell'anagrafe 2024", monitored_value="12")
    new_draft_version(charter, title="Bozza della carta 2026")
    survey_with_results(comune_a, version, status="published", year=LAST, title="Indagine pubblicata",
                        service=service)
    survey_with_results(comune_a, version, status="closed", year=THIS_YEAR, title="Indagine chiusa",
                        service=service)
    indicator = indicator_with(service.area, "1", code="attesa_media", decimals=1)
    indicator.name, indicator.service = "Attesa media in minuti", service
    indicator.save()
    online = indicator_with(service.area, "1", code="pratiche_online", decimals=1)
    online.name, online.service = "Pratiche online", service
    online.save()
    published = campaign_for(service.area, [indicator, online], year=LAST - 1, published_at=timezone.now())
    submission = figure(comune_a, indicator, published, "11.5", Visibility.PUBLIC).submission
    # In the published round, but shared with the club only: the database
    # alone keeps it from citizens.
    figure(comune_a, online, published, "66.5", Visibility.CLUB, submission=submission)
    club_only = campaign_for(service.area, [indicator], year=LAST)
    figure(comune_a, indicator, club_only, "13.5", Visibility.CLUB, rank=2)
    ResultSummary.objects.create(indicator=indicator, period_year=LAST, reported=5, median=Decimal("14.7"),
                                 best=Decimal("20"))
    kept = campaign_for(service.area, [indicator], year=THIS_YEAR)
    figure(comune_a, indicator, kept, "77.5", Visibility.OWN)
    with acting_for(comune_a):
        ComplaintFigure.objects.create(
            year=LAST, dimension=ComplaintFigure.Dimension.SERVICE, key=service.code, received=737, complaints=30,
            answer_measured=30, answer_on_time=27, median_days=Decimal("8.5"), computed_at=timezone.now(),
        )
    return service
