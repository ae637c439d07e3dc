"""Service charters compared across comuni (members area): only approved or
published versions and published monitoring, the ambition of each target
against the peers' targets and actual figures, how often each standard was
met, one page of comuni at a time."""

from decimal import Decimal

import pytest
from django.urls import reverse

from qclub.models import Municipality
from qclub.tenancy import acting_for
from servicecharters.charters import services
from servicecharters.comparisons import selectors
from servicecharters.comparisons.selectors import Place
from servicecharters.tests.published_charters import (
    LAST,
    WAIT,
    charter,
    fake_figures,
    monitor,
    standard,
)
from tests.factories import MunicipalityFactory, UserFactory, officer_of

pytestmark = pytest.mark.django_db


def _compare(viewer, user, service, **kwargs):
    with acting_for(viewer), selectors.club_read("test", user):
        return selectors.compare(service=service, year=LAST, viewer=viewer, **kwargs)


def _titles(comparison):
    return {
        row.standard.title
        for block in comparison.dimensions
        for row in [*block.unlinked, *(r for g in block.figures for r in g.rows)]
    }


@pytest.fixture
def club(monkeypatch, comune_a, comune_b, service):
    """Four comuni linked to the same waiting-time figure (targets 10, 15,
    20, 30 minutes; actual waits 12, 14, 16, 18), Bergamo with a draft only."""
    c = MunicipalityFactory(name="Cuneo", slug="cuneo")
    d = MunicipalityFactory(name="Asti", slug="asti")
    e = MunicipalityFactory(name="Enna", slug="enna")
    fake_figures(monkeypatch, {comune_a.pk: Decimal(12), c.pk: Decimal(14), d.pk: Decimal(16), e.pk: Decimal(18)})
    versions = {
        "a": charter(comune_a, service, [
            standard("Attesa media allo sportello", 10, ref=WAIT.ref),
            standard("Risposta alle email entro 5 giorni", 5, unit="giorni"),
            standard("Orari pubblicati sul sito", comparator="yes_no", dimension="transparency", unit=""),
        ]),
        "b": charter(comune_b, service, [standard("Promessa in bozza di Bergamo", 1, ref=WAIT.ref)], status="draft"),
        "c": charter(c, service, [standard("Tempo di attesa", 15, ref=WAIT.ref)]),
        "d": charter(d, service, [standard("Attesa in coda", 20, ref=WAIT.ref)], status="approved"),
        "e": charter(e, service, [standard("Attesa", 30, ref=WAIT.ref)]),
    }
    return {"comune_c": c, "comune_d": d, "comune_e": e, **versions}


def test_only_approved_or_published_charters_are_compared_never_a_draft(club, comune_a, officer_a, service):
    """Bergamo's draft is hidden by the club scope; the viewer's own new draft
    (visible to its own comune) is left out by the comparison's status filter."""
    with acting_for(comune_a):
        draft = services.start_new_version(charter=club["a"].charter, acting_user=officer_a)
        services.save_standard(version=draft, acting_user=officer_a, **standard("Bozza segreta di Trento", 3))
    comparison = _compare(comune_a, officer_a, service)
    assert [row.name for row in comparison.comuni] == ["Trento", "Asti", "Cuneo", "Enna"]
    assert comparison.total == 4
    assert comparison.comuni[0].own and comparison.comuni[0].version.number == 1
    titles = _titles(comparison)
    assert "Promessa in bozza di Bergamo" not in titles and "Bozza segreta di Trento" not in titles
    assert {"Attesa media allo sportello", "Tempo di attesa", "Attesa in coda", "Attesa"} <= titles
    with acting_for(comune_a), selectors.club_read("test", officer_a):
        assert [(s.code, n) for s, n in selectors.services_compared()] == [(service.code, 4)]


def test_a_comune_that_left_the_club_is_not_compared(club, comune_a, officer_a, service):
    Municipality.objects.filter(pk=club["comune_e"].pk).update(status=Municipality.Status.FORMER)
    assert "Enna" not in [row.name for row in _compare(comune_a, officer_a, service).comuni]


def test_ambition_against_the_peers_targets_and_actual_figures(club, comune_a, officer_a, service):
    comparison = _compare(comune_a, officer_a, service)
    timeliness = next(b for b in comparison.dimensions if b.dimension == "timeliness")
    [group] = timeliness.figures
    assert group.label == WAIT.label and group.unit == "minuti"
    # Targets 10, 15, 20, 30 (the approved one counts): quartiles as percentile_cont.
    assert (group.targets.count, group.targets.q1, group.targets.median, group.targets.q3) == (
        4, Decimal("13.75"), Decimal("17.5"), Decimal("22.5"))
    # Actual waits 12, 14, 16, 18.
    assert (group.actuals.q1, group.actuals.median, group.actuals.q3) == (Decimal("13.5"), Decimal(15), Decimal("16.5"))
    places = {row.comune: (row.vs_targets, row.vs_actuals) for row in group.rows}
    # Less is better for an "at most" target.
    assert places == {
        "Trento": (Place.TOP, Place.TOP),
        "Asti": (Place.BELOW, Place.BOTTOM),
        "Cuneo": (Place.ABOVE, Place.MEDIAN),
        "Enna": (Place.BOTTOM, Place.BOTTOM),
    }
    unlinked = {row.standard.title for row in timeliness.unlinked}
    assert unlinked == {"Risposta alle email entro 5 giorni"}


def test_the_direction_follows_the_standard(monkeypatch):
    spread = selectors.spread_of([Decimal(v) for v in (80, 85, 90, 95)])
    assert selectors.place_of(Decimal(96), spread, True) == Place.TOP
    assert selectors.place_of(Decimal(96), spread, False) == Place.BOTTOM
    assert selectors.place_of(Decimal(96), spread, None) == Place.UNKNOWN
    assert selectors.place_of(Decimal(96), selectors.spread_of([Decimal(1), Decimal(2)]), True) == Place.UNKNOWN


def test_how_often_each_standard_was_met_from_published_monitoring_only(club, comune_a, officer_a, service):
    email, hours = "Risposta alle email entro 5 giorni", "Orari pubblicati sul sito"
    monitor(club["a"], LAST - 1, {email: 6, hours: 1})
    monitor(club["a"], LAST, {email: 7, hours: 1})
    monitor(club["c"], LAST, {}, publish=False)  # computed, never published: not counted
    comparison = _compare(comune_a, officer_a, service)
    trento = comparison.comuni[0]
    # The linked standard computes from the stand-in figure (12 minutes ≤ 10? no).
    assert [(t.year, t.met, t.judged) for t in trento.years] == [(LAST - 2, 0, 0), (LAST - 1, 1, 3), (LAST, 1, 3)]
    assert trento.rate_text == "33 % (2 su 6)"
    cuneo = next(row for row in comparison.comuni if row.name == "Cuneo")
    assert cuneo.judged == 0 and cuneo.rate_text == "nessun monitoraggio pubblicato"
    rows = {r.standard.title: r for b in comparison.dimensions for r in b.unlinked}
    assert rows[email].met_by_year == {LAST - 2: None, LAST - 1: False, LAST: False}
    assert rows[email].missed_twice and (rows[email].met, rows[email].judged) == (0, 2)
    assert rows[hours].met == 2 and not rows[hours].missed_twice


def test_one_page_of_comuni_leaves_the_database_the_viewers_own_first(club, comune_a, officer_a, service):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = _compare(comune_a, officer_a, service, limit=1)
    assert [row.name for row in first.comuni] == ["Trento"] and first.total == 4
    assert {row.comune for b in first.dimensions for g in b.figures for row in g.rows} == {"Trento"}
    assert first.dimensions[0].figures[0].targets.count == 4  # the quartiles still count every peer
    second = _compare(comune_a, officer_a, service, offset=1, limit=1)
    assert [row.name for row in second.comuni] == ["Asti"]
    with CaptureQueriesContext(connection) as before:
        _compare(comune_a, officer_a, service, limit=2)
    for n in range(6):  # more comuni do not mean more queries
        extra = MunicipalityFactory(name=f"Zeta {n}", slug=f"zeta-{n}")
        charter(extra, service, [standard("Attesa", 25 + n, ref=WAIT.ref)])
    with CaptureQueriesContext(connection) as after:
        assert len(_compare(comune_a, officer_a, service, limit=2).comuni) == 2
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_peer_group_limits_the_comuni_and_the_quartiles(club, comune_a, officer_a, service):
    from qclub.models import PeerGroup

    group = PeerGroup.objects.create(name="Nord")
    group.members.set([comune_a, club["comune_c"]])
    comparison = _compare(comune_a, officer_a, service, group=group)
    assert [row.name for row in comparison.comuni] == ["Trento", "Cuneo"]
    assert comparison.dimensions[0].figures[0].targets.count == 2
    assert comparison.dimensions[0].figures[0].rows[0].vs_targets == Place.UNKNOWN  # too few to place


def test_the_members_page_in_italian_with_words_not_colours(client, club, officer_a, service):
    client.force_login(officer_a)
    url = reverse("servicecharters:compare")
    index = client.get(url)
    assert index.status_code == 200 and service.name in index.content.decode()
    body = client.get(f"{url}?servizio={service.code}&anno={LAST}").content.decode()
    assert "Attesa media allo sportello" in body and "Promessa in bozza di Bergamo" not in body
    assert "mediana 17,5 (quartili 13,8 – 22,5; 4 comuni)" in body
    assert "tra i più ambiziosi (quartile migliore)" in body and "tra i meno ambiziosi (quartile peggiore)" in body
    assert "entro 10 minuti" in body
    assert client.get(f"{url}?servizio=nessuno").status_code == 404
    assert client.get(f"{url}?servizio={service.code}&anno=1800").status_code == 404
    assert client.get(f"{url}?servizio={service.code}&gruppo=99999").status_code == 404
    assert client.get(f"{url}?servizio={service.code}&pagina=99").status_code == 200
    assert url in client.get("/area-riservata/").content.decode()


def test_the_export_in_csv_and_excel(client, club, officer_a, service):
    client.force_login(officer_a)
    url = reverse("servicecharters:compare") + f"?servizio={service.code}&anno={LAST}"
    csv = client.get(url + "&export=csv")
    assert csv["Content-Type"].startswith("text/csv") and csv.content.startswith("\ufeff".encode())
    text = csv.content.decode("utf-8-sig")
    assert "Trento;1;Pubblicata;Tempestività;Attesa media allo sportello" in text
    assert "Promessa in bozza" not in text and "17,5" in text
    xlsx = client.get(url + "&export=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_non_member_gets_the_members_area_refusal(client, club, service):
    client.force_login(UserFactory())
    url = reverse("servicecharters:compare") + f"?servizio={service.code}"
    assert client.get(url).status_code == 403
    outsider = MunicipalityFactory(name="Fuori", slug="fuori", status=Municipality.Status.NON_MEMBER)
    client.force_login(officer_of(outsider))
    response = client.get(url)
    assert response.status_code == 403 and "comuni aderenti al club" in response.content.decode()
