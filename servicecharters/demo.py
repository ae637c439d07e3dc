"""Service charters demo data: charters for the services Modena planned to
publish (seeds: nurseries, preschools, staff training, libraries) and for
the registry office, in Modena, Trento, Genova and Bergamo, each written,
approved and published by the comune's demo manager, with two years of
monitoring (some standards met, some not, one missed two years running) and,
for Modena's libraries, a second version that supersedes the first.

Everything goes through the same services as the pages (`charters.services`,
`monitoring.services`). Standards are linked to the figures other modules
offer (benchmarking indicators, survey items, complaint KPIs) when a module
offers them; otherwise the standard stays one whose value is entered with
its evidence, so the demo runs whichever modules are installed.

Idempotent: a comune's charter for a service that already exists is left
alone (each charter is written in one transaction)."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qclub import modules
from qclub.models import Municipality, Service, ThematicArea
from qclub.numbers import format_number
from qclub.tenancy import acting_for
from servicecharters.charters import services as charters
from servicecharters.models import ServiceCharter, StandardResult
from servicecharters.monitoring import services as monitoring


@dataclass(frozen=True)
class DemoStandard:
    key: str
    dimension: str
    title: str
    measure: str
    target: Decimal | None
    unit: str = ""
    comparator: str = "at_most"
    kind: str = "general"
    compliance: Decimal | None = None
    ref: str = ""  # "<module>/<key>"; "{service}" is replaced by the service's code
    remedy: str = ""
    values: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))  # entered by hand, two years


@dataclass(frozen=True)
class DemoCharter:
    service: str
    title: str
    presentation: str
    access: str
    hours_places: str
    costs: str
    rights_duties: str
    satisfaction: str
    standards: tuple[DemoStandard, ...]


@dataclass(frozen=True)
class DemoComune:
    slug: str
    services: tuple[str, ...]
    # Per standard key: (target, (value year 1, value year 2)); None keeps the default.
    overrides: dict[str, tuple[Decimal | None, tuple[Decimal, Decimal] | None]] = field(default_factory=dict)


D = Decimal
COMPLAINTS_TEXT = (
    "Chi ritiene che uno standard di questa carta non sia stato rispettato, o vuole segnalare un disservizio, "
    "può presentare un reclamo con il modulo online del Comune, per posta elettronica o allo sportello URP.\n\n"
    "Il Comune risponde per iscritto entro i tempi indicati negli standard; se lo standard prevede un "
    "rimborso, la risposta indica come ottenerlo."
)
RIGHTS = (
    "**Diritti.** Essere trattati con cortesia e rispetto; ricevere informazioni chiare e complete; "
    "conoscere i tempi e il responsabile del procedimento; presentare reclami e suggerimenti.\n\n"
    "**Doveri.** Fornire informazioni corrette e complete; rispettare gli orari, il personale e gli altri "
    "utenti; comunicare per tempo una rinuncia o un cambiamento."
)

CHARTERS = {
    "nido-infanzia": DemoCharter(
        "nido-infanzia", "Carta dei servizi dei nidi d'infanzia",
        "Il nido d'infanzia accoglie bambine e bambini dai 3 ai 36 mesi e affianca le famiglie nella cura e "
        "nell'educazione. Ogni sezione ha un gruppo stabile di educatrici e un progetto educativo condiviso "
        "con i genitori.",
        "Le domande di iscrizione si presentano online **dal 1° al 31 marzo** per l'anno educativo che inizia "
        "a settembre. La graduatoria tiene conto della situazione lavorativa e familiare e dell'ISEE; i posti "
        "che si liberano durante l'anno sono assegnati scorrendo la graduatoria.",
        "I nidi sono aperti dal lunedì al venerdì, dalle 7.30 alle 16.30, da settembre a luglio. "
        "L'elenco delle sedi, con indirizzi e recapiti, è pubblicato sul sito del Comune.",
        "La retta mensile dipende dall'ISEE del nucleo familiare, con riduzioni per il secondo figlio iscritto. "
        "Si paga con PagoPA entro la fine del mese successivo.",
        RIGHTS,
        "Ogni anno le famiglie compilano un questionario anonimo sulla qualità del servizio; i risultati "
        "sono pubblicati e discussi nel consiglio del nido.",
        (
            DemoStandard("copertura", "accessibility", "Posti disponibili per almeno il {target} % dei bambini residenti da 0 a 2 anni",
                         "Posti nei nidi comunali e convenzionati sui bambini residenti da 0 a 2 anni.",
                         D(33), "%", "at_least", ref="benchmarking/indicator:copertura_domanda_nido",
                         values=(D(34), D(35))),
            DemoStandard("attesa", "accessibility", "Domande in lista d'attesa al massimo il {target} %",
                         "Domande rimaste in lista d'attesa a fine graduatoria sul totale delle domande.",
                         D(20), "%", ref="benchmarking/indicator:quota_lista_attesa", values=(D(18), D(23))),
            DemoStandard("apertura", "effectiveness", "Almeno {target} giorni di apertura all'anno",
                         "Giorni di apertura del servizio nell'anno educativo.",
                         D(205), "giorni", "at_least", ref="benchmarking/indicator:giorni_apertura_nidi",
                         values=(D(207), D(206))),
            DemoStandard("graduatoria", "transparency", "Graduatoria pubblicata entro {target} giorni dalla chiusura delle domande",
                         "Giorni tra la chiusura delle iscrizioni e la pubblicazione della graduatoria.",
                         D(30), "giorni", values=(D(28), D(26)),
                         remedy="Se la graduatoria è pubblicata in ritardo, la prima retta è ridotta del 10 %."),
            DemoStandard("colloqui", "effectiveness", "Almeno due colloqui individuali all'anno con ogni famiglia",
                         "Colloqui individuali per bambino iscritto, in media nell'anno educativo.",
                         D(2), "colloqui", "at_least", values=(D("2.1"), D("1.8"))),
            DemoStandard("reclami", "timeliness", "Risposta ai reclami entro 20 giorni lavorativi",
                         "Reclami con risposta entro il termine, sul totale dei reclami del servizio.",
                         D(20), "giorni lavorativi", kind="specific", compliance=D(90),
                         ref="complaints/kpi:answer_on_time:{service}", values=(D(93), D(88)),
                         remedy="Se la risposta tarda, il cittadino riceve una scusa scritta e il nome del responsabile."),
        ),
    ),
    "scuola-infanzia": DemoCharter(
        "scuola-infanzia", "Carta dei servizi delle scuole dell'infanzia comunali",
        "Le scuole dell'infanzia comunali accolgono bambine e bambini dai 3 ai 6 anni, con un progetto "
        "educativo che cura il gioco, la relazione, l'autonomia e i primi apprendimenti.",
        "Le iscrizioni si presentano online nel periodo fissato dal Ministero, di norma a gennaio. "
        "I bambini già iscritti proseguono senza una nuova domanda.",
        "Le scuole sono aperte dal lunedì al venerdì, dalle 8.00 alle 16.00, con anticipo dalle 7.30 e "
        "prolungamento fino alle 18.00 su richiesta.",
        "La frequenza è gratuita; la refezione e i servizi di anticipo e prolungamento si pagano secondo "
        "le tariffe approvate dalla Giunta, ridotte in base all'ISEE.",
        RIGHTS,
        "Un questionario alle famiglie a fine anno scolastico; i risultati sono presentati nelle assemblee.",
        (
            DemoStandard("inserimento", "timeliness", "Inserimento entro 15 giorni dall'ammissione",
                         "Giorni tra la comunicazione dell'ammissione e il primo giorno di frequenza, in media.",
                         D(15), "giorni", values=(D(12), D(14))),
            DemoStandard("menu", "transparency", "Menù e tabelle dietetiche pubblicati sul sito",
                         "Pubblicazione dei menù stagionali prima dell'inizio di ogni stagione.",
                         None, comparator="yes_no", values=(D(1), D(1))),
            DemoStandard("uscite", "effectiveness", "Almeno tre uscite didattiche all'anno per sezione",
                         "Uscite didattiche per sezione nell'anno scolastico, in media.",
                         D(3), "uscite", "at_least", values=(D("3.2"), D("2.6"))),
            DemoStandard("reclami", "timeliness", "Risposta ai reclami entro 20 giorni lavorativi",
                         "Reclami con risposta entro il termine, sul totale dei reclami del servizio.",
                         D(20), "giorni lavorativi", kind="specific", compliance=D(90),
                         ref="complaints/kpi:answer_on_time:{service}", values=(D(95), D(91))),
        ),
    ),
    "formazione": DemoCharter(
        "formazione", "Carta dei servizi della formazione del personale",
        "Il servizio formazione progetta e organizza i corsi per il personale del Comune, in aula e online, "
        "a partire dal piano annuale della formazione.",
        "I dipendenti si iscrivono ai corsi dal portale interno, con l'autorizzazione del proprio dirigente. "
        "I corsi obbligatori (sicurezza, privacy, anticorruzione) sono assegnati d'ufficio.",
        "L'ufficio formazione riceve dal lunedì al venerdì, dalle 9.00 alle 13.00; i corsi si tengono nelle "
        "aule del Comune o sulla piattaforma online.",
        "I corsi sono gratuiti per il personale; le ore di formazione sono orario di lavoro.",
        RIGHTS,
        "Al termine di ogni corso i partecipanti compilano una scheda di valutazione anonima.",
        (
            DemoStandard("ore", "effectiveness", "Almeno {target} ore di formazione all'anno per dipendente",
                         "Ore di formazione erogate sul numero dei dipendenti.",
                         D(24), "ore/dipendente", "at_least", ref="benchmarking/indicator:ore_formazione_per_dipendente",
                         values=(D(26), D(22))),
            DemoStandard("formati", "accessibility", "Almeno il {target} % del personale formato ogni anno",
                         "Dipendenti che hanno seguito almeno un corso sul totale dei dipendenti.",
                         D(70), "%", "at_least", ref="benchmarking/indicator:quota_personale_formato",
                         values=(D(74), D(77))),
            DemoStandard("piano", "transparency", "Piano della formazione pubblicato entro il 31 marzo",
                         "Pubblicazione del piano annuale sulla intranet entro il 31 marzo.",
                         None, comparator="yes_no", values=(D(1), D(0))),
            DemoStandard("gradimento", "effectiveness", "Gradimento medio dei corsi almeno 4 su 5",
                         "Media dei giudizi complessivi delle schede di valutazione.",
                         D(4), "punti su 5", "at_least", values=(D("4.2"), D("4.1"))),
        ),
    ),
    "biblioteche": DemoCharter(
        "biblioteche", "Carta dei servizi delle biblioteche comunali",
        "Le biblioteche comunali offrono prestito di libri, riviste, film e audiolibri, consultazione, "
        "accesso a internet, attività per bambini e ragazzi e incontri con gli autori.",
        "L'iscrizione è gratuita e si fa in qualunque biblioteca con un documento d'identità, o online con "
        "SPID. La tessera vale in tutte le biblioteche del sistema.",
        "La biblioteca centrale è aperta dal lunedì al sabato, dalle 9.00 alle 19.00; le biblioteche di "
        "quartiere hanno orari pubblicati sul sito.",
        "Prestito, consultazione e internet sono gratuiti; le stampe e il prestito interbibliotecario da "
        "fuori regione hanno le tariffe pubblicate sul sito.",
        RIGHTS,
        "Ogni due anni un'indagine sugli utenti; in ogni sede è disponibile un modulo per i suggerimenti.",
        (
            DemoStandard("orario", "accessibility", "Almeno {target} ore di apertura settimanale della biblioteca centrale",
                         "Ore di apertura settimanale al pubblico.",
                         D(40), "ore/settimana", "at_least",
                         ref="benchmarking/indicator:ore_apertura_settimanali_biblioteche", values=(D(54), D(54))),
            DemoStandard("prestiti", "effectiveness", "Almeno {target} prestiti all'anno per abitante",
                         "Prestiti nell'anno sugli abitanti.",
                         D(2), "prestiti/abitante", "at_least", ref="benchmarking/indicator:prestiti_per_abitante",
                         values=(D("2.3"), D("2.4"))),
            DemoStandard("prenotazioni", "timeliness", "Libro prenotato disponibile entro 7 giorni",
                         "Prenotazioni soddisfatte entro 7 giorni sul totale delle prenotazioni.",
                         D(7), "giorni", kind="specific", compliance=D(90), values=(D(92), D(87)),
                         remedy="Se il libro non arriva in tempo, la biblioteca lo recapita alla sede più vicina a casa."),
            DemoStandard("novita", "transparency", "Elenco delle nuove acquisizioni pubblicato ogni mese",
                         "Pubblicazione mensile delle novità sul catalogo online.",
                         None, comparator="yes_no", values=(D(1), D(1))),
            DemoStandard("reclami", "timeliness", "Risposta ai reclami entro 15 giorni lavorativi",
                         "Reclami con risposta entro il termine, sul totale dei reclami del servizio.",
                         D(15), "giorni lavorativi", kind="specific", compliance=D(95),
                         ref="complaints/kpi:answer_on_time:{service}", values=(D(97), D(96))),
        ),
    ),
    "anagrafe": DemoCharter(
        "anagrafe", "Carta dei servizi dell'anagrafe",
        "L'anagrafe registra residenza, cambi di indirizzo e composizione delle famiglie, rilascia "
        "certificati e la carta d'identità elettronica.",
        "I certificati si scaricano online con SPID o CIE, o si chiedono allo sportello. La carta d'identità "
        "si rilascia su appuntamento, prenotato online o al telefono.",
        "Lo sportello centrale è aperto dal lunedì al venerdì, dalle 8.30 alle 13.00, il martedì e il "
        "giovedì anche dalle 14.30 alle 17.00.",
        "I certificati online sono gratuiti; allo sportello si paga l'imposta di bollo dove prevista. "
        "La carta d'identità costa 22,21 euro.",
        RIGHTS,
        "Ogni anno il questionario comune del club agli utenti dello sportello; i risultati sono pubblicati.",
        (
            DemoStandard("attesa", "timeliness", "Attesa media allo sportello al massimo {target} minuti",
                         "Minuti tra il ritiro del numero e la chiamata, in media (dal sistema eliminacode).",
                         D(15), "minuti", ref="benchmarking/indicator:attesa_media_sportello",
                         values=(D(13), D(16))),
            DemoStandard("residenza", "timeliness", "Cambio di residenza registrato entro 2 giorni lavorativi",
                         "Giorni lavorativi medi tra la dichiarazione e la registrazione.",
                         D(2), "giorni", ref="benchmarking/indicator:giorni_cambio_residenza",
                         values=(D("1.8"), D("1.9"))),
            DemoStandard("soddisfatti", "effectiveness", "Almeno l'{target} % degli utenti soddisfatti del servizio",
                         "Quota di risposte 4 e 5 alla domanda sulla soddisfazione complessiva.",
                         D(80), "%", "at_least", ref="surveys/item:anagrafe-club:complessiva:top2",
                         values=(D(84), D(82))),
            DemoStandard("attesa-percepita", "effectiveness", "Almeno il 70 % degli utenti soddisfatti dei tempi di attesa",
                         "Quota di risposte 4 e 5 alla domanda sui tempi di attesa.",
                         D(70), "%", "at_least", ref="surveys/item:anagrafe-club:attesa:top2",
                         values=(D(66), D(64))),
            DemoStandard("cie", "accessibility", "Appuntamento per la carta d'identità entro 10 giorni lavorativi",
                         "Giorni lavorativi tra la prenotazione e l'appuntamento, in media.",
                         D(10), "giorni", values=(D(12), D(9))),
            DemoStandard("reclami", "timeliness", "Risposta ai reclami entro 30 giorni",
                         "Reclami con risposta entro il termine, sul totale dei reclami del servizio.",
                         D(30), "giorni", kind="specific", compliance=D(95),
                         ref="complaints/kpi:answer_on_time:{service}", values=(D(96), D(97))),
        ),
    ),
}

# Modena publishes the four charters it planned (seeds); the others some of them,
# with targets more or less ambitious, so the comparison has something to show.
COMUNI = (
    DemoComune("modena", ("nido-infanzia", "scuola-infanzia", "formazione", "biblioteche"), {
        # Missed two years running: a candidate for the improvement plan.
        "graduatoria": (None, (D(38), D(35))),
    }),
    DemoComune("trento", ("anagrafe", "nido-infanzia", "biblioteche"), {
        "attesa": (D(12), (D(11), D(14))),
        "copertura": (D(38), (D(39), D(40))),
        "orario": (D(48), (D(50), D(50))),
    }),
    DemoComune("genova", ("anagrafe", "formazione", "nido-infanzia"), {
        "attesa": (D(20), (D(22), D(19))),
        "ore": (D(18), (D(17), D(19))),
        "apertura": (D(200), (D(198), D(201))),
    }),
    DemoComune("bergamo", ("anagrafe", "biblioteche", "scuola-infanzia"), {
        "attesa": (D(10), (D(9), D(11))),
        "soddisfatti": (D(85), (D(87), D(83))),
        "prestiti": (D("2.5"), (D("2.6"), D("2.7"))),
    }),
)
# Modena's libraries: a second version in force from the last year (longer
# hours, free wi-fi): the first is superseded.
SECOND_VERSION = ("modena", "biblioteche")


def _years() -> tuple[int, int]:
    last = timezone.localdate().year - 1
    return last - 1, last


def _ensure_services() -> None:
    """The preschool service joins the nursery area if the taxonomy lacks it."""
    if Service.objects.filter(code="scuola-infanzia").exists():
        return
    area = Service.objects.filter(code="nido-infanzia").values_list("area_id", flat=True).first()
    area = area or ThematicArea.objects.filter(code="asili-nido").values_list("pk", flat=True).first()
    if area:
        Service.objects.create(code="scuola-infanzia", name="Scuola dell'infanzia", area_id=area)


def _terms(spec: DemoStandard, service: Service, target: Decimal | None, position: int) -> dict:
    title = spec.title.replace("{target}", format_number(target) if target is not None else "")
    return {
        "position": position, "dimension": spec.dimension, "kind": spec.kind, "title": title,
        "measure": spec.measure, "comparator": spec.comparator, "target_value": target, "unit": spec.unit,
        "compliance_pct": spec.compliance, "remedy": spec.remedy,
        "figure_ref": spec.ref.replace("{service}", service.code),
    }


def _save_standard(version, terms: dict, manager, standard=None) -> None:
    """Linked to its figure when a module offers it; else entered by hand."""
    if terms["figure_ref"] and modules.figure_get(terms["figure_ref"]) is None:
        terms["figure_ref"] = ""
    try:
        charters.save_standard(version=version, standard=standard, acting_user=manager, **terms)
    except ValidationError:
        if not terms["figure_ref"]:
            raise
        charters.save_standard(version=version, standard=standard, acting_user=manager, **{**terms, "figure_ref": ""})


def _monitor(charter, year: int, index: int, values: dict[str, Decimal | tuple], manager) -> None:
    report = monitoring.compute_year(charter=charter, year=year, acting_user=manager)
    for result in StandardResult.objects.filter(report=report).select_related("standard"):
        if result.standard.figure_ref or result.standard.title not in values:
            continue
        monitoring.enter_result(
            result=result, actual_value=values[result.standard.title][index],
            evidence="Registro del servizio e verifica a campione dell'ufficio qualità.",
            lock_version=result.lock_version, acting_user=manager,
        )
    monitoring.publish_report(report=report, acting_user=manager)


@transaction.atomic
def seed_charter(comune: Municipality, demo: DemoComune, spec: DemoCharter, manager) -> bool:
    service = Service.objects.filter(code=spec.service).first()
    if service is None or ServiceCharter.objects.filter(service=service).exists():
        return False
    first, last = _years()
    version = charters.create_charter(municipality=comune, service=service, acting_user=manager)
    version = charters.update_draft(
        version=version, lock_version=version.lock_version, acting_user=manager,
        title=spec.title, presentation=spec.presentation, access=spec.access,
        hours_places=spec.hours_places, costs=spec.costs, rights_duties=spec.rights_duties,
        complaints=COMPLAINTS_TEXT, satisfaction=spec.satisfaction,
    )
    values: dict[str, tuple[Decimal, Decimal]] = {}
    for position, standard in enumerate(spec.standards, start=1):
        target, yearly = demo.overrides.get(standard.key, (None, None))
        terms = _terms(standard, service, target if target is not None else standard.target, position * 10)
        values[terms["title"]] = yearly or standard.values
        _save_standard(version, terms, manager)
    charters.submit(version=version, acting_user=manager)
    charters.approve(version=version, acting_user=manager)
    version = charters.publish(version=version, valid_from=datetime.date(first, 1, 1), acting_user=manager)
    if (comune.slug, service.code) == SECOND_VERSION:
        second = charters.start_new_version(charter=version.charter, acting_user=manager)
        second = charters.update_draft(
            version=second, lock_version=second.lock_version, acting_user=manager,
            change_summary="Più ore di apertura della biblioteca centrale e wi-fi gratuito in tutte le sedi.",
        )
        # The same promise (same lineage, so its monitoring reads on), more ambitious.
        hours = second.standards.get(position=10)
        _save_standard(second, _terms(spec.standards[0], service, D(50), hours.position), manager, standard=hours)
        _save_standard(second, _terms(DemoStandard(
            "wifi", "accessibility", "Wi-fi gratuito in tutte le sedi", "Copertura wi-fi gratuita verificata in ogni sede.",
            None, comparator="yes_no"), service, None, 100), manager)
        values["Almeno 50 ore di apertura settimanale della biblioteca centrale"] = (D(52), D(52))
        values["Wi-fi gratuito in tutte le sedi"] = (D(1), D(1))
        charters.submit(version=second, acting_user=manager)
        charters.approve(version=second, acting_user=manager)
        charters.publish(version=second, valid_from=datetime.date(last, 1, 1), acting_user=manager)
    for index, year in enumerate((first, last)):
        _monitor(version.charter, year, index, values, manager)
    return True


def seed(stdout=None) -> None:
    started = time.monotonic()
    _ensure_services()
    users = get_user_model().objects
    created = 0
    for demo in COMUNI:
        comune = Municipality.objects.filter(slug=demo.slug, status=Municipality.Status.MEMBER).first()
        manager = users.filter(username=f"manager.{demo.slug}").first()
        if comune is None or manager is None:
            continue
        with acting_for(comune):
            for code in demo.services:
                created += seed_charter(comune, demo, CHARTERS[code], manager)
    if stdout is not None:
        stdout.write(f"Carte dei servizi: {created} carte pubblicate con due anni di monitoraggio "
                     f"({time.monotonic() - started:.1f} s)\n")
