"""Messages of the data-entry form name data elements and statuses in words,
never by their codes, and count in correct Italian."""

import re
from decimal import Decimal

from django.urls import reverse

from benchmarking.collection import selectors, services
from qclub.tenancy import acting_for


def login(client, user):
    client.force_login(user)


def form_data(submission, **figures):
    """The form as the page sends it (as in test_pages)."""
    data = {}
    for row in selectors.submission_values(submission):
        code = row.element.code
        data[f"s-{code}"], data[f"v-{code}"], data[f"ver-{code}"] = row.state, "", str(row.version)
    for code, text in figures.items():
        data[f"s-{code}"], data[f"v-{code}"] = "value", text
    return data


def test_an_edit_conflict_names_the_data_element(comune_a, officer_a, submission_a):
    with acting_for(comune_a):
        seen = {row.element.code: row.version for row in selectors.submission_values(submission_a)}
        services.save_values(submission_a, {"certificati": services.Entry(state="value", value=Decimal(400))}, officer_a)
        try:
            services.save_values(submission_a, {"certificati": services.Entry(
                state="value", value=Decimal(500), seen_version=seen["certificati"],
            )}, officer_a)
        except services.ConcurrentEdit as conflict:
            assert conflict.codes == ["certificati"]
            assert "Certificati rilasciati" in str(conflict) and "certificati," not in str(conflict)
        else:
            raise AssertionError("the stale save was accepted")


def test_the_indicators_panel_names_what_is_missing(client, comune_a, officer_a, campaign):
    login(client, officer_a)
    with acting_for(comune_a):
        data = form_data(selectors.submission_or_blank(campaign, comune_a), certificati="100")
    body = client.post(reverse("benchmarking:preview", args=[campaign.public_id]), data).content.decode()
    assert "Manca il dato:" in body or "Mancano i dati:" in body
    # What a person reads: the text, not the links' targets (anchors keep the code).
    text = re.sub(r"<[^>]+>", " ", body)
    assert "sportello_fte" not in text and "manca:" not in text


def test_one_saved_value_is_singular_and_the_history_speaks_in_words(client, comune_a, officer_a, campaign):
    url = reverse("benchmarking:submission", args=[campaign.public_id])
    login(client, officer_a)
    with acting_for(comune_a):
        data = form_data(selectors.submission_or_blank(campaign, comune_a), certificati="100")
    page = client.post(url, data, follow=True).content.decode()
    assert "Bozza salvata: 1 valore aggiornato." in page
    history = client.get(reverse("benchmarking:value_history", args=[campaign.public_id, "certificati"]))
    text = history.content.decode()
    assert "Non disponibile" in text and ">missing<" not in text


def test_status_changes_are_words(comune_a, officer_a, submission_a):
    from benchmarking.models import SubmissionEvent

    event = SubmissionEvent(submission=submission_a, from_status="draft", to_status="submitted")
    assert (event.from_status_label, event.to_status_label) == ("Bozza", "Inviata")
