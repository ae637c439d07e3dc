"""File import with a preview: the differences first, then the change once
confirmed; a file older than the values it would overwrite does not bring
them back (the edit-conflict rule of the form and the API)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarking.collection import import_preview, imports, services
from benchmarking.collection.services import Entry
from benchmarking.models import DataValue, PendingImport
from qclub.tenancy import acting_for
from tests.factories import officer_of

V = DataValue.State.VALUE


def filled(template: bytes, **figures) -> SimpleUploadedFile:
    """The CSV template with these figures written in the «valore» column."""
    lines = template.decode("utf-8-sig").split("\r\n")
    out = []
    for line in lines:
        cells = line.split(";")
        if cells and cells[0] in figures:
            cells[4], cells[5] = "", figures[cells[0]]
        out.append(";".join(cells))
    return SimpleUploadedFile("modello.csv", "\r\n".join(out).encode("utf-8"))


def value_of(code):
    return DataValue.objects.get(element__code=code).value


@pytest.fixture
def started(comune_a, officer_a, submission_a):
    with acting_for(comune_a):
        services.save_values(submission_a, {
            "certificati": Entry(state=V, value=Decimal(1000)), "certificati_online": Entry(state=V, value=Decimal(100)),
            "sportello_fte": Entry(state=V, value=Decimal(2)),
        }, officer_a)
        return imports.template_csv(submission_a)


def test_a_stale_file_does_not_bring_back_a_value_changed_since(comune_a, officer_a, submission_a, started):
    colleague = officer_of(comune_a)
    with acting_for(comune_a):
        row = DataValue.objects.get(element__code="certificati")
        # After the template was downloaded, a colleague corrects the figure in the form.
        services.save_values(submission_a, {"certificati": Entry(state=V, value=Decimal(1500), seen_version=row.version)}, colleague)
        upload = filled(started, certificati="1.000", sportello_fte="3")
        # The one-step import refuses the whole file, as the form and the API would.
        with pytest.raises(imports.ImportRefused) as refused:
            imports.import_file(submission_a, filled(started, certificati="900"), officer_a)
        assert "modificato da qualcun altro" in refused.value.errors[0].message
        pending = import_preview.stage_import(submission_a, upload, officer_a)
        differences = import_preview.import_differences(pending, submission_a)
        assert [(d.element.name, d.old, d.new) for d in differences.to_import] == [("Addetti allo sportello (FTE)", "2", "3")]
        assert [(d.code, d.old, d.new) for d in differences.stale] == [("certificati", "1.500", "1.000")]
        assert differences.unchanged == 1  # certificati_online, as it is
        assert value_of("sportello_fte") == 2  # nothing written yet
        outcome = import_preview.confirm_import(pending, submission_a, officer_a)
        assert outcome.changed == ["sportello_fte"]
        assert value_of("certificati") == 1500 and value_of("sportello_fte") == 3
        assert not PendingImport.objects.exists()


def test_an_unchanged_value_with_an_old_version_is_no_conflict(comune_a, officer_a, submission_a, started):
    with acting_for(comune_a):
        for figure in (1500, 1000):  # changed and changed back: a newer version, the same value
            row = DataValue.objects.get(element__code="certificati")
            services.save_values(submission_a, {"certificati": Entry(state=V, value=Decimal(figure),
                                                                     seen_version=row.version)}, officer_a)
        pending = import_preview.stage_import(submission_a, filled(started, sportello_fte="4"), officer_a)
        differences = import_preview.import_differences(pending, submission_a)
    assert differences.stale == [] and [d.code for d in differences.to_import] == ["sportello_fte"]


def test_confirming_checks_every_rule_again(comune_a, officer_a, submission_a, started):
    with acting_for(comune_a):
        pending = import_preview.stage_import(submission_a, filled(started, sportello_fte="4"), officer_a)
        # Whatever happened to the stored entries, the save checks them again.
        pending.entries = [[code, {**data, "value": "-5"}] if code == "sportello_fte" else [code, data]
                           for code, data in pending.entries]
        pending.save()
        with pytest.raises(imports.ImportRefused):
            import_preview.confirm_import(pending, submission_a, officer_a)
        assert value_of("sportello_fte") == 2


def test_the_review_page_shows_the_differences_and_confirms(client, comune_a, officer_a, submission_a, campaign, started):
    client.force_login(officer_a)
    response = client.post(reverse("benchmarking:import", args=[campaign.public_id]),
                           {"file": filled(started, certificati="1.200", sportello_fte="2,5")})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "2 valori cambiano" in page and "1 riga resta com" in page
    assert "Certificati rilasciati" in page and "1.200" in page and "2,5" in page
    with acting_for(comune_a):
        assert value_of("certificati") == 1000
    done = client.post(response["Location"], follow=True).content.decode()
    assert "File importato: 2 valori modificati (" in done and "Certificati rilasciati" in done
    with acting_for(comune_a):
        assert value_of("certificati") == 1200
    # Confirmed once: the pending file is gone.
    assert client.post(response["Location"]).status_code == 404


def test_a_pending_file_expires(client, comune_a, officer_a, submission_a, campaign, started):
    client.force_login(officer_a)
    response = client.post(reverse("benchmarking:import", args=[campaign.public_id]),
                           {"file": filled(started, sportello_fte="3")})
    with acting_for(comune_a):
        PendingImport.objects.update(
            created_at=PendingImport.objects.get().created_at - datetime.timedelta(minutes=import_preview.PENDING_MINUTES + 1)
        )
    assert client.post(response["Location"]).status_code == 404
    with acting_for(comune_a):
        assert value_of("sportello_fte") == 2


def test_another_officer_of_the_comune_cannot_confirm_my_file(client, comune_a, officer_a, submission_a, campaign, started):
    client.force_login(officer_a)
    response = client.post(reverse("benchmarking:import", args=[campaign.public_id]),
                           {"file": filled(started, sportello_fte="3")})
    client.force_login(officer_of(comune_a))
    assert client.post(response["Location"]).status_code == 404
