"""Fixtures of the service charters tests: a manager for comune A and a
published charter with two standards (one entered by hand, one linked)."""

import datetime as dt
from decimal import Decimal

import pytest

from qclub.models import Role
from qclub.tenancy import acting_for
from servicecharters.charters import services
from tests.factories import officer_of


@pytest.fixture
def manager_a(comune_a):
    return officer_of(comune_a, role=Role.MANAGER)


@pytest.fixture
def draft(comune_a, service, officer_a):
    """Comune A's first draft for `service`, complete enough to submit."""
    with acting_for(comune_a):
        version = services.create_charter(municipality=comune_a, service=service, acting_user=officer_a)
        version = services.update_draft(
            version=version, lock_version=version.lock_version, acting_user=officer_a,
            presentation="Il servizio **anagrafe**.", complaints="Con il modulo online.",
        )
        services.save_standard(
            version=version, acting_user=officer_a, dimension="timeliness", kind="general",
            title="Attesa media allo sportello", comparator="at_most", target_value=Decimal("15"), unit="minuti",
        )
        version.refresh_from_db()
        return version


@pytest.fixture
def published(draft, comune_a, officer_a, manager_a):
    """The draft submitted, approved and published, in force from 1 January two years ago."""
    with acting_for(comune_a):
        services.submit(version=draft, acting_user=officer_a)
        services.approve(version=draft, acting_user=manager_a)
        version = services.publish(
            version=draft, valid_from=dt.date(dt.date.today().year - 2, 1, 1), acting_user=manager_a
        )
        return version


# --- chmon: a module of figures for the tests of standards and monitoring ----------
# A tiny module of the contract (qclub/modules.py), added to the installed
# ones for a test, so that the tests do not depend on how benchmarking,
# surveys or complaints implement their figure hooks.

from qclub import modules as core_modules  # noqa: E402
from qclub.tenancy import active_municipality_id, active_scope  # noqa: E402


class FakeFigureHooks(core_modules.ModuleHooks):
    FIGURES = (
        core_modules.Figure(module="fakefig", key="wait", label="Attesa media allo sportello", unit="minuti",
                            higher_is_better=False, kind="Indicatori di prova"),
        core_modules.Figure(module="fakefig", key="online", label="Pratiche online", unit="%",
                            higher_is_better=True, kind="Indicatori di prova"),
        core_modules.Figure(module="fakefig", key="satisfied", label="Utenti soddisfatti", unit="%",
                            higher_is_better=True, kind="Indagini di prova"),
    )

    def __init__(self):
        self.values: dict[str, list[core_modules.FigureValue]] = {}
        self.calls: list[dict] = []

    def add(self, key: str, municipality, year: int, value) -> None:
        self.values.setdefault(key, []).append(
            core_modules.FigureValue(municipality_id=getattr(municipality, "pk", municipality), year=year,
                                     value=Decimal(str(value)), note=f"Dato di prova {year}")
        )

    def figures(self, service):
        return self.FIGURES

    def figure_values(self, key, *, years, municipality_ids=None):
        self.calls.append({"key": key, "years": list(years), "municipality_ids": municipality_ids,
                           "acting_for": active_municipality_id(), "scope": active_scope()})
        return [
            v for v in self.values.get(key, [])
            if v.year in years and (municipality_ids is None or v.municipality_id in municipality_ids)
        ]


@pytest.fixture
def fake_figures(monkeypatch):
    hooks = FakeFigureHooks()
    installed = core_modules.installed_modules
    monkeypatch.setattr(core_modules, "installed_modules", lambda: [
        *installed(), core_modules.Module(label="fakefig", name="Figure di prova", hooks=hooks),
    ])
    return hooks
# --- end chmon ---
