"""Open data: the coordinator publishes an area and period; citizens see only
what was published, past its embargo, in pages, downloads, catalogue and API."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from benchmarking.models import ApprovedResult
from benchmarking.opendata import selectors as open_data
from benchmarking.opendata import services as opendata
from qclub.tenancy import SCOPE_REVIEW, cross_tenant
from tests.factories import officer_of

# Figures that must never reach citizens, each easy to spot in any output.
SECRETS = ["9876", "9.876", "5555", "5.555", "6666", "6.666", "Comune Riservato"]


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


def dataset_url(name, year):
    return reverse(name, args=["servizi-demografici", str(year)])


def test_the_coordinator_publishes_and_withdraws(client, club):
    client.force_login(club.coordinator)
    url = reverse("benchmarking:publish", args=[club.campaign.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "publish", "confirm": "on", "embargo_until": ""})
    assert response.status_code == 302
    club.campaign.refresh_from_db()
    assert club.campaign.published_at is not None and club.campaign.embargo_until is None
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        assert set(ApprovedResult.objects.filter(campaign=club.campaign).values_list("visibility", flat=True)) == {"public"}
    assert client.get(dataset_url("opendata:dataset", 2025)).status_code == 200

    response = client.post(url, {"action": "withdraw", "confirm": "on"})
    assert response.status_code == 302
    club.campaign.refresh_from_db()
    assert club.campaign.published_at is None
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        assert set(ApprovedResult.objects.filter(campaign=club.campaign).values_list("visibility", flat=True)) == {"club"}
    assert client.get(dataset_url("opendata:dataset", 2025)).status_code == 404


def test_publishing_asks_for_confirmation(client, campaign, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:publish", args=[campaign.public_id]), {"action": "publish"})
    assert response.status_code == 400
    campaign.refresh_from_db()
    assert campaign.published_at is None


def test_an_officer_cannot_publish(client, club):
    officer = officer_of(club[0])
    client.force_login(officer)
    url = reverse("benchmarking:publish", args=[club.campaign.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "publish", "confirm": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        opendata.publish_open_data(club.campaign, officer)
    club.campaign.refresh_from_db()
    assert club.campaign.published_at is None


def test_publishing_never_touches_figures_a_comune_keeps(club, published):
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        kept = set(ApprovedResult.objects.filter(municipality=published["private"]).values_list("visibility", flat=True))
    assert kept == {"own"}


def test_public_pages_show_only_published_figures(client, published):
    index = client.get(reverse("opendata:index"))
    assert index.status_code == 200
    body = index.content.decode()
    assert dataset_url("opendata:dataset", 2025) in body
    assert dataset_url("opendata:dataset", 2024) not in body and dataset_url("opendata:dataset", 2023) not in body
    assert "CC BY 4.0" in body

    page = client.get(dataset_url("opendata:dataset", 2025))
    assert page.status_code == 200
    text = page.content.decode()
    assert "400,0" in text and "Comune E" in text and "CC BY 4.0" in text
    assert_no_secret(text)
    assert client.get(dataset_url("opendata:dataset", 2024)).status_code == 404
    assert client.get(dataset_url("opendata:dataset", 2023)).status_code == 404
    assert client.get(dataset_url("opendata:csv", 2023)).status_code == 404


def test_a_figure_still_under_embargo_stays_hidden_in_a_published_dataset(client, published, club):
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        ApprovedResult.objects.filter(municipality=club[3], campaign=published["campaign"]).update(
            embargo_until=timezone.localdate() + datetime.timedelta(days=5)
        )
    text = client.get(dataset_url("opendata:dataset", 2025)).content.decode()
    assert "Comune D" not in text and "Comune E" in text
    assert "Comune D" not in client.get(dataset_url("opendata:csv", 2025)).content.decode()


def test_a_logged_in_visitor_sees_the_same_public_figures(client, published):
    def figures():
        page = client.get(dataset_url("opendata:dataset", 2025)).content.decode()
        # The header names the visitor's comune, of course: compare the tables in <main>.
        main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        return re.findall(r"<table.*?</table>", main, re.S)

    anonymous = figures()
    client.force_login(officer_of(published["private"]))
    logged_in = figures()
    assert anonymous and "400,0" in anonymous[0] and "Comune E" in anonymous[0]
    assert logged_in == anonymous
    assert_no_secret("".join(logged_in))


def test_csv_download(client, published):
    response = client.get(dataset_url("opendata:csv", 2025))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    # Italian Excel's conventions, as the members area's export: BOM, ';', decimal comma.
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert_no_secret(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == open_data.CSV_HEADER
    column = {name: index for index, name in enumerate(rows[0])}
    per_fte = [row for row in rows[1:] if row[column["codice_indicatore"]] == "certificati_per_fte"]
    assert [row[column["valore"]] for row in per_fte] == ["400,0", "300,0", "200,0", "200,0", "100,0"]
    assert [row[column["posizione"]] for row in per_fte] == ["1", "2", "3", "3", "5"]
    assert {row[column["direzione"]] for row in per_fte} == {"higher"}
    assert {row[column["unita_di_misura"]] for row in per_fte} == {per_fte[0][column["unita_di_misura"]]}


def test_json_download_carries_the_licence(client, published):
    response = client.get(dataset_url("opendata:json", 2025))
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    per_fte = next(i for i in document["indicators"] if i["code"] == "certificati_per_fte")
    assert [v["value"] for v in per_fte["values"]] == [400, 300, 200, 200, 100]
    assert_no_secret(response.content.decode())


def test_dcat_catalogue(client, published):
    response = client.get(reverse("opendata:catalogue"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = json.loads(response.content)
    assert "dcat:Catalog" in catalogue["@type"]
    assert catalogue["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    [dataset] = catalogue["dcat:dataset"]  # 2024 unpublished, 2023 under embargo
    assert "dcatapit:Dataset" in dataset["@type"]
    assert dataset["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["dcat:theme"]["@id"].endswith("/GOVE")
    formats = sorted(d["dct:format"]["@id"].rsplit("/", 1)[1] for d in dataset["dcat:distribution"])
    assert formats == ["CSV", "JSON"]
    assert all(d["dcat:downloadURL"]["@id"].startswith("http") for d in dataset["dcat:distribution"])
    assert "2025" in dataset["dct:identifier"]


def test_public_api(client, published):
    listing = client.get(reverse("opendata-api-list"))
    assert listing.status_code == 200
    assert [d["period"] for d in listing.json()] == ["2025"]
    detail = client.get(reverse("opendata-api-dataset", args=["servizi-demografici", "2025"]))
    assert detail.status_code == 200
    assert detail.json()["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert_no_secret(detail.content.decode())
    assert client.get(reverse("opendata-api-dataset", args=["servizi-demografici", "2023"])).status_code == 404
    assert client.get(reverse("opendata-api-dataset", args=["servizi-demografici", "2024"])).status_code == 404
    assert client.post(reverse("opendata-api-list")).status_code == 405
