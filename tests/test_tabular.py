"""The core's safe reader of uploaded tables (qclub/tabular.py), shared by every
file import: the separator sniffed on the header, instructions skipped, the
formula guard. Its resource limits are proven through both importers'
suites (benchmarking/tests/collection/test_xlsx_bounds.py,
surveys/tests/counter/test_imports.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qclub import tabular


def read(text: str, name="dati.csv"):
    return tabular.read_upload(SimpleUploadedFile(name, text.encode("utf-8")))


@pytest.mark.parametrize(
    ("text", "header"),
    [
        ("a;b;c\n1;2;3\n", ["a", "b", "c"]),
        ("a,b,c\n1,2,3\n", ["a", "b", "c"]),
        ("a\tb\tc\n1\t2\t3\n", ["a", "b", "c"]),
        ('"Come valuta; il servizio",b,c\n1,2,3\n', ["Come valuta; il servizio", "b", "c"]),
        ("# istruzioni\n\na;b;c\n1;2;3\n", ["a", "b", "c"]),
    ],
)
def test_the_separator_is_the_headers(text, header):
    table = read(text)
    assert table.header == header
    assert table.rows[0][1] == ["1", "2", "3"]


def test_line_numbers_are_the_files():
    table = read("a;b\n\n1;2\n\n3;4\n")
    assert [line for line, _cells in table.rows] == [3, 5]


def test_a_file_without_a_header_or_empty_or_foreign_is_refused():
    with pytest.raises(tabular.FileRefused, match="intestazione"):
        read("# solo istruzioni\n")
    with pytest.raises(tabular.FileRefused, match="vuoto"):
        read("")
    with pytest.raises(tabular.FileRefused, match="CSV"):
        read("a;b", name="dati.pdf")


@pytest.mark.parametrize("text", ["=1+1", "  =somma", "\n@sede", "+39", "-2", "\tx"])
def test_formula_guard(text):
    assert tabular.runs_as_formula(text)
    assert tabular.neutralise(text) == "'" + text


def test_plain_text_is_no_formula():
    assert not tabular.runs_as_formula("ok = giusto")
    assert tabular.neutralise("ok = giusto") == "ok = giusto"


def test_rows_wider_than_the_bound_are_refused():
    wide = ";".join(f"c{n}" for n in range(41))
    with pytest.raises(tabular.FileRefused, match="più di 40 colonne"):
        read(wide + "\n")
    table = tabular.read_upload(SimpleUploadedFile("a.csv", (wide + "\n" + wide + "\n").encode()), max_columns=60)
    assert len(table.header) == 41
