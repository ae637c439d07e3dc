"""The surveys' section of the page of one service
(surveys/comparisons/service_page.py), read through the core as the pages do."""

from decimal import Decimal

import pytest

from qclub.modules import Readers, service_codes, service_sections
from surveys.tests.factories import questionnaire_with_every_kind
from surveys.tests.results_factories import survey_with_results
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "surveys/comparisons/service_section.html"


def section(municipality, service, readers):
    found = [s for s in service_sections(municipality, service, readers) if s.template == TEMPLATE]
    return found[0].context["found"] if found else None


@pytest.fixture
def version():
    return questionnaire_with_every_kind()


def test_citizens_read_the_latest_published_survey_members_the_latest_closed(comune_a, version):
    service = version.questionnaire.service
    published = survey_with_results(comune_a, version, status="published", year=2025, index=71)
    closed = survey_with_results(comune_a, version, status="closed", year=2026, index=80)
    public = section(comune_a, service, Readers.PUBLIC)
    assert public.survey == published and public.index.mean == 71
    assert public.results_url and not public.comparison_url
    members = section(comune_a, service, Readers.MEMBERS)
    assert members.survey == closed and members.comparison_url and not members.results_url


def test_best_items_come_first_with_their_interval(comune_a, version):
    survey_with_results(comune_a, version, status="published", overall=4.2)
    found = section(comune_a, version.questionnaire.service, Readers.PUBLIC)
    assert found.overall.mean == Decimal("4.2")
    # Overall satisfaction stands apart; the others by their place on their
    # own scale (recommendation 7,5 of 0–10 before waiting 3,7 of 1–5).
    assert [result.question.code for _, result in found.items] == ["raccomandazione", "attesa"]
    assert all(result.ci_low is not None for _, result in found.items)


@pytest.mark.parametrize("status", ["draft", "open"])
def test_a_survey_not_yet_closed_shows_to_no_one(comune_a, version, status):
    survey_with_results(comune_a, version, status=status)
    service = version.questionnaire.service
    for readers in Readers:
        assert section(comune_a, service, readers) is None
        assert service.code not in service_codes(comune_a, readers)


def test_another_comunes_survey_is_not_this_comunes(comune_a, version):
    survey_with_results(MunicipalityFactory(), version, status="published")
    assert section(comune_a, version.questionnaire.service, Readers.MEMBERS) is None
