"""PDF reports: the figures of the pages, Italian typography, and who may have
them (queued generation: test_report_jobs.py)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons import svg
from benchmarking.models import ApprovedResult, Visibility
from benchmarking.periods import Period
from benchmarking.reports import services as reports
from qclub.models import Municipality
from qclub.numbers import format_number
from qclub.tenancy import SCOPE_CLUB, SCOPE_REVIEW, acting_for, cross_tenant
from tests.factories import MunicipalityFactory, officer_of

P2025 = Period(2025)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member(club):
    return officer_of(club[0])


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def area_url(area):
    return reverse("benchmarking:report_area", args=[area.code, "2025"])


def pdf_of(club, member, kind=reports.AREA, target=None) -> bytes:
    """The PDF the report job renders for `member` (the pages only queue it)."""
    with acting_for(club[0]):
        return reports.build_pdf(kind, area=club.area, period=P2025, user=member, viewer=club[0],
                                 municipality=target)


@pytest.mark.slow
def test_the_area_report_is_a_pdf_with_the_figures_of_the_page(club, member):
    data = pdf_of(club, member)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Servizi demografici" in text
    assert club.indicators[0].name in text
    assert "pagina 1 di" in text and "pagina 2 di" in text
    with acting_for(club[0]), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        ranking = comparisons.ranking(club.indicators[0], P2025, viewer=club[0])
    decimals = ranking.version.decimals
    # Every comune's figure, written as the pages write it, in the ranking's order.
    flat = text.replace("\n", " ")
    positions = []
    for row in ranking.rows:
        shown = f"{row.municipality.name} {format_number(row.value, decimals)}"
        assert shown in flat, shown
        positions.append(flat.index(shown))
    assert positions == sorted(positions)
    assert format_number(ranking.stats.median, decimals) == "200,0" and "200,0" in text
    assert format_number(ranking.club_ratio, decimals) in text  # ratio of sums, 233,3


@pytest.mark.slow
def test_the_report_has_a_table_of_contents_and_a_dated_cover(club, member):
    text = pdf_text(pdf_of(club, member))
    assert "Indice" in text
    months = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
              "settembre", "ottobre", "novembre", "dicembre")
    assert any(f" {month} 20" in text for month in months)


@pytest.mark.slow
def test_the_scorecard_pdf_of_another_member_comune(club, member):
    text = pdf_text(pdf_of(club, member, reports.SCORECARD, club[4]))
    assert club[4].name in text and club.indicators[0].name in text
    assert "400,0" in text and "verde" in text and "▲" in text
    assert "pagina 1 di" in text


@pytest.mark.slow
def test_a_scorecard_leaves_out_what_the_comune_keeps_to_itself(client, club, member):
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        ApprovedResult.objects.filter(municipality=club[4], indicator=club.indicators[0]).update(
            visibility=Visibility.OWN, value=987
        )
    text = pdf_text(pdf_of(club, member, reports.SCORECARD, club[4]))
    assert "987" not in text


def test_a_non_member_comune_gets_403_and_anonymous_goes_to_login(client, club):
    outsider = officer_of(MunicipalityFactory(status=Municipality.Status.CANDIDATE))
    response = client.get(area_url(club.area))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(outsider)
    assert client.get(area_url(club.area)).status_code == 403
    assert client.post(area_url(club.area)).status_code == 403
    assert client.get(reverse("benchmarking:reports")).status_code == 403


def test_the_scorecard_of_a_comune_outside_the_club_is_404(client, club, member):
    outsider = MunicipalityFactory(status=Municipality.Status.NON_MEMBER)
    client.force_login(member)
    url = reverse("benchmarking:report_scorecard", args=[outsider.slug, club.area.code, "2025"])
    assert client.get(url).status_code == 404


def test_the_reports_page_lists_the_campaigns(client, club, member):
    client.force_login(member)
    page = client.get(reverse("benchmarking:reports")).content.decode()
    assert "Servizi demografici" in page and area_url(club.campaign.area) in page


@pytest.mark.slow
def test_the_command_writes_the_pdf(club, member, tmp_path):
    output = tmp_path / "rapporto.pdf"
    call_command(reports.ReportCommand(), "--area", club.area.code, "--period", "2025", "--user", member.username,
                 "-o", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    call_command(reports.ReportCommand(), "--area", club.area.code, "--period", "2025", "--comune", club[3].slug,
                 "--user", member.username, "-o", str(output))
    assert club[3].name in pdf_text(output.read_bytes())


def test_charts_escape_their_text():
    chart = svg.bar_chart([svg.Bar("<script>x</script>", Decimal(10))], median=Decimal(5), best=Decimal(10), title="a & b")
    assert "<script>" not in chart and "&lt;script&gt;" in chart and "a &amp; b" in chart
    line = svg.sparkline([Decimal(1), None, Decimal(3)], title="<b>")
    assert "<b>" not in line and "circle" in line
