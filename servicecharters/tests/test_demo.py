"""The demo charters: published by each comune's demo manager through the
charter services, two years of published monitoring, a superseded version;
running the demo again changes nothing."""

import io
from decimal import Decimal

import pytest

from qclub.management.commands.seed_demo import seed_core
from qclub.models import Municipality
from qclub.tenancy import acting_for
from servicecharters import demo
from servicecharters.models import (
    CharterEvent,
    CharterStandard,
    CharterVersion,
    MonitoringReport,
    ServiceCharter,
    StandardResult,
)

pytestmark = pytest.mark.django_db
S = CharterVersion.Status


def _state(comune):
    with acting_for(comune):
        return {
            "charters": sorted(ServiceCharter.objects.values_list("service__code", flat=True)),
            "versions": sorted(CharterVersion.objects.values_list("charter__service__code", "number", "status")),
            "reports": MonitoringReport.objects.filter(published_at__isnull=False).count(),
            "results": StandardResult.objects.count(),
            "events": CharterEvent.objects.count(),
        }


def test_the_demo_publishes_the_expected_charters_and_is_idempotent():
    seed_core(with_comuni=False)
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "13 carte pubblicate" in out.getvalue()
    comuni = {m.slug: m for m in Municipality.objects.filter(slug__in=["modena", "trento", "genova", "bergamo"])}
    first = {slug: _state(comune) for slug, comune in comuni.items()}
    assert first["modena"]["charters"] == ["biblioteche", "formazione", "nido-infanzia", "scuola-infanzia"]
    assert ("biblioteche", 1, S.SUPERSEDED) in first["modena"]["versions"]
    assert ("biblioteche", 2, S.PUBLISHED) in first["modena"]["versions"]
    assert first["trento"]["charters"] == ["anagrafe", "biblioteche", "nido-infanzia"]
    assert "anagrafe" in first["genova"]["charters"] and "anagrafe" in first["bergamo"]["charters"]
    for state in first.values():
        assert state["reports"] == 2 * len(state["charters"])
        assert all(status in (S.PUBLISHED, S.SUPERSEDED) for _code, _n, status in state["versions"])

    with acting_for(comuni["modena"]):
        results = StandardResult.objects.filter(report__published_at__isnull=False)
        assert results.filter(met=True).exists() and results.filter(met=False).exists()
        missed = {r.year: r.met for r in results.filter(standard__title__startswith="Graduatoria pubblicata")}
        assert list(missed.values()) == [False, False]  # missed two years running
        approved_by = set(CharterVersion.objects.values_list("approved_by__username", flat=True))
        assert approved_by == {"manager.modena"}
        # The library hours kept their lineage across versions: one line of monitoring.
        hours = results.filter(standard__title__contains="ore di apertura settimanale")
        assert hours.values("lineage").distinct().count() == 1 and hours.count() == 2

    demo.seed(stdout=io.StringIO())
    assert {slug: _state(comune) for slug, comune in comuni.items()} == first


def test_the_demo_links_a_standard_to_its_figure_when_a_module_offers_it(monkeypatch):
    from servicecharters.tests.published_charters import WAIT, fake_figures

    seed_core(with_comuni=False)
    trento = Municipality.objects.get(slug="trento")
    fake_figures(monkeypatch, {trento.pk: Decimal(11)})
    demo.seed()
    with acting_for(trento):
        standard = CharterStandard.objects.get(figure_ref=WAIT.ref)
        results = StandardResult.objects.filter(lineage=standard.lineage)
        assert {(r.origin, r.actual_value, r.met) for r in results} == {("computed", Decimal(11), True)}
        assert CharterStandard.objects.filter(figure_ref="").exists()  # the others: entered by hand
