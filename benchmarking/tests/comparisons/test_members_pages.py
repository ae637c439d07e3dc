"""The reserved members area's pages: who may see them, what they show of
other comuni (approved figures only), guardrails, peer groups, export,
scorecards, context descriptors and best practices."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from benchmarking.models import BestPractice, ContextValue
from benchmarking.tests.factories import DRAFT_FIGURE, SECRET_JUSTIFICATION, SECRET_NOTE
from qclub.models import Municipality, PeerGroup
from qclub.tenancy import SCOPE_CLUB, acting_for, cross_tenant
from tests.factories import AreaCoordinatorFactory, MunicipalityFactory, officer_of


@pytest.fixture
def member(club, client):
    officer = officer_of(club[0])
    client.force_login(officer)
    return officer


def ranking_url(indicator, query=""):
    return reverse("benchmarking:ranking", args=[indicator.code]) + query


def member_pages(club):
    code = club.indicators[0].code
    return [
        reverse("benchmarking:members"),
        ranking_url(club.indicators[0], "?periodo=2025"),
        ranking_url(club.indicators[0], "?periodo=2025&export=csv"),
        reverse("benchmarking:trend", args=[code]) + f"?comuni={club[0].slug},{club[1].slug}",
        reverse("benchmarking:scorecard") + "?periodo=2025",
        reverse("benchmarking:scorecard") + f"?periodo=2025&comune={club[1].slug}",
        reverse("benchmarking:peer_groups"),
        reverse("benchmarking:context"),
        reverse("benchmarking:best_practice_add", args=[code]) + "?periodo=2025",
    ]


def test_member_officer_opens_every_page(member, client, club):
    for url in member_pages(club):
        assert client.get(url).status_code == 200, url


def test_user_of_a_candidate_comune_is_refused(club, client):
    candidate = MunicipalityFactory(status=Municipality.Status.CANDIDATE)
    client.force_login(officer_of(candidate))
    for url in member_pages(club):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(club, client):
    for url in member_pages(club):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_member_sees_other_approved_figures_but_no_draft_note_or_justification(member, client, club):
    response = client.get(ranking_url(club.indicators[0], "?periodo=2025"))
    html = response.content.decode()
    assert "Comune B" in html and "Comune E" in html
    assert "400,0" in html  # E's approved certificates per FTE
    for url in member_pages(club) + [ranking_url(club.indicators[0], "?periodo=2026")]:
        body = client.get(url).content.decode()
        for secret in (SECRET_NOTE, SECRET_JUSTIFICATION, str(DRAFT_FIGURE), "987.654"):
            assert secret not in body, (url, secret)


def test_viewer_row_is_highlighted_and_not_applicable_listed_apart(club, member, client):
    html = client.get(ranking_url(club.indicators[0], "?periodo=2025")).content.decode()
    assert 'aria-current="true"' in html and "(il tuo comune)" in html
    not_applicable = html.split('id="not-applicable"')[1].split("</ul>")[0]
    assert "Comune F" in not_applicable
    assert "Dato del club" in html  # ratio of sums beside the median
    assert "233,3" in html


def test_too_few_comuni_show_a_notice_and_no_ranks(club, member, client, settings):
    settings.BENCHMARK_MIN_REPORTERS = 10
    html = client.get(ranking_url(club.indicators[0], "?periodo=2025")).content.decode()
    assert "meno di 10 comuni: nessuna classifica" in html
    assert 'id="best"' not in html


def test_peer_group_in_the_url_changes_the_rows(member, client, club):
    group = PeerGroup.objects.create(name="Capoluoghi")
    group.members.set([club[0], club[3], club[4]])
    html = client.get(ranking_url(club.indicators[0], f"?periodo=2025&mostra=group:{group.pk}")).content.decode()
    table = html.split('id="ranking-table"')[1].split("</table>")[0]
    assert "Comune D" in table and "Comune E" in table and "Comune A" in table
    assert "Comune B" not in table and "Comune C" not in table
    region = client.get(ranking_url(club.indicators[0], "?periodo=2025&mostra=region")).content.decode()
    region_table = region.split('id="ranking-table"')[1].split("</table>")[0]
    assert "Comune B" in region_table and "Comune E" not in region_table


def test_export_csv_and_xlsx_contain_the_rows(club, member, client):
    response = client.get(ranking_url(club.indicators[0], "?periodo=2025&export=csv"))
    assert response["Content-Type"].startswith("text/csv")
    # Italian Excel: BOM, ';', decimal comma; the indicator, unit, period and direction on every row.
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == ["Indicatore", "Unità di misura", "Periodo", "Direzione", "Posizione", "Comune", "Valore"]
    assert {row[5] for row in rows[1:]} >= {"Comune A", "Comune B", "Comune E", "Comune F"}
    assert rows[1][4:7] == ["1", "Comune E", "400,0"]
    assert rows[1][0] == club.indicators[0].name and rows[1][2] == "2025" and rows[1][3] == "Più alto è meglio"
    response = client.get(ranking_url(club.indicators[0], "?periodo=2025&export=xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["F1"].value == "Comune" and sheet.max_row == 7 and sheet["G2"].value == 400


def test_export_neutralises_formulas(member, client, club):
    Municipality.objects.filter(pk=club[4].pk).update(name="=HYPERLINK(1)")
    rows = client.get(ranking_url(club.indicators[0], "?periodo=2025&export=csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in rows


def test_scorecard_shows_traffic_lights_with_text(client, club):
    client.force_login(officer_of(club[4]))  # E: the best on certificates per FTE
    html = client.get(reverse("benchmarking:scorecard") + "?periodo=2025").content.decode()
    assert "Verde: vicino al migliore" in html
    client.force_login(officer_of(club[0]))  # A: the worst
    html = client.get(reverse("benchmarking:scorecard") + "?periodo=2025").content.decode()
    assert "Rosso: sotto la mediana" in html
    assert "Da migliorare" in html and "Punti di forza" in html


def test_best_practice_with_a_bad_file_is_refused(club, member, client):
    url = reverse("benchmarking:best_practice_add", args=[club.indicators[0].code]) + "?periodo=2025"
    bad = SimpleUploadedFile("macro.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"title": "Sportello unico", "description": "Così", "attachment": bad})
    assert response.status_code == 200
    assert "Formato non ammesso" in response.content.decode()
    big = SimpleUploadedFile("grande.pdf", b"0" * (5 * 1024 * 1024 + 1), content_type="application/pdf")
    response = client.post(url, {"title": "Sportello unico", "description": "Così", "attachment": big})
    assert "supera i 5 MB" in response.content.decode()
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        assert not BestPractice.objects.exists()


def test_best_practice_is_shown_to_other_members(member, client, club, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("benchmarking:best_practice_add", args=[club.indicators[0].code]) + "?periodo=2025"
    good = SimpleUploadedFile("procedura.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(url, {"title": "Sportello unico", "description": "Così facciamo", "attachment": good})
    assert response.status_code == 302
    client.force_login(officer_of(club[3]))
    html = client.get(ranking_url(club.indicators[0], "?periodo=2025")).content.decode()
    assert "Sportello unico" in html and "Così facciamo" in html
    link = re.search(r'href="([^"]*/buone-pratiche/[^"]*/allegato/)"', html).group(1)
    download = client.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"
    # Not for a comune outside the club, nor for anyone not signed in.
    outsider = MunicipalityFactory(status="candidate")
    client.force_login(officer_of(outsider))
    assert client.get(link).status_code == 403
    client.logout()
    assert client.get(link).status_code == 302


def test_context_is_saved_and_shown_beside_the_comune(member, client, club):
    url = reverse("benchmarking:context")
    response = client.post(url, {"year": 2025, "key": "quota_servizi_online", "value": "35", "shared": "on"})
    assert response.status_code == 302
    response = client.post(url, {"year": 2025, "key": "quota_servizi_online", "value": "40", "shared": "on"})
    with acting_for(club[0]):
        assert list(ContextValue.objects.values_list("key", "value")) == [("quota_servizi_online", "40")]
    response = client.post(url, {"year": 1800, "key": "chiave non valida", "value": ""})
    assert response.status_code == 200 and "Indica un anno tra il 2000 e il 2100" in response.content.decode()
    client.force_login(officer_of(club[3]))
    html = client.get(ranking_url(club.indicators[0], "?periodo=2025")).content.decode()
    assert "quota_servizi_online" in html and "<strong>quota_servizi_online</strong>: 40" in html


def test_coordinator_manages_peer_groups_and_officers_cannot(client, club):
    client.force_login(officer_of(club[0]))
    assert client.get(reverse("benchmarking:peer_group_add")).status_code == 403
    # A coordinator of the club, with no comune of their own.
    coordinator = AreaCoordinatorFactory(area=club.area).user
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:peer_group_add"), {
        "name": "Grandi città", "members": [club[3].pk, club[4].pk],
    })
    assert response.status_code == 302
    group = PeerGroup.objects.get(name="Grandi città")
    assert set(group.members.all()) == {club[3], club[4]}
    response = client.post(reverse("benchmarking:peer_group_edit", args=[group.pk]), {"name": "Grandi", "members": [club[3].pk]})
    group.refresh_from_db()
    assert group.name == "Grandi" and list(group.members.all()) == [club[3]]


def test_a_coordinator_without_a_comune_reads_every_members_page(client, club):
    """Coordinators work for the whole club: every page the members area links
    (each module's entries), and the pages those link, answer them (they once
    got 403 for having no comune); pages about one comune show the first member
    comune and offer the others."""
    coordinator = AreaCoordinatorFactory(area=club.area).user
    assert not coordinator.memberships.exists()
    client.force_login(coordinator)
    home = client.get(reverse("members_area"))
    assert home.status_code == 200
    main = home.content.decode().split('<main', 1)[1].split("</main>", 1)[0]
    entries = sorted(set(re.findall(r'href="(/[^"#?]*)"', main)))
    assert reverse("benchmarking:scorecard") in entries and len(entries) >= 5
    ranking = ranking_url(club.indicators[0])
    for url in [*entries, ranking, reverse("benchmarking:trend", args=[club.indicators[0].code])]:
        response = client.get(url)
        assert response.status_code == 200, url
    first = Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name").first()
    scorecard = client.get(reverse("benchmarking:scorecard")).content.decode()
    assert f"Scheda di sintesi: {first.name}" in scorecard
    assert f'<option value="{club[2].slug}"' in scorecard
    other = client.get(reverse("benchmarking:scorecard") + f"?comune={club[2].slug}").content.decode()
    assert f"Scheda di sintesi: {club[2].name}" in other
    # The dashboard speaks of the club's comuni, not of "your comune".
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Confronta i dati approvati dei comuni del club." in dashboard and "del tuo comune" not in dashboard
    # Nothing of their own to add: no "add a best practice" or context entry.
    assert "Racconta come lo fa il tuo comune" not in client.get(ranking).content.decode()


def test_trend_shows_the_chosen_comuni(member, client, club):
    url = reverse("benchmarking:trend", args=[club.indicators[0].code]) + f"?comuni={club[1].slug}&comuni={club[4].slug}"
    html = client.get(url).content.decode()
    table = html.split('id="trend-table"')[1]
    assert "Comune B" in table and "Comune E" in table and "Mediana del club" in table


def test_a_long_ranking_is_paginated_and_the_chart_draws_the_page(club, member, client, monkeypatch):
    import re

    from benchmarking.comparisons import views as members_views

    monkeypatch.setattr(members_views, "RANKING_PAGE_SIZE", 2)

    def ranked_names(query):
        page = client.get(ranking_url(club.indicators[0], query)).content.decode()
        table = page[page.index('id="ranking-table"'):] if 'id="ranking-table"' in page else page
        body = re.search(r"<tbody[^>]*>(.*?)</tbody>", table, re.S).group(1)
        return re.findall(r"Comune [A-F]", body), page

    first, page = ranked_names("?periodo=2025")
    second, _page = ranked_names("?periodo=2025&page=2")
    assert first == ["Comune E", "Comune D"]
    assert second == ["Comune B", "Comune C"]
    assert "Grafico a barre dei 2 comuni mostrati" in page


def test_a_practice_file_left_without_its_practice_is_swept_after_a_day(member, client, club, settings, tmp_path):
    """A file whose practice was never committed (the request failed after the
    upload) goes at night once a day old; a practice's own file, and a file
    younger than a day (a save in flight), stay."""
    import datetime
    import os

    from django.utils import timezone

    from benchmarking.comparisons import jobs

    settings.MEDIA_ROOT = tmp_path
    url = reverse("benchmarking:best_practice_add", args=[club.indicators[0].code]) + "?periodo=2025"
    good = SimpleUploadedFile("procedura.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert client.post(url, {"title": "Sportello unico", "description": "Così", "attachment": good}).status_code == 302
    folder = tmp_path / "best-practices"
    (kept,) = list(folder.iterdir())
    orphan, young = folder / "abbandonato.pdf", folder / "in-corso.pdf"
    orphan.write_bytes(b"%PDF-1.4")
    young.write_bytes(b"%PDF-1.4")
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    for path in (kept, orphan):
        os.utime(path, (two_days_ago, two_days_ago))
    jobs.sweep_practice_files.task(timestamp=int(timezone.now().timestamp()))
    assert sorted(path.name for path in folder.iterdir()) == sorted([kept.name, young.name])
