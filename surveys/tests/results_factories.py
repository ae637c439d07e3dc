"""Stored results for the comparison and public suites: ItemResult rows made
directly (the results module computes them from answers; these suites read
only what is stored), and a small club of comuni with surveys on one version."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from qclub.tenancy import acting_for
from surveys.models import ItemResult, Question, QuestionnaireVersion, Survey
from surveys.tests.factories import SurveyFactory, questionnaire_with_every_kind
from tests.factories import MunicipalityFactory


def D(value) -> Decimal:
    return Decimal(str(value))


def store(survey: Survey, *, question: Question | None = None, answers: int, mean, half_width=0.1,
          std_dev=0.9, dont_know=0, top_two_share=None, net_promoter=None, distribution=None,
          breakdown="", weighted=False) -> ItemResult:
    """One stored result (create inside `acting_for(survey.municipality)`);
    no question = the satisfaction index."""
    return ItemResult.objects.create(
        survey=survey, question=question,
        measure=ItemResult.Measure.ITEM if question else ItemResult.Measure.INDEX,
        breakdown=breakdown, weighted=weighted, answers=answers, dont_know=dont_know,
        mean=D(mean), median=D(mean), std_dev=D(std_dev),
        ci_low=D(mean) - D(half_width), ci_high=D(mean) + D(half_width),
        top_two_share=None if top_two_share is None else D(top_two_share),
        net_promoter=None if net_promoter is None else D(net_promoter),
        distribution=distribution or {},
    )


@dataclass
class Club:
    version: QuestionnaireVersion
    comuni: list
    surveys: list

    def question(self, code: str) -> Question:
        return Question.objects.get(version=self.version, code=code)


def survey_with_results(municipality, version, *, status="closed", year=2026, answers=200, index=75.0,
                        overall=4.0, half_width=0.1, title=None, **kwargs) -> Survey:
    """A survey with its index and overall, waiting and recommendation results."""
    with acting_for(municipality):
        survey = SurveyFactory(version=version, status=status, year=year,
                               title=title or f"Anagrafe {municipality.name}", **kwargs)
        questions = {q.code: q for q in Question.objects.filter(version=version)}
        store(survey, answers=answers, mean=index, half_width=half_width * 10, std_dev=12)
        store(survey, question=questions["complessiva"], answers=answers, mean=overall, half_width=half_width,
              top_two_share=0.725, distribution={"1": 5, "2": 10, "3": 40, "4": 80, "5": 65})
        store(survey, question=questions["attesa"], answers=answers - 10, dont_know=10, mean=overall - 0.5,
              half_width=half_width)
        store(survey, question=questions["raccomandazione"], answers=answers, mean=7.5, half_width=0.3,
              std_dev=2, net_promoter=12)
    return survey


def build_club(n: int = 4, **kwargs) -> Club:
    version = questionnaire_with_every_kind()
    comuni = [MunicipalityFactory(name=f"Comune {chr(65 + i)}") for i in range(n)]
    surveys = [survey_with_results(m, version, overall=3.6 + 0.1 * i, **kwargs) for i, m in enumerate(comuni)]
    return Club(version, comuni, surveys)
