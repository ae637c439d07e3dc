"""One fact, one value: a shared context figure (the resident population) of a
comune and period is entered once and is the same in every area's submission,
whichever way it is written (form, API, file import, national load)."""

import importlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from benchmarking.collection import bulk, imports, selectors, services
from benchmarking.collection.services import ConcurrentEdit, Entry
from benchmarking.models import (
    DataElement,
    DataValue,
    DataValueChange,
    IndicatorResult,
    SharedValue,
    Submission,
)
from benchmarking.periods import Period
from benchmarking.tests.factories import DataElementFactory, campaign_for, indicator_with
from qclub.models import Role
from qclub.tenancy import SCOPE_REVIEW, acting_for, cross_tenant
from tests.factories import AreaCoordinatorFactory, ThematicAreaFactory, officer_of

V = DataValue.State.VALUE


@pytest.fixture
def world(db):
    """Two areas whose 2025 campaigns both divide by the resident population."""
    registry = ThematicAreaFactory(code="servizi-demografici", name="Servizi demografici")
    satisfaction = ThematicAreaFactory(code="customer", name="Customer satisfaction")
    population = DataElementFactory(
        area=registry, code="popolazione_residente", name="Popolazione residente", group="Contesto", shared=True,
    )
    DataElementFactory(area=registry, code="costo_anagrafe", name="Costo anagrafe", kind=DataElement.Kind.AMOUNT)
    DataElementFactory(area=satisfaction, code="reclami", name="Reclami ricevuti")
    cost = indicator_with(registry, "costo_anagrafe / popolazione_residente", code="costo_per_abitante")
    complaints = indicator_with(satisfaction, "reclami / popolazione_residente * 10000", code="reclami_10000")
    return {
        "population": population,
        "registry": campaign_for(registry, [cost], year=2025),
        "satisfaction": campaign_for(satisfaction, [complaints], year=2025),
        "registry_area": registry,
    }


def save(campaign, user, comune, **figures):
    submission = selectors.submission_or_blank(campaign, comune)
    seen = {row.element.code: row.version for row in selectors.submission_values(submission)}
    entries = {
        code: Entry(state=V, value=Decimal(str(value)), seen_version=seen.get(code)) for code, value in figures.items()
    }
    return services.save_values(submission, entries, user).submission


def population_rows():
    return list(DataValue.objects.filter(element__code="popolazione_residente").order_by("submission__campaign__area__code"))


def result(submission, code):
    return IndicatorResult.objects.get(submission=submission, indicator__code=code).value


def test_population_entered_in_one_area_is_in_every_area(world, comune_a, officer_a):
    with acting_for(comune_a):
        registry = save(world["registry"], officer_a, comune_a, popolazione_residente=184321, costo_anagrafe=1840740)
        # The other area's form, not started yet, already shows it.
        blank = selectors.submission_or_blank(world["satisfaction"], comune_a)
        shown = {row.element.code: row for row in selectors.submission_values(blank)}["popolazione_residente"]
        assert (shown.state, shown.value) == (V, 184321)
        satisfaction = save(world["satisfaction"], officer_a, comune_a, reclami=368)
        assert [row.value for row in population_rows()] == [184321, 184321]
        assert SharedValue.objects.get().value == 184321
        assert result(satisfaction, "reclami_10000") == round(Decimal("368") / Decimal("184321") * 10000, 6)
        # Corrected from the second area: the first area's figure and indicator follow.
        save(world["satisfaction"], officer_a, comune_a, popolazione_residente=184074)
        assert [row.value for row in population_rows()] == [184074, 184074]
        assert len({row.version for row in population_rows()}) == 1
        assert SharedValue.objects.get().value == 184074
        assert result(registry, "costo_per_abitante") == 10
        history = DataValueChange.objects.filter(
            data_value__submission=registry, data_value__element__code="popolazione_residente"
        ).order_by("at", "id")
        assert [(h.old_value, h.new_value) for h in history] == [(None, 184321), (184321, 184074)]
        assert "Customer satisfaction" in history.last().reason


def test_a_stale_population_from_another_area_is_a_conflict(world, comune_a, officer_a):
    with acting_for(comune_a):
        save(world["registry"], officer_a, comune_a, popolazione_residente=1000)
        save(world["satisfaction"], officer_a, comune_a, reclami=3)
        stale = DataValue.objects.get(submission__campaign=world["satisfaction"], element__code="popolazione_residente").version
        save(world["registry"], officer_a, comune_a, popolazione_residente=1100)
        submission = Submission.objects.get(campaign=world["satisfaction"])
        with pytest.raises(ConcurrentEdit) as raised:
            services.save_values(submission, {
                "popolazione_residente": Entry(state=V, value=Decimal(1200), seen_version=stale),
            }, officer_a)
        assert raised.value.codes == ["popolazione_residente"]
        assert SharedValue.objects.get().value == 1100


def test_population_cannot_change_under_an_approved_submission(world, comune_a, officer_a):
    manager = officer_of(comune_a, role=Role.MANAGER)
    coordinator = AreaCoordinatorFactory(area=world["registry_area"]).user
    with acting_for(comune_a):
        registry = save(world["registry"], officer_a, comune_a, popolazione_residente=1000, costo_anagrafe=5000)
        services.transition(registry, services.SUBMIT, manager)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(registry, services.APPROVE, coordinator)
    with acting_for(comune_a):
        save(world["satisfaction"], officer_a, comune_a, reclami=3)  # the same population: fine
        with pytest.raises(ValidationError) as raised:
            save(world["satisfaction"], officer_a, comune_a, popolazione_residente=999)
        assert "Approvata" in " ".join(raised.value.message_dict["popolazione_residente"])
        assert {row.value for row in population_rows()} == {1000}
        # Its own justification is each area's: it does not touch the shared figure.
        submission = Submission.objects.get(campaign=world["satisfaction"])
        row = DataValue.objects.get(submission=submission, element__code="popolazione_residente")
        services.save_values(submission, {"popolazione_residente": Entry(
            state=V, value=row.value, justification="dato ISTAT", seen_version=row.version)}, officer_a)
        row.refresh_from_db()
        assert row.justification == "dato ISTAT" and row.version == SharedValue.objects.get().version


def test_the_api_writes_the_shared_population(world, comune_a, officer_a, client):
    with acting_for(comune_a):
        save(world["registry"], officer_a, comune_a, popolazione_residente=5000)
        version = SharedValue.objects.get().version
    client.force_login(officer_a)
    response = client.put(
        reverse("api-benchmarking-values", args=[world["satisfaction"].public_id]),
        [{"code": "popolazione_residente", "value": "5.100", "version": version}],
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    with acting_for(comune_a):
        assert {row.value for row in population_rows()} == {5100}
    stale = client.put(
        reverse("api-benchmarking-values", args=[world["satisfaction"].public_id]),
        [{"code": "popolazione_residente", "value": "5.200", "version": version}],
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_a_file_import_writes_the_shared_population(world, comune_a, officer_a):
    with acting_for(comune_a):
        save(world["registry"], officer_a, comune_a, popolazione_residente=5000)
        submission = selectors.submission_or_blank(world["satisfaction"], comune_a)
        upload = SimpleUploadedFile("dati.csv", b"codice;stato;valore\npopolazione_residente;;5.050\n")
        imports.import_file(submission, upload, officer_a)
        assert {row.value for row in population_rows()} == {5050}
        assert SharedValue.objects.get().value == 5050


def test_the_national_load_writes_the_shared_population(world, comune_a, officer_a):
    with acting_for(comune_a):
        save(world["satisfaction"], officer_a, comune_a, reclami=7)
    source = io.BytesIO(
        f"istat_code,element,state,value,note\n{comune_a.istat_code},popolazione_residente,,4321,\n".encode()
    )
    bulk.load_values(source=source, period=Period(2025, "Y", 1), acting_user=officer_a)
    with acting_for(comune_a):
        assert {row.value for row in population_rows()} == {4321}
        assert SharedValue.objects.get().value == 4321
        assert len({row.version for row in population_rows()} | {SharedValue.objects.get().version}) == 1


def test_the_national_load_keeps_the_filled_count_of_every_form_holding_the_population(world, comune_a, officer_a):
    """The population the load writes into another area's form fills a line
    of that form too: its count says so."""
    with acting_for(comune_a):
        save(world["satisfaction"], officer_a, comune_a, reclami=7)
    source = io.BytesIO(
        f"istat_code,element,state,value,note\n{comune_a.istat_code},popolazione_residente,,4321,\n".encode()
    )
    bulk.load_values(source=source, period=Period(2025, "Y", 1), acting_user=officer_a)
    with acting_for(comune_a):
        for submission in Submission.objects.all():
            assert submission.filled_count == submission.values.exclude(state=DataValue.State.MISSING).count()
        assert Submission.objects.get(campaign=world["satisfaction"]).filled_count == 2


def test_the_national_load_refuses_a_population_under_an_approved_submission(world, comune_a, officer_a):
    manager = officer_of(comune_a, role=Role.MANAGER)
    coordinator = AreaCoordinatorFactory(area=world["satisfaction"].area).user
    with acting_for(comune_a):
        satisfaction = save(world["satisfaction"], officer_a, comune_a, reclami=7, popolazione_residente=1000)
        services.transition(satisfaction, services.SUBMIT, manager)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(satisfaction, services.APPROVE, coordinator)
    source = io.BytesIO(
        f"istat_code,element,state,value,note\n{comune_a.istat_code},popolazione_residente,,4321,\n".encode()
    )
    with pytest.raises(bulk.BulkLoadRefused):
        bulk.load_values(source=source, period=Period(2025, "Y", 1), acting_user=officer_a)
    with acting_for(comune_a):
        assert {row.value for row in population_rows()} == {1000}


def test_the_migration_keeps_the_most_recently_changed_population(world, comune_a, officer_a):
    """Before: two areas with different populations (as Modena's 184,321 and 184,074)."""
    with acting_for(comune_a):
        older = save(world["registry"], officer_a, comune_a, popolazione_residente=184321, costo_anagrafe=1843210)
        newer = save(world["satisfaction"], officer_a, comune_a, reclami=368)
        SharedValue.objects.all().delete()
        DataValue.objects.filter(submission=newer, element__code="popolazione_residente").update(value=184074, version=7)
        DataValueChange.objects.create(
            municipality=comune_a, data_value=DataValue.objects.get(submission=newer, element__code="popolazione_residente"),
            old_state="missing", new_state="value", new_value=184074,
        )
    migration = importlib.import_module("benchmarking.migrations.0007_bm_entry_shared_context")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    state = MigrationLoader(connection).project_state(("benchmarking", "0007_bm_entry_shared_context"))
    migration.reconcile(state.apps, editor)
    with acting_for(comune_a):
        assert [row.value for row in population_rows()] == [184074, 184074]
        shared = SharedValue.objects.get()
        assert (shared.value, shared.version) == (184074, 8)
        assert {row.version for row in population_rows()} == {8}
        recorded = DataValueChange.objects.get(data_value__submission=older, reason__startswith="Riconciliazione")
        assert (recorded.old_value, recorded.new_value) == (184321, 184074)
        assert result(older, "costo_per_abitante") == round(Decimal("1843210") / Decimal("184074"), 6)


def test_the_form_says_the_population_is_shared_and_where(world, comune_a, officer_a, client):
    with acting_for(comune_a):
        save(world["registry"], officer_a, comune_a, popolazione_residente=5000)
    client.force_login(officer_a)
    page = client.get(reverse("benchmarking:submission", args=[world["satisfaction"].public_id])).content.decode()
    assert "se lo cambi qui, cambia anche in Servizi demografici" in page
    assert 'value="5000"' in page  # already filled in, entered once
    api = client.get(reverse("api-benchmarking-values", args=[world["satisfaction"].public_id])).json()
    assert {v["code"]: v["shared"] for v in api["values"]}["popolazione_residente"] is True


def test_typing_a_locked_population_is_flagged_while_typing(world, comune_a, officer_a, client):
    manager = officer_of(comune_a, role=Role.MANAGER)
    coordinator = AreaCoordinatorFactory(area=world["registry_area"]).user
    with acting_for(comune_a):
        registry = save(world["registry"], officer_a, comune_a, popolazione_residente=1000, costo_anagrafe=5000)
        services.transition(registry, services.SUBMIT, manager)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(registry, services.APPROVE, coordinator)
    client.force_login(officer_a)
    page = client.get(reverse("benchmarking:submission", args=[world["satisfaction"].public_id])).content.decode()
    assert "non si può cambiare ora, perché la scheda di Servizi demografici" in page
    html = client.post(reverse("benchmarking:preview", args=[world["satisfaction"].public_id]), {
        "s-popolazione_residente": "value", "v-popolazione_residente": "1.200", "ver-popolazione_residente": "2",
    }).content.decode()
    start = html.index('id="msg-popolazione_residente"')
    assert "non si può cambiare ora" in html[start:html.index("</div>", start)]
