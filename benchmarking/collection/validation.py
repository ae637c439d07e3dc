"""The rules a figure must pass: hard rules that block the save (type, sign, range)
and soft rules that warn and need a justification (change from the previous
period, plausible bounds, outlier against the other comuni's approved figures,
missing). Pure functions over one figure, plus the two reads they need."""

from __future__ import annotations

import statistics
from decimal import Decimal

from django.utils.translation import gettext as _

from benchmarking.models import DataElement, DataValue, Submission
from benchmarking.numbers import NumberError, format_number, parse_boolean, parse_number
from qclub.tenancy import SCOPE_CLUB, cross_tenant

State = DataValue.State
Kind = DataElement.Kind

# Robust outlier test (Iglewicz and Hoaglin): modified z-score over the
# approved figures of the other comuni of the same campaign.
OUTLIER_MIN_PEERS = 4
OUTLIER_Z = Decimal("3.5")


def read_entry(element: DataElement, state: str, text: str) -> tuple[str, Decimal | None]:
    """The (state, value) a person means by choosing `state` and typing `text`.
    Raises NumberError with a message for them."""
    if state not in State.values:
        raise NumberError(_("Stato non valido."))
    if state == State.MISSING and (text or "").strip():
        state = State.VALUE  # typing a figure over "not available" means the figure
    if state != State.VALUE:
        if (text or "").strip():
            raise NumberError(
                _("Hai scritto un valore ma indicato «%(state)s»: togli il valore o cambia lo stato.")
                % {"state": State(state).label}
            )
        return state, None
    if not (text or "").strip():
        return State.MISSING, None
    value = parse_boolean(text) if element.kind == Kind.BOOLEAN else parse_number(text)
    return State.VALUE, value


def hard_errors(element: DataElement, state: str, value: Decimal | None) -> list[str]:
    """Rules that block saving (type, sign, range). Part ≤ whole is checked on
    the whole submission by `save_values`."""
    if state != State.VALUE or value is None:
        return []
    errors = []
    if value < 0:
        errors.append(_("Il valore non può essere negativo."))
    if element.kind == Kind.COUNT and value != value.to_integral():
        errors.append(_("È un conteggio: scrivi un numero intero."))
    if element.kind == Kind.AMOUNT and value != value.quantize(Decimal("0.01")):
        errors.append(_("Un importo in euro ha al massimo due decimali."))
    if element.kind == Kind.PERCENTAGE and value > 100:
        errors.append(_("Una percentuale va da 0 a 100."))
    if element.kind == Kind.BOOLEAN and value not in (0, 1):
        errors.append(_("Scrivi sì oppure no."))
    return errors


def warning_message(warning: dict) -> str:
    code, params = warning.get("code"), warning.get("params", {})
    if code == "missing":
        return _("Valore mancante: spiega perché non è disponibile.")
    if code == "change":
        return _(
            "Variazione del %(pct)s%% rispetto al periodo precedente (%(previous)s): "
            "oltre la soglia del %(threshold)s%%."
        ) % params
    if code == "bounds":
        return _("Fuori dall'intervallo plausibile (%(low)s – %(high)s).") % params
    if code == "outlier":
        if params.get("basis") == "per_1000":
            return _(
                "Molto lontano dai valori approvati degli altri comuni, a parità di abitanti "
                "(mediana %(median)s per 1.000 abitanti su %(n)s comuni)."
            ) % params
        return _(
            "Molto lontano dai valori approvati degli altri comuni (mediana %(median)s su %(n)s comuni)."
        ) % params
    return str(code)


# Figures that grow with the size of the comune are compared per 1,000 residents.
SCALES_WITH_POPULATION = frozenset({Kind.COUNT, Kind.QUANTITY, Kind.AMOUNT})


def value_warnings(
    element: DataElement,
    state: str,
    value: Decimal | None,
    previous: Decimal | None,
    peers: list[tuple[Decimal, int | None]],
    population: int | None = None,
) -> list[dict]:
    """The soft rules for one figure. `peers` are (figure, population) pairs of
    the other comuni's approved figures for the same element and campaign."""
    if state == State.MISSING:
        return [{"code": "missing", "params": {}}]
    if state != State.VALUE or value is None:
        return []
    warnings = []
    if previous is not None and previous != 0:
        change = (value - previous) / abs(previous) * 100
        if abs(change) > element.change_threshold_pct:
            warnings.append({"code": "change", "params": {
                "pct": format_number(change, 1), "previous": format_number(previous),
                "threshold": format_number(element.change_threshold_pct),
            }})
    low, high = element.plausible_min, element.plausible_max
    if (low is not None and value < low) or (high is not None and value > high):
        warnings.append({"code": "bounds", "params": {
            "low": format_number(low) if low is not None else "−∞",
            "high": format_number(high) if high is not None else "+∞",
        }})
    outlier = _outlier(element, value, peers, population)
    if outlier:
        warnings.append({"code": "outlier", "params": outlier})
    return warnings


def _outlier(element, value, peers, population) -> dict | None:
    """Modified z-score over the peers' figures, per 1,000 residents where the
    figure grows with the comune's size (a big city is not an outlier for
    issuing more certificates)."""
    basis = "raw"
    mine, others = value, [figure for figure, _population in peers]
    if element.kind in SCALES_WITH_POPULATION and population:
        scaled = [figure * 1000 / p for figure, p in peers if p]
        if len(scaled) == len(peers):
            basis, mine, others = "per_1000", value * 1000 / population, scaled
    if len(others) < OUTLIER_MIN_PEERS:
        return None
    median = Decimal(statistics.median(others))
    mad = Decimal(statistics.median([abs(o - median) for o in others]))
    if mad == 0 or Decimal("0.6745") * abs(mine - median) / mad <= OUTLIER_Z:
        return None
    return {"median": format_number(median.quantize(Decimal("0.01"))), "n": len(others), "basis": basis}


def previous_values(submission: Submission) -> dict[int, Decimal]:
    """The comune's own figures of the previous period of the same area."""
    period = submission.campaign.period.previous()
    if period is None:
        return {}
    rows = DataValue.objects.filter(
        municipality_id=submission.municipality_id,
        submission__campaign__area_id=submission.campaign.area_id,
        submission__campaign__period_year=period.year,
        submission__campaign__period_kind=period.kind,
        submission__campaign__period_index=period.index,
        state=State.VALUE,
    ).values_list("element_id", "value")
    return dict(rows)


def peer_values(submission: Submission, user=None) -> dict[int, list[tuple[Decimal, int | None]]]:
    """Approved, non-confidential figures of the other comuni in the same
    campaign (read through the audited club scope: the database shows nothing else)."""
    with cross_tenant(scope=SCOPE_CLUB, reason="benchmarking: outlier check", acting_user=user):
        rows = list(
            DataValue.objects.filter(submission__campaign_id=submission.campaign_id, state=State.VALUE)
            .exclude(municipality_id=submission.municipality_id)
            .values_list("element_id", "value", "municipality__population")
        )
    peers: dict[int, list[tuple[Decimal, int | None]]] = {}
    for element_id, value, population in rows:
        peers.setdefault(element_id, []).append((value, population))
    return peers
