"""The standard's form in a real browser: choosing a linked figure brings the
peers' proposal (htmx), «Usa la mediana» writes it into the target field and
the list of comuni meeting it follows; no Content-Security-Policy violation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connections

from qclub.tenancy import acting_for
from servicecharters.models import CharterStandard
from tests.factories import DEMO_PASSWORD, MunicipalityFactory

pytestmark = pytest.mark.browser
LAST = dt.date.today().year - 1
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def test_the_proposal_fills_the_target(draft, comune_a, officer_a, fake_figures, live_url, browser_page):
    for index in range(5):
        fake_figures.add("wait", MunicipalityFactory(name=f"Vicino {index}"), LAST, 10 + 2 * index)
    with acting_for(comune_a):
        url = f"{live_url}/carte-dei-servizi/{draft.charter.public_id}/versioni/{draft.number}/standard/nuovo/"
    page = browser_page
    page.add_init_script(LISTEN)
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("Nome utente").fill(officer_a.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(f"{live_url}/dashboard/")
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/proposta/" in request.url else None)
    page.goto(url)
    page.get_by_label("Che cosa si garantisce").fill("Rilascio della carta d'identità")
    page.get_by_label("Da dove viene il valore effettivo").select_option("fakefig/wait")
    page.get_by_role("button", name="Usa la mediana").wait_for()
    assert "Comuni con un valore" in page.locator("#proposal").inner_text()
    page.get_by_role("button", name="Usa la mediana").click()
    assert page.get_by_label("Valore garantito", exact=True).input_value() == "14"
    page.get_by_text("lo rispettano già 3 comuni su 5").wait_for()
    page.get_by_label("Unità di misura").fill("minuti")
    page.get_by_role("button", name="Salva lo standard").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    # The proposal asks with the terms only: never the CSRF token in a URL.
    assert asked and all("figure_ref=fakefig" in u and "csrfmiddlewaretoken" not in u for u in asked)
    with acting_for(comune_a):
        saved = CharterStandard.objects.get(version=draft, title="Rilascio della carta d'identità")
    assert (saved.figure_ref, saved.target_value) == ("fakefig/wait", Decimal("14"))
    connections.close_all()
