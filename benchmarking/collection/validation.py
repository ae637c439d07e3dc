"""The rules a figure must pass: hard rules that block the save (type, sign, range)
and soft rules that warn and need a justification (change from the previous
period, plausible bounds, outlier against the other comuni's approved figures,
missing). Pure functions over one figure, plus the two reads they need."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.utils.translation import gettext as _

from benchmarking.models import DataElement, DataValue, Submission
from qclub.models import Municipality
from qclub.numbers import NumberError, format_number, parse_boolean, parse_number
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


def part_whole_errors(figures: dict[str, tuple[DataElement, Decimal | None]]) -> dict[str, list[str]]:
    """Part ≤ whole over a submission's figures (code -> (element, figure)), as
    they would be after saving: e.g. questionnaires returned cannot exceed those
    handed out (a response rate of 379 %)."""
    errors: dict[str, list[str]] = {}
    for code, (element, part_value) in figures.items():
        whole = element.part_of
        if whole is None or whole.code not in figures:
            continue
        whole_value = figures[whole.code][1]
        if part_value is not None and whole_value is not None and part_value > whole_value:
            errors.setdefault(code, []).append(
                _("Non può superare «%(whole)s» (%(value)s).")
                % {"whole": whole.name, "value": format_number(whole_value)}
            )
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


# The live check reads the club's approved figures on every pause in typing:
# they are read (and the cross-comune read audited) once a few minutes.
PEERS_CACHE_SECONDS = 300


def peer_values_cached(submission: Submission, user=None) -> dict[int, list[tuple[Decimal, int | None]]]:
    key = f"benchmarking:peers:{submission.campaign_id}:{submission.municipality_id}"
    peers = cache.get(key)
    if peers is None:
        peers = peer_values(submission, user)
        cache.set(key, peers, PEERS_CACHE_SECONDS)
    return peers


@dataclass
class FieldCheck:
    """What the entry form shows beside one field while it is typed."""

    errors: list[str] = field(default_factory=list)  # block saving
    warnings: list[dict] = field(default_factory=list)  # need a justification


def live_checks(
    submission: Submission, rows: dict[str, DataValue], typed: dict, unreadable: dict[str, list[str]], user=None
) -> dict[str, FieldCheck]:
    """The rules `services.save_values` and `services.refresh` apply, over what
    is typed and not yet saved (`typed`: code -> an entry with state and value;
    `unreadable`: codes whose text is not a number, with the reason). A figure
    left as saved shows the warnings it has, as saving would keep them, so
    showing the form reads nothing across comuni."""
    checks = {code: FieldCheck() for code in rows}
    figures: dict[str, tuple[DataElement, Decimal | None]] = {}
    to_check = []
    for code, row in rows.items():
        if code in unreadable:
            checks[code].errors.extend(unreadable[code])
            continue
        entry = typed.get(code)
        state, value = (entry.state, entry.value) if entry is not None else (row.state, row.value)
        figures[code] = (row.element, value)
        checks[code].errors.extend(hard_errors(row.element, state, value))
        if (state, value) == (row.state, row.value):
            # As saved (or, before the first save, as `submission_values` shows it).
            checks[code].warnings = list(row.warnings)
        else:
            to_check.append((code, row.element, state, value))
    for code, messages in part_whole_errors(figures).items():
        checks[code].errors.extend(messages)
    if to_check:
        previous = previous_values(submission)
        peers = peer_values_cached(submission, user)
        population = (
            Municipality.objects.filter(pk=submission.municipality_id).values_list("population", flat=True).first()
        )
        for code, element, state, value in to_check:
            if checks[code].errors:
                continue
            checks[code].warnings = value_warnings(
                element, state, value, previous.get(element.pk), peers.get(element.pk, []), population,
            )
    return checks
