"""In a real browser, with the keyboard: a closed round's form is read-only and says
so; marking ready, submitting and closing a round are confirmed first."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from benchmarking.catalogue import services as catalogue
from benchmarking.collection import services
from benchmarking.collection.services import Entry
from benchmarking.models import Campaign, Submission
from qclub.tenancy import acting_for
from tests.factories import DEMO_PASSWORD

pytestmark = pytest.mark.browser

FULL = {"certificati": 100, "certificati_online": 10, "sportello_fte": 2}


def status_of(comune, submission) -> str:
    with acting_for(comune):
        status = Submission.objects.get(pk=submission.pk).status
    # Playwright's sync API runs the test body in contexts of its own, where Django opens
    # another connection: close it, or it outlives the test and keeps the test database.
    connection.close()
    return status


def sign_in(page, live_url, user):
    page.context.add_cookies([{"name": "django_language", "value": "it", "url": live_url}])
    page.goto(f"{live_url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_url}/dashboard/")


def fill(comune, officer, campaign):
    with acting_for(comune):
        submission = services.start_submission(campaign)
        services.save_values(submission, {
            code: Entry(state="value", value=Decimal(value), justification="ok") for code, value in FULL.items()
        }, officer)
    connection.close()  # see status_of
    return submission


def test_a_closed_round_is_read_only_in_the_browser(live_url, comune_a, officer_a, coordinator, campaign, browser_page):
    fill(comune_a, officer_a, campaign)
    catalogue.campaign_close(campaign=campaign, user=coordinator)
    connection.close()  # see status_of
    page = browser_page
    sign_in(page, live_url, officer_a)
    page.goto(live_url + reverse("benchmarking:submission", args=[campaign.public_id]))
    page.get_by_text("Rilevazione chiusa").wait_for()
    assert page.get_by_role("button", name="Salva bozza").count() == 0
    figure = page.get_by_label("Certificati rilasciati (n.)", exact=True)
    assert figure.is_disabled()
    assert page.locator("#entry-form input:enabled:not([type=hidden]), #entry-form select:enabled").count() == 0


def test_officer_marks_ready_after_a_confirmation_with_the_keyboard(live_url, comune_a, officer_a, manager_a, campaign, browser_page):
    submission = fill(comune_a, officer_a, campaign)
    page = browser_page
    sign_in(page, live_url, officer_a)
    page.goto(live_url + reverse("benchmarking:submission", args=[campaign.public_id]))
    page.get_by_text("Chi invia la scheda").wait_for()
    page.get_by_role("link", name="Segna come pronta per il responsabile").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Segnare la scheda come pronta per il responsabile?").wait_for()
    assert status_of(comune_a, submission) == Submission.Status.DRAFT
    page.get_by_role("button", name="Sì, segna come pronta").focus()
    page.keyboard.press("Enter")
    page.get_by_text("il responsabile del comune riceve un avviso").wait_for()
    assert status_of(comune_a, submission) == Submission.Status.READY


def test_manager_submits_after_a_confirmation(live_url, comune_a, officer_a, manager_a, campaign, browser_page):
    submission = fill(comune_a, officer_a, campaign)
    page = browser_page
    sign_in(page, live_url, manager_a)
    page.goto(live_url + reverse("benchmarking:submission", args=[campaign.public_id]))
    page.get_by_role("link", name="Invia al coordinatore").click()
    page.get_by_role("heading", name="Inviare la scheda al coordinatore?").wait_for()
    page.get_by_role("link", name="Annulla, torna alla scheda").click()
    assert status_of(comune_a, submission) == Submission.Status.DRAFT
    page.get_by_role("link", name="Invia al coordinatore").click()
    page.get_by_role("button", name="Sì, invia al coordinatore").click()
    page.get_by_text("Scheda inviata al coordinatore dell'area.").wait_for()
    assert status_of(comune_a, submission) == Submission.Status.SUBMITTED


def test_coordinator_closes_a_round_after_seeing_the_open_forms(live_url, comune_a, comune_b, officer_a, coordinator, campaign, browser_page):
    fill(comune_a, officer_a, campaign)
    page = browser_page
    sign_in(page, live_url, coordinator)
    page.goto(live_url + reverse("benchmarking:campaigns"))
    page.get_by_role("link", name=f"Chiudi… {campaign}").click()
    page.get_by_text("2 comuni aderenti su 2 non hanno ancora inviato la scheda").wait_for()
    page.get_by_text("Di questi, 1 ha già iniziato a compilarla.").wait_for()
    page.get_by_role("button", name="Sì, chiudi la campagna").click()
    page.get_by_text("Campagna chiusa").wait_for()
    campaign.refresh_from_db()
    connection.close()  # see status_of
    assert campaign.status == Campaign.Status.CLOSED
