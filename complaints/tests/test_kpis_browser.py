"""The KPI page and the comparison on a phone (390 px): charts with a text
alternative, tables that scroll inside their box, nothing wider than the screen."""

import datetime as dt

import pytest

from complaints.kpis.services import refresh_figures
from complaints.models import Complaint
from qclub.tenancy import acting_for
from tests.factories import DEMO_PASSWORD, MunicipalityFactory, officer_of

pytestmark = pytest.mark.browser


@pytest.fixture
def officer_with_figures(transactional_db):
    from complaints.intake.services import register_complaint

    comune = MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")
    officer = officer_of(comune)
    today = dt.date.today()
    with acting_for(comune):
        for days in (3, 4, 5):
            c = register_complaint(municipality=comune, user=officer, kind=Complaint.Kind.COMPLAINT,
                                   channel=Complaint.Channel.PHONE, received_on=today - dt.timedelta(days=days),
                                   what_happened="Attesa lunga", wants_answer=False).complaint
            Complaint.objects.filter(pk=c.pk).update(answer_working_days=days, answered_late=False, rating=4,
                                                     received_on=dt.date(today.year - 1, 5, days))
        refresh_figures(municipality=comune, years=[today.year - 1, today.year])
    return officer


def test_kpi_page_and_comparison_fit_a_phone(officer_with_figures, live_url, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("Nome utente").fill(officer_with_figures.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(f"{live_url}/dashboard/")
    for url in ("/reclami/indicatori/", "/reclami/confronto/"):
        page.goto(live_url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    page.goto(live_url + "/reclami/indicatori/")
    assert page.get_by_role("img", name="Reclami ogni 10.000 abitanti, per anno").count() == 1
    assert page.get_by_role("table").first.is_visible()
