"""Answer files: upload → columns matched to questions (and values to options,
"Molto soddisfatto" → 5) → preview with line-by-line errors → confirm; nothing
written unless the whole file is good; the shared reader's limits; another
comune's or person's file is 404."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from qclub.tenancy import acting_for
from surveys.counter import imports
from surveys.models import Answer, PendingAnswerImport, Question, Response
from tests.factories import officer_of

pytestmark = pytest.mark.django_db

HEADER = "Numero;Tempo di attesa;Soddisfazione complessiva;Età;Canali usati;Note interne"
GOOD_LINES = [
    "101;4;Molto soddisfatto;35–64 anni;Sito web, Sportello;a",
    "102;Non so;Per niente soddisfatto;65+;Telefono;b",
    "103;5;3;18–34 anni;;c",
]


@pytest.fixture
def officer(comune_a):
    return officer_of(comune_a)


@pytest.fixture
def labelled(paper_survey):
    """The overall item's points carry words, as an export writes them."""
    Question.objects.filter(version=paper_survey.version, code="complessiva").update(
        point_labels={"1": {"it": "Per niente soddisfatto"}, "5": {"it": "Molto soddisfatto"}}
    )
    return paper_survey


def csv_upload(*lines, header=HEADER, name="risposte.csv"):
    text = "\n".join([header, *lines]) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"))


def upload_url(survey):
    return reverse("surveys:counter_import", args=[survey.public_id])


def staged(client, survey, upload):
    response = client.post(upload_url(survey), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def answers_count(comune, survey):
    with acting_for(comune):
        return Response.objects.filter(survey=survey).count(), Answer.objects.filter(survey=survey).count()


def test_columns_and_values_are_matched_and_a_good_file_writes_everything(client, comune_a, officer, labelled):
    client.force_login(officer)
    review = staged(client, labelled, csv_upload(*GOOD_LINES))
    with acting_for(comune_a):
        pending = PendingAnswerImport.objects.get()
    assert pending.mapping == {
        "0": imports.NUMBER, "1": "attesa", "2": "complessiva", "3": "eta", "4": "canali", "5": "",
    }
    assert pending.value_maps["2"] == {"Molto soddisfatto": "5", "Per niente soddisfatto": "1"}
    assert pending.value_maps["1"] == {"Non so": "dk"}
    assert pending.value_maps["3"]["35–64 anni"] == "35-64"
    assert pending.value_maps["4"] == {"Sito web": "web", "Sportello": "counter", "Telefono": "phone"}
    page = client.get(review).content.decode()
    assert "3 questionari pronti da importare" in page
    assert answers_count(comune_a, labelled) == (0, 0)  # nothing written before the confirmation
    done = client.post(review, {"azione": "conferma"})
    assert done.status_code == 302
    with acting_for(comune_a):
        responses = {r.number: r for r in Response.objects.filter(survey=labelled)}
        first = {a.question.code: a for a in Answer.objects.filter(response=responses[101])}
        second = {a.question.code: a for a in Answer.objects.filter(response=responses[102])}
        assert not PendingAnswerImport.objects.exists()
    assert set(responses) == {101, 102, 103} and {r.mode for r in responses.values()} == {"import"}
    assert first["complessiva"].number == 5 and first["canali"].choices == ["web", "counter"]
    assert second["attesa"].dont_know and second["eta"].choice == "65+"


def test_errors_are_listed_by_line_and_question_and_nothing_is_written(client, comune_a, officer, labelled):
    client.force_login(officer)
    review = staged(client, labelled, csv_upload(
        *GOOD_LINES, "104;9;Abbastanza;35–64 anni;;", "101;3;4;;;",
    ))
    response = client.get(review)
    page = response.content.decode()
    assert "Conferma e importa" not in page
    table = page.split('id="import-errors"')[1].split("</table>")[0]
    assert "<td>5</td><td>Tempo di attesa</td><td>Indicare un valore intero da 1 a 5.</td>" in table
    assert "<td>5</td><td>Soddisfazione complessiva</td>" in table
    assert "<td>6</td>" in table and "numero 101 è già stato registrato" in table
    # Confirming anyway (a forged post) is refused too, whole.
    refused = client.post(review, {"azione": "conferma"})
    assert refused.status_code == 400
    assert answers_count(comune_a, labelled) == (0, 0)


def test_a_value_the_file_words_differently_is_mapped_by_hand(client, comune_a, officer, labelled):
    client.force_login(officer)
    review = staged(client, labelled, csv_upload("201;4;Abbastanza;;;", "202;2;Molto soddisfatto;;;"))
    page = client.get(review).content.decode()
    assert "<td>2</td><td>Soddisfazione complessiva</td><td>Indicare un punto della scala.</td>" in page
    with acting_for(comune_a):
        pending = PendingAnswerImport.objects.get()
    values = imports.distinct_values(pending, 2)
    form = {f"col-{i}": target for i, target in pending.mapping.items()}
    form[f"val-2-{values.index('Abbastanza')}"] = "4"
    form[f"val-2-{values.index('Molto soddisfatto')}"] = "5"
    form["col-5"] = ""  # the notes stay out
    assert client.post(review, {**form, "azione": "abbina"}).status_code == 302
    assert "2 questionari pronti da importare" in client.get(review).content.decode()
    client.post(review, {"azione": "conferma"})
    with acting_for(comune_a):
        numbers = sorted(
            Answer.objects.filter(survey=labelled, question__code="complessiva").values_list("number", flat=True)
        )
    assert numbers == [4, 5]


def test_one_question_takes_one_column(client, comune_a, officer, labelled):
    client.force_login(officer)
    review = staged(client, labelled, csv_upload(*GOOD_LINES))
    with acting_for(comune_a):
        pending = PendingAnswerImport.objects.get()
    form = {f"col-{i}": target for i, target in pending.mapping.items()}
    form["col-5"] = "attesa"
    response = client.post(review, {**form, "azione": "abbina"})
    assert response.status_code == 400
    assert 'id="col-5-error"' in response.content.decode()


def test_an_unreadable_file_is_refused_with_the_shared_readers_words(client, comune_a, officer, labelled):
    client.force_login(officer)
    latin1 = SimpleUploadedFile("risposte.csv", "Età;Note\nè;à\n".encode("latin-1"))
    response = client.post(upload_url(labelled), {"file": latin1})
    assert response.status_code == 400 and "non è in UTF-8" in response.content.decode()
    assert client.post(upload_url(labelled), {}).status_code == 400
    with acting_for(comune_a):
        assert not PendingAnswerImport.objects.exists()


def test_a_comma_separated_export_is_read(client, comune_a, officer, labelled):
    client.force_login(officer)
    review = staged(client, labelled, csv_upload('"101",4,"Molto soddisfatto"', header="numero,attesa,complessiva"))
    assert "1 questionario pronto da importare" in client.get(review).content.decode()


def bomb_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["attesa"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData><row><c t=\"inlineStr\"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>"
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = laughs if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item, data)
    return out.getvalue()


def test_an_xlsx_bomb_is_refused_by_the_shared_reader_before_parsing(client, comune_a, officer, labelled, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl must not parse a refused file")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    client.force_login(officer)
    response = client.post(upload_url(labelled), {"file": SimpleUploadedFile("bomba.xlsx", bomb_xlsx())})
    assert response.status_code == 400
    assert "non validi o non ammessi" in response.content.decode()
    with acting_for(comune_a):
        assert not PendingAnswerImport.objects.exists()


def test_a_good_xlsx_is_read(client, comune_a, officer, labelled):
    workbook = Workbook()
    workbook.active.append(["Numero", "Soddisfazione complessiva"])
    workbook.active.append([7, "Molto soddisfatto"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(officer)
    review = staged(client, labelled, SimpleUploadedFile("risposte.xlsx", buffer.getvalue()))
    client.post(review, {"azione": "conferma"})
    with acting_for(comune_a):
        assert list(Response.objects.filter(survey=labelled).values_list("number", flat=True)) == [7]


def test_another_persons_or_comunes_pending_file_is_404(client, comune_a, comune_b, officer, labelled, paper_survey_b):
    client.force_login(officer)
    review = staged(client, labelled, csv_upload(*GOOD_LINES))
    client.force_login(officer_of(comune_a))
    assert client.get(review).status_code == 404
    assert client.post(review, {"azione": "conferma"}).status_code == 404
    client.force_login(officer_of(comune_b))
    assert client.get(review).status_code == 404
    with acting_for(comune_a):
        pending = PendingAnswerImport.objects.get()
    other = reverse("surveys:counter_import_review", args=[paper_survey_b.public_id, pending.public_id])
    assert client.get(other).status_code == 404
    assert answers_count(comune_a, labelled) == (0, 0)


def test_a_file_with_too_many_answers_for_one_request_is_refused(client, comune_a, officer, labelled, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ANSWERS", 5)
    client.force_login(officer)
    review = staged(client, labelled, csv_upload(*GOOD_LINES))
    page = client.get(review).content.decode()
    assert "se ne importano al massimo 5 alla volta" in page and "Conferma e importa" not in page
    assert client.post(review, {"azione": "conferma"}).status_code == 400
    assert answers_count(comune_a, labelled) == (0, 0)


def test_a_wide_export_with_the_tools_own_columns_is_read(client, comune_a, officer, labelled):
    """Survey tools add columns of their own (id, dates, language, ...): wider
    than benchmarking's template, still bounded."""
    workbook = Workbook()
    extra = [f"campo{n}" for n in range(60)]
    workbook.active.append(["Numero", "Soddisfazione complessiva", *extra])
    workbook.active.append([9, "Molto soddisfatto", *["x"] * 60])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(officer)
    review = staged(client, labelled, SimpleUploadedFile("export.xlsx", buffer.getvalue()))
    assert "1 questionario pronto da importare" in client.get(review).content.decode()


def test_a_local_question_removed_after_mapping_is_reported_not_a_server_error(client, comune_a, officer, labelled):
    from surveys.models import LocalQuestion

    with acting_for(comune_a):
        LocalQuestion.objects.create(
            municipality=comune_a, survey=labelled, position=1, code="parcheggio", kind="rating",
            text={"it": "Parcheggio"}, scale_min=1, scale_max=5,
        )
    client.force_login(officer)
    review = staged(client, labelled, csv_upload("1;4", header="numero;parcheggio"))
    assert "1 questionario pronto da importare" in client.get(review).content.decode()
    with acting_for(comune_a):
        LocalQuestion.objects.all().delete()
    page = client.get(review)
    assert page.status_code == 200 and "non c&#x27;è più" in page.content.decode()
    assert client.post(review, {"azione": "conferma"}).status_code == 400
    assert answers_count(comune_a, labelled) == (0, 0)
