"""The shipped questionnaires load, are consistent, and loading is idempotent;
a malformed file writes nothing and names each problem."""

import shutil

import pytest

from surveys.models import (
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    SurveyLanguage,
)
from surveys.questionnaires.seed import (
    DATA_DIR,
    QuestionnaireFileError,
    load_questionnaires,
    read_questionnaires,
)
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anagrafe():
    return ServiceFactory(code="anagrafe", name="Anagrafe centrale")


def test_the_shipped_files_are_consistent():
    languages, questionnaires = read_questionnaires()
    assert {row["code"] for row in languages} >= {"it", "en", "ro", "ar"}
    assert {q["code"] for q in questionnaires} == {"anagrafe-club", "mettiamoci-la-faccia"}


def test_the_registry_questionnaire_loads_with_every_part(anagrafe):
    result = load_questionnaires()
    assert sorted(result.created) == ["anagrafe-club", "mettiamoci-la-faccia"]
    assert SurveyLanguage.objects.get(code="ar").right_to_left
    questionnaire = Questionnaire.objects.get(code="anagrafe-club")
    assert questionnaire.locked and questionnaire.service == anagrafe
    version = questionnaire.versions.get()
    assert version.number == 1 and version.status == QuestionnaireVersion.Status.ACTIVE
    questions = {q.code: q for q in Question.objects.filter(version=version)}
    satisfaction = ["accesso", "attesa", "cortesia", "competenza", "chiarezza", "ambienti"]
    for code in satisfaction:
        item = questions[code]
        assert item.kind == QuestionKind.RATING and item.service == anagrafe and item.dimension
        assert set(item.point_labels) == {"1", "2", "3", "4", "5"}
        assert all(set(label) == {"it", "en", "ro", "ar"} for label in item.point_labels.values())
        importance = questions[f"{code}-importanza"]
        assert importance.kind == QuestionKind.IMPORTANCE and importance.importance_of == item
    assert questions["complessiva"].role == Question.Role.OVERALL
    recommend = questions["raccomandazione"]
    assert recommend.role == Question.Role.RECOMMEND and (recommend.scale_min, recommend.scale_max) == (0, 10)
    assert len(recommend.point_labels) == 11
    assert {q.profile for q in questions.values() if q.kind == QuestionKind.PROFILE} == {
        "age_band", "gender", "citizenship", "education", "frequency",
    }
    assert questions["suggerimenti"].kind == QuestionKind.TEXT
    assert all(set(q.text) == {"it", "en", "ro", "ar"} for q in questions.values())


def test_the_faces_questionnaire(anagrafe):
    load_questionnaires()
    questionnaire = Questionnaire.objects.get(code="mettiamoci-la-faccia")
    assert questionnaire.kind == Questionnaire.Kind.FACES
    face, reason = Question.objects.filter(version__questionnaire=questionnaire).order_by("position")
    assert (face.code, face.scale_min, face.scale_max) == ("faccia", 1, 3)
    assert face.point_labels["1"]["it"] == "Negativo" and face.point_labels["3"]["it"] == "Positivo"
    assert reason.option_codes == ["attesa", "personale", "tornare", "esito"]


def test_loading_twice_changes_nothing(anagrafe):
    load_questionnaires()
    counts = (Questionnaire.objects.count(), QuestionnaireVersion.objects.count(), Question.objects.count())
    result = load_questionnaires()
    assert result.created == [] and sorted(result.kept) == ["anagrafe-club", "mettiamoci-la-faccia"]
    assert counts == (Questionnaire.objects.count(), QuestionnaireVersion.objects.count(), Question.objects.count())


def test_without_the_service_nothing_is_written():
    with pytest.raises(QuestionnaireFileError, match="anagrafe"):
        load_questionnaires()
    assert not Questionnaire.objects.exists() and not SurveyLanguage.objects.exists()


def test_an_inconsistent_file_is_refused_naming_each_problem(tmp_path, anagrafe):
    for path in DATA_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    text = (tmp_path / "anagrafe.yaml").read_text(encoding="utf-8")
    text = text.replace("importance_of: attesa\n", "importance_of: eta\n", 1)
    text = text.replace("      - code: competenza\n", "      - code: cortesia\n", 1)
    text = text.replace("    max: 5\n", "    max: 6\n", 1)
    text = text.replace("          ro: Timpul de așteptare până ați fost servit\n", "", 1)
    (tmp_path / "anagrafe.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireFileError) as refused:
        load_questionnaires(tmp_path)
    message = str(refused.value)
    assert "importance_of must name a satisfaction item" in message
    assert "question code 'cortesia' used twice" in message
    assert "scale satisfaction: labels must be given for exactly the points 1–6" in message
    assert "question attesa: text: missing text in ro" in message
    assert not Questionnaire.objects.exists()
