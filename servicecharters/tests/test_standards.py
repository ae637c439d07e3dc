"""The standards of a draft: the form (Italian decimals, errors summarised,
nothing written on bad input, the figure picker, a figure no module offers
refused), removal after a confirmation, versions that are not drafts, the
target proposed from the peers (median, best quartile in both directions,
the minimum of comuni, who already meets the target) and isolation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from qclub.models import PeerGroup
from qclub.tenancy import acting_for
from servicecharters.charters import services
from servicecharters.models import CharterStandard
from servicecharters.monitoring import rules
from servicecharters.standards import proposal
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
LAST = dt.date.today().year - 1


def _data(**overrides):
    data = {
        "title": "Risposta alle domande di iscrizione", "dimension": "timeliness", "kind": "general",
        "measure": "Giorni dalla domanda alla risposta.", "comparator": "at_most", "target_value": "1.234,5",
        "unit": "giorni", "compliance_pct": "", "figure_ref": "", "remedy": "", "position": "",
    }
    data.update(overrides)
    return data


def _args(version):
    """The charter's public id and the version's number (the charter read as its comune)."""
    with acting_for(version.municipality_id):
        return [version.charter.public_id, version.number]


def _add_url(version):
    return reverse("servicecharters:standard_add", args=_args(version))


def _standards(comune, version):
    with acting_for(comune):
        return list(CharterStandard.objects.filter(version=version).order_by("position"))


# --- The form ------------------------------------------------------------------------


def test_a_standard_is_added_with_an_italian_decimal(client, draft, comune_a, officer_a):
    client.force_login(officer_a)
    response = client.post(_add_url(draft), _data())
    assert response.status_code == 302
    added = _standards(comune_a, draft)[-1]
    assert added.title == "Risposta alle domande di iscrizione" and added.target_value == Decimal("1234.5")
    assert added.figure_ref == "" and added.compliance_pct is None


def test_errors_are_summarised_and_linked_and_nothing_is_written(client, draft, comune_a, officer_a):
    client.force_login(officer_a)
    before = len(_standards(comune_a, draft))
    response = client.post(_add_url(draft), _data(title="", target_value="12,34567", compliance_pct="120"))
    text = response.content.decode()
    assert response.status_code == 400
    assert "qc-error-summary" in text and 'href="#id_title"' in text and 'href="#id_target_value"' in text
    assert "Al massimo 4 decimali" in text
    assert 'value="12,34567"' in text  # what was typed stays
    assert len(_standards(comune_a, draft)) == before


def test_the_service_rules_show_beside_the_fields(client, draft, comune_a, officer_a):
    client.force_login(officer_a)
    before = len(_standards(comune_a, draft))
    response = client.post(_add_url(draft), _data(target_value=""))
    assert response.status_code == 400
    assert "Indica il valore garantito" in response.content.decode()
    assert len(_standards(comune_a, draft)) == before


def test_the_figure_picker_groups_the_modules_figures_by_kind(client, draft, officer_a, fake_figures):
    client.force_login(officer_a)
    text = client.get(_add_url(draft)).content.decode()
    assert "Inserito a mano con evidenza" in text
    assert '<optgroup label="Indicatori di prova">' in text and '<optgroup label="Indagini di prova">' in text
    assert 'value="fakefig/wait"' in text


def test_a_standard_linked_to_a_figure_is_saved(client, draft, comune_a, officer_a, fake_figures):
    client.force_login(officer_a)
    response = client.post(_add_url(draft), _data(figure_ref="fakefig/wait", target_value="15"))
    assert response.status_code == 302
    assert _standards(comune_a, draft)[-1].figure_ref == "fakefig/wait"


def test_an_unknown_figure_is_refused(client, draft, comune_a, officer_a, fake_figures):
    client.force_login(officer_a)
    before = len(_standards(comune_a, draft))
    response = client.post(_add_url(draft), _data(figure_ref="benchmarking/indicator:inesistente"))
    assert response.status_code == 400
    assert len(_standards(comune_a, draft)) == before


def test_a_figure_no_module_offers_any_more_is_refused_with_the_services_message(
    client, draft, comune_a, officer_a, fake_figures, monkeypatch
):
    with acting_for(comune_a):
        standard = services.save_standard(
            version=draft, acting_user=officer_a, dimension="timeliness", title="Attesa", comparator="at_most",
            target_value=Decimal("15"), figure_ref="fakefig/wait",
        )
    monkeypatch.setattr(fake_figures, "FIGURES", ())  # the figure is retired
    client.force_login(officer_a)
    url = reverse("servicecharters:standard_edit", args=[*_args(draft), standard.public_id])
    page = client.get(url).content.decode()
    assert "Fonte non più disponibile" in page
    response = client.post(url, _data(title="Attesa cambiata", figure_ref="fakefig/wait"))
    assert response.status_code == 400 and "non esiste più" in response.content.decode()
    with acting_for(comune_a):
        standard.refresh_from_db()
    assert standard.title == "Attesa"


def test_a_standard_is_changed(client, draft, comune_a, officer_a):
    standard = _standards(comune_a, draft)[0]
    client.force_login(officer_a)
    url = reverse("servicecharters:standard_edit", args=[*_args(draft), standard.public_id])
    assert 'value="15"' in client.get(url).content.decode()
    assert client.post(url, _data(title="Attesa", target_value="12,5", unit="minuti")).status_code == 302
    with acting_for(comune_a):
        standard.refresh_from_db()
    assert (standard.title, standard.target_value) == ("Attesa", Decimal("12.5"))


def test_a_standard_is_removed_only_after_confirmation(client, draft, comune_a, officer_a):
    standard = _standards(comune_a, draft)[0]
    client.force_login(officer_a)
    url = reverse("servicecharters:standard_delete", args=[*_args(draft), standard.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "Sì, togli lo standard" in page.content.decode()
    assert _standards(comune_a, draft)
    assert client.post(url).status_code == 302
    assert _standards(comune_a, draft) == []


def test_the_standards_of_a_published_version_do_not_change(client, published, comune_a, officer_a):
    client.force_login(officer_a)
    standard = _standards(comune_a, published)[0]
    assert client.get(_add_url(published)).status_code == 409
    assert client.post(_add_url(published), _data()).status_code == 409
    delete = reverse("servicecharters:standard_delete",
                     args=[*_args(published), standard.public_id])
    assert client.post(delete).status_code == 409
    assert len(_standards(comune_a, published)) == 1


def test_another_comune_cannot_reach_the_standards(client, draft, comune_a, officer_b):
    standard = _standards(comune_a, draft)[0]
    client.force_login(officer_b)
    args = _args(draft)
    for url in (
        reverse("servicecharters:standard_add", args=args),
        reverse("servicecharters:standard_edit", args=[*args, standard.public_id]),
        reverse("servicecharters:standard_delete", args=[*args, standard.public_id]),
        reverse("servicecharters:propose", args=args) + "?figure_ref=fakefig/wait",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("servicecharters:standard_add", args=args), _data()).status_code == 404
    assert client.post(reverse("servicecharters:standard_delete", args=[*args, standard.public_id])).status_code == 404
    assert len(_standards(comune_a, draft)) == 1


# --- The proposal ---------------------------------------------------------------------


@pytest.fixture
def peers(comune_a, fake_figures):
    """Eight comuni (comune A first) with 10, 12, … 24 for both figures last
    year, and older values that must not count."""
    comuni = [comune_a, *(MunicipalityFactory(name=f"Peer {n}") for n in range(1, 8))]
    for index, comune in enumerate(comuni):
        for key in ("wait", "online"):
            fake_figures.add(key, comune, LAST, 10 + 2 * index)
            fake_figures.add(key, comune, LAST - 1, 100)
    return comuni


def _figure(key):
    from qclub.modules import figure_get

    return figure_get(f"fakefig/{key}")


def test_lower_is_better_proposes_the_median_and_the_lower_quartile(comune_a, peers):
    with acting_for(comune_a):
        found = proposal.proposal_for(figure=_figure("wait"), kind="general", comparator="at_most",
                                      threshold=Decimal("15"), municipality=comune_a)
    assert (found.year, found.count, found.enough) == (LAST, 8, True)
    assert found.median == Decimal("17.00") and found.top_quartile == Decimal("13.50")
    assert found.meeting_count == 3 and found.meeting == ["Peer 1", "Peer 2", "Trento"]
    assert found.own_value == Decimal("10") and not found.direction_warning


def test_higher_is_better_proposes_the_upper_quartile(comune_a, peers):
    with acting_for(comune_a):
        found = proposal.proposal_for(figure=_figure("online"), kind="general", comparator="at_least",
                                      threshold=Decimal("20"), municipality=comune_a)
    assert found.median == Decimal("17.00") and found.top_quartile == Decimal("20.50")
    assert found.meeting_count == 3 and found.meeting == ["Peer 5", "Peer 6", "Peer 7"]


def test_a_comparator_against_the_figures_direction_is_pointed_out(comune_a, peers):
    with acting_for(comune_a):
        found = proposal.proposal_for(figure=_figure("online"), kind="general", comparator="at_most",
                                      threshold=None, municipality=comune_a)
    assert "più alto" in found.direction_warning


def test_too_few_comuni_propose_nothing_and_name_no_one(client, draft, officer_a, peers, settings):
    settings.BENCHMARK_MIN_REPORTERS = 10
    client.force_login(officer_a)
    url = reverse("servicecharters:propose", args=_args(draft))
    response = client.get(url, {"figure_ref": "fakefig/wait", "comparator": "at_most", "kind": "general",
                                "target_value": "15"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200
    assert "solo 8 comuni" in text and "almeno 10" in text
    assert "Usa la mediana" not in text and "Peer 1" not in text


def test_the_proposal_fragment_fills_the_compared_field(client, draft, officer_a, peers):
    client.force_login(officer_a)
    url = reverse("servicecharters:propose", args=_args(draft))
    text = client.get(url, {"figure_ref": "fakefig/wait", "comparator": "at_most", "kind": "general",
                            "target_value": "15"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-qc-fill="id_target_value" data-qc-value="17"' in text
    assert 'data-qc-value="13,5"' in text and "Usa il quartile migliore" in text
    assert "lo rispettano già 3 comuni su 8" in text and "Peer 1, Peer 2, Trento" in text
    assert "<html" not in text
    # A specific standard's yearly value is its share of cases: the proposal fills that field.
    text = client.get(url, {"figure_ref": "fakefig/online", "comparator": "at_most", "kind": "specific",
                            "target_value": "20", "compliance_pct": "90"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-qc-fill="id_compliance_pct"' in text
    # Without htmx, the same proposal is a page.
    page = client.get(url, {"figure_ref": "fakefig/wait", "comparator": "at_most", "kind": "general"})
    assert page.status_code == 200 and "<html" in page.content.decode()


def test_a_proposal_for_an_unknown_figure_is_a_bad_request(client, draft, officer_a, fake_figures):
    client.force_login(officer_a)
    url = reverse("servicecharters:propose", args=_args(draft))
    assert client.get(url, {"figure_ref": "fakefig/nessuno"}, HTTP_HX_REQUEST="true").status_code == 400
    assert client.get(url, {"figure_ref": "fakefig/wait", "gruppo": "x"}, HTTP_HX_REQUEST="true").status_code == 404


def test_the_comuni_meeting_the_target_are_bounded(comune_a, fake_figures):
    comuni = [MunicipalityFactory(name=f"Comune {n:02d}") for n in range(25)]
    for comune in comuni:
        fake_figures.add("online", comune, LAST, 50)
    with acting_for(comune_a):
        found = proposal.proposal_for(figure=_figure("online"), kind="general", comparator="at_least",
                                      threshold=Decimal("50"), municipality=comune_a)
    assert found.meeting_count == 25 and len(found.meeting) == 20 and found.more_meeting == 5
    assert found.own_value is None


def test_a_peer_group_restricts_the_comuni(comune_a, peers):
    group = PeerGroup.objects.create(name="Capoluoghi")
    group.members.set(peers[:4])
    with acting_for(comune_a):
        found = proposal.proposal_for(figure=_figure("wait"), kind="general", comparator="at_most",
                                      threshold=Decimal("100"), municipality=comune_a, group=group)
    assert found.count == 4 and found.median == Decimal("13.00") and found.meeting_count == 4


def test_the_latest_year_with_values_is_used(comune_a, fake_figures):
    comuni = [MunicipalityFactory() for _ in range(4)]
    for comune in comuni:
        fake_figures.add("wait", comune, LAST - 2, 30)
    with acting_for(comune_a):
        found = proposal.proposal_for(figure=_figure("wait"), kind="general", comparator="at_most",
                                      threshold=None, municipality=comune_a)
    assert (found.year, found.median) == (LAST - 2, Decimal("30.00"))


@pytest.mark.parametrize(("kind", "comparator"), [
    ("general", "at_most"), ("general", "at_least"), ("specific", "at_most"), ("specific", "at_least"),
])
@pytest.mark.parametrize("value", ["14.99", "15", "15.01"])
def test_meeting_a_typed_target_is_judged_as_the_monitoring_judges_it(kind, comparator, value):
    threshold, actual = Decimal("15"), Decimal(value)
    terms = CharterStandard(
        kind=kind, comparator=comparator, target_value=threshold if kind == "general" else Decimal("20"),
        compliance_pct=threshold if kind == "specific" else None,
    )
    at_least = proposal.meets_when_at_least(kind, comparator)
    assert proposal.meets(actual, threshold, at_least=at_least) is rules.is_met(terms, actual)
    assert proposal.compared_field(kind, comparator) == ("compliance_pct" if kind == "specific" else "target_value")


def test_percentile_is_postgresqls_percentile_cont():
    values = [Decimal(v) for v in (1, 2, 3, 4)]
    assert proposal.percentile(values, Decimal("0.5")) == Decimal("2.5")
    assert proposal.percentile(values, Decimal("0.25")) == Decimal("1.75")
    assert proposal.percentile([Decimal(7)], Decimal("0.75")) == Decimal(7)


def test_hostile_input_is_a_bad_request_never_a_server_error(client, draft, comune_a, officer_a, peers):
    client.force_login(officer_a)
    client.raise_request_exception = False
    huge = "9" * 30
    for data in (
        _data(target_value="1e400"), _data(target_value=huge), _data(position=huge), _data(dimension="x"),
        _data(kind="x", comparator="x"), _data(title="t" * 5000), _data(compliance_pct="-1"),
        _data(figure_ref="f" * 500),
    ):
        assert client.post(_add_url(draft), data).status_code == 400, data
    assert len(_standards(comune_a, draft)) == 1
    url = reverse("servicecharters:propose", args=_args(draft))
    for query, status in (
        ({"figure_ref": "fakefig/wait", "target_value": "1e400"}, 200),
        ({"figure_ref": "fakefig/wait", "kind": "specific", "compliance_pct": "x" * 300}, 200),
        ({"figure_ref": "fakefig/wait", "comparator": "zz"}, 200),
        ({"figure_ref": "fakefig/wait", "gruppo": huge}, 404),
        ({"figure_ref": "x" * 500}, 400),
    ):
        response = client.get(url, query, HTTP_HX_REQUEST="true")
        assert response.status_code == status, query
    text = client.get(url, {"figure_ref": "fakefig/wait", "target_value": "1e400"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert "Il valore scritto non si legge" in text
