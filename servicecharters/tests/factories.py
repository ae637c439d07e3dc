"""A published charter as citizens see it, for the public pages' tests (page,
PDF, sitemap, browser): every section written, two standards (a general one
in minutes, a specific one in working days with its remedy), version 1
superseded by version 2, the monitoring of the last two years published and
this year's computed but not published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from qclub.tenancy import acting_for
from servicecharters.charters import services
from servicecharters.models import CharterVersion, MonitoringReport, StandardResult
from servicecharters.monitoring import services as monitoring

THIS_YEAR = dt.date.today().year
LAST = THIS_YEAR - 1

SECTIONS = {
    "presentation": "Lo sportello **anagrafe** rilascia certificati e carte d'identità.\n\n## Per chi\n\nPer tutti i residenti.",
    "access": "Si prenota online o per telefono.",
    "hours_places": "Dal lunedì al venerdì, 8.30–12.30, in via Belenzani 19.",
    "costs": "I certificati costano 0,52 euro di diritti di segreteria.",
    "rights_duties": "Hai diritto a un servizio cortese; porta un documento valido.",
    "complaints": "Puoi presentare un reclamo con il modulo online o allo sportello.",
    "satisfaction": "Ogni anno chiediamo ai cittadini che cosa pensano del servizio.",
}


@dataclass
class PublicCharter:
    charter: object
    first: CharterVersion  # superseded
    current: CharterVersion  # published, in force
    service: object


def _results(report: MonitoringReport) -> dict[str, StandardResult]:
    return {r.standard.title: r for r in StandardResult.objects.filter(report=report).select_related("standard")}


def _enter(report, values: dict[str, str], officer) -> None:
    for title, value in values.items():
        result = _results(report)[title]
        monitoring.enter_result(result=result, actual_value=Decimal(value), evidence="Registro dello sportello",
                                lock_version=result.lock_version, acting_user=officer)


def build_public_charter(comune, service, officer, manager) -> PublicCharter:
    with acting_for(comune):
        first = services.create_charter(municipality=comune, service=service, acting_user=officer)
        first = services.update_draft(version=first, lock_version=first.lock_version, acting_user=officer,
                                      title="Carta dei servizi dell'anagrafe", **SECTIONS)
        services.save_standard(
            version=first, acting_user=officer, dimension="timeliness", kind="general",
            title="Attesa media allo sportello", measure="Minuti tra l'arrivo e la chiamata, in media.",
            comparator="at_most", target_value=Decimal("15"), unit="minuti",
        )
        services.save_standard(
            version=first, acting_user=officer, dimension="timeliness", kind="specific",
            title="Risposta ai reclami", comparator="at_most", target_value=Decimal("20"),
            unit="giorni lavorativi", compliance_pct=Decimal("95"),
            remedy="Un buono di 10 euro: chiedilo allo sportello entro 30 giorni.",
        )
        first.refresh_from_db()
        services.submit(version=first, acting_user=officer)
        services.approve(version=first, acting_user=manager)
        services.publish(version=first, valid_from=dt.date(LAST - 1, 1, 1), acting_user=manager)
        report = monitoring.compute_year(charter=first.charter, year=LAST - 1, acting_user=officer)
        _enter(report, {"Attesa media allo sportello": "17.25", "Risposta ai reclami": "96"}, officer)
        monitoring.publish_report(report=report, acting_user=manager)

        current = services.start_new_version(charter=first.charter, acting_user=officer)
        current = services.update_draft(version=current, lock_version=current.lock_version, acting_user=officer,
                                        change_summary="Orari estesi al sabato.")
        services.submit(version=current, acting_user=officer)
        services.approve(version=current, acting_user=manager)
        services.publish(version=current, valid_from=dt.date(LAST, 1, 1), acting_user=manager)
        report = monitoring.compute_year(charter=first.charter, year=LAST, acting_user=officer)
        _enter(report, {"Attesa media allo sportello": "14", "Risposta ai reclami": "93.5"}, officer)
        report.summary = "Tempi di attesa ridotti grazie alle prenotazioni."
        report.save(update_fields=["summary"])
        monitoring.publish_report(report=report, acting_user=manager)

        # This year's monitoring, computed and not yet published: never public.
        report = monitoring.compute_year(charter=first.charter, year=THIS_YEAR, acting_user=officer)
        _enter(report, {"Attesa media allo sportello": "41.7", "Risposta ai reclami": "11.3"}, officer)
        first.refresh_from_db()
        current.refresh_from_db()
        return PublicCharter(charter=first.charter, first=first, current=current, service=service)
