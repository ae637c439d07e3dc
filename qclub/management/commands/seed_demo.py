"""Demo data for development: the eight comuni of the Benchmarking QClub, its
thematic areas and services, and one login per role (password `qclub-demo`).

Idempotent: running it again leaves the same state (demo passwords are reset to
`qclub-demo` on every run; it only runs with DEBUG on). Modules add their own
demo data through the module contract: each module's `seed_demo(stdout)` hook
(qclub/modules.py) is called at the end, after the core data exist.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from qclub import modules, services
from qclub.management.commands.load_comuni import load_comuni
from qclub.models import Municipality, Role, Service, ThematicArea

DEMO_PASSWORD = "qclub-demo"  # noqa: S105  (documented demo password, DEBUG only)
MULTI_COMUNI = ("bergamo", "modena")


@dataclass(frozen=True)
class DemoComune:
    istat_code: str
    slug: str
    name: str
    province: str
    province_code: str
    region: str
    population: int  # ISTAT, resident population on 1 January 2024 (rounded source figures)
    member_since: datetime.date
    candidate_since: datetime.date | None = None


# The founders of 2007 and Modena, whose candidacy the club accepted in 2008
# (seeds: "PAQ: il Benchmarking Q-Club e le attività anni 2008-2009").
FOUNDED = datetime.date(2007, 1, 1)
CLUB = [
    DemoComune("022205", "trento", "Trento", "Trento", "TN", "Trentino-Alto Adige/Südtirol", 118_911, FOUNDED),
    DemoComune("015146", "milano", "Milano", "Milano", "MI", "Lombardia", 1_366_155, FOUNDED),
    DemoComune("001272", "torino", "Torino", "Torino", "TO", "Piemonte", 856_745, FOUNDED),
    DemoComune("010025", "genova", "Genova", "Genova", "GE", "Liguria", 563_947, FOUNDED),
    DemoComune("027042", "venezia", "Venezia", "Venezia", "VE", "Veneto", 250_369, FOUNDED),
    DemoComune("016024", "bergamo", "Bergamo", "Bergamo", "BG", "Lombardia", 120_886, FOUNDED),
    DemoComune(
        "021008", "bolzano", "Bolzano/Bozen", "Bolzano/Bozen", "BZ",
        "Trentino-Alto Adige/Südtirol", 106_441, FOUNDED,
    ),
    DemoComune(
        "036023", "modena", "Modena", "Modena", "MO", "Emilia-Romagna", 184_739,
        member_since=datetime.date(2008, 10, 1), candidate_since=datetime.date(2008, 3, 1),
    ),
]


@dataclass(frozen=True)
class DemoArea:
    code: str
    name: str
    coordinator: str  # slug of the coordinating comune
    started_on: datetime.date
    description: str
    services: tuple[tuple[str, str], ...]


# From the seeds: delegated services (Bergamo coordinates) and listening to citizens
# first; nurseries and staff policies from the Genova plenary of March 2009;
# libraries in 2009; financial indicators from September 2011. Where the seeds
# name no coordinator, a member is chosen (Trento ran the 2009 survey).
AREAS = [
    DemoArea(
        "servizi-demografici", "Servizi delegati: servizi demografici", "bergamo",
        datetime.date(2008, 1, 1),
        "Indicatori di efficacia, efficienza e impatto dei servizi delegati dallo Stato ai Comuni.",
        (
            ("anagrafe", "Anagrafe centrale"),
            ("stato-civile", "Stato civile"),
            ("stranieri", "Ufficio stranieri"),
            ("elettorale", "Servizio elettorale"),
        ),
    ),
    DemoArea(
        "customer-satisfaction", "Ascolto dei cittadini: customer satisfaction e reclami", "trento",
        datetime.date(2008, 1, 1),
        "Linee guida per la rilevazione della soddisfazione dei cittadini e la gestione dei reclami.",
        (
            ("indagini-customer", "Indagini di customer satisfaction"),
            ("gestione-reclami", "Gestione dei reclami"),
        ),
    ),
    DemoArea(
        "asili-nido", "Servizio di nido d'infanzia", "modena", datetime.date(2009, 3, 1),
        "Indicatori di efficienza, efficacia e qualità del nido d'infanzia.",
        (
            ("nido-infanzia", "Nido d'infanzia"),
            ("scuola-infanzia", "Scuola dell'infanzia"),
        ),
    ),
    DemoArea(
        "personale", "Politiche del personale e formazione", "genova", datetime.date(2009, 3, 1),
        "Confronto sulle politiche del personale e sulla formazione.",
        (
            ("formazione", "Formazione del personale"),
            ("gestione-personale", "Gestione del personale"),
        ),
    ),
    DemoArea(
        "finanziari", "Indicatori finanziari", "milano", datetime.date(2011, 9, 1),
        "Indicatori di performance dei servizi finanziari.",
        (
            ("servizi-finanziari", "Servizi finanziari"),
            ("tributi", "Tributi"),
        ),
    ),
    DemoArea(
        "biblioteche", "Biblioteche", "bolzano", datetime.date(2009, 1, 1),
        "Indicatori di performance delle biblioteche, anche per la carta dei servizi.",
        (
            ("biblioteche", "Biblioteche di pubblica lettura"),
            ("prestito-interbibliotecario", "Prestito interbibliotecario"),
        ),
    ),
]


def _club() -> dict[str, Municipality]:
    comuni: dict[str, Municipality] = {}
    for demo in CLUB:
        comune, _created = Municipality.objects.get_or_create(
            istat_code=demo.istat_code,
            defaults={
                "slug": demo.slug,
                "name": demo.name,
                "province": demo.province,
                "province_code": demo.province_code,
                "region": demo.region,
            },
        )
        if demo.candidate_since and comune.status in (
            Municipality.Status.NON_MEMBER,
            Municipality.Status.FORMER,
        ):
            services.propose_candidacy(
                municipality=comune, on=demo.candidate_since, note=_("Dati dimostrativi")
            )
        if comune.status in (Municipality.Status.NON_MEMBER, Municipality.Status.CANDIDATE):
            services.admit(municipality=comune, on=demo.member_since, note=_("Dati dimostrativi"))
        # Suspended or former in a developer's database: back to the demo state.
        Municipality.objects.filter(pk=comune.pk).update(
            status=Municipality.Status.MEMBER,
            member_since=demo.member_since,
            candidate_since=demo.candidate_since,
            suspended_since=None,
            left_on=None,
            population=demo.population,
        )
        comune.refresh_from_db()
        comuni[demo.slug] = comune
    return comuni


def _areas(comuni: dict[str, Municipality]) -> list[ThematicArea]:
    areas = []
    for position, demo in enumerate(AREAS, start=1):
        area, _created = ThematicArea.objects.update_or_create(
            code=demo.code,
            defaults={
                "name": demo.name,
                "description": demo.description,
                "coordinating_municipality": comuni[demo.coordinator],
                "started_on": demo.started_on,
                "position": position,
            },
        )
        for code, name in demo.services:
            Service.objects.update_or_create(code=code, defaults={"area": area, "name": name})
        areas.append(area)
    return areas


def _user(username: str, password_hash: str, **fields):
    user, _created = get_user_model().objects.update_or_create(
        username=username,
        defaults={"email": f"{username}@qclub.invalid", "is_active": True, **fields},
    )
    # Always reset: the demo logins printed by demo_logins must work.
    user.password = password_hash
    user.save(update_fields=["password"])
    return user


def _users(comuni: dict[str, Municipality], areas: list[ThematicArea]) -> None:
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    _user("admin", password_hash, is_superuser=True, is_staff=True, first_name="Amministratore")
    coordinator = _user("coordinator", password_hash, first_name="Coordinatore")
    for area in areas:
        services.appoint_coordinator(user=coordinator, area=area)
    for slug, comune in comuni.items():
        for role in (Role.OFFICER, Role.MANAGER):
            user = _user(f"{role}.{slug}", password_hash, last_name=comune.name)
            services.grant_role(user=user, municipality=comune, role=role)
    multi = _user("officer.multi", password_hash, first_name="Operatore", last_name="multi-comune")
    for slug in MULTI_COMUNI:
        services.grant_role(user=multi, municipality=comuni[slug], role=Role.OFFICER)


@transaction.atomic
def seed_core(*, with_comuni: bool = True) -> dict[str, Municipality]:
    """The core demo data; returns the club's comuni by slug."""
    if with_comuni:
        load_comuni()
    comuni = _club()
    areas = _areas(comuni)
    _users(comuni, areas)
    return comuni


def seed(stdout, *, with_comuni: bool = True) -> None:
    """Everything `manage.py seed_demo` does (callable from other commands and tests)."""
    comuni = seed_core(with_comuni=with_comuni)
    stdout.write(
        _("Club QClub: %(count)d comuni aderenti, %(areas)d aree tematiche, utenti dimostrativi pronti.")
        % {"count": len(comuni), "areas": len(AREAS)}
    )
    for label in modules.seed_demo(stdout):
        stdout.write(_("Dati dimostrativi aggiunti da %(module)s.") % {"module": label})


class Command(BaseCommand):
    help = "Carica i dati dimostrativi (solo in sviluppo, con DEBUG attivo). Idempotente."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-comuni",
            action="store_true",
            help="Non caricare l'elenco completo dei comuni italiani (solo gli otto del club).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                _("seed_demo crea utenti con password nota: si esegue solo con DEBUG attivo, mai in produzione.")
            )
        seed(self.stdout, with_comuni=not options["no_comuni"])
        self.stdout.write(
            self.style.SUCCESS(
                _("Fatto. Password di tutti gli utenti dimostrativi: %(password)s")
                % {"password": DEMO_PASSWORD}
            )
        )
