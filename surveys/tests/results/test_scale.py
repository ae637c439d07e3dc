"""The issue's scale target, measured on demand (not in `make test`):
a survey of 100,000 responses × 30 questions (3 million answers) generated
by PostgreSQL, then `compute_results` and the results page timed.

    SURVEY_SCALE=1 .venv/bin/pytest surveys/tests/results/test_scale.py -q -s
"""

import os
import statistics
import time

import pytest
from django.db import connection
from django.urls import reverse

from bench.surveys import GENERATE
from qclub.tenancy import acting_for
from surveys.models import PopulationCell, Question, QuestionKind, Section, Survey
from surveys.results import aggregates, services
from surveys.tests.factories import SurveyFactory, VersionFactory
from surveys.tests.results.conftest import GENDERS
from tests.factories import officer_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("SURVEY_SCALE"), reason="SURVEY_SCALE=1 to run"),
]
RESPONSES = int(os.environ.get("SURVEY_SCALE_RESPONSES", "100000"))
AGES = [{"code": c, "label": {"it": c}} for c in ("18-34", "35-49", "50-64", "65+")]


def thirty_questions():
    version = VersionFactory()
    section = Section.objects.create(version=version, position=1, title={"it": "Servizio"})
    scale = {"scale_min": 1, "scale_max": 5, "kind": QuestionKind.RATING}
    ratings = [
        Question.objects.create(version=version, section=section, position=i, code=f"voce-{i}",
                                text={"it": f"Voce {i}"}, dimension="timeliness", **scale)
        for i in range(1, 21)
    ]
    for i, rated in enumerate(ratings[:5], start=21):
        Question.objects.create(version=version, section=section, position=i, code=f"importanza-{i}",
                                text={"it": f"Importanza {i}"}, kind=QuestionKind.IMPORTANCE,
                                scale_min=1, scale_max=5, importance_of=rated)
    Question.objects.create(version=version, section=section, position=26, code="complessiva",
                            text={"it": "Complessiva"}, role="overall", **scale)
    Question.objects.create(version=version, section=section, position=27, code="raccomandazione",
                            text={"it": "Raccomandazione"}, kind=QuestionKind.RATING, role="recommend",
                            scale_min=0, scale_max=10)
    Question.objects.create(version=version, section=section, position=28, code="canali",
                            text={"it": "Canali"}, kind=QuestionKind.MULTIPLE,
                            options=[{"code": c, "label": {"it": c}} for c in ("web", "tel", "sportello")])
    Question.objects.create(version=version, section=section, position=29, code="eta", text={"it": "Età"},
                            kind=QuestionKind.PROFILE, profile="age_band", options=AGES)
    Question.objects.create(version=version, section=section, position=30, code="genere",
                            text={"it": "Genere"}, kind=QuestionKind.PROFILE, profile="gender", options=GENDERS)
    return version


def test_a_hundred_thousand_responses(comune_a, client, monkeypatch):
    if os.environ.get("SURVEY_SCALE_TRACE"):  # each aggregate query's time
        real = aggregates._run

        def traced(sql, params):
            started = time.perf_counter()
            try:
                return real(sql, params)
            finally:
                print(f"  {(time.perf_counter() - started) * 1000:8.1f} ms  {' '.join(sql.split())[:80]}")

        monkeypatch.setattr(aggregates, "_run", traced)
    version = thirty_questions()
    with acting_for(comune_a):
        survey = SurveyFactory(version=version, service=version.questionnaire.service, status=Survey.Status.OPEN)
        PopulationCell.objects.bulk_create([
            PopulationCell(survey=survey, municipality=comune_a, age_band=a["code"], gender=g["code"], count=1000 * (i + 1))
            for i, a in enumerate(AGES) for g in GENDERS
        ])
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(GENERATE, {"m": comune_a.pk, "s": survey.pk, "n": RESPONSES, "v": version.pk,
                                      "start": "2026-03-01"})
            cursor.execute("ANALYZE surveys_answer; ANALYZE surveys_response;")
            cursor.execute("SELECT count(*) FROM surveys_answer WHERE survey_id = %s", [survey.pk])
            answers = cursor.fetchone()[0]
        print(f"\n{RESPONSES} responses, {answers} answers generated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        rows = services.compute_results(survey=survey)
        print(f"compute_results: {rows} rows in {time.perf_counter() - started:.2f} s")
    client.force_login(officer_of(comune_a))
    url = reverse("surveys:results", kwargs={"survey_id": survey.public_id})
    times = []
    for _ in range(7):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(f"results page: median {statistics.median(times[2:]) * 1000:.0f} ms, "
          f"max {max(times[2:]) * 1000:.0f} ms (after 2 warm-up runs)")
