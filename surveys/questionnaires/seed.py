"""The club's shipped questionnaires, loaded from data files.

`data/languages.yaml` lists the languages questionnaires are offered in;
every other `data/*.yaml` is one questionnaire (the shared registry-office
questionnaire `anagrafe.yaml`, the "Mettiamoci la faccia" kiosk `faces.yaml`).
`read_questionnaires` parses and checks every file (codes unique, scales set
with a label for every point, importance items paired with a satisfaction
item, satisfaction items with a service and a quality dimension, every text
in every language the questionnaire declares) and raises `QuestionnaireFileError`
naming each problem; only then does `load_questionnaires` write.

Idempotent: languages are updated in place; a questionnaire already in the
database is left as it is (from then on the club's coordinators change it in
new versions, on the questionnaire pages), a missing one is created with
version 1 in use. Called by `manage.py load_questionnaires` and the demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from qclub.models import QualityDimension, Service
from surveys.models import (
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    SurveyLanguage,
)
from surveys.models.questionnaires import CHOICE_KINDS, DEFAULT_LANGUAGE, SCALE_KINDS

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES_FILE = "languages.yaml"

QUESTIONNAIRE_KEYS = {
    "code", "kind", "locked", "service", "languages", "title", "description", "notes",
    "scales", "sections",
}
SECTION_KEYS = {"title", "questions"}
QUESTION_KEYS = {
    "code", "kind", "text", "help_text", "required", "scale", "allows_dont_know", "options",
    "role", "profile", "service", "dimension", "importance_of", "number_min", "number_max",
}
ROLES = {value for value in Question.Role.values if value}
PROFILES = {value for value in Question.Profile.values if value}


class QuestionnaireFileError(ValueError):
    """A questionnaire file is malformed or inconsistent; nothing was written."""


@dataclass
class LoadResult:
    languages: int = 0
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


# --- Reading and checking -------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (safe loaders only)
    except OSError as error:
        raise QuestionnaireFileError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise QuestionnaireFileError(f"{path} is not UTF-8 text") from None
    except yaml.YAMLError as error:
        raise QuestionnaireFileError(f"{path} is not valid YAML: {error}") from None


def read_questionnaires(directory: Path | str = DATA_DIR) -> tuple[list[dict], list[dict]]:
    """(languages, questionnaires) from `directory`, every file checked;
    QuestionnaireFileError lists every problem found."""
    directory = Path(directory)
    problems: list[str] = []
    languages = _read_yaml(directory / LANGUAGES_FILE)
    language_rows = _check_languages(languages, problems)
    known = {row["code"] for row in language_rows}
    questionnaires = []
    codes: set[str] = set()
    for path in sorted(directory.glob("*.yaml")):
        if path.name == LANGUAGES_FILE:
            continue
        document = _read_yaml(path)
        label = path.name
        if not isinstance(document, dict):
            problems.append(f"{label}: expected a mapping")
            continue
        check_questionnaire(document, known_languages=known, problems=problems, label=label)
        code = document.get("code")
        if code in codes:
            problems.append(f"{label}: questionnaire code {code!r} used twice")
        codes.add(code)
        questionnaires.append(document)
    if problems:
        raise QuestionnaireFileError("\n".join(problems))
    return language_rows, questionnaires


def _check_languages(document: Any, problems: list[str]) -> list[dict]:
    rows = document.get("languages") if isinstance(document, dict) else None
    if not isinstance(rows, list) or not rows:
        problems.append(f"{LANGUAGES_FILE}: expected a list under 'languages'")
        return []
    seen: set[str] = set()
    good = []
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("code"), str) or not isinstance(row.get("name"), str):
            problems.append(f"{LANGUAGES_FILE}: language #{number} needs a code and a name")
            continue
        unknown = set(row) - {"code", "name", "right_to_left", "position"}
        if unknown:
            problems.append(f"{LANGUAGES_FILE}: language {row['code']}: unknown keys {sorted(unknown)}")
        if row["code"] in seen:
            problems.append(f"{LANGUAGES_FILE}: language {row['code']} listed twice")
        seen.add(row["code"])
        good.append(row)
    if DEFAULT_LANGUAGE not in seen:
        problems.append(f"{LANGUAGES_FILE}: Italian ({DEFAULT_LANGUAGE}) must be listed")
    return good


def _check_texts(value: Any, languages: list[str], where: str, problems: list[str], *, required=True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        problems.append(f"{where}: expected a text per language")
        return
    missing = [code for code in languages if not (value.get(code) or "").strip()]
    if missing:
        problems.append(f"{where}: missing text in {', '.join(missing)}")
    extra = sorted(set(value) - set(languages))
    if extra:
        problems.append(f"{where}: text in undeclared languages {', '.join(extra)}")


def check_questionnaire(document: dict, *, known_languages: set[str], problems: list[str], label: str) -> None:
    """Every problem of one questionnaire document goes to `problems`."""
    code = document.get("code")
    where = f"{label} ({code})" if isinstance(code, str) else label
    for key in sorted(set(document) - QUESTIONNAIRE_KEYS):
        problems.append(f"{where}: unknown key {key!r}")
    if not isinstance(code, str) or not code:
        problems.append(f"{where}: missing code")
    if document.get("kind", Questionnaire.Kind.STANDARD) not in Questionnaire.Kind.values:
        problems.append(f"{where}: unknown kind {document.get('kind')!r}")
    languages = document.get("languages")
    if not isinstance(languages, list) or DEFAULT_LANGUAGE not in languages:
        problems.append(f"{where}: 'languages' must list the languages, Italian included")
        languages = [DEFAULT_LANGUAGE]
    for language in languages:
        if language not in known_languages:
            problems.append(f"{where}: language {language!r} is not in {LANGUAGES_FILE}")
    _check_texts(document.get("title"), languages, f"{where}: title", problems)
    _check_texts(document.get("description"), languages, f"{where}: description", problems, required=False)
    scales = document.get("scales") or {}
    if not isinstance(scales, dict):
        problems.append(f"{where}: 'scales' must be a mapping")
        scales = {}
    for name, scale in scales.items():
        _check_scale(scale, languages, f"{where}: scale {name}", problems)
    sections = document.get("sections")
    if not isinstance(sections, list) or not sections:
        problems.append(f"{where}: expected a list of sections")
        return
    questions: dict[str, dict] = {}
    for number, section in enumerate(sections, 1):
        section_where = f"{where}: section {number}"
        if not isinstance(section, dict):
            problems.append(f"{section_where}: expected a mapping")
            continue
        for key in sorted(set(section) - SECTION_KEYS):
            problems.append(f"{section_where}: unknown key {key!r}")
        _check_texts(section.get("title"), languages, f"{section_where}: title", problems)
        items = section.get("questions")
        if not isinstance(items, list) or not items:
            problems.append(f"{section_where}: expected a list of questions")
            continue
        for position, question in enumerate(items, 1):
            if not isinstance(question, dict) or not isinstance(question.get("code"), str):
                problems.append(f"{section_where}: question #{position} needs a code")
                continue
            if question["code"] in questions:
                problems.append(f"{where}: question code {question['code']!r} used twice")
            questions[question["code"]] = question
            _check_question(question, document, scales, languages, f"{where}: question {question['code']}", problems)
    _check_pairs_and_roles(questions, where, problems)


def _check_scale(scale: Any, languages: list[str], where: str, problems: list[str]) -> None:
    if not isinstance(scale, dict) or not isinstance(scale.get("min"), int) or not isinstance(scale.get("max"), int):
        problems.append(f"{where}: needs a whole-number min and max")
        return
    if scale["min"] >= scale["max"]:
        problems.append(f"{where}: min must be below max")
        return
    labels = scale.get("labels")
    if not isinstance(labels, dict):
        problems.append(f"{where}: needs a label for every point")
        return
    points = set(range(scale["min"], scale["max"] + 1))
    given = {int(key) for key in labels if str(key).lstrip("-").isdigit()}
    if given != points or len(labels) != len(points):
        problems.append(f"{where}: labels must be given for exactly the points {scale['min']}–{scale['max']}")
    for point, texts in labels.items():
        _check_texts(texts, languages, f"{where}: point {point}", problems)


def _check_question(question, document, scales, languages, where, problems) -> None:
    for key in sorted(set(question) - QUESTION_KEYS):
        problems.append(f"{where}: unknown key {key!r}")
    kind = question.get("kind")
    if kind not in QuestionKind.values:
        problems.append(f"{where}: unknown kind {kind!r}")
        return
    _check_texts(question.get("text"), languages, f"{where}: text", problems)
    _check_texts(question.get("help_text"), languages, f"{where}: help_text", problems, required=False)
    role = question.get("role", "")
    if role and role not in ROLES:
        problems.append(f"{where}: unknown role {role!r}")
    if kind in SCALE_KINDS or role:
        if question.get("scale") not in scales:
            problems.append(f"{where}: a scale question needs a scale of the questionnaire")
    elif "scale" in question:
        problems.append(f"{where}: only rating and importance questions have a scale")
    if kind in CHOICE_KINDS:
        options = question.get("options")
        if not isinstance(options, list) or not options:
            problems.append(f"{where}: needs options")
        else:
            codes = [option.get("code") if isinstance(option, dict) else None for option in options]
            if not all(isinstance(c, str) and c for c in codes) or len(set(codes)) != len(codes):
                problems.append(f"{where}: options need distinct codes")
            for option in options:
                if isinstance(option, dict):
                    _check_texts(option.get("label"), languages, f"{where}: option {option.get('code')}", problems)
    elif "options" in question:
        problems.append(f"{where}: only choice and profile questions have options")
    profile = question.get("profile", "")
    if kind == QuestionKind.PROFILE and profile not in PROFILES:
        problems.append(f"{where}: a profile question names its profile ({', '.join(sorted(PROFILES))})")
    if kind != QuestionKind.PROFILE and profile:
        problems.append(f"{where}: only profile questions name a profile")
    dimension = question.get("dimension", "")
    if dimension and dimension not in QualityDimension.values:
        problems.append(f"{where}: unknown quality dimension {dimension!r}")
    if kind == QuestionKind.RATING and role != Question.Role.RECOMMEND:
        if not (question.get("service") or document.get("service")):
            problems.append(f"{where}: a satisfaction item refers to a service")
        if not dimension:
            problems.append(f"{where}: a satisfaction item refers to a quality dimension")
    if kind == QuestionKind.IMPORTANCE and not question.get("importance_of"):
        problems.append(f"{where}: an importance item names the satisfaction item it weighs (importance_of)")
    if kind != QuestionKind.IMPORTANCE and question.get("importance_of"):
        problems.append(f"{where}: only importance items have importance_of")
    for flag in ("required", "allows_dont_know"):
        if flag in question and not isinstance(question[flag], bool):
            problems.append(f"{where}: {flag} must be true or false")


def _check_pairs_and_roles(questions: dict[str, dict], where: str, problems: list[str]) -> None:
    paired: dict[str, str] = {}
    for code, question in questions.items():
        target = question.get("importance_of")
        if not target:
            continue
        satisfaction = questions.get(target)
        if satisfaction is None or satisfaction.get("kind") != QuestionKind.RATING or satisfaction.get("role"):
            problems.append(f"{where}: question {code}: importance_of must name a satisfaction item, not {target!r}")
        elif target in paired:
            problems.append(f"{where}: {target} is weighed twice ({paired[target]}, {code})")
        paired[target] = code
    for role in ROLES:
        holders = [code for code, question in questions.items() if question.get("role") == role]
        if len(holders) > 1:
            problems.append(f"{where}: role {role} given to {', '.join(holders)}: one question at most")


# --- Writing -------------------------------------------------------------------------


def _services(questionnaires: list[dict]) -> dict[str, Service]:
    wanted = {document["service"] for document in questionnaires if document.get("service")}
    for document in questionnaires:
        for section in document["sections"]:
            wanted |= {q["service"] for q in section["questions"] if q.get("service")}
    found = {service.code: service for service in Service.objects.filter(code__in=wanted)}
    missing = sorted(wanted - set(found))
    if missing:
        raise QuestionnaireFileError(
            f"services {', '.join(missing)} are not in the taxonomy: load them first "
            "(manage.py load_catalogue or seed_demo)"
        )
    return found


def _scale_fields(question: dict, scales: dict) -> dict:
    scale = scales.get(question.get("scale")) if question.get("scale") else None
    if scale is None:
        return {}
    return {
        "scale_min": scale["min"],
        "scale_max": scale["max"],
        "point_labels": {str(point): dict(texts) for point, texts in scale["labels"].items()},
    }


def create_version(questionnaire: Questionnaire, document: dict, services: dict[str, Service]) -> QuestionnaireVersion:
    """Version 1 of `questionnaire`, in use, from a checked document."""
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, status=QuestionnaireVersion.Status.ACTIVE,
        notes=document.get("notes", ""),
    )
    scales = document.get("scales") or {}
    default_service = services.get(document.get("service"))
    created: dict[str, Question] = {}
    pairs: list[tuple[Question, str]] = []
    for section_position, spec in enumerate(document["sections"], 1):
        section = Section.objects.create(version=version, position=section_position, title=dict(spec["title"]))
        for position, item in enumerate(spec["questions"], 1):
            kind = item["kind"]
            service = services.get(item.get("service")) if item.get("service") else None
            if service is None and kind == QuestionKind.RATING and item.get("role") != Question.Role.RECOMMEND:
                service = default_service
            question = Question(
                version=version, section=section, position=position, code=item["code"], kind=kind,
                text=dict(item["text"]), help_text=dict(item.get("help_text") or {}),
                required=item.get("required", False),
                allows_dont_know=item.get("allows_dont_know", kind not in (QuestionKind.TEXT, QuestionKind.MULTIPLE)),
                options=[{"code": o["code"], "label": dict(o["label"])} for o in item.get("options") or ()],
                number_min=item.get("number_min"), number_max=item.get("number_max"),
                role=item.get("role", ""), profile=item.get("profile", ""),
                service=service, dimension=item.get("dimension", ""),
                **_scale_fields(item, scales),
            )
            question.full_clean(exclude=["section", "version", "importance_of", "service"])
            question.save()
            created[item["code"]] = question
            if item.get("importance_of"):
                pairs.append((question, item["importance_of"]))
    for question, target in pairs:
        question.importance_of = created[target]
        question.save(update_fields=["importance_of"])
    return version


@transaction.atomic
def load_questionnaires(directory: Path | str = DATA_DIR) -> LoadResult:
    """Read, check, then write the languages and any shipped questionnaire not
    yet in the database (see the module docstring)."""
    languages, questionnaires = read_questionnaires(directory)
    services = _services(questionnaires)
    result = LoadResult()
    for row in languages:
        SurveyLanguage.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "right_to_left": row.get("right_to_left", False),
                "position": row.get("position", 0),
            },
        )
        result.languages += 1
    for document in questionnaires:
        questionnaire, created = Questionnaire.objects.get_or_create(
            code=document["code"],
            defaults={
                "title": dict(document["title"]),
                "description": dict(document.get("description") or {}),
                "service": services.get(document.get("service")),
                "kind": document.get("kind", Questionnaire.Kind.STANDARD),
                "locked": document.get("locked", False),
            },
        )
        if created or not questionnaire.versions.exists():
            create_version(questionnaire, document, services)
            result.created.append(questionnaire.code)
        else:
            result.kept.append(questionnaire.code)
    return result
