"""In a real browser: the kiosk on a tablet-sized screen, by touch and by
keyboard; paper entry with the keyboard only. Screenshots at 1280 and 390 px
when SCREENSHOTS is set to a folder."""

import os
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from qclub.tenancy import acting_for
from surveys.models import Answer, Response
from tests.factories import DEMO_PASSWORD

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOTS")


def shoot(page, name):
    if SHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 1000})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def log_in(page, live_url, user):
    page.goto(f"{live_url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_url}/dashboard/")


def recorded(comune, survey):
    try:
        with acting_for(comune):
            return sorted(
                (a.question.code, a.number, a.choice)
                for a in Answer.objects.filter(survey=survey).select_related("question")
            ), sorted(Response.objects.filter(survey=survey, number__isnull=False).values_list("number", flat=True))
    finally:
        connection.close()


def test_the_kiosk_on_a_tablet_by_touch_and_keyboard(live_url, comune_a, officer_a, faces_survey, browser_page):
    tablet = browser_page.context.browser.new_context(
        viewport={"width": 800, "height": 1280}, has_touch=True, locale="it-IT"
    )
    page = tablet.new_page()
    log_in(page, live_url, officer_a)
    page.goto(live_url + reverse("surveys:counter_kiosks", args=[faces_survey.public_id]))
    shoot(page, "kiosks")
    page.set_viewport_size({"width": 800, "height": 1280})
    page.get_by_label("Nome della postazione").fill("Tablet anagrafe")
    page.get_by_role("button", name="Avvia la postazione").tap()
    page.wait_for_url(live_url + reverse("surveys:kiosk"))

    # Touch: the happy face, thanked, and back to the faces by itself.
    page.get_by_role("button", name="Soddisfatto", exact=True).tap()
    page.get_by_text("Grazie per la sua risposta!").wait_for()
    page.wait_for_url(live_url + reverse("surveys:kiosk"), timeout=10_000)
    shoot(page, "kiosk")
    page.set_viewport_size({"width": 800, "height": 1280})

    # Touch: the sad face, then the reason.
    page.get_by_role("button", name="Insoddisfatto").tap()
    page.get_by_role("heading", name="Ci dispiace. Che cosa non è andato?").wait_for()
    shoot(page, "kiosk-reason")
    page.set_viewport_size({"width": 800, "height": 1280})
    page.get_by_role("button", name="Sono dovuto tornare").tap()
    page.get_by_text("Grazie per la sua risposta!").wait_for()
    page.get_by_role("link", name="Nuova risposta").tap()

    # Keyboard: Tab to the second face ("Così così") and Enter.
    page.locator("body").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Così così"
    page.keyboard.press("Enter")
    page.get_by_text("Grazie per la sua risposta!").wait_for()
    tablet.close()

    answers, _numbers = recorded(comune_a, faces_survey)
    assert answers == [
        ("perche", None, "ritorno"),
        ("volto-oggi", Decimal(1), ""),
        ("volto-oggi", Decimal(2), ""),
        ("volto-oggi", Decimal(3), ""),
    ]


def test_paper_entry_with_the_keyboard_only(live_url, comune_a, officer_a, paper_survey, browser_page):
    page = browser_page
    log_in(page, live_url, officer_a)
    page.goto(live_url + reverse("surveys:counter_entry", args=[paper_survey.public_id]))
    number = page.get_by_label("Numero del questionario")
    assert page.evaluate("document.activeElement.id") == "numero"
    assert number.input_value() == "1"
    page.keyboard.type("41")
    page.keyboard.press("Tab")  # mode and date, above, stay as they are
    # Digits advance by themselves: attesa 4, importance 5, courtesy "n", overall 4.
    page.keyboard.type("45n4")
    assert page.evaluate("document.activeElement.id") == "q-raccomandazione"
    page.keyboard.type("10")  # 0–10: "1" waits for a possible "10"
    assert page.evaluate("document.activeElement.id") == "q-canali"
    page.keyboard.type("1 3")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("Bene")
    page.keyboard.press("Tab")
    page.keyboard.type("2")  # age band 35–64, last field
    shoot(page, "entry")
    page.get_by_label("Età").press("Enter")
    page.get_by_text("Questionario numero 41 registrato.").wait_for()
    # Ready for the next one: the number suggested and selected, typing replaces it.
    assert page.evaluate("document.activeElement.id") == "numero"
    assert number.input_value() == "42"

    # The same number again: refused beside the number field, which gets the focus.
    page.keyboard.type("41")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    page.locator("#numero-error").get_by_text("già stato registrato").wait_for()
    assert page.evaluate("document.activeElement.id") == "numero"
    shoot(page, "entry-error")

    answers, numbers = recorded(comune_a, paper_survey)
    assert numbers == [41]
    assert ("raccomandazione", Decimal(10), "") in answers and ("eta", None, "35-64") in answers


def test_an_answer_file_is_mapped_checked_and_imported(live_url, comune_a, officer_a, paper_survey, browser_page, tmp_path):
    from surveys.models import Question

    Question.objects.filter(version=paper_survey.version, code="complessiva").update(
        point_labels={"5": {"it": "Molto soddisfatto"}}
    )
    upload = tmp_path / "risposte.csv"
    upload.write_text("Numero;Soddisfazione complessiva;Età\n1;Molto soddisfatto;65+\n2;Abbastanza;65+\n", encoding="utf-8")
    page = browser_page
    log_in(page, live_url, officer_a)
    page.goto(live_url + reverse("surveys:counter_import", args=[paper_survey.public_id]))
    page.get_by_label("File da importare").set_input_files(str(upload))
    page.get_by_role("button", name="Carica e abbina le colonne").click()
    page.locator("#import-errors").get_by_text("Indicare un punto della scala.").wait_for()
    shoot(page, "import-review")
    page.get_by_label("Abbastanza").select_option("4")
    page.get_by_role("button", name="Salva gli abbinamenti e controlla di nuovo").click()
    page.get_by_role("button", name="Conferma e importa 2 questionari").click()
    page.get_by_text("Importati 2 questionari.").wait_for()
    _answers, numbers = recorded(comune_a, paper_survey)
    assert numbers == [1, 2]
