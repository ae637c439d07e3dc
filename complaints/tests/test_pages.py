"""The pages: the public form and tracking link (no sign-in), the staff's
list, detail, actions, register form, attachments and settings."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.handling import services
from complaints.models import Complaint, PersonalDataRead
from qclub.tenancy import acting_for
from tests.factories import MunicipalityFactory, solved_proof_of_work

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"


def _public_data(**overrides):
    data = {"kind": "complaint", "what_happened": "Buche in via Roma da mesi", "request": "Riparatele",
            "wants_answer": "on", "contact_name": "Anna Verdi", "contact_email": "anna@example.org",
            "privacy": "on", "altcha": solved_proof_of_work()}
    data.update(overrides)
    return data


def test_public_page_links_to_the_form(client, comune_a):
    page = client.get(reverse("municipality_public", args=[comune_a.slug]))
    assert reverse("complaints:public_form", args=[comune_a.slug]) in page.content.decode()


def test_public_form_sends_and_the_tracking_link_shows_status(client, comune_a, settings, tmp_path):
    settings.COMPLAINTS_FILES_ROOT = tmp_path
    url = reverse("complaints:public_form", args=[comune_a.slug])
    form = client.get(url)
    assert form.status_code == 200 and 'name="sito_web"' in form.content.decode()
    response = client.post(url, {**_public_data(), "files": [SimpleUploadedFile("r.pdf", PDF)]})
    assert response.status_code == 302
    tracking = response["Location"].split("?")[0]
    assert tracking.startswith(f"/reclami/segui/{comune_a.slug}/")
    page = client.get(tracking)
    text = page.content.decode()
    assert page.status_code == 200 and "S-" in text and "Ricevuto" in text
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    with acting_for(comune_a):
        complaint = Complaint.objects.get()
        assert complaint.channel == "web" and complaint.attachments.count() == 1
    # Another token, or the right token under another comune: nothing.
    assert client.get(tracking.replace(f"/{comune_a.slug}/", "/bergamo/")).status_code == 404
    assert client.get(tracking[:-3] + "xyz/").status_code == 404


def test_public_form_keeps_what_was_typed_on_error(client, comune_a):
    url = reverse("complaints:public_form", args=[comune_a.slug])
    response = client.post(url, _public_data(privacy="", contact_email="", what_happened="Testo conservato"))
    text = response.content.decode()
    assert response.status_code == 400
    assert "Testo conservato" in text and "informativa" in text
    with acting_for(comune_a):
        assert Complaint.objects.count() == 0


def test_honeypot_and_rate_limit(client, comune_a):
    url = reverse("complaints:public_form", args=[comune_a.slug])
    assert client.post(url, _public_data(sito_web="http://spam.example")).status_code == 400
    for _ in range(4):  # five sendings an hour per address, the refused one included
        assert client.post(url, _public_data()).status_code == 302
    refused = client.post(url, _public_data())
    assert refused.status_code == 429 and "Troppe richieste" in refused.content.decode()
    with acting_for(comune_a):
        assert Complaint.objects.count() == 4


def test_no_form_for_a_comune_outside_the_club(client):
    outsider = MunicipalityFactory(status="non_member")
    assert client.get(reverse("complaints:public_form", args=[outsider.slug])).status_code == 404


def test_citizen_rates_and_asks_to_reopen(client, comune_a, officer_a):
    url = reverse("complaints:public_form", args=[comune_a.slug])
    tracking = client.post(url, _public_data())["Location"].split("?")[0]
    with acting_for(comune_a):
        services.answer(complaint=Complaint.objects.get(), user=officer_a, text="Riparata la buca.")
    page = client.get(tracking).content.decode()
    assert "Riparata la buca." in page and "Chiedi di riaprire" in page
    assert client.post(tracking + "valuta/", {"rating": "2"}).status_code == 302
    assert client.post(tracking + "riapri/", {"reason": ""}).status_code == 400
    assert client.post(tracking + "riapri/", {"reason": "La buca è ancora lì"}).status_code == 302
    with acting_for(comune_a):
        complaint = Complaint.objects.get()
    assert complaint.rating == 2 and complaint.status == "reopened"


def test_internal_notes_never_reach_the_citizen(client, comune_a, officer_a):
    tracking = client.post(reverse("complaints:public_form", args=[comune_a.slug]), _public_data())["Location"]
    with acting_for(comune_a):
        services.add_note(complaint=Complaint.objects.get(), user=officer_a, text="Cittadino noto, insistente")
    assert "insistente" not in client.get(tracking).content.decode()


def test_staff_list_detail_and_actions(client, comune_a, officer_a, register):
    complaint = register().complaint
    client.force_login(officer_a)
    listing = client.get(reverse("complaints:index"))
    assert listing.status_code == 200 and complaint.reference in listing.content.decode()
    assert "mario@example.org" not in listing.content.decode()  # no personal data in the list
    # each way on from the list once (the KPI link was doubled by a merge)
    for name in ("complaints:kpis", "complaints:plan", "complaints:settings"):
        assert listing.content.decode().count(f'href="{reverse(name)}"') == 1
    detail_url = reverse("complaints:detail", args=[complaint.public_id])
    detail = client.get(detail_url)
    assert detail.status_code == 200 and "mario@example.org" in detail.content.decode()
    with acting_for(comune_a):
        assert PersonalDataRead.objects.filter(complaint=complaint, user=officer_a, way="page").count() == 1
    act = lambda action, data: client.post(reverse("complaints:act", args=[complaint.public_id, action]), data)  # noqa: E731
    assert act("acknowledge", {"version": 1}).status_code == 302
    assert act("start", {"version": 1}).status_code == 400  # stale version: told, nothing changed
    assert act("note", {"note-text": "Sentito l'ufficio"}).status_code == 302
    assert act("answer", {"answer-version": 2, "answer-text": "", "answer-founded": "yes"}).status_code == 400
    assert act("answer", {"answer-version": 2, "answer-text": "Risolto", "answer-founded": "yes",
                          "answer-root_cause": "staff"}).status_code == 302
    with acting_for(comune_a):
        complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.founded is True and complaint.root_cause == "staff"
    assert "Sentito l&#x27;ufficio" in client.get(detail_url).content.decode()


def test_staff_search_and_overdue_list(client, comune_a, officer_a, register):
    old = register(received_on=dt.date.today() - dt.timedelta(days=80), what_happened="Rifiuti non raccolti").complaint
    register(what_happened="Biblioteca chiusa senza preavviso")
    client.force_login(officer_a)
    found = client.get(reverse("complaints:index"), {"q": "raccolta rifiuti"}).content.decode()
    assert old.reference in found and "-00002" not in found
    overdue = client.get(reverse("complaints:overdue")).content.decode()
    assert old.reference in overdue and "-00002" not in overdue


def test_staff_register_page(client, comune_a, officer_a):
    client.force_login(officer_a)
    received = dt.date.today() - dt.timedelta(days=3)
    response = client.post(reverse("complaints:register"), {
        "kind": "complaint", "channel": "pec", "received_on": received.isoformat(),
        "what_happened": "Lettera arrivata via PEC", "wants_answer": "",
    })
    assert response.status_code == 302
    with acting_for(comune_a):
        complaint = Complaint.objects.get()
    assert complaint.channel == "pec" and complaint.received_on == received


def test_attachment_served_only_to_the_comunes_staff(client, comune_a, officer_a, officer_b, register, settings, tmp_path):
    settings.COMPLAINTS_FILES_ROOT = tmp_path
    complaint = register(files=[SimpleUploadedFile("r.pdf", PDF)]).complaint
    with acting_for(comune_a):
        item = complaint.attachments.get()
    url = reverse("complaints:attachment", args=[complaint.public_id, item.public_id])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(officer_b)
    assert client.get(url).status_code == 404
    client.force_login(officer_a)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_dashboard_card(client, comune_a, officer_a, register):
    register(received_on=dt.date.today() - dt.timedelta(days=60))
    register()
    client.force_login(officer_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert re.search(r"In ritardo \(1\)", page) and re.search(r"Da prendere in carico \(2\)", page)


def test_settings_page(client, comune_a, officer_a):
    client.force_login(officer_a)
    url = reverse("complaints:settings")
    assert client.get(url).status_code == 200
    assert client.post(url, {"cosa": "impostazioni", "acknowledge_days": 3, "answer_days": 20,
                             "reopen_days": 15, "retention_months": 24}).status_code == 302
    assert client.post(url, {"cosa": "impostazioni", "acknowledge_days": 30, "answer_days": 20,
                             "reopen_days": 15, "retention_months": 24}).status_code == 400
    assert client.post(url, {"cosa": "ufficio", "nome": "URP"}).status_code == 302
    assert "URP" in client.get(url).content.decode()
