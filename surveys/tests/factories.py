"""Factories for the surveys suites: a small questionnaire with one question of
each kind, and a comune's survey on it."""

import factory

from surveys.models import (
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    Survey,
)
from tests.factories import ServiceFactory

AGE_BANDS = [
    {"code": "18-34", "label": {"it": "18–34 anni", "en": "18–34 years"}},
    {"code": "35-64", "label": {"it": "35–64 anni", "en": "35–64 years"}},
    {"code": "65+", "label": {"it": "65 anni e più", "en": "65 and over"}},
]
CHANNELS = [
    {"code": "web", "label": {"it": "Sito web"}},
    {"code": "phone", "label": {"it": "Telefono"}},
    {"code": "counter", "label": {"it": "Sportello"}},
]


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    code = factory.Sequence(lambda n: f"questionario-{n}")
    title = factory.Sequence(lambda n: {"it": f"Questionario {n}", "en": f"Questionnaire {n}"})
    service = factory.SubFactory(ServiceFactory)


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireVersion

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = 1
    status = QuestionnaireVersion.Status.ACTIVE


def questionnaire_with_every_kind(**version_kwargs) -> QuestionnaireVersion:
    """A version with: waiting (1–5 satisfaction, "don't know" allowed), its
    importance, courtesy (1–5), overall (1–5), recommendation (0–10), age band
    (profile), channels used (multiple), visits (number), comments (text)."""
    version = VersionFactory(**version_kwargs)
    service = version.questionnaire.service
    section = Section.objects.create(version=version, position=1, title={"it": "Il servizio"})
    profile = Section.objects.create(version=version, position=2, title={"it": "Chi risponde"})

    def question(position, code, kind, text, section=section, **kwargs):
        return Question.objects.create(
            version=version,
            section=section,
            position=position,
            code=code,
            kind=kind,
            text={"it": text, "en": f"EN {text}"},
            **kwargs,
        )

    scale = {"scale_min": 1, "scale_max": 5}
    waiting = question(
        1,
        "attesa",
        QuestionKind.RATING,
        "Tempo di attesa",
        service=service,
        dimension="timeliness",
        **scale,
    )
    question(
        2,
        "attesa-importanza",
        QuestionKind.IMPORTANCE,
        "Importanza del tempo di attesa",
        importance_of=waiting,
        **scale,
    )
    question(
        3,
        "cortesia",
        QuestionKind.RATING,
        "Cortesia del personale",
        service=service,
        dimension="effectiveness",
        **scale,
    )
    question(
        4,
        "complessiva",
        QuestionKind.RATING,
        "Soddisfazione complessiva",
        role=Question.Role.OVERALL,
        service=service,
        **scale,
    )
    question(
        5,
        "raccomandazione",
        QuestionKind.RATING,
        "Consiglierebbe il servizio?",
        role=Question.Role.RECOMMEND,
        scale_min=0,
        scale_max=10,
    )
    question(
        6, "canali", QuestionKind.MULTIPLE, "Canali usati", options=CHANNELS, allows_dont_know=False
    )
    question(
        7, "visite", QuestionKind.NUMBER, "Quante volte quest'anno", number_min=0, number_max=365
    )
    question(8, "commenti", QuestionKind.TEXT, "Suggerimenti", allows_dont_know=False)
    question(
        1,
        "eta",
        QuestionKind.PROFILE,
        "Età",
        section=profile,
        options=AGE_BANDS,
        profile=Question.Profile.AGE_BAND,
    )
    return version


class SurveyFactory(factory.django.DjangoModelFactory):
    """Create inside `acting_for(municipality)`."""

    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Indagine {n}")
    version = factory.LazyFunction(questionnaire_with_every_kind)
    service = factory.LazyAttribute(lambda survey: survey.version.questionnaire.service)
    year = 2026
    modes = factory.LazyFunction(lambda: ["online", "paper"])
    population_served = 70000
