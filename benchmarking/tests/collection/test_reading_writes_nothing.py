"""No row is created by a read: before a comune's first write, the data-entry
page, its file templates, the preview, a value's history and the values API
show the campaign's elements, empty; the first save (form, API, file import)
creates the submission and its values."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from benchmarking.collection import imports, selectors, services
from benchmarking.models import DataValue, Submission
from qclub.tenancy import acting_for


def counts(comune) -> tuple[int, int]:
    with acting_for(comune):
        return Submission.objects.count(), DataValue.objects.count()


def page_url(name, campaign, *args):
    return reverse(f"benchmarking:{name}", args=[campaign.public_id, *args])


def test_reading_the_entry_page_of_a_fresh_campaign_creates_no_submission(client, comune_a, officer_a, campaign):
    client.force_login(officer_a)
    page = client.get(page_url("submission", campaign))
    assert page.status_code == 200
    body = page.content.decode()
    # The catalogue's elements, empty, with the version a first save will find.
    assert "Certificati rilasciati" in body and 'name="ver-certificati" value="1"' in body
    assert "0 di 3 dati compilati" in body
    for name in ("template_csv", "template_xlsx", "import"):
        assert client.get(page_url(name, campaign)).status_code == 200, name
    assert client.get(page_url("value_history", campaign, "certificati")).status_code == 200
    assert client.post(page_url("preview", campaign), {"s-certificati": "value", "v-certificati": "5"}).status_code == 200
    assert counts(comune_a) == (0, 0)


def test_the_first_save_of_the_entry_page_creates_the_submission(client, comune_a, officer_a, campaign):
    client.force_login(officer_a)
    client.get(page_url("submission", campaign))
    assert counts(comune_a) == (0, 0)
    response = client.post(page_url("submission", campaign), {
        "s-certificati": "value", "v-certificati": "12.000", "ver-certificati": "1",
    })
    assert response.status_code == 302
    assert counts(comune_a) == (1, 3)
    with acting_for(comune_a):
        assert DataValue.objects.get(element__code="certificati").value == 12000
        assert Submission.objects.get().status == Submission.Status.DRAFT


def test_a_refused_first_save_leaves_nothing_behind(client, comune_a, officer_a, campaign):
    client.force_login(officer_a)
    response = client.post(page_url("submission", campaign), {
        "s-certificati": "value", "v-certificati": "-5", "ver-certificati": "1",
    })
    assert response.status_code == 400
    assert counts(comune_a) == (0, 0)


def test_reading_the_values_api_of_a_fresh_campaign_creates_no_submission(comune_a, officer_a, campaign):
    api = APIClient()
    api.force_login(officer_a)
    url = f"/api/v1/benchmarking/campagne/{campaign.public_id}/valori/"
    response = api.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["submission"]["status"] == "not_started" and body["submission"]["expected_count"] == 3
    assert {item["code"]: (item["state"], item["version"]) for item in body["values"]} == {
        "certificati": ("missing", 1), "certificati_online": ("missing", 1), "sportello_fte": ("missing", 1),
    }
    assert counts(comune_a) == (0, 0)
    response = api.put(url, [{"code": "certificati", "value": 7, "version": 1}], format="json")
    assert response.status_code == 200 and response.json()["changed"] == ["certificati"]
    assert counts(comune_a) == (1, 3)


def test_importing_a_file_is_the_first_write(comune_a, officer_a, campaign):
    with acting_for(comune_a):
        blank = selectors.submission_or_blank(campaign, comune_a)
        assert b"certificati" in imports.template_csv(blank)
        assert Submission.objects.count() == 0
        text = ";".join(imports.COLUMNS) + "\r\ncertificati;;;;valore;42;;;\r\n"
        outcome = imports.import_file(blank, SimpleUploadedFile("dati.csv", text.encode("utf-8-sig")), officer_a)
        assert outcome.changed == ["certificati"]
        assert DataValue.objects.get(element__code="certificati").value == Decimal(42)
        assert Submission.objects.count() == 1


def test_a_first_write_by_someone_without_the_role_creates_nothing(comune_a, officer_b, campaign):
    from django.core.exceptions import PermissionDenied

    with acting_for(comune_a):
        blank = selectors.submission_or_blank(campaign, comune_a)
        with pytest.raises(PermissionDenied):
            services.save_values(blank, {"certificati": services.Entry(state="value", value=Decimal(1))}, officer_b)
        assert Submission.objects.count() == 0
