"""Stored results computed by the database, against values computed by hand;
weighting, breakdowns, the index, the comparison with the previous survey,
moderation, exports, pages and isolation."""

import csv
import io
import math
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from qclub.tenancy import SCOPE_CLUB, SCOPE_PUBLIC, acting_for, cross_tenant
from surveys.fieldwork import services as fieldwork
from surveys.models import (
    Answer,
    ItemResult,
    PopulationCell,
    PublishedComment,
    Question,
    QuestionKind,
    Survey,
)
from surveys.results import aggregates, selectors, services
from surveys.results.statistics import t_quantile
from surveys.tests.factories import SurveyFactory
from surveys.tests.results.conftest import add_gender, answer
from tests.factories import officer_of

pytestmark = pytest.mark.django_db


def stored(survey, code=None, *, group="", weighted=False):
    with acting_for(survey.municipality_id):
        rows = ItemResult.objects.filter(survey=survey, breakdown=group, weighted=weighted)
        if code is None:
            return rows.filter(question__isnull=True).first()
        return rows.filter(question__code=code).first()


def compute(survey):
    with acting_for(survey.municipality_id):
        return services.compute_results(survey=survey)


def test_an_empty_survey_stores_every_core_question_without_figures_and_no_index(survey):
    compute(survey)
    row = stored(survey, "attesa")
    assert (row.answers, row.dont_know, row.mean, row.ci_low, row.top_two_share) == (0, 0, None, None, None)
    assert stored(survey) is None


def test_only_dont_know_counts_apart_and_gives_no_figure(survey):
    answer(survey, {"attesa": "dk"}, {"attesa": "dk"}, {"attesa": "dk"})
    compute(survey)
    row = stored(survey, "attesa")
    assert (row.answers, row.dont_know, row.mean, row.median, row.std_dev) == (0, 3, None, None, None)


def test_one_answer_has_a_mean_and_no_spread_or_interval(survey):
    answer(survey, {"attesa": 4})
    compute(survey)
    row = stored(survey, "attesa")
    assert (row.answers, row.mean, row.median, row.std_dev, row.ci_low) == (1, Decimal(4), Decimal(4), None, None)
    assert row.top_two_share == 1


def test_a_scale_item_against_values_computed_by_hand(survey):
    answer(survey, *({"attesa": v} for v in (1, 2, 4, 5, 5)), {"attesa": "dk"})
    compute(survey)
    row = stored(survey, "attesa")
    sd = math.sqrt(3.3)  # Σ(x − 3.4)² = 13.2, over 4
    half = t_quantile(0.975, 4) * sd / math.sqrt(5) * math.sqrt((70000 - 5) / (70000 - 1))
    assert (row.answers, row.dont_know) == (5, 1)
    assert row.mean == Decimal("3.4000")
    assert row.median == Decimal("4.0000")
    assert float(row.std_dev) == pytest.approx(sd, abs=1e-4)
    assert float(row.ci_low) == pytest.approx(3.4 - half, abs=1e-4)
    assert float(row.ci_high) == pytest.approx(3.4 + half, abs=1e-4)
    assert row.top_two_share == Decimal("0.6000")
    assert row.distribution == {"1": 1, "2": 1, "4": 1, "5": 2}
    assert row.net_promoter is None
    assert row.responses == 6  # the sample behind the margin of error, stored with the figures
    answer(survey, {"attesa": 3})
    with acting_for(survey.municipality_id):
        assert selectors.results(survey).responses == 6  # the stored figures' sample, until recomputed


def test_net_promoter_score_and_multiple_choice_shares(survey):
    answer(
        survey,
        {"raccomandazione": 10, "canali": ["web"]},
        {"raccomandazione": 10, "canali": ["web", "phone"]},
        {"raccomandazione": 9, "canali": ["counter"]},
        {"raccomandazione": 7},
        {"raccomandazione": 3},
    )
    compute(survey)
    assert stored(survey, "raccomandazione").net_promoter == Decimal("40.00")
    channels = stored(survey, "canali")
    assert channels.answers == 3 and channels.distribution == {"web": 2, "phone": 1, "counter": 1}
    with acting_for(survey.municipality_id):
        data = selectors.results(survey)
    item = next(i for i in data.items if i.question.code == "canali")
    shares = {label: share for label, _n, share in item.distribution}
    assert shares["Sito web"] == pytest.approx(Decimal(200) / 3)


def test_the_index_weighs_each_item_by_its_stated_importance(survey):
    version = survey.version
    cortesia = Question.objects.get(version=version, code="cortesia")
    Question.objects.create(
        version=version, section=cortesia.section, position=9, code="cortesia-importanza",
        kind=QuestionKind.IMPORTANCE, text={"it": "Importanza della cortesia"},
        scale_min=1, scale_max=5, importance_of=cortesia,
    )
    answer(
        survey,
        {"attesa": 5, "attesa-importanza": 5, "cortesia": 3, "cortesia-importanza": 1},
        {"attesa": 1, "attesa-importanza": 5, "cortesia": 5, "cortesia-importanza": 3},
    )
    compute(survey)
    # Weights: attesa 5, cortesia 2. A: (5·100 + 2·50)/7 = 85.714; B: (0 + 2·100)/7 = 28.571.
    index = stored(survey)
    assert index.answers == 2
    assert float(index.mean) == pytest.approx((600 / 7 + 200 / 7) / 2, abs=1e-4)
    with acting_for(survey.municipality_id):
        matrix = selectors.results(survey).matrix
    # Importance on 0–100: attesa 100, cortesia 25 (threshold 62.5); satisfaction 50 and 75 (62.5).
    quadrants = {p.question.code: p.quadrant for p in matrix.points}
    assert quadrants == {"attesa": "improve", "cortesia": "surplus"}
    assert (matrix.importance_threshold, matrix.satisfaction_threshold) == (62.5, 62.5)


def test_groups_below_the_minimum_size_are_not_stored(survey, settings):
    settings.SURVEY_MIN_GROUP_SIZE = 10
    answer(survey, *({"attesa": 4, "eta": "18-34"} for _ in range(10)), *({"attesa": 1, "eta": "65+"} for _ in range(9)))
    compute(survey)
    assert stored(survey, "attesa", group="eta:18-34").answers == 10
    assert stored(survey, "attesa", group="eta:65+") is None
    assert stored(survey, group="eta:18-34").mean == Decimal("75.0000")
    with acting_for(survey.municipality_id):
        breakdown = next(b for b in selectors.results(survey).breakdowns if b.question.code == "eta")
    assert [label for _c, label in breakdown.groups] == ["18–34 anni"]
    assert "65 anni e più" in breakdown.hidden


def _weighting_survey(survey):
    cells = {("18-34", "f"): 100, ("18-34", "m"): 100, ("35-64", "f"): 300, ("35-64", "m"): 300,
             ("65+", "f"): 200, ("65+", "m"): 200}
    with acting_for(survey.municipality_id):
        services.save_population(survey=survey, cells=cells)
    answer(
        survey,
        *({"attesa": 5, "eta": "18-34", "genere": g} for g in "ffffmmmm"),
        *({"attesa": 1, "eta": "35-64", "genere": "f"} for _ in range(2)),
        {"attesa": 3, "eta": "35-64"},  # no gender: left out of the weighted figures
    )


def test_post_stratification_weights_sum_to_the_sample_and_collapse_or_drop_empty_cells(survey):
    _weighting_survey(survey)
    with acting_for(survey.municipality_id):
        core, _local = fieldwork.questions_of(survey)
        strata, left_out = aggregates.strata(survey=survey, weighting=services.weighting_of(survey, core))
    by_cell = {(s.age, s.gender): s for s in strata}
    # Usable population 800 over 10 respondents: 18–34 f (100/800)/(4/10) = 0.3125;
    # 35–64 collapsed (no man answered): (600/800)/(2/10) = 3.75; 65+ dropped.
    assert by_cell[("18-34", "f")].weight == pytest.approx(0.3125)
    assert by_cell[("35-64", None)].weight == pytest.approx(3.75) and by_cell[("35-64", None)].collapsed
    assert by_cell[("65+", None)].weight is None and by_cell[("65+", None)].respondents == 0
    assert sum(s.weight * s.respondents for s in strata if s.weight) == pytest.approx(10)
    assert left_out == 1


def test_weighted_and_unweighted_figures_side_by_side(survey):
    _weighting_survey(survey)
    compute(survey)
    assert float(stored(survey, "attesa").mean) == pytest.approx((40 + 2 + 3) / 11, abs=1e-4)
    weighted = stored(survey, "attesa", weighted=True)
    assert float(weighted.mean) == pytest.approx((2.5 * 5 + 7.5 * 1) / 10, abs=1e-4)  # 2.0
    assert weighted.answers == 10
    assert float(weighted.top_two_share) == pytest.approx(0.25)
    assert weighted.median == Decimal("1.0000")


def test_the_change_from_the_previous_survey_and_its_significance(comune_a, survey):
    with acting_for(comune_a):
        previous = SurveyFactory(version=survey.version, year=2025, status=Survey.Status.OPEN, title="Indagine 2025")
    answer(previous, *({"attesa": v} for v in [2, 3] * 30))
    answer(survey, *({"attesa": v} for v in [4, 5] * 30))
    with acting_for(comune_a):
        fieldwork.change_status(survey=previous, to_status="closed")
        services.compute_results(survey=survey)
        data = selectors.results(survey)
    assert data.previous == previous
    item = next(i for i in data.items if i.question.code == "attesa")
    assert item.change.mean_difference == Decimal("2.0000")
    assert item.change.mean_test.significant and item.change.share_test.significant


def test_closing_a_survey_fills_its_results(comune_a, survey):
    answer(survey, {"attesa": 4}, {"attesa": 2})
    with acting_for(comune_a):
        fieldwork.change_status(survey=survey, to_status="closed")
    assert stored(survey, "attesa").mean == Decimal(3)


def test_a_large_survey_is_computed_by_a_job_when_it_closes(run_jobs, comune_a, settings):
    settings.SURVEY_RESULTS_INLINE_LIMIT = 1
    with acting_for(comune_a):
        survey = SurveyFactory(status=Survey.Status.OPEN)
    answer(survey, {"attesa": 4}, {"attesa": 2})
    with acting_for(comune_a):
        fieldwork.change_status(survey=survey, to_status="closed")
    assert stored(survey, "attesa") is None
    run_jobs()
    assert stored(survey, "attesa").mean == Decimal(3)


def _count(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_stored_results_reach_the_club_only_once_closed_and_the_public_once_published(comune_a, comune_b, survey):
    answer(survey, {"attesa": 4})
    compute(survey)

    def visible(scope):
        with acting_for(comune_b), cross_tenant(scope=scope, reason="test"):
            return _count("SELECT count(*) FROM surveys_itemresult")

    assert (visible(SCOPE_CLUB), visible(SCOPE_PUBLIC)) == (0, 0)
    with acting_for(comune_a):
        fieldwork.change_status(survey=survey, to_status="closed")
    assert visible(SCOPE_CLUB) > 0 and visible(SCOPE_PUBLIC) == 0
    with acting_for(comune_a):
        fieldwork.change_status(survey=Survey.objects.get(pk=survey.pk), to_status="published")
    assert visible(SCOPE_PUBLIC) > 0


def test_only_approved_comments_are_published_with_their_moderated_text(comune_a, comune_b, survey):
    answer(survey, {"commenti": "Bravi, scrivete a mario@example.it"}, {"commenti": "Che schifo"})
    compute(survey)  # the automatic pass
    with acting_for(comune_a):
        first, second = Answer.objects.filter(survey=survey, question__code="commenti").order_by("id")
        assert first.shown_text == "Bravi, scrivete a [e-mail]"
        services.moderate_comment(survey=survey, answer_id=first.public_id, decision="approve", seen="pending")
        services.moderate_comment(survey=survey, answer_id=second.public_id, decision="hide", seen="pending")
        with pytest.raises(Exception, match="un'altra persona"):
            services.moderate_comment(survey=survey, answer_id=second.public_id, decision="approve", seen="pending")
        assert [c.text for c in selectors.published_comments(survey)] == ["Bravi, scrivete a [e-mail]"]
        fieldwork.change_status(survey=survey, to_status="closed")
        fieldwork.change_status(survey=Survey.objects.get(pk=survey.pk), to_status="published")
    with acting_for(comune_b), cross_tenant(scope=SCOPE_PUBLIC, reason="test"):
        assert _count("SELECT count(*) FROM surveys_publishedcomment") == 1
        assert _count("SELECT count(*) FROM surveys_answer") == 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT text FROM surveys_publishedcomment")
            assert cursor.fetchone() == ("Bravi, scrivete a [e-mail]",)
    with acting_for(comune_a):
        services.moderate_comment(survey=survey, answer_id=first.public_id, decision="hide", seen="approved")
        assert not PublishedComment.objects.exists()


@pytest.fixture
def staff_client(client, comune_a):
    client.force_login(officer_of(comune_a))
    return client


def test_the_results_page_shows_figures_and_charts_and_other_comuni_get_404(staff_client, comune_b, survey):
    answer(survey, *({"attesa": v, "attesa-importanza": 4, "cortesia": 3, "eta": "18-34"} for v in (1, 2, 4, 5, 5)))
    url = reverse("surveys:results", kwargs={"survey_id": survey.public_id})
    page = staff_client.get(url)
    assert page.status_code == 200 and "non sono ancora stati calcolati" in page.content.decode()
    assert staff_client.post(reverse("surveys:results-compute", kwargs={"survey_id": survey.public_id})).status_code == 302
    html = staff_client.get(url).content.decode()
    assert "3,40" in html and "60,0%" in html and 'data-chart="chart-means-data"' in html
    assert "Da migliorare per primi" in html or "Punti di forza" in html
    other = officer_of(comune_b)
    staff_client.force_login(other)
    assert staff_client.get(url).status_code == 404
    assert staff_client.get(reverse("surveys:results-moderation", kwargs={"survey_id": survey.public_id})).status_code == 404


def test_the_moderation_page_approves_by_post(staff_client, comune_a, survey):
    answer(survey, {"commenti": "Chiamate il 333 1234567"})
    base = reverse("surveys:results-moderation", kwargs={"survey_id": survey.public_id})
    html = staff_client.get(base).content.decode()
    assert "[telefono]" in html and "Oscurati automaticamente" in html
    with acting_for(comune_a):
        comment = Answer.objects.get(survey=survey, question__code="commenti")
    url = reverse("surveys:results-moderate", kwargs={"survey_id": survey.public_id, "answer_id": comment.public_id})
    response = staff_client.post(url, {"decisione": "approva", "visto": "pending", "testo": "Chiamate il [telefono], grazie"})
    assert response.status_code == 302
    with acting_for(comune_a):
        assert PublishedComment.objects.get().text == "Chiamate il [telefono], grazie"


def test_the_population_form_saves_cells_and_links_errors_to_fields(staff_client, comune_a, survey):
    url = reverse("surveys:results-population", kwargs={"survey_id": survey.public_id})
    bad = staff_client.post(url, {"cella-18-34-f": "dodici"})
    assert bad.status_code == 400 and 'aria-describedby="cella-18-34-f-errore"' in bad.content.decode()
    assert staff_client.post(url, {"cella-18-34-f": "1.200", "cella-18-34-m": "1100"}).status_code == 302
    with acting_for(comune_a):
        assert dict(PopulationCell.objects.values_list("gender", "count")) == {"f": 1200, "m": 1100}


def test_the_export_has_one_anonymous_row_per_response(staff_client, survey):
    answer(
        survey,
        {"attesa": 4, "canali": ["web", "phone"], "visite": "2,5", "commenti": "Scrivete a a@b.it"},
        {"attesa": "dk", "eta": "65+"},
    )
    csv_url = reverse("surveys:results-export", kwargs={"survey_id": survey.public_id, "fmt": "csv"})
    response = staff_client.get(csv_url)
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(content), delimiter=";"))
    header = table[0]
    assert header[:3] == ["progressivo", "modalita", "attesa"]
    first = dict(zip(header, table[1], strict=True))
    assert first["progressivo"] == "1" and first["attesa"] == "4" and first["visite"] == "2,50"
    assert (first["canali_web"], first["canali_phone"], first["canali_counter"]) == ("1", "1", "0")
    assert first["commenti"] == "Scrivete a [e-mail]"
    second = dict(zip(header, table[2], strict=True))
    assert second["attesa"] == "NS" and second["eta"] == "65+"
    xlsx = staff_client.get(reverse("surveys:results-export", kwargs={"survey_id": survey.public_id, "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("progressivo", "modalita", "attesa") and rows[1][2] == 4 and len(rows) == 3


def test_a_survey_without_gender_cannot_be_weighted(comune_a):
    with acting_for(comune_a):
        survey = SurveyFactory(status=Survey.Status.OPEN)
        with pytest.raises(Exception, match="genere"):
            services.save_population(survey=survey, cells={("18-34", "f"): 10})
    assert add_gender  # the fixture's survey has one


def test_the_compute_button_queues_a_job_for_a_large_survey_and_its_progress_is_the_comunes_own(
    run_jobs, client, comune_a, comune_b, settings
):
    settings.SURVEY_RESULTS_INLINE_LIMIT = 1
    with acting_for(comune_a):
        survey = SurveyFactory(status=Survey.Status.OPEN)
    answer(survey, {"attesa": 5}, {"attesa": 3})
    client.force_login(officer_of(comune_a))
    response = client.post(reverse("surveys:results-compute", kwargs={"survey_id": survey.public_id}))
    job_id = int(response.url.rsplit("lavoro=", 1)[1])
    progress = reverse("surveys:results-job", kwargs={"survey_id": survey.public_id, "job_id": job_id})
    assert "in coda" in client.get(progress).content.decode()
    run_jobs()
    assert "Calcolo terminato" in client.get(progress).content.decode()
    assert stored(survey, "attesa").mean == Decimal(4)
    client.force_login(officer_of(comune_b))
    assert client.get(progress).status_code == 404


def test_unknown_export_formats_and_moderation_decisions_are_refused(staff_client, comune_a, survey):
    assert staff_client.get(reverse("surveys:results-export", kwargs={"survey_id": survey.public_id, "fmt": "pdf"})).status_code == 404
    answer(survey, {"commenti": "Ottimo servizio"})
    with acting_for(comune_a):
        comment = Answer.objects.get(survey=survey, question__code="commenti")
    url = reverse("surveys:results-moderate", kwargs={"survey_id": survey.public_id, "answer_id": comment.public_id})
    response = staff_client.post(url, {"decisione": "cancella", "visto": "pending"}, follow=True)
    assert "Decisione sconosciuta" in response.content.decode()
    with acting_for(comune_a):
        assert Answer.objects.get(pk=comment.pk).moderation == "pending"
    assert staff_client.get(reverse("surveys:results-moderation", kwargs={"survey_id": survey.public_id}) + "?stato=tutti").status_code == 404
