"""Demo data for the surveys module (`SurveysHooks.seed_demo`): the club's
shared registry-office survey in every member comune, with a few hundred
varied answers each, and a "Mettiamoci la faccia" kiosk running in one.

Statuses as a newcomer should see them: Trento published its results (as it
published its 2009 survey to citizens), and so did a few others; two are
closed waiting for their manager; two are collecting answers now. Answers
differ by comune (each has its own strengths and weak points), include
"don't know", free-text suggestions, profiles and a few foreign-language
online answers. Everything goes through the one rule for answers
(`record_responses`, in batches) and the status machine (`change_status`).

Idempotent: a comune's demo survey that exists already is left as it is.
Deterministic: each comune's answers come from a random generator seeded
with its slug.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qclub.models import Municipality
from qclub.tenancy import acting_for
from surveys.fieldwork.answering import DONT_KNOW
from surveys.fieldwork.services import FilledIn, change_status, create_survey, record_responses
from surveys.models import Answer, ItemResult, QuestionnaireVersion, Survey
from surveys.questionnaires.sampling import sample_size
from surveys.questionnaires.seed import load_questionnaires
from surveys.results import services as results

Status = Survey.Status
REGISTRY = "anagrafe-club"
FACES = "mettiamoci-la-faccia"
CLOSED_YEAR = 2025
BATCH = 200

SATISFACTION = ["accesso", "attesa", "cortesia", "competenza", "chiarezza", "ambienti"]
# How much each item matters to people, on average (1–5).
IMPORTANCE = {"accesso": 4.0, "attesa": 4.5, "cortesia": 4.1, "competenza": 4.6, "chiarezza": 4.4, "ambienti": 3.4}


@dataclass(frozen=True)
class Plan:
    status: str  # where the demo leaves the survey
    level: float  # the comune's general satisfaction (mean on 1–5)
    weak: str  # its weak point
    strong: str  # its strong point
    answers: int
    foreign: float  # share of respondents of foreign citizenship


PLANS = {
    "trento": Plan(Status.PUBLISHED, 4.05, "attesa", "cortesia", 320, 0.10),
    "bergamo": Plan(Status.PUBLISHED, 3.85, "ambienti", "competenza", 260, 0.14),
    "modena": Plan(Status.PUBLISHED, 3.75, "attesa", "chiarezza", 280, 0.15),
    "venezia": Plan(Status.PUBLISHED, 3.55, "accesso", "cortesia", 240, 0.09),
    "milano": Plan(Status.CLOSED, 3.35, "attesa", "competenza", 340, 0.22),
    "torino": Plan(Status.CLOSED, 3.50, "chiarezza", "accesso", 300, 0.16),
    "genova": Plan(Status.OPEN, 3.45, "ambienti", "cortesia", 190, 0.11),
    "bolzano": Plan(Status.OPEN, 3.95, "accesso", "ambienti", 150, 0.08),
}
DEFAULT_PLAN = Plan(Status.CLOSED, 3.7, "attesa", "cortesia", 200, 0.10)
KIOSK_COMUNE = "modena"

SUGGESTIONS = [
    "Più sportelli aperti il sabato mattina.",
    "Prenotazione online funziona bene, ma servono più appuntamenti disponibili.",
    "Il personale è stato gentilissimo, grazie!",
    "Tempi di attesa troppo lunghi, ho aspettato più di un'ora.",
    "Servirebbero più sedie nella sala d'attesa.",
    "Le informazioni sul sito non sono chiare: non sapevo quali documenti portare.",
    "Orari di apertura più ampi il pomeriggio.",
    "Ottimo servizio, veloce e preciso.",
    "Il display dei numeri non funzionava.",
    "Sarebbe utile poter chiedere i certificati via e-mail.",
    "Mi ha aiutato la signora Bianchi, chiamatemi al 333 1234567 se serve.",
    "Segnaletica poco visibile all'ingresso.",
    "Please add more information in English on the website.",
    "Carta d'identità elettronica: attesa di tre settimane per l'appuntamento.",
    "Nessun suggerimento, tutto bene.",
]
FOREIGN_LANGUAGES = ["en", "ro", "ar"]
# Comments a manager approves for publication in a closed or published demo survey.
APPROVED_COMMENTS = 6
NOT_WORTH_PUBLISHING = ["Nessun suggerimento, tutto bene."]


def _point(rng: random.Random, mean: float, sd: float, low: int, high: int) -> int:
    return max(low, min(high, round(rng.gauss(mean, sd))))


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def registry_answers(rng: random.Random, plan: Plan) -> tuple[dict, str]:
    """One respondent's answers to the registry questionnaire, and the language."""
    answers: dict[str, object] = {}
    temper = rng.gauss(0, 0.55)  # some people rate everything higher or lower
    ratings = []
    for code in SATISFACTION:
        mean = plan.level + temper + (-0.7 if code == plan.weak else 0) + (0.35 if code == plan.strong else 0)
        if code in ("competenza", "chiarezza", "ambienti") and rng.random() < 0.06:
            answers[code] = DONT_KNOW
            continue
        if rng.random() < 0.03:
            continue  # left blank
        point = _point(rng, mean, 0.85, 1, 5)
        answers[code] = point
        ratings.append(point)
        importance = IMPORTANCE[code] + (0.3 if code == plan.weak else 0)
        if rng.random() < 0.92:
            answers[f"{code}-importanza"] = _point(rng, importance, 0.7, 1, 5)
    overall_mean = (sum(ratings) / len(ratings)) if ratings else plan.level
    overall = _point(rng, overall_mean + 0.1, 0.55, 1, 5)
    answers["complessiva"] = overall
    if rng.random() < 0.9:
        answers["raccomandazione"] = _point(rng, 2.3 * overall - 2.0, 1.4, 0, 10)
    foreign = rng.random() < plan.foreign
    answers["eta"] = _pick(rng, {"18-29": 0.17, "30-44": 0.31, "45-64": 0.33, "65+": 0.19})
    answers["genere"] = _pick(rng, {"donna": 0.52, "uomo": 0.46, "altro": 0.02})
    answers["cittadinanza"] = (
        _pick(rng, {"ue": 0.35, "extra-ue": 0.65}) if foreign else "italiana"
    )
    answers["titolo-studio"] = _pick(rng, {"obbligo": 0.28, "diploma": 0.44, "laurea": 0.28})
    answers["frequenza"] = _pick(
        rng, {"prima-volta": 0.18, "raramente": 0.47, "spesso": 0.28, "ogni-mese": 0.07}
    )
    if rng.random() < 0.08:
        answers.pop(rng.choice(["eta", "genere", "titolo-studio"]))
    if rng.random() < 0.18:
        answers["suggerimenti"] = rng.choice(SUGGESTIONS)
    language = rng.choice(FOREIGN_LANGUAGES) if foreign and rng.random() < 0.4 else "it"
    return answers, language


def face_answers(rng: random.Random) -> dict:
    face = _pick(rng, {"1": 0.14, "2": 0.24, "3": 0.62})
    answers: dict[str, object] = {"faccia": face}
    if face == "1" and rng.random() < 0.85:
        answers["motivo"] = _pick(rng, {"attesa": 0.45, "personale": 0.15, "tornare": 0.25, "esito": 0.15})
    return answers


def _days(start: datetime.date, end: datetime.date):
    span = max(0, (end - start).days)
    return lambda rng: start + datetime.timedelta(days=rng.randint(0, span))


def _record(survey: Survey, batches: dict[str, list[FilledIn]]) -> int:
    total = 0
    for mode, filled in batches.items():
        for start in range(0, len(filled), BATCH):
            total += len(record_responses(survey=survey, mode=mode, questionnaires=filled[start:start + BATCH]))
    return total


def compute_results(surveys: list[Survey], users: dict | None = None) -> None:
    """The results of closed and published demo surveys (the caller acts for
    their comune): computed once — closing a survey this small has computed
    them already, a larger one would have queued the job, so they are computed
    here only when missing —, then the automatic moderation pass and a
    manager's approval of a plausible few comments (the first of each distinct
    text, up to `APPROVED_COMMENTS`, the masked ones with their masked text), so
    the members area and citizens see figures and comments; the rest stay in
    the moderation queue."""
    users = users or {}
    for survey in surveys:
        if survey.status not in (Status.CLOSED, Status.PUBLISHED):
            continue
        if not ItemResult.objects.filter(survey=survey).exists():
            results.compute_results(survey=survey)
        else:
            results.premoderate(survey=survey)
        manager = users.get(f"manager.{survey.municipality.slug}")
        pending = (
            Answer.objects.filter(survey=survey, moderation=Answer.Moderation.PENDING)
            .exclude(text="").exclude(text__in=NOT_WORTH_PUBLISHING)
            .order_by("id").values_list("public_id", "text")
        )
        seen: set[str] = set()
        for public_id, text in pending.iterator():
            if text in seen:
                continue
            seen.add(text)
            results.moderate_comment(
                survey=survey, answer_id=public_id, decision=results.APPROVE,
                seen=Answer.Moderation.PENDING, acting_user=manager,
            )
            if len(seen) >= APPROVED_COMMENTS:
                break


def registry_survey(comune: Municipality, version: QuestionnaireVersion, plan: Plan, users: dict) -> Survey | None:
    today = timezone.localdate()
    collecting = plan.status == Status.OPEN
    year = today.year if collecting else CLOSED_YEAR
    title = _("Soddisfazione degli utenti dell'anagrafe %(year)d") % {"year": year}
    if Survey.objects.filter(municipality=comune, version__questionnaire=version.questionnaire, year=year).exists():
        return None
    officer, manager = users.get(f"officer.{comune.slug}"), users.get(f"manager.{comune.slug}")
    if collecting:
        starts, ends = today - datetime.timedelta(days=25), today + datetime.timedelta(days=35)
        last_day = today
    else:
        starts, ends = datetime.date(year, 3, 1), datetime.date(year, 4, 30)
        last_day = ends
    population = round((comune.population or 100_000) * 0.35)
    survey = create_survey(
        municipality=comune, version=version, acting_user=officer, title=title, year=year,
        modes=["online", "paper", "counter"], languages=["it", "en", "ro", "ar"],
        starts_on=starts, ends_on=ends, population_served=population,
        target_sample=sample_size(population=population, confidence=95, margin=0.05),
    )
    change_status(survey=survey, to_status=Status.OPEN, acting_user=officer)
    rng = random.Random(f"anagrafe-{comune.slug}-{year}")
    day = _days(starts, last_day)
    batches: dict[str, list[FilledIn]] = {"paper": [], "online": [], "counter": []}
    for _n in range(plan.answers):
        answers, language = registry_answers(rng, plan)
        mode = _pick(rng, {"paper": 0.5, "online": 0.35, "counter": 0.15})
        if mode != "online":
            language = "it"
        number = len(batches["paper"]) + 1 if mode == "paper" else None
        batches[mode].append(FilledIn(answers, number=number, received_on=day(rng), language=language))
    _record(survey, batches)
    if plan.status in (Status.CLOSED, Status.PUBLISHED):
        change_status(survey=survey, to_status=Status.CLOSED, acting_user=officer)
    if plan.status == Status.PUBLISHED:
        change_status(survey=survey, to_status=Status.PUBLISHED, acting_user=manager)
    survey.refresh_from_db()
    return survey


def kiosk_survey(comune: Municipality, version: QuestionnaireVersion, users: dict) -> Survey | None:
    today = timezone.localdate()
    title = _("Mettiamoci la faccia allo sportello dell'anagrafe")
    if Survey.objects.filter(municipality=comune, version__questionnaire=version.questionnaire).exists():
        return None
    officer = users.get(f"officer.{comune.slug}")
    starts = today - datetime.timedelta(days=60)
    survey = create_survey(
        municipality=comune, version=version, acting_user=officer, title=title, year=today.year,
        modes=["kiosk"], languages=["it"], starts_on=starts, ends_on=None,
    )
    change_status(survey=survey, to_status=Status.OPEN, acting_user=officer)
    rng = random.Random(f"faces-{comune.slug}")
    day = _days(starts, today)
    _record(survey, {"kiosk": [FilledIn(face_answers(rng), received_on=day(rng)) for _n in range(420)]})
    return survey


@transaction.atomic
def seed(stdout=None) -> None:
    started = time.monotonic()
    load_questionnaires()
    registry = QuestionnaireVersion.objects.get(
        questionnaire__code=REGISTRY, status=QuestionnaireVersion.Status.ACTIVE
    )
    faces = QuestionnaireVersion.objects.get(
        questionnaire__code=FACES, status=QuestionnaireVersion.Status.ACTIVE
    )
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__regex=r"^(officer|manager)\.")
    }
    comuni = [
        comune for comune in Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name")
        if f"officer.{comune.slug}" in users and f"manager.{comune.slug}" in users
    ]
    made: list[Survey] = []
    for comune in comuni:
        with acting_for(comune):
            survey = registry_survey(comune, registry, PLANS.get(comune.slug, DEFAULT_PLAN), users)
            if survey is not None:
                made.append(survey)
                if survey.status in (Status.CLOSED, Status.PUBLISHED):
                    compute_results([survey], users)
            if comune.slug == KIOSK_COMUNE and (kiosk := kiosk_survey(comune, faces, users)):
                made.append(kiosk)
    if stdout is not None:
        stdout.write(
            _("Indagini: questionario dell'anagrafe in %(comuni)d comuni, %(made)d indagini nuove in %(seconds).1f s.")
            % {"comuni": len(comuni), "made": len(made), "seconds": time.monotonic() - started}
        )

