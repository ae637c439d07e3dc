"""The public answer API: same service as the form, throttled, in the schema."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from qclub.tenancy import acting_for
from surveys.models import Response, Survey
from surveys.tests.factories import SurveyFactory
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"attesa": 4, "cortesia": "dk", "canali": ["web"], "visite": "2", "eta": "65+"}


@pytest.fixture
def comune():
    return MunicipalityFactory()


@pytest.fixture
def survey(comune):
    with acting_for(comune):
        return SurveyFactory(status=Survey.Status.OPEN)


def url(survey):
    return reverse("api-surveys-answer", args=[survey.public_id])


def count(comune):
    with acting_for(comune):
        return Response.objects.count()


def test_an_answer_is_recorded_online_without_login(comune, survey):
    reply = APIClient().post(url(survey), {"answers": ANSWERS}, format="json")
    assert reply.status_code == 201, reply.json()
    with acting_for(comune):
        (response,) = Response.objects.all()
    assert response.mode == "online"


def test_bad_answers_are_refused_by_question_and_nothing_written(comune, survey):
    reply = APIClient().post(url(survey), {"answers": {**ANSWERS, "attesa": 7}}, format="json")
    assert reply.status_code == 400
    assert "attesa" in reply.json()["errors"]
    assert count(comune) == 0


def test_a_closed_survey_refuses_and_a_draft_is_not_found(comune, survey):
    with acting_for(comune):
        Survey.objects.filter(pk=survey.pk).update(status="closed")
    assert APIClient().post(url(survey), {"answers": ANSWERS}, format="json").status_code == 409
    with acting_for(comune):
        Survey.objects.filter(pk=survey.pk).update(status="draft")
    assert APIClient().post(url(survey), {"answers": ANSWERS}, format="json").status_code == 404


def test_the_api_is_throttled_with_its_own_scope(comune, survey):
    cache.clear()
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "survey_answers": "2/hour"}
    with override_settings(SURVEYS_ANSWERS_PER_HOUR=100), \
            pytest.MonkeyPatch.context() as patch:
        from rest_framework.throttling import ScopedRateThrottle

        patch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
        codes = [
            APIClient().post(url(survey), {"answers": ANSWERS}, format="json").status_code
            for _ in range(3)
        ]
    assert codes == [201, 201, 429]
    assert count(comune) == 2


def test_the_answer_endpoint_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/indagini/{public_id}/risposte/" in schema


def test_the_api_refuses_answers_outside_the_collection_period(comune, survey):
    import datetime

    with acting_for(comune):
        Survey.objects.filter(pk=survey.pk).update(starts_on=datetime.date.today() + datetime.timedelta(days=1))
    reply = APIClient().post(url(survey), {"answers": ANSWERS}, format="json")
    assert reply.status_code in (400, 409) and count(comune) == 0
