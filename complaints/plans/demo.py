"""Demo improvement plans and KPI figures (after complaints/demo.py's complaints):
in every member comune three actions (one done with its measured result, one
in progress, one planned and late), each linked to complaints or a root cause;
the figures of the last three years; the first comune publishes last year's
report. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction

from complaints import policy
from complaints.kpis.services import publish_report_figures, refresh_figures
from complaints.models import Complaint, ComplaintReport, ImprovementAction, ImprovementLink
from qclub.models import Municipality
from qclub.tenancy import acting_for

S = ImprovementAction.Status
ACTIONS = [
    ("Secondo operatore allo sportello il lunedì mattina", "procedure", S.DONE,
     "Attesa media del lunedì scesa da 48 a 17 minuti (rilevazione di quattro settimane)."),
    ("Pagina del sito con orari e documenti da portare, aggiornata ogni mese", "information", S.IN_PROGRESS, ""),
    ("Corso sulla gestione dei reclami per il personale a contatto con il pubblico", "staff", S.PLANNED, ""),
]


def seed_comune(comune: Municipality, *, today: datetime.date, publish: bool) -> int:
    with acting_for(comune), transaction.atomic():
        if ImprovementAction.objects.exists():
            return 0
        created = 0
        for index, (title, cause, status, result) in enumerate(ACTIONS):
            linked = list(
                Complaint.objects.filter(kind=Complaint.Kind.COMPLAINT, root_cause=cause)
                .order_by("-received_on").values("pk", "service_id")[:3]
            )
            due = today + datetime.timedelta(days=(-90, 60, -10)[index])
            action = ImprovementAction.objects.create(
                municipality=comune, title=title, root_cause=cause, owner="Ufficio relazioni con il pubblico",
                service_id=linked[0]["service_id"] if linked else None, due_on=due, status=status, result=result,
                completed_on=due - datetime.timedelta(days=5) if status == S.DONE else None,
            )
            ImprovementLink.objects.bulk_create(
                [ImprovementLink(municipality=comune, action=action, complaint_id=row["pk"]) for row in linked]
            )
            created += 1
        refresh_figures(municipality=comune, years=[today.year - 2, today.year - 1, today.year])
        if publish and not ComplaintReport.objects.exists():
            publish_report_figures(comune, today.year - 1)
        return created


def seed(stdout=None) -> None:
    today = policy.today()
    total = 0
    members = Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name")
    for index, comune in enumerate(members):
        total += seed_comune(comune, today=today, publish=index == 0)
    if stdout is not None:
        stdout.write(f"Reclami: {total} azioni di miglioramento di esempio, indicatori calcolati\n")
