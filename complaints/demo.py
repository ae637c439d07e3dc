"""Complaints demo data: a few dozen complaints, suggestions and compliments
per member comune over the last three years, through every channel and
category, answered on time and late, some reopened, some still open (a few
overdue). Idempotent (a comune with complaints is left alone) and quick:
rows are written with bulk_create, acting for each comune; due dates and
working days come from the same `deadlines` and `policy` as real data."""

from __future__ import annotations

import datetime
import hashlib
import random
import time

from django.contrib.auth import get_user_model
from django.db import transaction

from complaints import deadlines, policy
from complaints.models import Category, Complaint, ComplaintEvent, Office, ReferenceCounter
from qclub.models import Municipality, Service
from qclub.tenancy import acting_for

PER_COMUNE = 36
OFFICES = ("Ufficio relazioni con il pubblico", "Servizi demografici", "Servizi educativi", "Lavori pubblici")
TEXTS = {
    Complaint.Kind.COMPLAINT: [
        ("Ho atteso più di un'ora allo sportello senza che venisse chiamato il mio numero.",
         "Chiedo che vengano aumentati gli operatori nelle ore di punta."),
        ("La prenotazione online non funziona: il sistema dà errore alla conferma.",
         "Chiedo di poter prenotare per telefono finché il sito non è riparato."),
        ("Il certificato richiesto un mese fa non mi è ancora arrivato.", "Chiedo di riceverlo al più presto."),
        ("Il personale allo sportello è stato scortese e non mi ha dato le informazioni richieste.", ""),
        ("La tariffa del nido è stata calcolata senza tenere conto dell'ISEE presentato.",
         "Chiedo il ricalcolo e il rimborso della differenza."),
        ("Il marciapiede davanti alla scuola è rotto da mesi.", "Chiedo che venga riparato."),
    ],
    Complaint.Kind.SUGGESTION: [
        ("Sarebbe utile aprire lo sportello anche il sabato mattina.", ""),
        ("Propongo di inviare un promemoria via SMS prima dell'appuntamento.", ""),
    ],
    Complaint.Kind.COMPLIMENT: [
        ("Ringrazio l'ufficio anagrafe per la rapidità e la gentilezza.", ""),
        ("Le educatrici del nido sono state bravissime con nostra figlia.", ""),
    ],
}
ANSWER = ("Gentile cittadino, la ringraziamo per la segnalazione. Abbiamo verificato quanto descritto "
          "e preso i provvedimenti necessari. Restiamo a disposizione.")
CHANNELS = [c for c, _ in Complaint.Channel.choices]
CHANNEL_WEIGHTS = [40, 20, 15, 15, 5, 5]


def _rng(comune: Municipality) -> random.Random:
    return random.Random(int(hashlib.sha256(comune.slug.encode()).hexdigest()[:8], 16))


def seed_comune(comune: Municipality, *, services: list, categories: list, staff: list, today: datetime.date) -> int:
    rng = _rng(comune)
    province = comune.province_code
    with acting_for(comune), transaction.atomic():
        if Complaint.objects.exists():
            return 0
        offices = [Office.objects.get_or_create(municipality=comune, name=n)[0] for n in OFFICES]
        standards = policy.standards_for(municipality=comune, service=None, kind=Complaint.Kind.COMPLAINT)
        # Most over the last three years, a few in the last two months (some of them open, one overdue).
        days = sorted(
            [today - datetime.timedelta(days=rng.randrange(60, 3 * 365)) for _ in range(PER_COMUNE - 6)]
            + [today - datetime.timedelta(days=d) for d in (75, 40, 20, 9, 3, 1)]
        )
        counters: dict[int, int] = {}
        complaints, plans = [], []
        for index, received in enumerate(days):
            kind = rng.choices(list(TEXTS), weights=[70, 18, 12])[0]
            what, ask = rng.choice(TEXTS[kind])
            counters[received.year] = counters.get(received.year, 0) + 1
            wants = kind == Complaint.Kind.COMPLAINT and rng.random() < 0.8
            c = Complaint(
                municipality=comune, reference=f"S-{received.year}-{counters[received.year]:05d}",
                kind=kind, channel=rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0], received_on=received,
                clock_started_on=received, service=rng.choice(services) if services else None,
                category=rng.choice(categories), what_happened=what, request=ask, wants_answer=wants,
                contact_name="Maria Bianchi" if wants else "",
                contact_email=f"cittadino{index}@example.invalid" if wants else "",
                office=rng.choice(offices), assignee=rng.choice(staff) if staff else None,
            )
            policy.refresh_due_dates(c, standards=standards, suspensions=[])
            age = (today - received).days
            # The one received 75 days ago stays open: overdue.
            if (age > 45 and age != 75) or (10 < age <= 45 and rng.random() < 0.5):
                late = rng.random() < 0.2
                span = standards.answer_days + rng.randint(2, 15) if late else rng.randint(3, standards.answer_days)
                answered = deadlines.add_working_days(received, span, province_code=province)
                if answered > today:
                    answered = today
                c.acknowledged_on = deadlines.add_working_days(received, rng.randint(1, 6), province_code=province)
                c.acknowledged_late = c.acknowledged_on > c.acknowledge_due
                c.answer, c.answered_on = ANSWER, answered
                c.answer_working_days = deadlines.working_days_between(received, answered, province_code=province)
                c.answered_late = c.answer_working_days > standards.answer_days
                c.root_cause = rng.choice(Complaint.RootCause.values) if kind == Complaint.Kind.COMPLAINT else ""
                c.founded = (rng.random() < 0.6) if kind == Complaint.Kind.COMPLAINT else None
                c.rating = rng.choice([2, 3, 4, 4, 5, 5]) if wants and rng.random() < 0.5 else None
                c.status = Complaint.Status.CLOSED if age > 90 else Complaint.Status.ANSWERED
                c.closed_on = answered + datetime.timedelta(days=20) if c.status == Complaint.Status.CLOSED else None
                if kind == Complaint.Kind.COMPLAINT and index % 9 == 4:
                    c.reopen_count = 1  # reopened by the citizen, and answered again
                plans.append("answered")
            else:
                c.status = rng.choice([Complaint.Status.RECEIVED, Complaint.Status.ACKNOWLEDGED,
                                       Complaint.Status.IN_PROGRESS])
                if c.status != Complaint.Status.RECEIVED:
                    c.acknowledged_on = min(today, deadlines.add_working_days(received, 2, province_code=province))
                plans.append("open")
            complaints.append(c)
        Complaint.objects.bulk_create(complaints)
        events = []
        for c in complaints:
            events.append(ComplaintEvent(municipality=comune, complaint=c, kind=ComplaintEvent.Kind.REGISTERED,
                                         to_status=Complaint.Status.RECEIVED, text=c.get_channel_display()))
            if c.status != Complaint.Status.RECEIVED:
                events.append(ComplaintEvent(municipality=comune, complaint=c, kind=ComplaintEvent.Kind.STATUS,
                                             actor=c.assignee, from_status=Complaint.Status.RECEIVED,
                                             to_status=c.status))
        ComplaintEvent.objects.bulk_create(events)
        for year, last in counters.items():
            ReferenceCounter.objects.update_or_create(municipality=comune, year=year, defaults={"last": last})
        return len(complaints)


def seed(stdout=None) -> None:
    started = time.monotonic()
    services = list(Service.objects.order_by("code")[:20])
    categories = list(Category.objects.all())
    users = get_user_model().objects
    total = 0
    for comune in Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name"):
        staff = list(users.filter(memberships__municipality=comune, is_active=True).order_by("username"))
        total += seed_comune(comune, services=services, categories=categories, staff=staff,
                             today=policy.today())
    if stdout is not None:
        stdout.write(f"Reclami: {total} segnalazioni di esempio ({time.monotonic() - started:.1f} s)\n")
