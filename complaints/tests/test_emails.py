"""The e-mails a citizen receives name the person (or greet politely without one)."""

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string


@pytest.mark.parametrize("template", ["complaints/email/receipt.txt", "complaints/email/answer.txt"])
@pytest.mark.parametrize(("name", "greeting"), [("Anna Verdi", "Gentile Anna Verdi,"), ("", "Gentile signora, signore,")])
def test_the_email_greets_the_person_by_name(template, name, greeting):
    complaint = SimpleNamespace(
        reference="S-2026-00001", contact_name=name, received_on=datetime.date(2026, 11, 30),
        answer_due=None, answer="Abbiamo riparato la buca.",
    )
    text = render_to_string(template, {"complaint": complaint, "municipality": SimpleNamespace(name="Trento"), "link": "https://example.org/x"})
    assert text.startswith(greeting)
