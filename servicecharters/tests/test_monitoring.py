"""The yearly monitoring pages: a year computed from a linked figure (a fake
module of the contract, so that nothing depends on the other modules), values
entered with evidence, edit conflicts (409, what was typed kept), the trend,
the flag for the improvement plan, publishing (the manager, after a
confirmation) and a published report final through the pages; the yearly job
(each comune in its own tenancy, published reports untouched); the dashboard
card; isolation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from qclub.tenancy import acting_for
from servicecharters.charters import services as charters
from servicecharters.models import MonitoringReport, StandardResult
from servicecharters.monitoring import services as monitoring
from tests.factories import officer_of

pytestmark = pytest.mark.django_db
LAST = dt.date.today().year - 1


def _publish_charter(comune, service, officer, manager, *, linked: bool = True):
    """A charter of `comune` in force since 1 January two years ago: a standard
    entered by hand (at most 15 minutes) and one linked to fakefig/wait (at most 20)."""
    with acting_for(comune):
        version = charters.create_charter(municipality=comune, service=service, acting_user=officer)
        version = charters.update_draft(
            version=version, lock_version=version.lock_version, acting_user=officer,
            presentation="Il servizio.", complaints="Con il modulo online.",
        )
        charters.save_standard(
            version=version, acting_user=officer, dimension="timeliness", title="Attesa media allo sportello",
            comparator="at_most", target_value=Decimal("15"), unit="minuti",
        )
        if linked:
            charters.save_standard(
                version=version, acting_user=officer, dimension="timeliness", title="Tempo di rilascio",
                comparator="at_most", target_value=Decimal("20"), unit="minuti", figure_ref="fakefig/wait",
            )
        charters.submit(version=version, acting_user=officer)
        charters.approve(version=version, acting_user=manager)
        version = charters.publish(version=version, valid_from=dt.date(LAST - 1, 1, 1), acting_user=manager)
        charter = version.charter
    return charter


@pytest.fixture
def charter(comune_a, service, officer_a, manager_a, fake_figures):
    return _publish_charter(comune_a, service, officer_a, manager_a)


def _url(name, charter, *args):
    return reverse(f"servicecharters:{name}", args=[charter.public_id, *args])


def _results(comune, year=LAST):
    with acting_for(comune):
        return {r.standard.title: r for r in StandardResult.objects.filter(year=year).select_related("standard")}


def _compute(client, charter, year=LAST):
    return client.post(_url("monitoring_compute", charter), {"anno": str(year)})


def test_a_year_is_computed_from_the_linked_figure(client, charter, comune_a, officer_a, fake_figures):
    fake_figures.add("wait", comune_a, LAST, "18.5")
    client.force_login(officer_a)
    response = _compute(client, charter)
    assert response.status_code == 302 and response["Location"] == _url("monitoring", charter, LAST)
    results = _results(comune_a)
    linked, manual = results["Tempo di rilascio"], results["Attesa media allo sportello"]
    assert (linked.actual_value, linked.met, linked.origin) == (Decimal("18.5"), True, "computed")
    assert (manual.actual_value, manual.met, manual.origin) == (None, None, "entered")
    # The figure was read for this comune only, acting for it, in the club scope.
    call = fake_figures.calls[-1]
    assert call["municipality_ids"] == [comune_a.pk] and call["acting_for"] == comune_a.pk and call["scope"] == "club"
    page = client.get(response["Location"]).content.decode()
    assert "18,5 minuti" in page and "Rispettato" in page and "Da valutare" in page
    assert "entro 20 minuti" in page and "Dato di prova" in page
    assert "Inserisci il valore dell" in page  # the manual standard's form


def test_the_list_offers_only_the_years_a_version_was_in_force(client, charter, officer_a):
    client.force_login(officer_a)
    page = client.get(_url("monitoring_list", charter)).content.decode()
    assert f'<option value="{LAST}">' in page and f'<option value="{LAST - 1}">' in page
    assert f'<option value="{LAST - 2}">' not in page
    assert _compute(client, charter, LAST - 2).status_code == 400
    assert _compute(client, charter, LAST + 1).status_code == 400
    assert client.get(_url("monitoring", charter, LAST - 3)).status_code == 404


def test_a_value_is_entered_with_its_evidence(client, charter, comune_a, officer_a):
    client.force_login(officer_a)
    _compute(client, charter)
    result = _results(comune_a)["Attesa media allo sportello"]
    url = _url("monitoring_enter", charter, LAST, result.public_id)
    prefix = f"r{result.public_id.hex[:12]}"
    refused = client.post(url, {f"{prefix}-actual_value": "16,5", f"{prefix}-evidence": "",
                                f"{prefix}-lock_version": result.lock_version})
    assert refused.status_code == 400 and "Indica da dove viene il valore" in refused.content.decode()
    assert _results(comune_a)["Attesa media allo sportello"].actual_value is None
    response = client.post(url, {f"{prefix}-actual_value": "16,5", f"{prefix}-evidence": "Registro delle code",
                                 f"{prefix}-lock_version": result.lock_version})
    assert response.status_code == 302
    saved = _results(comune_a)["Attesa media allo sportello"]
    assert (saved.actual_value, saved.met, saved.evidence) == (Decimal("16.5"), False, "Registro delle code")
    page = client.get(_url("monitoring", charter, LAST)).content.decode()
    assert "Non rispettato" in page and "Registro delle code" in page


def test_a_value_saved_meanwhile_answers_409_and_keeps_what_was_typed(client, charter, comune_a, officer_a):
    client.force_login(officer_a)
    _compute(client, charter)
    result = _results(comune_a)["Attesa media allo sportello"]
    opened = result.lock_version
    with acting_for(comune_a):
        monitoring.enter_result(result=result, actual_value=Decimal("12"), evidence="Registro",
                                lock_version=opened, acting_user=officer_a)
    prefix = f"r{result.public_id.hex[:12]}"
    url = _url("monitoring_enter", charter, LAST, result.public_id)
    response = client.post(url, {f"{prefix}-actual_value": "14,25", f"{prefix}-evidence": "Il mio conteggio",
                                 f"{prefix}-lock_version": opened})
    text = response.content.decode()
    assert response.status_code == 409
    assert 'value="14,25"' in text and "Il mio conteggio" in text and "Qualcun altro ha salvato" in text
    assert "12 minuti" in text  # the saved value, beside the form
    assert _results(comune_a)["Attesa media allo sportello"].actual_value == Decimal("12")
    # Saving again from the page overwrites, knowingly.
    current = _results(comune_a)["Attesa media allo sportello"].lock_version
    assert f'value="{current}"' in text
    again = client.post(url, {f"{prefix}-actual_value": "14,25", f"{prefix}-evidence": "Il mio conteggio",
                              f"{prefix}-lock_version": current})
    assert again.status_code == 302
    assert _results(comune_a)["Attesa media allo sportello"].actual_value == Decimal("14.25")


def test_a_published_report_is_final_through_the_pages(client, charter, comune_a, officer_a, manager_a, fake_figures):
    fake_figures.add("wait", comune_a, LAST, 18)
    client.force_login(officer_a)
    _compute(client, charter)
    assert client.get(_url("monitoring_publish", charter, LAST)).status_code == 403  # the manager publishes
    client.force_login(manager_a)
    confirm = client.get(_url("monitoring_publish", charter, LAST))
    assert confirm.status_code == 200 and "Sì, pubblica il monitoraggio" in confirm.content.decode()
    with acting_for(comune_a):
        assert MonitoringReport.objects.get(year=LAST).published_at is None
    assert client.post(_url("monitoring_publish", charter, LAST)).status_code == 302
    before = _results(comune_a)
    fake_figures.values.clear()
    fake_figures.add("wait", comune_a, LAST, 30)
    refused = _compute(client, charter)
    assert refused.status_code == 400 and "già pubblicato" in refused.content.decode()
    manual = before["Attesa media allo sportello"]
    prefix = f"r{manual.public_id.hex[:12]}"
    entered = client.post(_url("monitoring_enter", charter, LAST, manual.public_id), {
        f"{prefix}-actual_value": "3", f"{prefix}-evidence": "x", f"{prefix}-lock_version": manual.lock_version,
    })
    assert entered.status_code == 400 and "già pubblicato" in entered.content.decode()
    after = _results(comune_a)
    assert {t: (r.actual_value, r.met, r.lock_version) for t, r in after.items()} == {
        t: (r.actual_value, r.met, r.lock_version) for t, r in before.items()
    }
    page = client.get(_url("monitoring", charter, LAST)).content.decode()
    assert "Pubblicato il" in page and "Ricalcola" not in page and "Inserisci il valore" not in page


def test_a_standard_missed_two_years_running_is_flagged_with_its_trend(client, charter, comune_a, officer_a,
                                                                       fake_figures):
    fake_figures.add("wait", comune_a, LAST - 1, 25)
    fake_figures.add("wait", comune_a, LAST, 22)
    client.force_login(officer_a)
    _compute(client, charter, LAST - 1)
    _compute(client, charter, LAST)
    page = client.get(_url("monitoring", charter, LAST)).content.decode()
    assert page.count("Mancato due anni di seguito") == 1
    assert reverse("complaints:plan_new") in page
    assert "Andamento negli anni" in page and "25 minuti" in page and "22 minuti" in page
    assert "<svg" in page and "<title>" in page
    previous = client.get(_url("monitoring", charter, LAST - 1)).content.decode()
    assert "Mancato due anni di seguito" not in previous


def test_the_dashboard_card_counts_what_is_left(client, charter, comune_a, officer_a, fake_figures):
    fake_figures.add("wait", comune_a, LAST - 1, 25)
    fake_figures.add("wait", comune_a, LAST, 22)
    client.force_login(officer_a)
    card = client.get(reverse("dashboard")).content.decode()
    assert f"Monitoraggio {LAST} da calcolare" in card
    _compute(client, charter, LAST - 1)
    _compute(client, charter, LAST)
    card = client.get(reverse("dashboard")).content.decode()
    assert f"Monitoraggio {LAST} da pubblicare" in card and f"Monitoraggio {LAST} da calcolare" not in card
    assert "Standard mancati due anni di seguito" in card and "Tempo di rilascio" in card


def test_another_comune_gets_404_on_every_monitoring_page(client, charter, comune_a, comune_b, officer_a):
    client.force_login(officer_a)
    _compute(client, charter)
    result = _results(comune_a)["Attesa media allo sportello"]
    manager_b = officer_of(comune_b, role="manager")
    client.force_login(manager_b)
    for url in (_url("monitoring_list", charter), _url("monitoring", charter, LAST),
                _url("monitoring_publish", charter, LAST)):
        assert client.get(url).status_code == 404, url
    assert _compute(client, charter).status_code == 404
    assert client.post(_url("monitoring_publish", charter, LAST)).status_code == 404
    prefix = f"r{result.public_id.hex[:12]}"
    assert client.post(_url("monitoring_enter", charter, LAST, result.public_id), {
        f"{prefix}-actual_value": "1", f"{prefix}-evidence": "x", f"{prefix}-lock_version": result.lock_version,
    }).status_code == 404
    with acting_for(comune_a):
        assert MonitoringReport.objects.get(year=LAST).published_at is None
    assert _results(comune_a)["Attesa media allo sportello"].actual_value is None


# --- The yearly job -------------------------------------------------------------------


def test_the_yearly_job_computes_each_comune_in_its_own_tenancy_and_skips_published(
    comune_a, comune_b, service, officer_a, officer_b, manager_a, fake_figures, run_jobs
):
    from servicecharters import jobs

    manager_b = officer_of(comune_b, role="manager")
    charter_a = _publish_charter(comune_a, service, officer_a, manager_a)
    _publish_charter(comune_b, service, officer_b, manager_b)
    fake_figures.add("wait", comune_a, LAST, 10)
    fake_figures.add("wait", comune_b, LAST, 30)
    with acting_for(comune_a):
        report = monitoring.compute_year(charter=charter_a, year=LAST, acting_user=officer_a)
        monitoring.publish_report(report=report, acting_user=manager_a)
    published_before = _results(comune_a)
    fake_figures.values.clear()
    fake_figures.add("wait", comune_a, LAST, 99)
    fake_figures.add("wait", comune_b, LAST, 30)
    fake_figures.calls.clear()
    jobs.yearly_monitoring.defer(timestamp=int(dt.datetime(LAST + 1, 1, 15, 6, 10).timestamp()))
    run_jobs()
    # B computed, as B; A's published report untouched and not even read again.
    b = _results(comune_b)["Tempo di rilascio"]
    assert (b.actual_value, b.met) == (Decimal("30"), False)
    assert [(c["acting_for"], c["municipality_ids"]) for c in fake_figures.calls] == [(comune_b.pk, [comune_b.pk])]
    after = _results(comune_a)
    assert {t: (r.actual_value, r.lock_version) for t, r in after.items()} == {
        t: (r.actual_value, r.lock_version) for t, r in published_before.items()
    }
    assert after["Tempo di rilascio"].actual_value == Decimal("10")


def test_compute_due_only_sees_the_active_comunes_charters(comune_a, comune_b, service, officer_a, officer_b,
                                                           manager_a, fake_figures):
    manager_b = officer_of(comune_b, role="manager")
    _publish_charter(comune_a, service, officer_a, manager_a, linked=False)
    _publish_charter(comune_b, service, officer_b, manager_b, linked=False)
    with acting_for(comune_b):
        reports = monitoring.compute_due(municipality=comune_b, year=LAST)
    assert [r.municipality_id for r in reports] == [comune_b.pk]
    assert _results(comune_a) == {}


def test_the_yearly_job_runs_on_15_january():
    from procrastinate.contrib.django import app

    from servicecharters import jobs  # noqa: F401 (the worker imports it)

    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["servicecharters.yearly_monitoring"] == "10 6 15 1 *"


def test_a_yes_no_commitment_is_entered_as_si_or_no(client, comune_a, service, officer_a, manager_a, fake_figures):
    with acting_for(comune_a):
        version = charters.create_charter(municipality=comune_a, service=service, acting_user=officer_a)
        version = charters.update_draft(version=version, lock_version=version.lock_version, acting_user=officer_a,
                                        presentation="Il servizio.", complaints="Modulo online.")
        charters.save_standard(version=version, acting_user=officer_a, dimension="transparency",
                               title="Orari pubblicati sul sito", comparator="yes_no")
        charters.submit(version=version, acting_user=officer_a)
        charters.approve(version=version, acting_user=manager_a)
        charters.publish(version=version, valid_from=dt.date(LAST, 1, 1), acting_user=manager_a)
        charter = version.charter
    client.force_login(officer_a)
    _compute(client, charter)
    result = _results(comune_a)["Orari pubblicati sul sito"]
    prefix = f"r{result.public_id.hex[:12]}"
    page = client.get(_url("monitoring", charter, LAST)).content.decode()
    assert "L&#x27;impegno è stato mantenuto?" in page and "garantito" in page
    url = _url("monitoring_enter", charter, LAST, result.public_id)
    assert client.post(url, {f"{prefix}-actual_value": "forse", f"{prefix}-evidence": "Sito",
                             f"{prefix}-lock_version": result.lock_version}).status_code == 400
    assert client.post(url, {f"{prefix}-actual_value": "1", f"{prefix}-evidence": "Pagina del sito",
                             f"{prefix}-lock_version": result.lock_version}).status_code == 302
    saved = _results(comune_a)["Orari pubblicati sul sito"]
    assert (saved.actual_value, saved.met) == (Decimal("1"), True)
    assert "Sì" in client.get(_url("monitoring", charter, LAST)).content.decode()


def test_years_out_of_range_are_not_found(client, charter, officer_a):
    client.force_login(officer_a)
    for year in (0, 1999, 99999, 10**12):
        assert client.get(f"{_url('monitoring_list', charter)}{year}/").status_code == 404, year
    assert _compute(client, charter, "20x5").status_code == 400
    assert client.post(_url("monitoring_compute", charter), {"anno": "9" * 40}).status_code == 400


def test_an_officer_sees_no_publish_button(client, charter, officer_a, manager_a):
    client.force_login(officer_a)
    _compute(client, charter)
    assert "Pubblica il monitoraggio" not in client.get(_url("monitoring", charter, LAST)).content.decode()
    client.force_login(manager_a)
    assert "Pubblica il monitoraggio" in client.get(_url("monitoring", charter, LAST)).content.decode()
