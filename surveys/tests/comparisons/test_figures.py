"""The surveys' figures for other modules: the satisfaction items and the
index of the core questionnaires in use for a service, and their values
from PUBLISHED surveys only (the club scope also shows closed ones)."""

import datetime as dt
from decimal import Decimal

import pytest

from qclub.tenancy import SCOPE_CLUB, acting_for, cross_tenant
from surveys.hooks import SurveysHooks
from surveys.models import ItemResult, QuestionnaireVersion
from surveys.tests.factories import questionnaire_with_every_kind
from surveys.tests.results_factories import store, survey_with_results

pytestmark = pytest.mark.django_db
HOOKS = SurveysHooks()
PUBLISHED = "published"


@pytest.fixture
def version(db):
    return questionnaire_with_every_kind(questionnaire__locked=True, questionnaire__code="anagrafe-club")


def _values(key, *, viewer, years=(2025, 2026), municipality_ids=None):
    with acting_for(viewer), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        found = HOOKS.figure_values(key, years=list(years), municipality_ids=municipality_ids)
    return {(v.municipality_id, v.year): v.value for v in found}


def test_figures_are_the_satisfaction_items_and_index_of_core_questionnaires(version):
    service = version.questionnaire.service
    # Not core (a questionnaire of the comune's choosing), and a draft version: not figures.
    questionnaire_with_every_kind(questionnaire__service=service, questionnaire__code="libero")
    questionnaire_with_every_kind(questionnaire__service=service, questionnaire__locked=True,
                                  questionnaire__code="in-preparazione", status=QuestionnaireVersion.Status.DRAFT)
    other = questionnaire_with_every_kind(questionnaire__locked=True, questionnaire__code="biblioteca")

    figures = {f.key: f for f in HOOKS.figures(service)}

    assert set(figures) == {
        "index:anagrafe-club",
        *(f"item:anagrafe-club:{code}:{measure}"
          for code in ("attesa", "cortesia", "complessiva") for measure in ("mean", "top2")),
    }
    waiting = figures["item:anagrafe-club:attesa:mean"]
    assert (waiting.label, waiting.unit, waiting.higher_is_better) == ("Tempo di attesa: voto medio", "punti su 5", True)
    assert waiting.service_code == service.code and waiting.ref == "surveys/item:anagrafe-club:attesa:mean"
    assert figures["item:anagrafe-club:complessiva:top2"].unit == "%"
    assert figures["index:anagrafe-club"].unit == "punti su 100"
    everything = {f.key for f in HOOKS.figures(None)}
    assert "index:biblioteca" in everything and "index:anagrafe-club" in everything
    assert other.questionnaire.service.code != service.code


def test_values_come_from_published_surveys_only(version, comune_a, comune_b):
    """B's survey is closed, not published: the club scope shows its results,
    the status filter keeps them out — of B's own figures too."""
    survey_with_results(comune_a, version, status=PUBLISHED, year=2025, overall=4.2, index=71)
    survey_with_results(comune_b, version, status="closed", year=2025, overall=3.1)

    assert _values("item:anagrafe-club:complessiva:mean", viewer=comune_a) == {(comune_a.pk, 2025): Decimal("4.2")}
    assert _values("item:anagrafe-club:complessiva:top2", viewer=comune_a) == {(comune_a.pk, 2025): Decimal("72.5")}
    assert _values("index:anagrafe-club", viewer=comune_a) == {(comune_a.pk, 2025): Decimal(71)}
    assert _values("item:anagrafe-club:complessiva:mean", viewer=comune_b) == {(comune_a.pk, 2025): Decimal("4.2")}


def test_one_value_per_comune_and_year_the_latest_survey(version, comune_a, comune_b):
    survey_with_results(comune_a, version, status=PUBLISHED, year=2025, overall=3.0, ends_on=dt.date(2025, 3, 31),
                        title="Primavera")
    survey_with_results(comune_a, version, status=PUBLISHED, year=2025, overall=4.0, ends_on=dt.date(2025, 10, 31),
                        title="Autunno")
    survey_with_results(comune_a, version, status=PUBLISHED, year=2024, overall=3.5)
    survey_with_results(comune_b, version, status=PUBLISHED, year=2025, overall=2.5)
    key = "item:anagrafe-club:complessiva:mean"

    assert _values(key, viewer=comune_a) == {(comune_a.pk, 2025): Decimal(4), (comune_b.pk, 2025): Decimal("2.5")}
    assert _values(key, viewer=comune_a, years=[2024]) == {(comune_a.pk, 2024): Decimal("3.5")}
    assert _values(key, viewer=comune_a, municipality_ids=[comune_b.pk]) == {(comune_b.pk, 2025): Decimal("2.5")}


def test_values_are_over_all_respondents_unweighted(version, comune_a):
    survey = survey_with_results(comune_a, version, status=PUBLISHED, year=2025, overall=4.0)
    with acting_for(comune_a):
        question = version.questions.get(code="complessiva")
        store(survey, question=question, answers=50, mean=1.0, breakdown="eta:18-34")
        store(survey, question=question, answers=200, mean=2.0, weighted=True)
        assert ItemResult.objects.filter(question=question).count() == 3

    assert _values("item:anagrafe-club:complessiva:mean", viewer=comune_a) == {(comune_a.pk, 2025): Decimal(4)}


def test_an_unknown_key_has_no_values(version, comune_a):
    survey_with_results(comune_a, version, status=PUBLISHED, year=2025)
    for key in ("item:anagrafe-club:complessiva", "item:anagrafe-club:nessuna:mean", "index:", "indice:anagrafe-club",
                "item:anagrafe-club:complessiva:median"):
        assert _values(key, viewer=comune_a) == {}
