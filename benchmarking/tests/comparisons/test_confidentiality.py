"""Issue #9, items 6 and 7: the embargo holds for every public row, and a result
a comune keeps to itself keeps its inputs out of the club too. Proven with raw
SQL under the runtime role (row-level security, not a view's filter) and
through the pages and statistics that read those rows."""

import datetime

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from benchmarking.collection import services
from benchmarking.collection.validation import peer_values
from benchmarking.models import ApprovedResult, Campaign, Submission, Visibility
from benchmarking.opendata import services as opendata
from benchmarking.tests.factories import approve, campaign_for
from qclub.migration_ops import LOCAL_TIME_ZONE
from qclub.models import Role
from qclub.tenancy import SCOPE_CLUB, SCOPE_PUBLIC, acting_for, cross_tenant
from tests.factories import MunicipalityFactory, officer_of


def _rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _public_rows(campaign):
    """What citizens' reads get from the database: no comune, public scope."""
    with acting_for(None), cross_tenant(scope=SCOPE_PUBLIC, reason="test"):
        return _rows(
            "SELECT municipality_id, value FROM benchmarking_approvedresult WHERE campaign_id = %s",
            [campaign.pk],
        )


def _embargoed_campaign(club, *, keep_first_to_itself: bool):
    """2023 approved for comuni A-D; A's first indicator kept to itself before
    the coordinator publishes the year under an embargo of 30 days."""
    campaign = campaign_for(club.area, club.indicators, year=2023)
    for comune in club[:4]:
        approve(campaign, comune, club.coordinator, certificati=6666, certificati_online=0, sportello_fte=1)
    manager = officer_of(club[0], role=Role.MANAGER)
    submission = _submission(club[0], campaign)
    if keep_first_to_itself:
        with acting_for(club[0]):
            services.set_visibility(submission, {club.indicators[0].pk: False}, manager)
    opendata.publish_open_data(
        campaign, club.coordinator, embargo_until=timezone.localdate() + datetime.timedelta(days=30)
    )
    return campaign, submission, manager


def _submission(comune, campaign):
    with acting_for(comune):
        return Submission.objects.get(campaign=campaign)


# --- Item 6: the embargo, for every row -----------------------------------------------


def test_a_result_shared_again_after_publication_keeps_the_campaigns_embargo(club, client):
    campaign, submission, manager = _embargoed_campaign(club, keep_first_to_itself=True)
    with acting_for(club[0]):
        services.set_visibility(submission, {club.indicators[0].pk: True}, manager)
        row = ApprovedResult.objects.get(submission=submission, indicator=club.indicators[0])
    assert (row.visibility, row.embargo_until) == (Visibility.PUBLIC, campaign.embargo_until)
    assert _public_rows(campaign) == []
    page = client.get(reverse("municipality_public", args=[club[0].slug])).content.decode()
    assert "Gli indicatori pubblicati" not in page


def test_the_public_scope_holds_the_campaign_embargo_whatever_a_row_says(club, client):
    """A row made public with no embargo of its own (by any path: here the
    comune's own raw UPDATE, which its tenancy allows) stays hidden while the
    campaign's embargo lasts, in SQL and on the comune's public page, whose
    own check looks only at the publication date."""
    campaign, _submission_a, _manager = _embargoed_campaign(club, keep_first_to_itself=False)
    with acting_for(club[0]), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE benchmarking_approvedresult SET visibility = 'public', embargo_until = NULL "
            "WHERE campaign_id = %s", [campaign.pk],
        )
        assert cursor.rowcount == 2
    assert _public_rows(campaign) == []
    public_page = reverse("municipality_public", args=[club[0].slug])
    assert "Gli indicatori pubblicati" not in client.get(public_page).content.decode()

    # The campaign's embargo ends (yesterday): A's rows, without one of their
    # own, are public; the others keep theirs. So the check above failed for
    # the campaign's embargo and nothing else.
    Campaign.objects.filter(pk=campaign.pk).update(embargo_until=timezone.localdate() - datetime.timedelta(days=1))
    assert {m for m, _v in _public_rows(campaign)} == {club[0].pk}
    assert "Gli indicatori pubblicati" in client.get(public_page).content.decode()


def test_the_public_scope_hides_a_withdrawn_campaigns_rows(club):
    campaign, _submission_a, _manager = _embargoed_campaign(club, keep_first_to_itself=False)
    with acting_for(club[0]), connection.cursor() as cursor:
        cursor.execute("UPDATE benchmarking_approvedresult SET embargo_until = NULL WHERE campaign_id = %s", [campaign.pk])
    Campaign.objects.filter(pk=campaign.pk).update(embargo_until=None)
    assert _public_rows(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(published_at=None)  # rows still say "public"
    assert _public_rows(campaign) == []


def test_the_embargo_date_is_the_italian_date_the_pages_use(db):
    assert settings.TIME_ZONE == LOCAL_TIME_ZONE
    assert _rows(f"SELECT (now() AT TIME ZONE '{LOCAL_TIME_ZONE}')::date") == [(timezone.localdate(),)]


# --- Item 7: own-only means the inputs too ---------------------------------------------


def _club_inputs(viewer, owner, campaign):
    """Element codes of `owner`'s values that `viewer` reads in the club scope (raw SQL)."""
    with acting_for(viewer), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        return {code for (code,) in _rows(
            "SELECT e.code FROM benchmarking_datavalue v JOIN benchmarking_dataelement e ON e.id = v.element_id "
            "JOIN benchmarking_submission s ON s.municipality_id = v.municipality_id AND s.id = v.submission_id "
            "WHERE v.municipality_id = %s AND s.campaign_id = %s", [owner.pk, campaign.pk],
        )}


def test_the_inputs_of_a_result_kept_to_the_comune_leave_every_club_read(club):
    """Comune E keeps certificates per FTE (certificati / sportello_fte) to
    itself: both inputs leave the club scope, also certificati, which the shared
    online share uses too; the shared result keeps its value but not its
    numerator and denominator."""
    assert _club_inputs(club[0], club[4], club.campaign) == {"certificati", "certificati_online", "sportello_fte"}
    submission = _submission(club[4], club.campaign)
    with acting_for(club[4]):
        services.set_visibility(submission, {club.indicators[0].pk: False}, officer_of(club[4], role=Role.MANAGER))
    assert _club_inputs(club[0], club[4], club.campaign) == {"certificati_online"}
    with acting_for(club[0]), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        share = ApprovedResult.objects.get(municipality=club[4], indicator=club.indicators[1])
    assert share.value is not None and (share.numerator, share.denominator) == (None, None)
    with acting_for(club[4]):  # the comune itself still reads all of them
        assert _rows("SELECT count(*) FROM benchmarking_datavalue WHERE submission_id = %s", [submission.pk]) == [(3,)]

    with acting_for(club[4]):
        services.set_visibility(submission, {club.indicators[0].pk: True}, officer_of(club[4], role=Role.MANAGER))
    assert _club_inputs(club[0], club[4], club.campaign) == {"certificati", "certificati_online", "sportello_fte"}


def test_peer_medians_leave_out_the_inputs_of_a_result_kept_to_the_comune(club):
    newcomer = MunicipalityFactory()
    with acting_for(newcomer):
        mine = services.start_submission(club.campaign)
    certificates = club.elements["certificati"].pk

    def peers():
        with acting_for(newcomer):
            return sorted(value for value, _population in peer_values(mine)[certificates])

    assert peers() == [100, 200, 300, 400, 400]  # comuni A-E (F: not applicable)
    with acting_for(club[2]):  # C: 400 certificates
        services.set_visibility(
            _submission(club[2], club.campaign), {club.indicators[0].pk: False}, officer_of(club[2], role=Role.MANAGER)
        )
    assert peers() == [100, 200, 300, 400]


def test_an_approved_submission_whose_kept_inputs_are_unknown_shows_no_value(club):
    """Fails closed: NULL (not yet worked out) keeps every value out of the club."""
    submission = _submission(club[4], club.campaign)
    with acting_for(club[4]):
        Submission.objects.filter(pk=submission.pk).update(kept_elements=None)
    assert _club_inputs(club[0], club[4], club.campaign) == set()


def test_the_migration_works_out_the_kept_inputs_of_submissions_already_approved(club):
    """benchmarking/migrations/*_sec_db_embargo_own_only.py: for databases that
    already hold approved submissions (NULL would hide all their values)."""
    import importlib
    import types
    from pathlib import Path

    from benchmarking import migrations

    (path,) = Path(migrations.__file__).parent.glob("*_sec_db_embargo_own_only.py")
    backfill = importlib.import_module(f"benchmarking.migrations.{path.stem}").backfill_kept_elements
    submission = _submission(club[4], club.campaign)
    with acting_for(club[4]):
        services.set_visibility(submission, {club.indicators[0].pk: False}, officer_of(club[4], role=Role.MANAGER))
        Submission.objects.filter(campaign=club.campaign).update(kept_elements=None)
    with acting_for(club[0]):
        Submission.objects.filter(campaign=club.campaign).update(kept_elements=None)
    backfill(None, types.SimpleNamespace(connection=connection))
    with acting_for(club[4]):
        kept = Submission.objects.get(pk=submission.pk).kept_elements
    assert sorted(kept) == sorted([club.elements["certificati"].pk, club.elements["sportello_fte"].pk])
    with acting_for(club[0]):
        assert Submission.objects.get(campaign=club.campaign).kept_elements == []
