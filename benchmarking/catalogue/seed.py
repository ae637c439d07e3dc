"""The club's example catalogue: the data elements and indicators of every
thematic area named in the seeds (delegated services, listening to citizens,
nurseries, staff and training, financial indicators, libraries).

Everything here is marked `is_example`: coordinators refine it from the
catalogue pages. `load_catalogue()` is idempotent. An indicator gets version 1
the first time; a later load makes a new version only when what the figures
mean changes (formula, unit, decimals, direction, target band), so results
computed earlier keep the version they were computed with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from benchmarking.formula import FormulaError, parse
from benchmarking.models import DataElement, Dimension, Indicator, IndicatorVersion
from qclub.models import QualityDimension, Service, ThematicArea

Kind = DataElement.Kind
Better = IndicatorVersion.Better
EFFICACY, EFFICIENCY, IMPACT, QUALITY = (
    Dimension.EFFICACY, Dimension.EFFICIENCY, Dimension.IMPACT, Dimension.QUALITY,
)
ACCESSIBILITY, TIMELINESS, TRANSPARENCY, EFFECTIVENESS = (
    QualityDimension.ACCESSIBILITY, QualityDimension.TIMELINESS,
    QualityDimension.TRANSPARENCY, QualityDimension.EFFECTIVENESS,
)


class CatalogueError(ValueError):
    """The catalogue definition itself is inconsistent (a bug in this file)."""


@dataclass(frozen=True)
class AreaSpec:
    code: str
    name: str
    services: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ElementSpec:
    area: str
    code: str
    name: str
    unit: str
    kind: str
    group: str
    measurement: str
    plausible_min: Decimal | None = None
    plausible_max: Decimal | None = None
    part_of: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class IndicatorSpec:
    area: str
    code: str
    name: str
    dimension: str
    formula: str
    unit: str
    better: str
    decimals: int = 1
    band_low: Decimal | None = None
    band_high: Decimal | None = None
    definition: str = ""
    notes: str = ""
    service: str | None = None
    quality_dimension: str = ""


# Areas as `seed_demo` creates them; used only when an area is missing.
AREAS = [
    AreaSpec("servizi-demografici", "Servizi delegati: servizi demografici", (
        ("anagrafe", "Anagrafe centrale"), ("stato-civile", "Stato civile"),
        ("stranieri", "Ufficio stranieri"),
    )),
    AreaSpec("customer-satisfaction", "Ascolto dei cittadini: customer satisfaction e reclami", (
        ("indagini-customer", "Indagini di customer satisfaction"),
        ("gestione-reclami", "Gestione dei reclami"),
    )),
    AreaSpec("asili-nido", "Servizio di nido d'infanzia", (("nido-infanzia", "Nido d'infanzia"),)),
    AreaSpec("personale", "Politiche del personale e formazione", (
        ("formazione", "Formazione del personale"), ("gestione-personale", "Gestione del personale"),
    )),
    AreaSpec("finanziari", "Indicatori finanziari", (
        ("servizi-finanziari", "Servizi finanziari"), ("tributi", "Tributi"),
    )),
    AreaSpec("biblioteche", "Biblioteche", (
        ("biblioteche", "Biblioteche di pubblica lettura"),
        ("prestito-interbibliotecario", "Prestito interbibliotecario"),
    )),
]


def D(value) -> Decimal:  # noqa: N802  (reads like a literal)
    return Decimal(str(value))


DEMO, CS, NIDO, PERS, FIN, BIB = (
    "servizi-demografici", "customer-satisfaction", "asili-nido", "personale", "finanziari", "biblioteche",
)

ELEMENTS = [
    # --- Context figures used by several areas --------------------------------------------
    ElementSpec(DEMO, "popolazione_residente", "Popolazione residente al 31 dicembre", "abitanti",
                Kind.COUNT, "Contesto",
                "Residenti iscritti nell'anagrafe comunale al 31 dicembre dell'anno di riferimento "
                "(stesso dato comunicato all'ISTAT).", D(0), D(5_000_000), service="anagrafe"),
    ElementSpec(NIDO, "bambini_0_2", "Bambini residenti da 0 a 2 anni al 31 dicembre", "bambini",
                Kind.COUNT, "Contesto",
                "Residenti nati nei tre anni precedenti il 31 dicembre (età compiuta 0, 1 o 2 anni), "
                "da estrazione anagrafica.", D(0), D(150_000), part_of="popolazione_residente",
                service="nido-infanzia"),
    # --- Servizi demografici: sportello anagrafico ----------------------------------------
    ElementSpec(DEMO, "certificati_rilasciati", "Certificati anagrafici rilasciati", "certificati",
                Kind.COUNT, "Sportello",
                "Tutti i certificati anagrafici rilasciati nell'anno, allo sportello e online "
                "(ANPR o portale del comune); esclusi stato civile ed elettorale.",
                D(0), D(2_000_000), service="anagrafe"),
    ElementSpec(DEMO, "certificati_online", "Certificati anagrafici rilasciati online", "certificati",
                Kind.COUNT, "Sportello",
                "Certificati scaricati dai cittadini in autonomia da ANPR o dal portale del comune.",
                D(0), D(2_000_000), part_of="certificati_rilasciati", service="anagrafe"),
    ElementSpec(DEMO, "carte_identita", "Carte d'identità elettroniche emesse", "carte",
                Kind.COUNT, "Sportello",
                "Richieste di CIE completate allo sportello nell'anno (dati del Ministero dell'Interno).",
                D(0), D(500_000), service="anagrafe"),
    ElementSpec(DEMO, "sportello_fte", "Addetti allo sportello anagrafico (FTE)", "FTE",
                Kind.QUANTITY, "Personale",
                "Personale equivalente a tempo pieno dedicato al front office anagrafico: somma delle "
                "ore lavorate allo sportello divisa per le ore annue di un tempo pieno.",
                D("0.5"), D(400), service="anagrafe"),
    ElementSpec(DEMO, "ore_apertura_sportello", "Ore di apertura settimanale dello sportello", "ore",
                Kind.DURATION, "Sportello",
                "Ore di apertura al pubblico in una settimana tipo della sede centrale, su appuntamento "
                "e ad accesso libero.", D(10), D(70), service="anagrafe"),
    ElementSpec(DEMO, "attesa_media_minuti", "Attesa media allo sportello", "minuti",
                Kind.DURATION, "Sportello",
                "Media dei minuti tra l'emissione del biglietto (o l'orario dell'appuntamento) e la "
                "chiamata allo sportello, dal sistema eliminacode.", D(0), D(90), service="anagrafe"),
    ElementSpec(DEMO, "cambi_residenza", "Cambi di residenza e immigrazioni registrati", "pratiche",
                Kind.COUNT, "Residenza",
                "Dichiarazioni di residenza (cambi di abitazione e immigrazioni) registrate nell'anno.",
                D(0), D(300_000), service="anagrafe"),
    ElementSpec(DEMO, "giorni_cambi_residenza", "Giorni complessivi per registrare i cambi di residenza",
                "giorni", Kind.COUNT, "Residenza",
                "Somma, su tutte le pratiche, dei giorni lavorativi tra la dichiarazione e la "
                "registrazione in anagrafe (la legge ne prevede al massimo 2).",
                D(0), D(3_000_000), service="anagrafe"),
    ElementSpec(DEMO, "costo_anagrafe", "Costo totale del servizio anagrafe", "euro",
                Kind.AMOUNT, "Costi",
                "Personale, beni, servizi e quota dei costi generali del servizio anagrafe, dal "
                "controllo di gestione (impegni dell'anno).", D(0), D(100_000_000), service="anagrafe"),
    ElementSpec(DEMO, "atti_stato_civile", "Atti di stato civile formati", "atti",
                Kind.COUNT, "Stato civile",
                "Atti di nascita, matrimonio, unione civile, cittadinanza e morte iscritti o trascritti "
                "nei registri nell'anno.", D(0), D(200_000), service="stato-civile"),
    # --- Customer satisfaction and complaints -----------------------------------------------
    ElementSpec(CS, "questionari_distribuiti", "Questionari distribuiti o inviti inviati", "questionari",
                Kind.COUNT, "Indagini",
                "Questionari consegnati agli utenti o inviti online inviati nel periodo di rilevazione "
                "dell'indagine di customer satisfaction.", D(0), D(200_000), service="indagini-customer"),
    ElementSpec(CS, "questionari_compilati", "Questionari compilati", "questionari",
                Kind.COUNT, "Indagini",
                "Questionari restituiti con almeno una risposta valida.",
                D(0), D(200_000), part_of="questionari_distribuiti", service="indagini-customer"),
    ElementSpec(CS, "risposte_soddisfazione", "Risposte valide sulla soddisfazione complessiva", "risposte",
                Kind.COUNT, "Indagini",
                "Questionari con un voto (da 1 a 10) alla domanda sulla soddisfazione complessiva.",
                D(0), D(200_000), part_of="questionari_compilati", service="indagini-customer"),
    ElementSpec(CS, "somma_voti_soddisfazione", "Somma dei voti di soddisfazione complessiva", "punti",
                Kind.COUNT, "Indagini",
                "Somma dei voti (scala da 1 a 10) dati alla domanda sulla soddisfazione complessiva.",
                D(0), D(2_000_000), service="indagini-customer"),
    ElementSpec(CS, "giudizi_positivi", "Risposte soddisfatte (voto da 6 a 10)", "risposte",
                Kind.COUNT, "Indagini",
                "Risposte alla domanda sulla soddisfazione complessiva con voto pari o superiore a 6.",
                D(0), D(200_000), part_of="risposte_soddisfazione", service="indagini-customer"),
    ElementSpec(CS, "reclami_ricevuti", "Reclami ricevuti", "reclami",
                Kind.COUNT, "Reclami",
                "Reclami scritti ricevuti nell'anno da qualsiasi canale (sportello, e-mail, PEC, web, "
                "telefono registrato); escluse le semplici richieste di informazioni.",
                D(0), D(100_000), service="gestione-reclami"),
    ElementSpec(CS, "reclami_risposti", "Reclami con risposta scritta", "reclami",
                Kind.COUNT, "Reclami",
                "Reclami ricevuti nell'anno a cui è stata data risposta scritta.",
                D(0), D(100_000), part_of="reclami_ricevuti", service="gestione-reclami"),
    ElementSpec(CS, "reclami_risposti_30gg", "Reclami con risposta entro 30 giorni", "reclami",
                Kind.COUNT, "Reclami",
                "Reclami con risposta scritta inviata entro 30 giorni di calendario dal ricevimento.",
                D(0), D(100_000), part_of="reclami_risposti", service="gestione-reclami"),
    ElementSpec(CS, "giorni_risposta_reclami", "Giorni complessivi di risposta ai reclami", "giorni",
                Kind.COUNT, "Reclami",
                "Somma, sui reclami con risposta, dei giorni di calendario tra ricevimento e risposta.",
                D(0), D(5_000_000), service="gestione-reclami"),
    # --- Nidi d'infanzia ---------------------------------------------------------------------
    ElementSpec(NIDO, "posti_nido", "Posti nei nidi comunali e convenzionati", "posti",
                Kind.COUNT, "Offerta",
                "Posti autorizzati al 31 dicembre nei nidi a gestione diretta, in appalto o convenzionati.",
                D(0), D(30_000), service="nido-infanzia"),
    ElementSpec(NIDO, "bambini_iscritti", "Bambini iscritti ai nidi", "bambini",
                Kind.COUNT, "Offerta",
                "Bambini iscritti e frequentanti al 31 dicembre nei posti di cui sopra.",
                D(0), D(30_000), service="nido-infanzia"),
    ElementSpec(NIDO, "domande_ammissione", "Domande di ammissione presentate", "domande",
                Kind.COUNT, "Domanda",
                "Domande valide presentate per l'anno educativo che inizia nell'anno di riferimento.",
                D(0), D(50_000), service="nido-infanzia"),
    ElementSpec(NIDO, "domande_lista_attesa", "Domande in lista d'attesa", "domande",
                Kind.COUNT, "Domanda",
                "Domande rimaste senza posto dopo lo scorrimento delle graduatorie (al 31 dicembre).",
                D(0), D(50_000), part_of="domande_ammissione", service="nido-infanzia"),
    ElementSpec(NIDO, "educatori_fte", "Educatori (FTE)", "FTE",
                Kind.QUANTITY, "Personale",
                "Educatori equivalenti a tempo pieno assegnati alle sezioni, esclusi ausiliari e cuochi.",
                D(0), D(5_000), service="nido-infanzia"),
    ElementSpec(NIDO, "costo_nidi", "Costo totale di gestione dei nidi", "euro",
                Kind.AMOUNT, "Costi",
                "Personale, appalti e convenzioni, pasti, utenze, manutenzione ordinaria e quota dei "
                "costi generali dei nidi (impegni dell'anno).", D(0), D(500_000_000), service="nido-infanzia"),
    ElementSpec(NIDO, "entrate_rette", "Entrate da rette delle famiglie", "euro",
                Kind.AMOUNT, "Costi",
                "Rette di frequenza accertate nell'anno.", D(0), D(200_000_000), service="nido-infanzia"),
    ElementSpec(NIDO, "giorni_apertura_nido", "Giorni di apertura dei nidi nell'anno", "giorni",
                Kind.COUNT, "Offerta",
                "Giorni di apertura all'utenza del calendario educativo (servizio estivo compreso).",
                D(150), D(260), service="nido-infanzia"),
    # --- Personale e formazione --------------------------------------------------------------
    ElementSpec(PERS, "dipendenti", "Dipendenti in servizio al 31 dicembre", "dipendenti",
                Kind.COUNT, "Organico",
                "Dipendenti a tempo indeterminato e determinato in servizio al 31 dicembre "
                "(conto annuale), dirigenti compresi.", D(0), D(50_000), service="gestione-personale"),
    ElementSpec(PERS, "cessazioni", "Cessazioni dal servizio nell'anno", "dipendenti",
                Kind.COUNT, "Organico",
                "Dipendenti cessati nell'anno per qualsiasi causa (pensione, dimissioni, mobilità).",
                D(0), D(10_000), service="gestione-personale"),
    ElementSpec(PERS, "giorni_lavorativi", "Giorni lavorativi teorici del personale", "giorni",
                Kind.COUNT, "Presenze",
                "Somma dei giorni lavorativi contrattuali di tutti i dipendenti nell'anno, al netto delle "
                "ferie.", D(0), D(12_000_000), service="gestione-personale"),
    ElementSpec(PERS, "giorni_assenza", "Giorni di assenza", "giorni",
                Kind.COUNT, "Presenze",
                "Giorni di assenza per malattia, permessi retribuiti e altre assenze, escluse ferie e "
                "formazione (come nel conto annuale).", D(0), D(12_000_000), part_of="giorni_lavorativi",
                service="gestione-personale"),
    ElementSpec(PERS, "spesa_personale", "Spesa per il personale", "euro",
                Kind.AMOUNT, "Organico",
                "Spesa di personale impegnata (macroaggregato 101 del bilancio).",
                D(0), D(2_000_000_000), service="gestione-personale"),
    ElementSpec(PERS, "dipendenti_formati", "Dipendenti formati", "dipendenti",
                Kind.COUNT, "Formazione",
                "Dipendenti che hanno completato almeno un'attività formativa nell'anno.",
                D(0), D(50_000), part_of="dipendenti", service="formazione"),
    ElementSpec(PERS, "ore_formazione", "Ore di formazione fruite", "ore",
                Kind.QUANTITY, "Formazione",
                "Somma delle ore di formazione fruite da tutti i dipendenti (ore di corso × partecipanti), "
                "in aula e online.", D(0), D(2_000_000), service="formazione"),
    ElementSpec(PERS, "spesa_formazione", "Spesa per la formazione", "euro",
                Kind.AMOUNT, "Formazione",
                "Spesa impegnata per docenze, piattaforme, iscrizioni a corsi e trasferte formative.",
                D(0), D(20_000_000), service="formazione"),
    # --- Indicatori finanziari ---------------------------------------------------------------
    ElementSpec(FIN, "spesa_corrente", "Spesa corrente impegnata", "euro",
                Kind.AMOUNT, "Bilancio",
                "Impegni di competenza del titolo 1 della spesa (rendiconto).",
                D(0), D(10_000_000_000), service="servizi-finanziari"),
    ElementSpec(FIN, "spesa_investimento", "Spesa in conto capitale impegnata", "euro",
                Kind.AMOUNT, "Bilancio",
                "Impegni di competenza del titolo 2 della spesa (rendiconto).",
                D(0), D(10_000_000_000), service="servizi-finanziari"),
    ElementSpec(FIN, "debito_residuo", "Debito residuo al 31 dicembre", "euro",
                Kind.AMOUNT, "Bilancio",
                "Capitale residuo di mutui, prestiti e altre forme di indebitamento al 31 dicembre.",
                D(0), D(20_000_000_000), service="servizi-finanziari"),
    ElementSpec(FIN, "entrate_tributarie", "Entrate tributarie accertate", "euro",
                Kind.AMOUNT, "Tributi",
                "Accertamenti di competenza del titolo 1 dell'entrata.",
                D(0), D(10_000_000_000), service="tributi"),
    ElementSpec(FIN, "entrate_tributarie_riscosse", "Entrate tributarie riscosse in competenza", "euro",
                Kind.AMOUNT, "Tributi",
                "Riscossioni in conto competenza del titolo 1 dell'entrata.",
                D(0), D(10_000_000_000), part_of="entrate_tributarie", service="tributi"),
    ElementSpec(FIN, "importo_fatture_pagate", "Importo delle fatture commerciali pagate", "euro",
                Kind.AMOUNT, "Pagamenti",
                "Importo delle fatture per transazioni commerciali pagate nell'anno (PCC).",
                D(0), D(10_000_000_000), service="servizi-finanziari"),
    ElementSpec(FIN, "giorni_pagamento_ponderati", "Giorni di pagamento ponderati per l'importo",
                "euro × giorni", Kind.QUANTITY, "Pagamenti",
                "Somma, sulle fatture pagate, di (giorni tra ricevimento della fattura e pagamento × "
                "importo pagato), come nel calcolo dell'indicatore di tempestività dei pagamenti.",
                D(0), None, service="servizi-finanziari"),
    # --- Biblioteche -------------------------------------------------------------------------
    ElementSpec(BIB, "prestiti", "Prestiti nell'anno", "prestiti",
                Kind.COUNT, "Uso",
                "Prestiti registrati dal gestionale in tutte le sedi, rinnovi esclusi, prestiti "
                "interbibliotecari e digitali compresi.", D(0), D(10_000_000), service="biblioteche"),
    ElementSpec(BIB, "prestiti_interbibliotecari", "Prestiti interbibliotecari", "prestiti",
                Kind.COUNT, "Uso",
                "Prestiti ricevuti da o inviati ad altre biblioteche su richiesta degli utenti.",
                D(0), D(10_000_000), part_of="prestiti", service="prestito-interbibliotecario"),
    ElementSpec(BIB, "utenti_attivi", "Utenti attivi", "utenti",
                Kind.COUNT, "Uso",
                "Iscritti che hanno effettuato almeno un prestito nell'anno.",
                D(0), D(1_000_000), service="biblioteche"),
    ElementSpec(BIB, "ore_apertura_biblioteche", "Ore di apertura settimanale delle biblioteche", "ore",
                Kind.DURATION, "Offerta",
                "Somma delle ore di apertura al pubblico in una settimana tipo di tutte le sedi.",
                D(0), D(3_000), service="biblioteche"),
    ElementSpec(BIB, "patrimonio_documentario", "Documenti posseduti", "documenti",
                Kind.COUNT, "Offerta",
                "Documenti a catalogo disponibili al prestito o alla consultazione al 31 dicembre.",
                D(0), D(20_000_000), service="biblioteche"),
    ElementSpec(BIB, "acquisizioni", "Documenti acquisiti nell'anno", "documenti",
                Kind.COUNT, "Offerta",
                "Nuovi documenti inventariati nell'anno, per acquisto o dono.",
                D(0), D(500_000), service="biblioteche"),
    ElementSpec(BIB, "costo_biblioteche", "Costo totale delle biblioteche", "euro",
                Kind.AMOUNT, "Costi",
                "Personale, acquisti, utenze, servizi e quota dei costi generali del sistema bibliotecario.",
                D(0), D(500_000_000), service="biblioteche"),
]

INDICATORS = [
    # --- Servizi demografici -----------------------------------------------------------------
    IndicatorSpec(DEMO, "certificati_per_fte", "Certificati rilasciati per addetto allo sportello",
                  EFFICIENCY, "certificati_rilasciati / sportello_fte", "certificati/FTE", Better.HIGHER, 0,
                  definition="Certificati anagrafici rilasciati nell'anno per addetto equivalente a tempo pieno.",
                  notes="Con molti certificati online il valore cresce senza più lavoro allo sportello: "
                        "leggerlo insieme alla quota online.", service="anagrafe"),
    IndicatorSpec(DEMO, "quota_certificati_online", "Quota di certificati rilasciati online",
                  EFFICACY, "certificati_online / certificati_rilasciati * 100", "%", Better.HIGHER, 1,
                  definition="Certificati scaricati in autonomia dai cittadini sul totale dei certificati.",
                  service="anagrafe", quality_dimension=ACCESSIBILITY),
    IndicatorSpec(DEMO, "giorni_cambio_residenza", "Giorni medi per registrare un cambio di residenza",
                  QUALITY, "giorni_cambi_residenza / cambi_residenza", "giorni", Better.LOWER, 1,
                  definition="Giorni lavorativi medi tra la dichiarazione di residenza e la registrazione.",
                  notes="La registrazione va fatta entro 2 giorni lavorativi (d.l. 5/2012, «residenza in "
                        "tempo reale»).", service="anagrafe", quality_dimension=TIMELINESS),
    IndicatorSpec(DEMO, "costo_anagrafe_per_abitante", "Costo dell'anagrafe per abitante",
                  EFFICIENCY, "costo_anagrafe / popolazione_residente", "€/abitante", Better.LOWER, 2,
                  definition="Costo totale del servizio anagrafe diviso per i residenti.", service="anagrafe"),
    IndicatorSpec(DEMO, "attesa_media_sportello", "Attesa media allo sportello anagrafico",
                  QUALITY, "attesa_media_minuti", "minuti", Better.LOWER, 0,
                  definition="Minuti medi di attesa prima della chiamata allo sportello.",
                  service="anagrafe", quality_dimension=TIMELINESS),
    IndicatorSpec(DEMO, "ore_apertura_settimanali_sportello", "Ore di apertura settimanale dello sportello",
                  QUALITY, "ore_apertura_sportello", "ore/settimana", Better.HIGHER, 0,
                  definition="Ore di apertura al pubblico della sede centrale in una settimana tipo.",
                  service="anagrafe", quality_dimension=ACCESSIBILITY),
    IndicatorSpec(DEMO, "atti_stato_civile_per_1000_abitanti", "Atti di stato civile per 1.000 abitanti",
                  IMPACT, "atti_stato_civile / popolazione_residente * 1000", "per 1.000 ab.", Better.BAND, 1,
                  band_low=D(8), band_high=D(25),
                  definition="Atti formati o trascritti nell'anno ogni 1.000 residenti.",
                  notes="Misura il carico del servizio più che la sua qualità: valori fuori dall'intervallo "
                        "vanno spiegati (es. ospedali sul territorio, molte cittadinanze).",
                  service="stato-civile"),
    # --- Customer satisfaction e reclami --------------------------------------------------------
    IndicatorSpec(CS, "soddisfazione_media", "Soddisfazione complessiva media (voto 1-10)",
                  QUALITY, "somma_voti_soddisfazione / risposte_soddisfazione", "voto 1-10", Better.HIGHER, 2,
                  definition="Media dei voti di soddisfazione complessiva dell'indagine di customer satisfaction.",
                  service="indagini-customer", quality_dimension=EFFECTIVENESS),
    IndicatorSpec(CS, "quota_utenti_soddisfatti", "Quota di utenti soddisfatti",
                  QUALITY, "giudizi_positivi / risposte_soddisfazione * 100", "%", Better.HIGHER, 1,
                  definition="Risposte con voto da 6 a 10 sul totale delle risposte valide.",
                  service="indagini-customer", quality_dimension=EFFECTIVENESS),
    IndicatorSpec(CS, "tasso_risposta_indagini", "Tasso di risposta alle indagini",
                  EFFICACY, "questionari_compilati / questionari_distribuiti * 100", "%", Better.HIGHER, 1,
                  definition="Questionari compilati sul totale di quelli distribuiti o degli inviti inviati.",
                  notes="Sotto il 20% i risultati dell'indagine vanno letti con cautela.",
                  service="indagini-customer"),
    IndicatorSpec(CS, "reclami_per_10000_abitanti", "Reclami per 10.000 abitanti",
                  IMPACT, "reclami_ricevuti / popolazione_residente * 10000", "per 10.000 ab.", Better.LOWER, 1,
                  definition="Reclami ricevuti nell'anno ogni 10.000 residenti.",
                  notes="Un valore basso può dipendere anche da canali di reclamo poco accessibili.",
                  service="gestione-reclami"),
    IndicatorSpec(CS, "quota_reclami_con_risposta", "Quota di reclami con risposta",
                  EFFICACY, "reclami_risposti / reclami_ricevuti * 100", "%", Better.HIGHER, 1,
                  definition="Reclami con risposta scritta sul totale dei reclami ricevuti.",
                  service="gestione-reclami", quality_dimension=TRANSPARENCY),
    IndicatorSpec(CS, "quota_reclami_risposti_30gg", "Quota di reclami con risposta entro 30 giorni",
                  QUALITY, "reclami_risposti_30gg / reclami_ricevuti * 100", "%", Better.HIGHER, 1,
                  definition="Reclami con risposta entro 30 giorni sul totale dei reclami ricevuti.",
                  service="gestione-reclami", quality_dimension=TIMELINESS),
    IndicatorSpec(CS, "giorni_medi_risposta_reclami", "Giorni medi di risposta ai reclami",
                  QUALITY, "giorni_risposta_reclami / reclami_risposti", "giorni", Better.LOWER, 1,
                  definition="Giorni di calendario medi tra ricevimento del reclamo e risposta scritta.",
                  service="gestione-reclami", quality_dimension=TIMELINESS),
    # --- Nidi d'infanzia -----------------------------------------------------------------------
    IndicatorSpec(NIDO, "copertura_domanda_nido", "Copertura della domanda potenziale",
                  IMPACT, "posti_nido / bambini_0_2 * 100", "%", Better.HIGHER, 1,
                  definition="Posti nei nidi ogni 100 bambini residenti da 0 a 2 anni.",
                  notes="Obiettivo europeo: 33% (Barcellona 2002), 45% entro il 2030.",
                  service="nido-infanzia", quality_dimension=ACCESSIBILITY),
    IndicatorSpec(NIDO, "costo_per_iscritto", "Costo annuo per bambino iscritto",
                  EFFICIENCY, "costo_nidi / bambini_iscritti", "€/bambino", Better.LOWER, 0,
                  definition="Costo totale di gestione dei nidi diviso per i bambini iscritti.",
                  service="nido-infanzia"),
    IndicatorSpec(NIDO, "quota_lista_attesa", "Quota di domande in lista d'attesa",
                  EFFICACY, "domande_lista_attesa / domande_ammissione * 100", "%", Better.LOWER, 1,
                  definition="Domande rimaste senza posto sul totale delle domande presentate.",
                  service="nido-infanzia", quality_dimension=ACCESSIBILITY),
    IndicatorSpec(NIDO, "tasso_occupazione_posti", "Tasso di occupazione dei posti",
                  EFFICIENCY, "bambini_iscritti / posti_nido * 100", "%", Better.BAND, 1,
                  band_low=D(90), band_high=D(100),
                  definition="Bambini iscritti ogni 100 posti disponibili.",
                  notes="Sotto il 90% i posti restano vuoti; oltre il 100% si usa la sovra-iscrizione "
                        "ammessa dalle norme regionali.", service="nido-infanzia"),
    IndicatorSpec(NIDO, "copertura_costi_rette", "Copertura dei costi con le rette",
                  EFFICIENCY, "entrate_rette / costo_nidi * 100", "%", Better.BAND, 1,
                  band_low=D(15), band_high=D(35),
                  definition="Quota del costo dei nidi coperta dalle rette delle famiglie.",
                  notes="È una scelta di politica tariffaria: l'intervallo è quello concordato dal club.",
                  service="nido-infanzia"),
    IndicatorSpec(NIDO, "bambini_per_educatore", "Bambini per educatore",
                  QUALITY, "bambini_iscritti / educatori_fte", "bambini/FTE", Better.BAND, 1,
                  band_low=D(5), band_high=D(7),
                  definition="Bambini iscritti per educatore equivalente a tempo pieno.",
                  notes="I rapporti numerici regionali vanno da 1:5 (lattanti) a 1:8 (divezzi).",
                  service="nido-infanzia", quality_dimension=EFFECTIVENESS),
    IndicatorSpec(NIDO, "giorni_apertura_nidi", "Giorni di apertura nell'anno",
                  QUALITY, "giorni_apertura_nido", "giorni", Better.HIGHER, 0,
                  definition="Giorni di apertura del calendario educativo, servizio estivo compreso.",
                  service="nido-infanzia", quality_dimension=ACCESSIBILITY),
    # --- Personale e formazione ------------------------------------------------------------------
    IndicatorSpec(PERS, "ore_formazione_per_dipendente", "Ore di formazione per dipendente",
                  EFFICACY, "ore_formazione / dipendenti", "ore/dipendente", Better.HIGHER, 1,
                  definition="Ore di formazione fruite nell'anno per dipendente in servizio.",
                  notes="La direttiva del Ministro per la PA del 14 gennaio 2025 chiede almeno 40 ore annue.",
                  service="formazione"),
    IndicatorSpec(PERS, "quota_personale_formato", "Quota di personale formato",
                  EFFICACY, "dipendenti_formati / dipendenti * 100", "%", Better.HIGHER, 1,
                  definition="Dipendenti con almeno un'attività formativa sul totale dei dipendenti.",
                  service="formazione"),
    IndicatorSpec(PERS, "spesa_formazione_per_dipendente", "Spesa di formazione per dipendente",
                  EFFICIENCY, "spesa_formazione / dipendenti", "€/dipendente", Better.HIGHER, 0,
                  definition="Spesa per la formazione divisa per i dipendenti in servizio.",
                  service="formazione"),
    IndicatorSpec(PERS, "tasso_assenza", "Tasso di assenza",
                  EFFICIENCY, "giorni_assenza / giorni_lavorativi * 100", "%", Better.LOWER, 1,
                  definition="Giorni di assenza (ferie escluse) sui giorni lavorativi teorici.",
                  service="gestione-personale"),
    IndicatorSpec(PERS, "tasso_turnover", "Tasso di turnover in uscita",
                  IMPACT, "cessazioni / dipendenti * 100", "%", Better.BAND, 1,
                  band_low=D(3), band_high=D(8),
                  definition="Cessazioni nell'anno ogni 100 dipendenti in servizio.",
                  notes="Troppo basso: organico che invecchia; troppo alto: perdita di competenze.",
                  service="gestione-personale"),
    IndicatorSpec(PERS, "dipendenti_per_1000_abitanti", "Dipendenti per 1.000 abitanti",
                  EFFICIENCY, "dipendenti / popolazione_residente * 1000", "per 1.000 ab.", Better.LOWER, 2,
                  definition="Dipendenti in servizio ogni 1.000 residenti.",
                  notes="Dipende da quanti servizi il comune gestisce direttamente: leggerlo con i "
                        "descrittori di contesto.", service="gestione-personale"),
    IndicatorSpec(PERS, "spesa_personale_per_abitante", "Spesa di personale per abitante",
                  EFFICIENCY, "spesa_personale / popolazione_residente", "€/abitante", Better.LOWER, 2,
                  definition="Spesa per il personale divisa per i residenti.", service="gestione-personale"),
    # --- Indicatori finanziari ---------------------------------------------------------------
    IndicatorSpec(FIN, "indicatore_tempestivita_pagamenti", "Indicatore di tempestività dei pagamenti",
                  EFFICIENCY, "giorni_pagamento_ponderati / importo_fatture_pagate - 30", "giorni",
                  Better.LOWER, 1,
                  definition="Giorni medi di pagamento ponderati per l'importo, meno il termine di 30 giorni: "
                             "negativo se si paga prima della scadenza (d.P.C.M. 22 settembre 2014).",
                  notes="Assume il termine ordinario di 30 giorni per tutte le fatture.",
                  service="servizi-finanziari", quality_dimension=TIMELINESS),
    IndicatorSpec(FIN, "tempo_medio_pagamento", "Tempo medio ponderato di pagamento dei fornitori",
                  EFFICIENCY, "giorni_pagamento_ponderati / importo_fatture_pagate", "giorni", Better.LOWER, 1,
                  definition="Giorni medi tra ricevimento della fattura e pagamento, ponderati per l'importo.",
                  service="servizi-finanziari", quality_dimension=TIMELINESS),
    IndicatorSpec(FIN, "tasso_riscossione_tributi", "Tasso di riscossione delle entrate tributarie",
                  EFFICACY, "entrate_tributarie_riscosse / entrate_tributarie * 100", "%", Better.HIGHER, 1,
                  definition="Riscossioni in competenza sugli accertamenti del titolo 1.", service="tributi"),
    IndicatorSpec(FIN, "spesa_corrente_per_abitante", "Spesa corrente per abitante",
                  EFFICIENCY, "spesa_corrente / popolazione_residente", "€/abitante", Better.LOWER, 0,
                  definition="Impegni di spesa corrente divisi per i residenti.",
                  notes="I capoluoghi con molti pendolari e turisti spendono di più per abitante.",
                  service="servizi-finanziari"),
    IndicatorSpec(FIN, "debito_per_abitante", "Debito residuo per abitante",
                  IMPACT, "debito_residuo / popolazione_residente", "€/abitante", Better.LOWER, 0,
                  definition="Debito residuo al 31 dicembre diviso per i residenti.", service="servizi-finanziari"),
    IndicatorSpec(FIN, "entrate_tributarie_per_abitante", "Entrate tributarie per abitante",
                  IMPACT, "entrate_tributarie / popolazione_residente", "€/abitante", Better.LOWER, 0,
                  definition="Accertamenti tributari divisi per i residenti (pressione tributaria).",
                  service="tributi"),
    IndicatorSpec(FIN, "incidenza_investimenti", "Incidenza della spesa per investimenti",
                  EFFICACY, "spesa_investimento / (spesa_corrente + spesa_investimento) * 100", "%",
                  Better.HIGHER, 1,
                  definition="Spesa in conto capitale sul totale della spesa corrente e in conto capitale.",
                  service="servizi-finanziari"),
    # --- Biblioteche --------------------------------------------------------------------------
    IndicatorSpec(BIB, "prestiti_per_abitante", "Prestiti per abitante",
                  IMPACT, "prestiti / popolazione_residente", "prestiti/abitante", Better.HIGHER, 2,
                  definition="Prestiti dell'anno divisi per i residenti (indice di prestito).",
                  service="biblioteche"),
    IndicatorSpec(BIB, "quota_utenti_attivi", "Utenti attivi sulla popolazione",
                  IMPACT, "utenti_attivi / popolazione_residente * 100", "%", Better.HIGHER, 1,
                  definition="Utenti con almeno un prestito nell'anno ogni 100 residenti (indice di impatto).",
                  service="biblioteche"),
    IndicatorSpec(BIB, "ore_apertura_settimanali_biblioteche", "Ore di apertura settimanale delle biblioteche",
                  QUALITY, "ore_apertura_biblioteche", "ore/settimana", Better.HIGHER, 0,
                  definition="Somma delle ore di apertura settimanale di tutte le sedi.",
                  service="biblioteche", quality_dimension=ACCESSIBILITY),
    IndicatorSpec(BIB, "acquisizioni_per_1000_abitanti", "Acquisizioni per 1.000 abitanti",
                  EFFICACY, "acquisizioni / popolazione_residente * 1000", "per 1.000 ab.", Better.HIGHER, 1,
                  definition="Nuovi documenti acquisiti nell'anno ogni 1.000 residenti (indice di incremento).",
                  notes="Le linee guida IFLA indicano 250 documenti ogni 1.000 abitanti.", service="biblioteche"),
    IndicatorSpec(BIB, "indice_circolazione", "Indice di circolazione del patrimonio",
                  EFFICACY, "prestiti / patrimonio_documentario", "prestiti/documento", Better.HIGHER, 2,
                  definition="Prestiti dell'anno per documento posseduto.", service="biblioteche"),
    IndicatorSpec(BIB, "costo_per_prestito", "Costo per prestito",
                  EFFICIENCY, "costo_biblioteche / prestiti", "€/prestito", Better.LOWER, 2,
                  definition="Costo totale delle biblioteche diviso per i prestiti.", service="biblioteche"),
    IndicatorSpec(BIB, "costo_biblioteche_per_abitante", "Costo delle biblioteche per abitante",
                  EFFICIENCY, "costo_biblioteche / popolazione_residente", "€/abitante", Better.LOWER, 2,
                  definition="Costo totale delle biblioteche diviso per i residenti.", service="biblioteche"),
    IndicatorSpec(BIB, "quota_prestiti_interbibliotecari", "Quota di prestiti interbibliotecari",
                  QUALITY, "prestiti_interbibliotecari / prestiti * 100", "%", Better.HIGHER, 1,
                  definition="Prestiti interbibliotecari sul totale dei prestiti.",
                  service="prestito-interbibliotecario", quality_dimension=ACCESSIBILITY),
]


@dataclass
class LoadResult:
    elements_created: int = 0
    elements_updated: int = 0
    indicators_created: int = 0
    indicators_updated: int = 0
    versions_created: int = 0
    areas_created: list[str] = field(default_factory=list)


def check(elements: list[ElementSpec], indicators: list[IndicatorSpec]) -> None:
    """Refuse an inconsistent catalogue before anything is written."""
    problems: list[str] = []
    codes = [spec.code for spec in elements]
    known = set(codes)
    seen: set[str] = set()
    for spec in elements:
        if spec.code in seen:
            problems.append(f"element {spec.code}: duplicate code")
        if spec.part_of and spec.part_of not in seen:
            problems.append(f"element {spec.code}: part_of {spec.part_of} must be listed before it")
        if spec.area not in {area.code for area in AREAS}:
            problems.append(f"element {spec.code}: unknown area {spec.area}")
        if spec.kind not in Kind.values:
            problems.append(f"element {spec.code}: unknown kind {spec.kind}")
        seen.add(spec.code)
    area_codes = {area.code for area in AREAS}
    indicator_codes: set[str] = set()
    for spec in indicators:
        if spec.code in indicator_codes:
            problems.append(f"indicator {spec.code}: duplicate code")
        indicator_codes.add(spec.code)
        if spec.area not in area_codes:
            problems.append(f"indicator {spec.code}: unknown area {spec.area}")
        if spec.better == Better.BAND and (spec.band_low is None or spec.band_high is None):
            problems.append(f"indicator {spec.code}: a band needs both bounds")
        try:
            formula = parse(spec.formula)
        except FormulaError as error:
            problems.append(f"indicator {spec.code}: {error}")
            continue
        unknown = sorted(formula.codes - known)
        if unknown:
            problems.append(f"indicator {spec.code}: unknown data elements {', '.join(unknown)}")
    if problems:
        raise CatalogueError("; ".join(problems))


def _areas() -> tuple[dict[str, ThematicArea], dict[str, Service], list[str]]:
    areas: dict[str, ThematicArea] = {}
    services: dict[str, Service] = {}
    created_areas = []
    for position, spec in enumerate(AREAS, start=1):
        area, created = ThematicArea.objects.get_or_create(
            code=spec.code, defaults={"name": spec.name, "position": position}
        )
        if created:
            created_areas.append(spec.code)
        areas[spec.code] = area
        for code, name in spec.services:
            services[code], _created = Service.objects.get_or_create(
                code=code, defaults={"area": area, "name": name}
            )
    return areas, services, created_areas


def _version_fields(spec: IndicatorSpec) -> dict:
    return {
        "formula": spec.formula, "unit": spec.unit, "decimals": spec.decimals, "better": spec.better,
        "band_low": spec.band_low, "band_high": spec.band_high,
    }


def _same_definition(version: IndicatorVersion, spec: IndicatorSpec) -> bool:
    return all(getattr(version, name) == value for name, value in _version_fields(spec).items())


@transaction.atomic
def load_catalogue(
    elements: list[ElementSpec] | None = None, indicators: list[IndicatorSpec] | None = None
) -> LoadResult:
    """Create or update the example catalogue (idempotent). Raises CatalogueError
    on an inconsistent definition, before writing anything."""
    elements = ELEMENTS if elements is None else elements
    indicators = INDICATORS if indicators is None else indicators
    check(elements, indicators)
    result = LoadResult()
    areas, services, result.areas_created = _areas()
    saved: dict[str, DataElement] = {}
    for position, spec in enumerate(elements, start=1):
        saved[spec.code], created = DataElement.objects.update_or_create(
            code=spec.code,
            defaults={
                "area": areas[spec.area], "service": services.get(spec.service),
                "name": spec.name, "unit": spec.unit, "kind": spec.kind, "group": spec.group,
                "position": position, "measurement": spec.measurement,
                "plausible_min": spec.plausible_min, "plausible_max": spec.plausible_max,
                "part_of": saved[spec.part_of] if spec.part_of else None, "is_example": True,
            },
        )
        if created:
            result.elements_created += 1
        else:
            result.elements_updated += 1
    newest: dict[int, IndicatorVersion] = {}
    for version in IndicatorVersion.objects.order_by("number"):
        newest[version.indicator_id] = version
    for position, spec in enumerate(indicators, start=1):
        indicator, created = Indicator.objects.update_or_create(
            code=spec.code,
            defaults={
                "area": areas[spec.area], "service": services.get(spec.service), "name": spec.name,
                "dimension": spec.dimension, "quality_dimension": spec.quality_dimension,
                "position": position, "is_example": True,
            },
        )
        if created:
            result.indicators_created += 1
        else:
            result.indicators_updated += 1
        current = newest.get(indicator.pk)
        if current is not None and _same_definition(current, spec):
            # Wording only: the meaning of computed results is unchanged.
            if (current.definition, current.notes) != (spec.definition, spec.notes):
                IndicatorVersion.objects.filter(pk=current.pk).update(
                    definition=spec.definition, notes=spec.notes
                )
            continue
        IndicatorVersion.objects.create(
            indicator=indicator, number=(current.number + 1) if current else 1,
            definition=spec.definition, notes=spec.notes, **_version_fields(spec),
        )
        result.versions_created += 1
    return result
