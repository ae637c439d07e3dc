"""The catalogue pages: everyone logged in reads; coordinators of the area edit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.catalogue.forms import element_fingerprint, indicator_fingerprint
from benchmarking.catalogue.selectors import default_period
from benchmarking.models import Campaign, DataElement, Indicator, IndicatorVersion
from benchmarking.tests.factories import IndicatorFactory, indicator_with
from tests.factories import AreaCoordinatorFactory, ThematicAreaFactory

pytestmark = pytest.mark.django_db


def element_data(area, **overrides):
    data = {
        "area": area.pk, "code": "pratiche", "name": "Pratiche evase", "unit": "n.",
        "kind": DataElement.Kind.COUNT, "position": 0, "change_threshold_pct": "30",
    }
    data.update(overrides)
    return data


def indicator_data(area, **overrides):
    data = {
        "area": area.pk, "code": "online_per_fte", "name": "Certificati online per addetto",
        "dimension": "efficiency", "position": 3, "formula": "certificati_online / sportello_fte",
        "unit": "n.", "decimals": 1, "better": "higher",
    }
    data.update(overrides)
    return data


def edit_data(indicator, **overrides):
    """The edit form as it is when loaded, with `overrides` typed over it."""
    version = indicator.current
    data = {
        "name": indicator.name, "dimension": indicator.dimension, "position": indicator.position,
        "is_active": "on" if indicator.is_active else "", "formula": version.formula,
        "unit": version.unit, "decimals": version.decimals, "better": version.better,
        "band_low": "", "band_high": "", "definition": version.definition, "notes": version.notes,
        "loaded": indicator_fingerprint(indicator, version),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def other_coordinator(db):
    return AreaCoordinatorFactory(area=ThematicAreaFactory(name="Biblioteche")).user


# --- Reading ------------------------------------------------------------------------


def test_officer_reads_the_catalogue_grouped_by_area(client, officer_a, indicators):
    client.force_login(officer_a)
    response = client.get(reverse("benchmarking:catalogue"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Servizi demografici" in content
    assert "certificati / sportello_fte" in content
    assert "Nuovo indicatore" not in content


def test_catalogue_is_paginated_by_25(client, officer_a, area, elements):
    for n in range(30):
        indicator_with(area, "certificati", code=f"ind_{n:02d}")
    client.force_login(officer_a)
    first = client.get(reverse("benchmarking:catalogue"))
    second = client.get(reverse("benchmarking:catalogue"), {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "ind_29" in second.content.decode()


def test_catalogue_filters_by_area_and_dimension(client, officer_a, indicators):
    other = indicator_with(ThematicAreaFactory(), "1", code="altro_quality")
    Indicator.objects.filter(pk=other.pk).update(dimension="quality")
    client.force_login(officer_a)
    by_area = client.get(reverse("benchmarking:catalogue"), {"area": indicators[0].area_id})
    assert by_area.context["page"].paginator.count == 2
    by_dimension = client.get(reverse("benchmarking:catalogue"), {"dimension": "quality"})
    assert [i.code for i in by_dimension.context["page"].object_list] == ["altro_quality"]


def test_example_indicators_carry_a_badge(client, officer_a, indicators):
    Indicator.objects.filter(pk=indicators[0].pk).update(is_example=True)
    client.force_login(officer_a)
    assert "esempio" in client.get(reverse("benchmarking:catalogue")).content.decode()


def test_officer_reads_elements_and_campaigns(client, officer_a, elements, campaign):
    client.force_login(officer_a)
    elements_page = client.get(reverse("benchmarking:elements"))
    assert elements_page.status_code == 200
    assert "certificati_online" in elements_page.content.decode()
    campaigns_page = client.get(reverse("benchmarking:campaigns"))
    assert campaigns_page.status_code == 200
    assert "Servizi demografici" in campaigns_page.content.decode()


def test_indicator_page_shows_version_history(client, officer_a, indicators):
    client.force_login(officer_a)
    response = client.get(reverse("benchmarking:indicator", args=["quota_online"]))
    assert response.status_code == 200
    assert "Storia delle versioni" in response.content.decode()


def test_anonymous_is_sent_to_login(client, indicators):
    response = client.get(reverse("benchmarking:catalogue"))
    assert response.status_code == 302


# --- Who may edit ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["element_create", "indicator_create", "campaign_open"])
def test_officer_cannot_open_create_pages(client, officer_a, name):
    client.force_login(officer_a)
    assert client.get(reverse(f"benchmarking:{name}")).status_code == 403


def test_officer_cannot_edit(client, officer_a, indicators, elements):
    client.force_login(officer_a)
    assert client.get(reverse("benchmarking:indicator_edit", args=["quota_online"])).status_code == 403
    assert client.get(reverse("benchmarking:element_edit", args=["certificati"])).status_code == 403
    response = client.post(reverse("benchmarking:indicator_edit", args=["quota_online"]),
                           edit_data(indicators[1], name="Rubato"))
    assert response.status_code == 403
    assert Indicator.objects.get(code="quota_online").name != "Rubato"


def test_coordinator_of_another_area_cannot_edit_this_areas_indicator(
    client, other_coordinator, indicators, elements
):
    client.force_login(other_coordinator)
    url = reverse("benchmarking:indicator_edit", args=["quota_online"])
    assert client.get(url).status_code == 403
    assert client.post(url, edit_data(indicators[1], name="Rubato")).status_code == 403
    assert client.get(reverse("benchmarking:element_edit", args=["certificati"])).status_code == 403


def test_coordinator_of_another_area_cannot_create_in_this_area(client, other_coordinator, area, elements):
    client.force_login(other_coordinator)
    response = client.post(reverse("benchmarking:element_create"), element_data(area))
    assert response.status_code == 200  # the area is not among the choices
    assert "area" in response.context["form"].errors
    assert not DataElement.objects.filter(code="pratiche").exists()


# --- Data elements ----------------------------------------------------------------------


def test_coordinator_creates_an_element(client, coordinator, area, elements):
    client.force_login(coordinator)
    response = client.post(
        reverse("benchmarking:element_create"),
        element_data(area, part_of=elements["certificati"].pk, plausible_min="0", plausible_max="10"),
    )
    assert response.status_code == 302
    element = DataElement.objects.get(code="pratiche")
    assert element.area == area and element.part_of == elements["certificati"]


def test_element_rules_are_checked_in_italian(client, coordinator, area, elements):
    elsewhere = DataElement.objects.create(
        area=ThematicAreaFactory(), code="altrove", name="Altrove", unit="n.", kind="count"
    )
    AreaCoordinatorFactory(user=coordinator, area=elsewhere.area)
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:element_create"), element_data(
        area, code="Certificati!", plausible_min="10", plausible_max="1", part_of=elsewhere.pk,
    ))
    errors = response.context["form"].errors
    assert "lettere minuscole" in errors["code"][0]
    assert errors["plausible_max"] == ["Il massimo plausibile non può essere minore del minimo."]
    assert errors["part_of"] == ["Il dato di cui è parte deve essere della stessa area."]
    assert 'role="alert"' in response.content.decode()
    duplicate = client.post(reverse("benchmarking:element_create"), element_data(area, code="certificati"))
    assert duplicate.context["form"].errors["code"] == ["Esiste già un dato elementare con questo codice."]


def test_coordinator_edits_an_element(client, coordinator, elements):
    element = elements["sportello_fte"]
    client.force_login(coordinator)
    data = element_data(element.area, name="Addetti (FTE)", unit="FTE", kind="quantity",
                        loaded=element_fingerprint(element))
    response = client.post(reverse("benchmarking:element_edit", args=["sportello_fte"]), data)
    assert response.status_code == 302
    element.refresh_from_db()
    assert element.name == "Addetti (FTE)" and element.code == "sportello_fte"


def test_stale_element_edit_is_refused(client, coordinator, elements):
    element = elements["sportello_fte"]
    loaded = element_fingerprint(element)
    DataElement.objects.filter(pk=element.pk).update(name="Cambiato da un altro")
    client.force_login(coordinator)
    response = client.post(
        reverse("benchmarking:element_edit", args=["sportello_fte"]),
        element_data(element.area, name="Il mio nome", unit="FTE", kind="quantity", loaded=loaded),
    )
    assert response.status_code == 200
    assert "qualcun altro ha modificato" in response.content.decode()
    element.refresh_from_db()
    assert element.name == "Cambiato da un altro"


def test_an_element_cannot_be_part_of_its_own_part(client, coordinator, elements):
    whole = elements["certificati"]
    client.force_login(coordinator)
    response = client.post(
        reverse("benchmarking:element_edit", args=["certificati"]),
        element_data(whole.area, name=whole.name, part_of=elements["certificati_online"].pk,
                     loaded=element_fingerprint(DataElement.objects.get(pk=whole.pk))),
    )
    assert response.context["form"].errors["part_of"] == [
        "Un dato non può essere parte di una sua parte."
    ]
    whole.refresh_from_db()
    assert whole.part_of is None


# --- Indicators -------------------------------------------------------------------------


def test_coordinator_creates_an_indicator_with_version_1(client, coordinator, area, elements):
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:indicator_create"), indicator_data(area))
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="online_per_fte")
    assert response.url == reverse("benchmarking:indicator", args=["online_per_fte"])
    version = indicator.versions.get()
    assert (version.number, version.formula, version.created_by) == (
        1, "certificati_online / sportello_fte", coordinator
    )


def test_bad_formula_shows_the_italian_error_and_writes_nothing(client, coordinator, area, elements):
    client.force_login(coordinator)
    response = client.post(
        reverse("benchmarking:indicator_create"), indicator_data(area, formula="certificati / (")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["formula"][0].startswith("Formula non valida")
    assert "Formula non valida" in response.content.decode()
    assert not Indicator.objects.filter(code="online_per_fte").exists()
    assert not IndicatorVersion.objects.filter(indicator__code="online_per_fte").exists()


def test_unknown_codes_are_listed(client, coordinator, area, elements):
    DataElement.objects.create(area=ThematicAreaFactory(), code="prestiti", name="Prestiti",
                               unit="n.", kind="count")
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:indicator_create"), indicator_data(
        area, formula="certificati / (residenti + prestiti)"
    ))
    [message] = response.context["form"].errors["formula"]
    assert "prestiti, residenti" in message
    assert not Indicator.objects.filter(code="online_per_fte").exists()


def test_band_needs_low_below_high(client, coordinator, area, elements):
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:indicator_create"), indicator_data(
        area, better="band", band_low="5", band_high="5"
    ))
    assert response.context["form"].errors["band_high"] == [
        "L'obiettivo minimo deve essere minore del massimo."
    ]


def test_changing_the_formula_makes_version_2_and_keeps_version_1(client, coordinator, indicators):
    indicator = indicators[1]
    before = IndicatorVersion.objects.get(indicator=indicator, number=1)
    client.force_login(coordinator)
    response = client.post(
        reverse("benchmarking:indicator_edit", args=[indicator.code]),
        edit_data(indicator, formula="certificati_online / certificati * 1000", unit="‰"),
    )
    assert response.status_code == 302
    versions = {v.number: v for v in indicator.versions.all()}
    assert set(versions) == {1, 2}
    assert (versions[1].formula, versions[1].unit) == (before.formula, before.unit)
    assert versions[1].created_at == before.created_at
    assert versions[2].formula == "certificati_online / certificati * 1000"
    assert versions[2].created_by == coordinator
    page = client.get(reverse("benchmarking:indicator", args=[indicator.code])).content.decode()
    assert before.formula in page and "certificati_online / certificati * 1000" in page


def test_editing_only_the_name_makes_no_version(client, coordinator, indicators):
    indicator = indicators[1]
    client.force_login(coordinator)
    response = client.post(
        reverse("benchmarking:indicator_edit", args=[indicator.code]),
        edit_data(indicator, name="Quota di certificati online", position=7),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.position) == ("Quota di certificati online", 7)
    assert indicator.versions.count() == 1


def test_stale_indicator_edit_is_refused(client, coordinator, indicators):
    indicator = indicators[1]
    data = edit_data(indicator, formula="certificati_online / certificati")
    # Meanwhile someone else saves a new version.
    IndicatorVersion.objects.create(indicator=indicator, number=2, formula="certificati_online",
                                    unit="n.", better="higher")
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:indicator_edit", args=[indicator.code]), data)
    assert response.status_code == 200
    assert "qualcun altro ha modificato" in response.content.decode()
    assert indicator.versions.count() == 2


def test_formula_preview_lists_codes_or_the_error(client, coordinator, area, elements):
    client.force_login(coordinator)
    url = reverse("benchmarking:formula_preview")
    good = client.post(url, {"formula": "certificati / sportello_fte", "area": area.pk})
    assert "<code>certificati</code>" in good.content.decode()
    unknown = client.post(url, {"formula": "certificati / nessuno", "area": area.pk})
    assert "nessuno" in unknown.content.decode() and "non sono dati elementari" in unknown.content.decode()


def test_officer_cannot_use_the_formula_preview(client, officer_a, area):
    client.force_login(officer_a)
    response = client.post(reverse("benchmarking:formula_preview"), {"formula": "1", "area": area.pk})
    assert response.status_code == 403


# --- Campaigns ---------------------------------------------------------------------------


def campaign_data(area, indicators, **overrides):
    data = {
        "area": area.pk, "period_text": "2026-H1", "period_kind": "Y", "period_index": 1,
        "indicators": [i.pk for i in indicators],
        "opens_on": "2026-07-01", "due_on": "2026-09-30",
    }
    data.update(overrides)
    return data


def test_open_form_preselects_the_areas_active_indicators(client, coordinator, indicators):
    IndicatorFactory(area=indicators[0].area, is_active=False)
    client.force_login(coordinator)
    form = client.get(reverse("benchmarking:campaign_open")).context["form"]
    assert sorted(form.fields["indicators"].initial) == sorted(i.pk for i in indicators)
    assert form.fields["indicators"].queryset.count() == 2


def test_coordinator_opens_a_campaign(client, coordinator, area, indicators):
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:campaign_open"), campaign_data(area, indicators))
    assert response.status_code == 302
    campaign = Campaign.objects.get(area=area, period_year=2026)
    assert (campaign.period_kind, campaign.period_index) == ("H", 1)
    assert set(campaign.indicators.all()) == set(indicators)
    assert campaign.created_by == coordinator


def test_period_from_year_kind_and_index(client, coordinator, area, indicators):
    client.force_login(coordinator)
    data = campaign_data(area, indicators, period_text="", period_year=2026, period_kind="Q", period_index=3)
    assert client.post(reverse("benchmarking:campaign_open"), data).status_code == 302
    assert Campaign.objects.filter(area=area, period_year=2026, period_kind="Q", period_index=3).exists()


def test_unreadable_period_is_refused(client, coordinator, area, indicators):
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:campaign_open"),
                           campaign_data(area, indicators, period_text="2026-H3"))
    assert response.context["form"].errors["period_text"] == [
        "Periodo non valido: scrivi per esempio 2025, 2025-H1 o 2025-Q3."
    ]
    assert not Campaign.objects.exists()


def test_duplicate_period_is_refused(client, coordinator, area, indicators, campaign):
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:campaign_open"),
                           campaign_data(area, indicators, period_text="2025"))
    assert response.status_code == 200
    assert response.context["form"].errors["period_text"] == [
        f"C'è già una campagna «{area.name}» per il periodo 2025: scegli un altro periodo."
    ]
    assert Campaign.objects.filter(area=area).count() == 1


def test_the_default_period_is_one_the_area_has_no_campaign_for(client, coordinator, area, indicators, campaign):
    client.force_login(coordinator)
    last_year = timezone.localdate().year - 1
    Campaign.objects.get_or_create(area=area, period_year=last_year,
                                   defaults={"opens_on": campaign.opens_on, "due_on": campaign.due_on})
    form = client.get(reverse("benchmarking:campaign_open")).context["form"]
    assert form.fields["period_year"].initial == last_year + 1
    other = ThematicAreaFactory()
    assert default_period(other).year == last_year  # an area with no campaign: last year


def test_choosing_the_area_loads_its_indicators_and_period(client, coordinator, area, indicators):
    other = ThematicAreaFactory(name="Biblioteche")
    AreaCoordinatorFactory(user=coordinator, area=other)
    loans = IndicatorFactory(area=other, name="Prestiti per abitante")
    client.force_login(coordinator)
    fragment = client.get(reverse("benchmarking:campaign_open_indicators"), {"area": other.pk})
    assert fragment.status_code == 200
    content = fragment.content.decode()
    assert "Prestiti per abitante" in content and indicators[0].name not in content
    assert f'value="{loans.pk}"' in content and 'name="period_year"' in content
    # The page's one area choice asks for that fragment when it changes (htmx).
    page = client.get(reverse("benchmarking:campaign_open")).content.decode()
    assert f'hx-get="{reverse("benchmarking:campaign_open_indicators")}"' in page
    assert 'hx-target="#area-fields"' in page


def test_choosing_the_area_without_javascript_keeps_the_dates(client, coordinator, area, indicators):
    other = ThematicAreaFactory(name="Biblioteche")
    AreaCoordinatorFactory(user=coordinator, area=other)
    IndicatorFactory(area=other, name="Prestiti per abitante")
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:campaign_open"), {
        "area": other.pk, "choose_area": "1", "opens_on": "2026-07-01", "due_on": "2026-09-30",
    })
    assert response.status_code == 200 and not response.context["form"].errors
    content = response.content.decode()
    assert "Prestiti per abitante" in content and 'value="2026-09-30"' in content
    assert not Campaign.objects.exists()


def test_an_area_not_coordinated_loads_no_indicators(client, coordinator, area, indicators):
    other = ThematicAreaFactory()
    IndicatorFactory(area=other, name="Prestiti per abitante")
    client.force_login(coordinator)
    content = client.get(reverse("benchmarking:campaign_open_indicators"), {"area": other.pk}).content.decode()
    assert "Prestiti per abitante" not in content


def test_due_before_opening_is_refused(client, coordinator, area, indicators):
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:campaign_open"),
                           campaign_data(area, indicators, due_on="2026-06-01"))
    assert response.context["form"].errors["due_on"] == ["La scadenza non può precedere l'apertura."]
    assert not Campaign.objects.exists()


def test_indicator_of_another_area_is_refused(client, coordinator, area, indicators):
    foreign = indicator_with(ThematicAreaFactory(), "1", code="prestiti_per_utente")
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:campaign_open"),
                           campaign_data(area, [*indicators, foreign]))
    assert response.status_code == 200
    assert "indicators" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_campaign_of_an_area_not_coordinated_is_refused(client, other_coordinator, area, indicators):
    client.force_login(other_coordinator)
    response = client.post(reverse("benchmarking:campaign_open"), campaign_data(area, indicators))
    assert "area" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_coordinator_closes_a_campaign(client, coordinator, campaign):
    client.force_login(coordinator)
    response = client.post(reverse("benchmarking:campaign_close", args=[campaign.public_id]), {"confirm": "yes"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED


def test_others_cannot_close_a_campaign(client, officer_a, other_coordinator, campaign):
    url = reverse("benchmarking:campaign_close", args=[campaign.public_id])
    for user in (officer_a, other_coordinator):
        client.force_login(user)
        assert client.post(url, {"confirm": "yes"}).status_code == 403
        assert client.get(url).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN


def test_closing_is_confirmed_first_with_the_count_of_open_forms(client, coordinator, campaign, comune_a, comune_b):
    client.force_login(coordinator)
    url = reverse("benchmarking:campaign_close", args=[campaign.public_id])
    for response in (client.get(url), client.post(url)):  # a POST without "confirm" only asks
        assert response.status_code == 200
        assert response.context["forms"].still_open == 2
        assert "2 comuni aderenti su 2 non hanno ancora inviato" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN


def test_overdue_campaign_is_marked(client, officer_a, area, indicators):
    Campaign.objects.create(area=area, period_year=2020, opens_on=datetime.date(2021, 1, 1),
                            due_on=datetime.date(2021, 2, 1))
    client.force_login(officer_a)
    assert "scaduta" in client.get(reverse("benchmarking:campaigns")).content.decode()
