"""Benchmarking's figures for other modules: every active indicator of a
service, and its approved yearly results (never a draft, never a figure a
comune keeps to itself), through the hooks the core calls."""

from decimal import Decimal

from benchmarking.hooks import BenchmarkingHooks
from benchmarking.models import ApprovedResult, IndicatorVersion, Visibility
from benchmarking.tests.factories import DRAFT_FIGURE, IndicatorFactory
from qclub.tenancy import SCOPE_CLUB, SCOPE_REVIEW, acting_for, cross_tenant
from tests.factories import ServiceFactory

HOOKS = BenchmarkingHooks()
PER_FTE = "indicator:certificati_per_fte"


def _values(key, years=(2025, 2026), municipality_ids=None, *, viewer):
    with acting_for(viewer), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        found = HOOKS.figure_values(key, years=list(years), municipality_ids=municipality_ids)
    return {(v.municipality_id, v.year): v.value for v in found}


def test_figures_are_the_active_indicators_of_the_service(club):
    per_fte, online = club.indicators
    service, other = ServiceFactory(code="anagrafe"), ServiceFactory(code="stato-civile")
    per_fte.service = service
    per_fte.save()
    online.service = other
    online.save()
    band = IndicatorFactory(area=club.area, code="attesa_media", name="Attesa media", service=service)
    IndicatorVersion.objects.create(indicator=band, number=1, formula="certificati", unit="minuti",
                                    better="band", band_low=Decimal(5), band_high=Decimal(15))
    lower = IndicatorFactory(area=club.area, code="reclami_per_mille", name="Reclami", service=service)
    IndicatorVersion.objects.create(indicator=lower, number=1, formula="certificati", unit="n.", better="higher")
    IndicatorVersion.objects.create(indicator=lower, number=2, formula="certificati", unit="‰", better="lower")
    IndicatorFactory(area=club.area, code="ritirato", service=service, is_active=False)

    figures = {f.key: f for f in HOOKS.figures(service)}

    assert set(figures) == {PER_FTE, "indicator:attesa_media", "indicator:reclami_per_mille"}
    assert figures[PER_FTE].label == per_fte.name and figures[PER_FTE].unit == "n."
    assert figures[PER_FTE].higher_is_better is True
    assert figures[PER_FTE].kind == "Indicatore di benchmarking"
    assert figures[PER_FTE].service_code == "anagrafe" and figures[PER_FTE].ref == f"benchmarking/{PER_FTE}"
    # The current version's unit and direction; a target range is neither higher nor lower.
    assert (figures["indicator:reclami_per_mille"].unit, figures["indicator:reclami_per_mille"].higher_is_better) \
        == ("‰", False)
    assert figures["indicator:attesa_media"].higher_is_better is None
    assert "indicator:quota_online" in {f.key for f in HOOKS.figures(None)}


def test_values_are_the_approved_yearly_results(club):
    values = _values(PER_FTE, viewer=club[0])
    # A–E approved for 2025; F not applicable (no value); B's 2026 draft is no figure.
    assert values == {(club[i].pk, 2025): Decimal(v) for i, v in enumerate([100, 200, 200, 300, 400])}
    assert DRAFT_FIGURE not in values.values()
    assert _values(PER_FTE, years=[2026], viewer=club[1]) == {}


def test_values_only_for_the_comuni_and_years_asked(club):
    asked = [club[0].pk, club[3].pk]
    assert _values(PER_FTE, municipality_ids=asked, viewer=club[0]) == {
        (club[0].pk, 2025): Decimal(100), (club[3].pk, 2025): Decimal(300),
    }
    assert _values(PER_FTE, years=[2024], viewer=club[0]) == {}
    assert _values("indicator:nessuno", viewer=club[0]) == {}
    assert _values("surveys:certificati_per_fte", viewer=club[0]) == {}


def test_a_figure_kept_to_the_comune_is_nobodys_value(club):
    """B keeps its approved figure to itself: no other comune reads it (the
    database's club policy), nor does B's own charter (the filter here — the
    comune's own rows are visible to it in any scope)."""
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        ApprovedResult.objects.filter(municipality=club[1]).update(visibility=Visibility.OWN)
    assert (club[1].pk, 2025) not in _values(PER_FTE, viewer=club[0])
    own = _values(PER_FTE, viewer=club[1])
    assert (club[1].pk, 2025) not in own and (club[0].pk, 2025) in own
