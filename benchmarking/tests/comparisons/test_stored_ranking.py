"""The national ranking read from the stored ranks and club summary, one
keyset page at a time (issue #8, national scale): the same answer as ranking
the comuni per request, page after page."""

from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons.selectors import Page
from benchmarking.periods import Period
from qclub.tenancy import SCOPE_CLUB, cross_tenant

P2025 = Period(2025)


def _shape(result):
    rows = [(r.municipality.pk, r.value, r.rank, r.quartile, r.from_best, r.from_median, r.change, r.is_viewer)
            for r in result.rows]
    not_reported = sorted((r.municipality.pk, r.reason) for r in result.not_reported)
    s = result.stats
    stats = (s.reported, s.minimum, s.q1, s.median, s.q3, s.maximum, s.best, s.best_municipalities)
    # Stored with 6 decimals, as every figure of the summary.
    ratio = round(result.club_ratio, 6) if result.club_ratio is not None else None
    return rows, not_reported, stats, ratio, result.suppressed


def test_the_stored_national_ranking_is_the_ranking_computed_per_request(club):
    for indicator in club.indicators:
        with cross_tenant(scope=SCOPE_CLUB, reason="test"):
            stored = comparisons.ranking(indicator, P2025, viewer=club[0])
            computed = comparisons._computed_ranking(
                indicator, P2025, viewer=club[0], shown=comparisons.Group(), basis=comparisons.Group())
        assert stored.rows, indicator.code
        assert _shape(stored) == _shape(computed), indicator.code


def test_keyset_pages_give_the_whole_ranking_once_in_order(club):
    per_fte = club.indicators[0]
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        whole = comparisons.ranking(per_fte, P2025, viewer=club[0])
        pages, after = [], None
        while True:
            page = comparisons.ranking(per_fte, P2025, viewer=club[0], page=Page(after=after, size=2))
            pages.append(page)
            after = page.next_after
            if after is None:
                break
    # Ties (two comuni at 200) fall across a page boundary and are neither lost nor repeated.
    assert [len(p.rows) for p in pages] == [2, 2, 1]
    assert [r.municipality.pk for p in pages for r in p.rows] == [r.municipality.pk for r in whole.rows]
    assert [r.rank for p in pages for r in p.rows] == [1, 2, 3, 3, 5]
    # Every page carries the club statistics and the best comuni, the first one the comuni without a rank.
    assert all(p.stats.median == whole.stats.median and p.stats.reported == 5 for p in pages)
    assert all([b.municipality.pk for b in p.best_rows] == [b.municipality.pk for b in whole.best_rows] for p in pages)
    assert pages[0].not_reported and not pages[1].not_reported
    assert pages[-1].next_after is None


def test_a_page_after_an_unknown_comune_starts_from_the_top(club):
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        page = comparisons.ranking(club.indicators[0], P2025, viewer=club[0], page=Page(after="nessuno", size=2))
    assert [r.rank for r in page.rows] == [1, 2]
