"""The data-entry form, the preview, the history, and the coordinators' review, over HTTP."""

from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarking.collection import selectors, services
from benchmarking.models import DataValue
from qclub.tenancy import acting_for


def login(client, user):
    client.force_login(user)
    return client


def form_data(submission, **figures):
    """The form as the page sends it: every row, with the versions it showed
    (a campaign not started yet: the catalogue's elements, empty, version 1)."""
    data = {}
    for row in selectors.submission_values(submission):
        code = row.element.code
        data[f"s-{code}"] = row.state
        data[f"v-{code}"] = ""
        data[f"ver-{code}"] = str(row.version)
    for code, text in figures.items():
        data[f"s-{code}"], data[f"v-{code}"] = "value", text
    return data


@pytest.fixture
def url(campaign):
    return reverse("benchmarking:submission", args=[campaign.public_id])


def test_the_form_saves_figures_written_the_italian_way(client, comune_a, officer_a, campaign, url):
    login(client, officer_a)
    page = client.get(url)
    assert page.status_code == 200
    assert "Certificati rilasciati" in page.content.decode()
    with acting_for(comune_a):
        submission = selectors.submission_or_blank(campaign, comune_a)
        data = form_data(submission, certificati="12.000", certificati_online="3.000", sportello_fte="4,5")
    response = client.post(url, data)
    assert response.status_code == 302
    with acting_for(comune_a):
        values = dict(DataValue.objects.values_list("element__code", "value"))
    assert values == {"certificati": 12000, "certificati_online": 3000, "sportello_fte": Decimal("4.5")}
    page = client.get(url).content.decode()
    assert "2.666,7" in page  # certificates per FTE, computed and shown


def test_a_bad_figure_saves_nothing_and_keeps_what_was_typed(client, comune_a, officer_a, campaign, url):
    login(client, officer_a)
    client.get(url)
    with acting_for(comune_a):
        data = form_data(selectors.submission_or_blank(campaign, comune_a), certificati="dodici", sportello_fte="3")
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "non è un numero" in body and 'value="dodici"' in body and 'value="3"' in body
    with acting_for(comune_a):
        assert not DataValue.objects.filter(state="value").exists()


def test_a_stale_form_is_refused_and_the_typed_value_shown(client, comune_a, officer_a, campaign, url):
    login(client, officer_a)
    client.get(url)
    with acting_for(comune_a):
        submission = selectors.submission_or_blank(campaign, comune_a)
        stale = form_data(submission, certificati="500")
        services.save_values(submission, {"certificati": services.Entry(state="value", value=Decimal(400))}, officer_a)
    response = client.post(url, stale)
    assert response.status_code == 409
    assert 'value="500"' in response.content.decode()
    with acting_for(comune_a):
        assert DataValue.objects.get(element__code="certificati").value == 400


def test_the_preview_computes_without_saving(client, comune_a, officer_a, campaign, url):
    login(client, officer_a)
    client.get(url)
    with acting_for(comune_a):
        data = form_data(selectors.submission_or_blank(campaign, comune_a), certificati="100", sportello_fte="4")
    response = client.post(reverse("benchmarking:preview", args=[campaign.public_id]), data)
    assert response.status_code == 200 and "25,0" in response.content.decode()
    with acting_for(comune_a):
        assert not DataValue.objects.filter(state="value").exists()


def test_b_never_sees_nor_touches_a_figures(client, comune_a, officer_a, officer_b, campaign, url):
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        services.save_values(submission, {"certificati": services.Entry(state="value", value=Decimal(7531))}, officer_a)
    login(client, officer_b)
    page = client.get(url).content.decode()
    assert "7531" not in page and "7.531" not in page
    history = client.get(reverse("benchmarking:value_history", args=[campaign.public_id, "certificati"]))
    assert "7.531" not in history.content.decode()
    # B's post writes B's own submission only.
    client.post(url, {"s-certificati": "value", "v-certificati": "1", "ver-certificati": "1"})
    with acting_for(comune_a):
        assert DataValue.objects.get(element__code="certificati").value == 7531


def test_a_coordinator_reviews_and_approves(client, comune_a, officer_a, manager_a, coordinator, campaign):
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        services.save_values(submission, {
            "certificati": services.Entry(state="value", value=Decimal(100)),
            "certificati_online": services.Entry(state="value", value=Decimal(10)),
            "sportello_fte": services.Entry(state="value", value=Decimal(2)),
        }, officer_a)
        services.transition(submission, services.SUBMIT, manager_a)
    board_url = reverse("benchmarking:board", args=[campaign.public_id])
    assert login(client, officer_a).get(board_url).status_code == 403
    client.logout()
    login(client, coordinator)
    board = client.get(board_url)
    assert board.status_code == 200 and comune_a.name in board.content.decode()
    review_url = reverse("benchmarking:review", args=[campaign.public_id, comune_a.slug])
    assert client.get(review_url).status_code == 200
    client.post(review_url, {"code": "certificati", "comment": "Fonte?"})
    client.post(review_url, {"action": "approve", "confirm": "yes"})
    with acting_for(comune_a):
        submission.refresh_from_db()
        assert submission.status == "approved"
        assert DataValue.objects.get(element__code="certificati").comments.get().text == "Fonte?"


def test_the_index_lists_the_campaign_with_its_status(client, officer_a, campaign):
    page = login(client, officer_a).get(reverse("benchmarking:index")).content.decode()
    assert campaign.area.name in page and "Non iniziata" in page


def test_the_board_filters_by_status(client, comune_a, comune_b, officer_a, coordinator, campaign):
    with acting_for(comune_a):
        services.save_values(services.start_submission(campaign), {
            "certificati": services.Entry(state="value", value=Decimal(1))}, officer_a)
    login(client, coordinator)
    url = reverse("benchmarking:board", args=[campaign.public_id])
    drafts = client.get(url, {"stato": "draft"}).content.decode()
    untouched = client.get(url, {"stato": "not_started"}).content.decode()
    assert comune_a.name in drafts and comune_b.name not in drafts
    assert comune_b.name in untouched and comune_a.name not in untouched
