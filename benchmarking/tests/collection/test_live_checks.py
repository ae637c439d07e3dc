"""Checks while typing (the htmx preview of the entry form): the hard rules that
would block the save and the warnings it would raise, beside each field and in
the indicators panel, through the rules the save uses; and re-saving or
submitting unchanged figures raises no new warning."""

from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarking.collection import selectors, services
from benchmarking.collection.services import Entry
from benchmarking.models import DataValue, Submission
from benchmarking.tests.factories import approve
from qclub.models import Role
from qclub.tenancy import SCOPE_REVIEW, acting_for, cross_tenant
from tests.factories import AreaCoordinatorFactory, MunicipalityFactory, officer_of

V = DataValue.State.VALUE


def form_data(submission, **figures):
    data = {}
    for row in selectors.submission_values(submission):
        code = row.element.code
        data[f"s-{code}"] = row.state
        data[f"v-{code}"] = "" if row.value is None else str(row.value)
        data[f"ver-{code}"] = str(row.version)
    for code, text in figures.items():
        data[f"s-{code}"], data[f"v-{code}"] = "value", text
    return data


def messages_of(html: str, code: str) -> str:
    start = html.index(f'id="msg-{code}"')
    return html[start: html.index("</div>", start)]


@pytest.fixture
def preview_url(campaign):
    return reverse("benchmarking:preview", args=[campaign.public_id])


def test_a_part_over_its_whole_is_shown_while_typing(client, comune_a, officer_a, campaign, preview_url):
    client.force_login(officer_a)
    with acting_for(comune_a):
        data = form_data(selectors.submission_or_blank(campaign, comune_a), certificati="100", certificati_online="379")
    data["campo"] = "v-certificati_online"
    response = client.post(preview_url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Non può superare «Certificati rilasciati» (100)" in messages_of(html, "certificati_online")
    assert 'hx-swap-oob="true"' in html and 'data-invalid="true"' in messages_of(html, "certificati_online")
    # In the indicators panel: the field to correct, and the indicator computed over it.
    assert "1 valore da correggere prima di salvare" in html
    assert "Calcolato su un valore da correggere" in html
    # Announced politely for the field being typed in.
    announce = html[html.index('id="live-announce"'):]
    assert 'role="status"' in announce[:200] and "Certificati rilasciati online" in announce
    with acting_for(comune_a):
        assert not Submission.objects.exists()  # the preview writes nothing


def test_a_figure_out_of_bounds_warns_and_a_filled_field_is_no_longer_missing(
    client, comune_a, officer_a, campaign, preview_url
):
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        services.save_values(submission, {"certificati": Entry(state=V, value=Decimal(10))}, officer_a)
    client.force_login(officer_a)
    page = client.get(reverse("benchmarking:submission", args=[campaign.public_id])).content.decode()
    assert "Valore mancante" in messages_of(page, "sportello_fte")
    assert 'aria-describedby="msg-sportello_fte"' in page or "msg-sportello_fte" in page
    with acting_for(comune_a):
        data = form_data(Submission.objects.get(), sportello_fte="2", certificati="2.000.000")
    html = client.post(preview_url, data).content.decode()
    assert "Valore mancante" not in messages_of(html, "sportello_fte")
    assert "intervallo plausibile (0 – 1.000.000)" in messages_of(html, "certificati")
    assert 'data-invalid="false"' in messages_of(html, "certificati")  # a warning does not block


def test_a_number_that_cannot_be_read_is_shown_beside_its_field(client, comune_a, officer_a, campaign, preview_url):
    client.force_login(officer_a)
    with acting_for(comune_a):
        data = form_data(selectors.submission_or_blank(campaign, comune_a), certificati="dodici")
    html = client.post(preview_url, data).content.decode()
    assert 'data-invalid="true"' in messages_of(html, "certificati")


def test_the_preview_needs_a_data_entry_role(client, campaign, preview_url, django_user_model):
    client.force_login(django_user_model.objects.create_user("nessuno", password="x"))
    assert client.post(preview_url, {}).status_code == 403


def test_resaving_a_returned_form_unchanged_raises_no_new_warning(comune_a, officer_a, campaign, area):
    """Cause: every save re-ran the soft rules on every figure, against the
    other comuni approved since; a figure that raised nothing when written
    now raised an outlier warning with no justification, and blocked the
    resubmission. A figure's warnings are now computed when it is written."""
    coordinator = AreaCoordinatorFactory(area=area).user
    manager = officer_of(comune_a, role=Role.MANAGER)
    figures = {"certificati": Entry(state=V, value=Decimal(90000)), "certificati_online": Entry(state=V, value=Decimal(0)),
               "sportello_fte": Entry(state=V, value=Decimal(1))}
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        services.save_values(submission, figures, officer_a)
        services.transition(submission, services.SUBMIT, manager)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(submission, services.RETURN, coordinator, note="Controllate i costi")
    # Meanwhile five comuni of the same size are approved with far smaller figures.
    for index, certificates in enumerate((1000, 1100, 1200, 1300, 1050)):
        other = MunicipalityFactory(slug=f"pari-{index}", population=comune_a.population)
        approve(campaign, other, coordinator, certificati=certificates, certificati_online=0, sportello_fte=1)
    with acting_for(comune_a):
        submission = Submission.objects.get()
        seen = {row.element.code: row.version for row in submission.values.select_related("element")}
        unchanged = {code: Entry(state=V, value=entry.value, seen_version=seen[code]) for code, entry in figures.items()}
        assert services.save_values(submission, unchanged, officer_a).changed == []
        submission.refresh_from_db()
        assert submission.unjustified_count == 0
        assert services.transition(submission, services.SUBMIT, manager).status == Submission.Status.SUBMITTED
    # A figure written now is checked against them.
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(submission, services.RETURN, coordinator, note="Ancora")
    with acting_for(comune_a):
        row = DataValue.objects.get(element__code="certificati")
        services.save_values(submission, {"certificati": Entry(state=V, value=Decimal(95000), seen_version=row.version)}, officer_a)
        row.refresh_from_db()
        assert [w["code"] for w in row.warnings] == ["outlier"]
