"""Building blocks of the comparison and API tests: a comune's charter taken
to a given status through the charter services, its yearly monitoring
through the monitoring services, and a stand-in figure module (the figure
hooks of benchmarking, surveys and complaints are not needed to test how
charters compare)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from qclub import modules
from qclub.models import Role
from qclub.modules import Figure, FigureValue
from qclub.tenancy import acting_for
from servicecharters.charters import services
from servicecharters.models import CharterVersion, StandardResult
from servicecharters.monitoring import services as monitoring
from tests.factories import officer_of

LAST = dt.date.today().year - 1
WAIT = Figure(module="benchmarking", key="indicator:attesa_media_sportello", label="Attesa media allo sportello",
              unit="minuti", higher_is_better=False, kind="Indicatore di benchmarking")


def fake_figures(monkeypatch, values: dict[int, Decimal] | None = None) -> dict[int, Decimal]:
    """WAIT as the only figure any module offers; its value per comune id
    (every year) is what the returned dict holds."""
    values = {} if values is None else values
    monkeypatch.setattr(modules, "figure_get", lambda ref: WAIT if ref == WAIT.ref else None)
    monkeypatch.setattr(modules, "figures_for", lambda service: [WAIT])

    def figure_values(ref, *, years, municipality_ids=None, reason):
        if ref != WAIT.ref:
            return []
        return [
            FigureValue(mid, year, value, note="prova") for mid, value in values.items() for year in years
            if municipality_ids is None or mid in municipality_ids
        ]

    monkeypatch.setattr(modules, "figure_values", figure_values)
    return values


def standard(title: str, target=None, *, ref: str = "", dimension: str = "timeliness", comparator: str = "at_most",
             kind: str = "general", unit: str = "minuti") -> dict:
    return {
        "title": title, "target_value": None if target is None else Decimal(str(target)), "figure_ref": ref,
        "dimension": dimension, "comparator": comparator, "kind": kind, "unit": unit,
    }


def charter(comune, service, standards: list[dict], *, status: str = "published", title: str = "") -> CharterVersion:
    """The comune's charter for `service` with `standards`, taken to `status`
    (published versions are in force from 1 January two years before LAST)."""
    officer = officer_of(comune)
    manager = officer_of(comune, role=Role.MANAGER)
    with acting_for(comune):
        version = services.create_charter(municipality=comune, service=service, acting_user=officer)
        version = services.update_draft(
            version=version, lock_version=version.lock_version, acting_user=officer,
            title=title or f"Carta dei servizi di {comune.name}",
            presentation="Il servizio e a chi si rivolge.", complaints="Con il modulo online del comune.",
        )
        for terms in standards:
            services.save_standard(version=version, acting_user=officer, **terms)
        if status == "draft":
            return version
        services.submit(version=version, acting_user=officer)
        if status == "in_approval":
            return version
        services.approve(version=version, acting_user=manager)
        if status == "approved":
            return version
        return services.publish(version=version, valid_from=dt.date(LAST - 2, 1, 1), acting_user=manager)


def monitor(version: CharterVersion, year: int, entered: dict[str, Decimal], *, publish: bool = True):
    """The year's monitoring: values entered by standard title, then published."""
    comune = version.municipality
    officer = officer_of(comune)
    manager = officer_of(comune, role=Role.MANAGER)
    with acting_for(comune):
        report = monitoring.compute_year(charter=version.charter, year=year, acting_user=officer)
        for result in StandardResult.objects.filter(report=report).select_related("standard"):
            if result.standard.title in entered:
                monitoring.enter_result(
                    result=result, actual_value=Decimal(str(entered[result.standard.title])),
                    evidence="Registro dello sportello", lock_version=result.lock_version, acting_user=officer,
                )
        if publish:
            report = monitoring.publish_report(report=report, acting_user=manager)
        return report
