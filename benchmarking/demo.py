"""Benchmarking demo data, called by `manage.py seed_demo` after the core data.

Loads the example catalogue, opens a yearly campaign per area for 2023-2025 and
fills it for every member comune with plausible figures scaled by population
(deterministic: the same comune, element and year always give the same figure),
a small drift from year to year and a few genuine outliers. Everything is
written through `benchmarking.collection.services`, as the comune's officer and manager
(`acting_for`) and the area's coordinator (`cross_tenant(scope="review")`), so
the demo obeys the same rules as real data.

2023 and 2024 are approved, closed and published as open data. 2025 is open and past its due date: per
area most comuni are approved, one returned, one submitted, one in draft and one
has not started, a different comune each time.

Idempotent: a comune whose submission for a campaign has gone beyond "not
started" is left alone.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benchmarking.catalogue.seed import load_catalogue
from benchmarking.catalogue.services import campaign_close
from benchmarking.collection import services, validation
from benchmarking.collection.services import Entry
from benchmarking.models import Campaign, DataElement, DataValue, Indicator, Submission
from benchmarking.opendata.services import publish_open_data
from qclub.models import AreaCoordinator, Municipality, ThematicArea
from qclub.tenancy import SCOPE_REVIEW, acting_for, cross_tenant

YEARS = (2023, 2024, 2025)
OPEN_YEAR = 2025
Status = Submission.Status
Kind = DataElement.Kind
FIRST_YEAR = YEARS[0]

# (comune slug, element code) -> (factor, years, why): figures far from the
# other comuni's, with the explanation the comune gives.
OUTLIERS = {
    ("milano", "reclami_ricevuti"): (
        Decimal("3.2"), YEARS,
        "Dal 2008 il comune registra centralmente ogni segnalazione come reclamo "
        "(sistema di gestione centralizzata dei reclami).",
    ),
    ("venezia", "giorni_cambi_residenza"): (
        Decimal("4"), (2025,),
        "Nel 2025 il passaggio al nuovo gestionale ha fermato le registrazioni per tre settimane.",
    ),
    ("bolzano", "ore_apertura_sportello"): (
        Decimal("1.6"), YEARS,
        "Sportello bilingue aperto anche il sabato e in orario serale.",
    ),
}

JUSTIFICATIONS = {
    "change": "Variazione verificata: riorganizzazione del servizio nel corso dell'anno.",
    "bounds": "Valore verificato con l'ufficio: è corretto.",
    "outlier": "Valore verificato con l'ufficio: dipende dall'organizzazione del servizio.",
    "missing": "Dato non rilevato dal gestionale in uso.",
}

RETURN_NOTE = (
    "Controllate i costi: sembrano esclusi i costi generali dell'ente. Correggete e inviate di nuovo."
)


class _Draw:
    """Deterministic figures for one comune and year."""

    def __init__(self, comune: Municipality, year: int):
        self.slug = comune.slug
        self.year = year
        self.population = comune.population or 100_000

    def level(self, code: str, low: float, high: float, drift: float = 0.04) -> float:
        """The comune's own level of `code` in [low, high], drifting a little each year."""
        base = random.Random(f"{self.slug}:{code}").uniform(low, high)
        for year in range(FIRST_YEAR + 1, self.year + 1):
            base *= 1 + random.Random(f"{self.slug}:{code}:{year}").uniform(-drift, drift)
        factor, years, _why = OUTLIERS.get((self.slug, code), (1, (), ""))
        return base * float(factor) if self.year in years else base


def figures_for(comune: Municipality, year: int) -> dict[str, float]:
    """Every catalogue element's figure for `comune` in `year` (parts derived
    from their whole, so part ≤ whole always holds)."""
    d = _Draw(comune, year)
    pop = d.population * d.level("popolazione_residente", 0.995, 1.005, drift=0.004)
    f: dict[str, float] = {"popolazione_residente": pop}
    f["bambini_0_2"] = pop * d.level("bambini_0_2", 0.019, 0.026, drift=0.02)
    # Servizi demografici
    f["certificati_rilasciati"] = pop * d.level("certificati_rilasciati", 0.18, 0.35)
    online_share = d.level("certificati_online", 0.15, 0.5) * (1 + 0.08 * (year - FIRST_YEAR))
    f["certificati_online"] = f["certificati_rilasciati"] * min(online_share, 0.95)
    f["carte_identita"] = pop * d.level("carte_identita", 0.07, 0.11)
    f["sportello_fte"] = pop / d.level("sportello_fte", 3500, 6000)
    f["ore_apertura_sportello"] = d.level("ore_apertura_sportello", 24, 40, drift=0.02)
    f["attesa_media_minuti"] = d.level("attesa_media_minuti", 6, 25)
    f["cambi_residenza"] = pop * d.level("cambi_residenza", 0.035, 0.06)
    f["giorni_cambi_residenza"] = f["cambi_residenza"] * d.level("giorni_cambi_residenza", 1.2, 2.8)
    f["costo_anagrafe"] = pop * d.level("costo_anagrafe", 6, 12)
    f["atti_stato_civile"] = pop * d.level("atti_stato_civile", 0.011, 0.02)
    # Customer satisfaction and complaints
    f["questionari_distribuiti"] = pop * d.level("questionari_distribuiti", 0.004, 0.008)
    f["questionari_compilati"] = f["questionari_distribuiti"] * d.level("questionari_compilati", 0.2, 0.45)
    f["risposte_soddisfazione"] = f["questionari_compilati"] * d.level("risposte_soddisfazione", 0.9, 0.98, 0.01)
    f["somma_voti_soddisfazione"] = f["risposte_soddisfazione"] * d.level("voto_medio", 6.9, 8.4, 0.02)
    f["giudizi_positivi"] = f["risposte_soddisfazione"] * d.level("giudizi_positivi", 0.78, 0.93, 0.01)
    f["reclami_ricevuti"] = pop / 10_000 * d.level("reclami_ricevuti", 8, 25)
    f["reclami_risposti"] = f["reclami_ricevuti"] * d.level("reclami_risposti", 0.85, 0.99, 0.01)
    f["reclami_risposti_30gg"] = f["reclami_risposti"] * d.level("reclami_risposti_30gg", 0.7, 0.95, 0.02)
    f["giorni_risposta_reclami"] = f["reclami_risposti"] * d.level("giorni_risposta_reclami", 12, 28)
    # Nurseries
    f["posti_nido"] = f["bambini_0_2"] * d.level("posti_nido", 0.25, 0.42, 0.02)
    f["bambini_iscritti"] = f["posti_nido"] * d.level("bambini_iscritti", 0.88, 1.02, 0.01)
    f["domande_ammissione"] = f["bambini_0_2"] * d.level("domande_ammissione", 0.12, 0.2)
    f["domande_lista_attesa"] = f["domande_ammissione"] * d.level("domande_lista_attesa", 0.08, 0.3, 0.1)
    f["educatori_fte"] = f["bambini_iscritti"] / d.level("educatori_fte", 5.2, 7.0, 0.02)
    f["costo_nidi"] = f["bambini_iscritti"] * d.level("costo_nidi", 9_000, 14_000)
    f["entrate_rette"] = f["costo_nidi"] * d.level("entrate_rette", 0.15, 0.3)
    f["giorni_apertura_nido"] = d.level("giorni_apertura_nido", 200, 225, 0.01)
    # Staff and training
    f["dipendenti"] = pop * d.level("dipendenti", 0.006, 0.011, 0.02)
    f["cessazioni"] = f["dipendenti"] * d.level("cessazioni", 0.03, 0.07, 0.1)
    f["giorni_lavorativi"] = f["dipendenti"] * 198
    f["giorni_assenza"] = f["giorni_lavorativi"] * d.level("giorni_assenza", 0.06, 0.11)
    f["spesa_personale"] = f["dipendenti"] * d.level("spesa_personale", 38_000, 46_000, 0.02)
    f["dipendenti_formati"] = f["dipendenti"] * d.level("dipendenti_formati", 0.5, 0.85, 0.05)
    f["ore_formazione"] = f["dipendenti"] * d.level("ore_formazione", 10, 30, 0.08)
    f["spesa_formazione"] = f["dipendenti"] * d.level("spesa_formazione", 120, 350, 0.08)
    # Financial indicators
    f["spesa_corrente"] = pop * d.level("spesa_corrente", 1_000, 1_700, 0.03)
    f["spesa_investimento"] = pop * d.level("spesa_investimento", 150, 450, 0.1)
    f["debito_residuo"] = pop * d.level("debito_residuo", 400, 1_800, 0.05)
    f["entrate_tributarie"] = pop * d.level("entrate_tributarie", 500, 850, 0.03)
    f["entrate_tributarie_riscosse"] = f["entrate_tributarie"] * d.level("riscossione", 0.72, 0.9, 0.02)
    f["importo_fatture_pagate"] = f["spesa_corrente"] * d.level("importo_fatture_pagate", 0.35, 0.5, 0.03)
    f["giorni_pagamento_ponderati"] = f["importo_fatture_pagate"] * d.level("giorni_pagamento", 18, 45, 0.08)
    # Libraries
    f["prestiti"] = pop * d.level("prestiti", 1.2, 4.5)
    f["prestiti_interbibliotecari"] = f["prestiti"] * d.level("prestiti_interbibliotecari", 0.01, 0.05, 0.08)
    f["utenti_attivi"] = pop * d.level("utenti_attivi", 0.06, 0.14)
    f["ore_apertura_biblioteche"] = pop / 1_000 * d.level("ore_apertura_biblioteche", 0.8, 1.4, 0.02)
    f["patrimonio_documentario"] = pop * d.level("patrimonio_documentario", 1.5, 3.5, 0.01)
    f["acquisizioni"] = pop * d.level("acquisizioni", 0.08, 0.2, 0.08)
    f["costo_biblioteche"] = pop * d.level("costo_biblioteche", 18, 35)
    return f


PLACES = {Kind.COUNT: Decimal(1), Kind.AMOUNT: Decimal("0.01")}


def as_decimal(value: float, kind: str) -> Decimal:
    """A figure as the element's kind allows it (rounded down, so a part never
    rounds above its whole)."""
    places = PLACES.get(kind, Decimal("0.1"))
    return Decimal(str(math.floor(value * 100) / 100)).quantize(places, rounding=ROUND_DOWN)


def plan_for_2025(comuni: list[Municipality], area_index: int) -> dict[int, str]:
    """Which comune ends 2025 in which status: one each of not started, draft,
    submitted and returned (a different comune per area), the rest approved."""
    statuses = [Status.NOT_STARTED, Status.DRAFT, Status.SUBMITTED, Status.RETURNED]
    plan = {comune.pk: Status.APPROVED for comune in comuni}
    for offset, status in enumerate(statuses[: len(comuni)]):
        plan[comuni[(area_index * 3 + offset) % len(comuni)].pk] = status
    return plan


def coordinator_for(area: ThematicArea):
    """The demo's "coordinator" login if it coordinates the area, else any coordinator of it."""
    coordinators = AreaCoordinator.objects.filter(area=area).select_related("user").order_by("pk")
    chosen = coordinators.filter(user__username="coordinator").first() or coordinators.first()
    return chosen.user if chosen else None


def campaign_for(area: ThematicArea, year: int, indicators: list[Indicator], user) -> Campaign:
    campaign, created = Campaign.objects.get_or_create(
        area=area, period_year=year, period_kind="Y", period_index=1,
        defaults={
            "opens_on": datetime.date(year + 1, 1, 15),
            "due_on": datetime.date(year + 1, 3, 31),
            "created_by": user,
        },
    )
    if created:
        campaign.indicators.set(indicators)
    return campaign


def justification(comune: Municipality, code: str, warnings: list[dict]) -> str:
    known = OUTLIERS.get((comune.slug, code))
    if known:
        return known[2]
    reasons = dict.fromkeys(JUSTIFICATIONS.get(w["code"], JUSTIFICATIONS["bounds"]) for w in warnings)
    return " ".join(reasons)


def justify_warnings(submission: Submission, user) -> None:
    """Explain every warning, as a comune must before submitting."""
    entries = {}
    for row in submission.values.select_related("element"):
        if row.warnings and not row.justification.strip():
            why = justification(submission.municipality, row.element.code, row.warnings)
            # Stored with four decimals; an amount must be sent back with at most two.
            value = None if row.value is None else row.value.quantize(PLACES.get(row.element.kind, Decimal("0.1")))
            entries[row.element.code] = Entry(
                state=row.state, value=value, note=row.note, estimated=row.estimated,
                justification=why, seen_version=row.version,
            )
    if entries:
        services.save_values(submission, entries, user, reason="Giustificazione degli avvisi")


def fill_submission(
    campaign: Campaign, comune: Municipality, target: str, *, officer, manager, coordinator
) -> bool:
    """Bring the comune's submission of `campaign` to `target`; False if it was
    already begun (left alone) or `target` is "not started"."""
    if target == Status.NOT_STARTED:
        return False
    with transaction.atomic():
        with acting_for(comune):
            existing = Submission.objects.filter(campaign=campaign).first()
            if existing is not None and existing.status != Status.NOT_STARTED:
                return False
            submission = services.start_submission(campaign)
            figures = figures_for(comune, campaign.period_year)
            rows = list(submission.values.select_related("element").order_by("element__position"))
            if target == Status.DRAFT:
                rows = rows[: max(1, len(rows) // 2)]
            # Explain the warnings the figures will raise in the same save, as
            # a careful officer would (the check below catches any left over).
            previous = validation.previous_values(submission)
            peers = validation.peer_values(submission, officer)
            entries = {}
            for row in rows:
                if row.element.shared and row.state != DataValue.State.MISSING:
                    continue  # the population: entered once, in the first area's form of the year
                value = as_decimal(figures[row.element.code], row.element.kind)
                warnings = validation.value_warnings(
                    row.element, DataValue.State.VALUE, value,
                    previous.get(row.element_id), peers.get(row.element_id, []),
                )
                entries[row.element.code] = Entry(
                    state=DataValue.State.VALUE, value=value,
                    justification=justification(comune, row.element.code, warnings) if warnings else "",
                )
            submission = services.save_values(submission, entries, officer, reason="Dati dimostrativi").submission
            if target == Status.DRAFT:
                return True
            if submission.unjustified_count:
                justify_warnings(submission, officer)
            services.transition(submission, services.SUBMIT, manager)
        if target in (Status.APPROVED, Status.RETURNED) and coordinator is not None:
            with cross_tenant(scope=SCOPE_REVIEW, reason="seed_demo: revisione dimostrativa", acting_user=coordinator):
                if target == Status.APPROVED:
                    services.transition(submission, services.APPROVE, coordinator)
                else:
                    services.transition(submission, services.RETURN, coordinator, note=RETURN_NOTE)
    return True


def publish_closed_years(areas: list[ThematicArea]) -> int:
    """Publish every closed year of every area as open data, as its
    coordinator would, so that citizens find figures on /dati-aperti/ and on
    each comune's public page. Already published years are left alone."""
    published = 0
    for area in areas:
        coordinator = coordinator_for(area)
        if coordinator is None:
            continue
        for campaign in Campaign.objects.filter(
            area=area, status=Campaign.Status.CLOSED, published_at__isnull=True
        ).exclude(period_year=OPEN_YEAR):
            publish_open_data(campaign, coordinator)
            published += 1
    return published


def seed(stdout=None) -> None:
    started = time.monotonic()
    load_catalogue()
    users = {user.username: user for user in get_user_model().objects.filter(username__regex=r"^(officer|manager)\.")}
    comuni = list(Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name", "pk"))
    staffed = [
        comune for comune in comuni
        if f"officer.{comune.slug}" in users and f"manager.{comune.slug}" in users
    ]
    areas = list(ThematicArea.objects.filter(indicators__isnull=False).distinct().order_by("position", "code"))
    filled = 0
    for area_index, area in enumerate(areas):
        coordinator = coordinator_for(area)
        indicators = list(Indicator.objects.filter(area=area, is_active=True))
        plan = plan_for_2025(staffed, area_index)
        for year in YEARS:
            campaign = campaign_for(area, year, indicators, coordinator)
            if not campaign.accepts_values():
                continue  # closed by an earlier run: a closed round takes no figures
            for comune in staffed:
                target = plan[comune.pk] if year == OPEN_YEAR else Status.APPROVED
                filled += fill_submission(
                    campaign, comune, target,
                    officer=users[f"officer.{comune.slug}"], manager=users[f"manager.{comune.slug}"],
                    coordinator=coordinator,
                )
            if year != OPEN_YEAR:
                # Past rounds are filled while open, then closed as their coordinator would.
                campaign_close(campaign=campaign, user=coordinator, note=_("Rilevazione conclusa"))
    published = publish_closed_years(areas)
    if stdout is not None:
        stdout.write(
            _(
                "Benchmarking: catalogo con %(indicators)d indicatori, %(campaigns)d campagne, "
                "%(filled)d schede compilate per %(comuni)d comuni in %(seconds).1f s."
            )
            % {
                "indicators": Indicator.objects.count(), "campaigns": len(areas) * len(YEARS),
                "filled": filled, "comuni": len(staffed), "seconds": time.monotonic() - started,
            }
        )
        if published:
            stdout.write(
                ngettext(
                    "Benchmarking: %(n)d area e anno pubblicati come dati aperti.",
                    "Benchmarking: %(n)d aree e anni pubblicati come dati aperti.",
                    published,
                )
                % {"n": published}
            )
        skipped = len(comuni) - len(staffed)
        if skipped:
            stdout.write(
                _("Benchmarking: %(n)d comuni senza utenti officer./manager. sono stati saltati.") % {"n": skipped}
            )
