"""What changes the club's questionnaires: versions and their questions.

The versioning rule, in one place:
* a version is edited in place only while it is a **draft**. A version in use
  (active) or retired — and so every version with answers, since surveys run
  only on versions in use (`surveys.fieldwork.services.create_survey`) — is
  frozen: editing one of its questions copies the version into a new draft
  (sections and questions) and edits the copy (`edit_question`);
* one draft at a time per questionnaire;
* activating a draft retires the version in use before it; surveys keep the
  version they ran on;
* only the coordinators of the questionnaire's service's area change a
  questionnaire (`Action.MANAGE_QUESTIONNAIRES`), the club's locked core
  included; comuni add local questions to their own surveys, never here.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qclub.models import QualityDimension
from qclub.permissions import Action, can, check
from surveys.models import Question, Questionnaire, QuestionnaireVersion, Section, SurveyLanguage
from surveys.models.questionnaires import DEFAULT_LANGUAGE, QuestionKind

Status = QuestionnaireVersion.Status

# What a coordinator may change in a question of a draft.
EDITABLE_FIELDS = ("text", "help_text", "required", "allows_dont_know", "dimension", "point_labels")


def area_of(questionnaire: Questionnaire):
    return questionnaire.service.area if questionnaire.service_id else None


def can_manage(user, questionnaire: Questionnaire) -> bool:
    return can(user, Action.MANAGE_QUESTIONNAIRES, area=area_of(questionnaire))


def check_manage(user, questionnaire: Questionnaire) -> None:
    check(user, Action.MANAGE_QUESTIONNAIRES, area=area_of(questionnaire))


def is_frozen(version: QuestionnaireVersion) -> bool:
    """Whether edits to `version` must go to a new draft (see the module docstring)."""
    return version.status != Status.DRAFT


def question_fingerprint(question: Question) -> str:
    """What the person editing saw: the hidden field that detects a concurrent edit."""
    data = {name: getattr(question, name) for name in EDITABLE_FIELDS}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _copy(source: QuestionnaireVersion, *, number: int, notes: str) -> QuestionnaireVersion:
    draft = QuestionnaireVersion.objects.create(
        questionnaire=source.questionnaire, number=number, status=Status.DRAFT, notes=notes
    )
    sections = {}
    for section in Section.objects.filter(version=source).order_by("position"):
        sections[section.pk] = Section.objects.create(
            version=draft, position=section.position, title=dict(section.title)
        )
    copies: dict[int, Question] = {}
    pairs = []
    for question in Question.objects.filter(version=source).order_by("section__position", "position"):
        old_pk, importance_of = question.pk, question.importance_of_id
        question.pk = question.id = None
        question.version = draft
        question.section = sections[question.section_id]
        question.importance_of = None
        question.save()
        copies[old_pk] = question
        if importance_of:
            pairs.append((question, importance_of))
    for question, target in pairs:
        question.importance_of = copies[target]
        question.save(update_fields=["importance_of"])
    return draft


@transaction.atomic
def start_draft(*, questionnaire: Questionnaire, acting_user, notes: str = "") -> QuestionnaireVersion:
    """A new draft version, a copy of the version in use (or of the latest)."""
    check_manage(acting_user, questionnaire)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    versions = QuestionnaireVersion.objects.filter(questionnaire=locked)
    draft = versions.filter(status=Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            _("C'è già una versione in preparazione (la %(n)d): modifica quella.") % {"n": draft.number}
        )
    source = versions.filter(status=Status.ACTIVE).first() or versions.order_by("-number").first()
    if source is None:
        raise ValidationError(_("Il questionario non ha ancora nessuna versione da copiare."))
    number = (versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return _copy(source, number=number, notes=(notes or "").strip())


def _clean_texts(value, field: str, errors: dict) -> dict:
    if not isinstance(value, dict):
        errors[field] = _("I testi devono essere indicati per lingua.")
        return {}
    known = set(SurveyLanguage.objects.values_list("code", flat=True)) | {DEFAULT_LANGUAGE}
    cleaned = {code: (text or "").strip() for code, text in value.items() if code in known}
    return {code: text for code, text in cleaned.items() if text}


@transaction.atomic
def edit_question(*, question: Question, acting_user, seen: str | None = None, **changes) -> Question:
    """Change a question's texts and settings (`EDITABLE_FIELDS`). On a draft
    the question itself changes; on a frozen version the change goes to the
    questionnaire's draft (made now, a copy, if there is none) and the
    version in use stays as it was. `seen`: the fingerprint the form was
    loaded with; a different one means someone else changed it meanwhile.
    Returns the question that was changed."""
    questionnaire = question.version.questionnaire
    check_manage(acting_user, questionnaire)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Questi dati di una domanda non si possono modificare qui."))
    target = Question.objects.select_for_update().select_related("version").get(pk=question.pk)
    if is_frozen(target.version):
        # The change goes to the draft (a fresh copy, or the one under way:
        # then `seen` must match the draft's question, or someone changed it).
        draft = QuestionnaireVersion.objects.filter(questionnaire=questionnaire, status=Status.DRAFT).first()
        if draft is None:
            draft = start_draft(questionnaire=questionnaire, acting_user=acting_user)
        target = Question.objects.select_for_update().select_related("version").filter(
            version=draft, code=question.code
        ).first()
        if target is None:
            raise ValidationError(_("La versione in preparazione non ha più questa domanda."))
    if seen is not None and seen != question_fingerprint(target):
        raise ValidationError(
            _("Nel frattempo qualcun altro ha modificato questa domanda: le tue modifiche non sono "
              "state salvate. Ricarica la pagina per vedere i valori attuali.")
        )
    errors: dict[str, str] = {}
    for field in ("text", "help_text"):
        if field in changes:
            changes[field] = _clean_texts(changes[field], field, errors)
    if "text" in changes and not changes["text"].get(DEFAULT_LANGUAGE):
        errors["text"] = _("Manca il testo in italiano.")
    if changes.get("dimension") and changes["dimension"] not in QualityDimension.values:
        errors["dimension"] = _("Dimensione della qualità sconosciuta.")
    if (
        "dimension" in changes and not changes["dimension"]
        and target.kind == QuestionKind.RATING and target.role != Question.Role.RECOMMEND
        and not target.role
    ):
        errors["dimension"] = _("Una voce di soddisfazione si riferisce a una dimensione della qualità.")
    if "point_labels" in changes and target.is_scale:
        labels = changes["point_labels"]
        points = {str(p) for p in range(target.scale_min, target.scale_max + 1)}
        if not isinstance(labels, dict) or set(labels) != points or not all(
            isinstance(texts, dict) and (texts.get(DEFAULT_LANGUAGE) or "").strip() for texts in labels.values()
        ):
            errors["point_labels"] = _("Ogni punto della scala ha un'etichetta, almeno in italiano.")
    if errors:
        raise ValidationError(errors)
    for field, value in changes.items():
        setattr(target, field, value)
    target.full_clean(exclude=["section", "version", "importance_of", "service"])
    target.save()
    return target


@transaction.atomic
def update_notes(*, version: QuestionnaireVersion, notes: str, acting_user) -> QuestionnaireVersion:
    check_manage(acting_user, version.questionnaire)
    locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if is_frozen(locked):
        raise ValidationError(_("Si modificano solo le versioni in preparazione."))
    locked.notes = (notes or "").strip()
    locked.save(update_fields=["notes"])
    return locked


def version_problems(version: QuestionnaireVersion) -> list[str]:
    """What keeps a version from being used: every question valid, importance
    items paired with a satisfaction item of the same version."""
    problems = []
    questions = list(Question.objects.filter(version=version).select_related("importance_of"))
    if not questions:
        problems.append(_("La versione non ha domande."))
    for question in questions:
        try:
            question.clean()
        except ValidationError as error:
            problems.extend(f"«{question}»: {message}" for message in error.messages)
        if question.kind == QuestionKind.IMPORTANCE and (
            question.importance_of is None or question.importance_of.version_id != version.pk
        ):
            problems.append(
                _("«%(q)s»: l'importanza non è collegata a una voce di soddisfazione.") % {"q": question}
            )
    return problems


@transaction.atomic
def activate(*, version: QuestionnaireVersion, acting_user) -> QuestionnaireVersion:
    """Put a draft in use; the version in use before it is retired (surveys that
    ran on it keep it)."""
    check_manage(acting_user, version.questionnaire)
    Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != Status.DRAFT:
        raise ValidationError(_("Si mette in uso solo una versione in preparazione."))
    problems = version_problems(locked)
    if problems:
        raise ValidationError(problems)
    QuestionnaireVersion.objects.filter(
        questionnaire_id=locked.questionnaire_id, status=Status.ACTIVE
    ).update(status=Status.RETIRED)
    locked.status = Status.ACTIVE
    locked.save(update_fields=["status"])
    return locked
