"""The surveys demo: the registry survey in every staffed member comune, the
status mix (Trento published), varied answers, a kiosk; idempotent."""

import time
from collections import Counter

import pytest

from qclub.models import Municipality, Role
from qclub.tenancy import acting_for
from surveys import demo
from surveys.models import Answer, ItemResult, PublishedComment, Response, Survey
from tests.factories import MunicipalityFactory, ServiceFactory, officer_of

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
SLUGS = ["trento", "milano", "modena", "genova"]


@pytest.fixture
def club(db):
    ServiceFactory(code="anagrafe")
    comuni = []
    for slug in SLUGS:
        comune = MunicipalityFactory(slug=slug, name=slug.title(), population=120_000,
                                     status=Municipality.Status.MEMBER)
        officer_of(comune, role=Role.OFFICER, user__username=f"officer.{slug}")
        officer_of(comune, role=Role.MANAGER, user__username=f"manager.{slug}")
        comuni.append(comune)
    return comuni


def snapshot(comuni):
    rows = []
    for comune in comuni:
        with acting_for(comune):
            rows += list(Survey.objects.order_by("pk").values_list("pk", "status", "revision"))
            rows.append(Response.objects.count())
    return rows


def test_the_demo_runs_the_registry_survey_everywhere_and_is_idempotent(club):
    started = time.monotonic()
    demo.seed()
    elapsed = time.monotonic() - started
    by_slug = {}
    for comune in club:
        with acting_for(comune):
            surveys = list(Survey.objects.select_related("version__questionnaire"))
            by_slug[comune.slug] = {s.version.questionnaire.code: s for s in surveys}
            registry = by_slug[comune.slug]["anagrafe-club"]
            assert Response.objects.filter(survey=registry).count() >= 150
            answers = Answer.objects.filter(survey=registry)
            assert answers.filter(dont_know=True).exists() and answers.exclude(text="").exists()
            assert Counter(Response.objects.filter(survey=registry).values_list("mode", flat=True)).keys() == {
                "online", "paper", "counter"}
            assert registry.target_sample and registry.population_served
    assert by_slug["trento"]["anagrafe-club"].status == Survey.Status.PUBLISHED
    assert by_slug["milano"]["anagrafe-club"].status == Survey.Status.CLOSED
    assert by_slug["genova"]["anagrafe-club"].status == Survey.Status.OPEN
    kiosk = by_slug["modena"]["mettiamoci-la-faccia"]
    assert kiosk.status == Survey.Status.OPEN and kiosk.modes == ["kiosk"]
    # Comuni differ: Trento's overall satisfaction is above Milano's.
    means = {}
    for comune in club[:2]:
        with acting_for(comune):
            values = Answer.objects.filter(question__code="complessiva").values_list("number", flat=True)
            means[comune.slug] = sum(values) / len(values)
    assert means["trento"] > means["milano"]
    # Closed and published surveys have their results and a few approved
    # comments (moderated text), the rest waiting in the moderation queue.
    for slug in ("trento", "milano"):
        comune = next(c for c in club if c.slug == slug)
        with acting_for(comune):
            registry = by_slug[slug]["anagrafe-club"]
            assert ItemResult.objects.filter(survey=registry, breakdown="", question__isnull=True).exists()
            assert ItemResult.objects.filter(survey=registry).values("responses").distinct().count() == 1
            published = PublishedComment.objects.filter(survey=registry)
            assert 1 <= published.count() <= demo.APPROVED_COMMENTS
            assert "333 1234567" not in " ".join(published.values_list("text", flat=True))
            assert Answer.objects.filter(survey=registry, moderation=Answer.Moderation.PENDING).exists()
    with acting_for(club[3]):  # genova: still collecting, nothing computed
        assert not ItemResult.objects.exists()
    before = snapshot(club)
    demo.seed()
    assert snapshot(club) == before
    assert elapsed < 60
