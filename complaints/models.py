"""Complaint management. Complaints carry citizens' personal data: no
cross-tenant scope may read them (no read policies)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel


class Complaint(TenantModel):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Ricevuto")
        IN_PROGRESS = "in_progress", _("In lavorazione")
        ANSWERED = "answered", _("Risposto")
        CLOSED = "closed", _("Chiuso")

    reference = models.CharField(_("protocollo"), max_length=30)
    received_on = models.DateField(_("ricevuto il"))
    service = models.ForeignKey(
        "qclub.Service", verbose_name=_("servizio"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    subject = models.CharField(_("oggetto"), max_length=200)
    description = models.TextField(_("descrizione"))
    status = models.CharField(
        _("stato"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    citizen_name = models.CharField(_("nome del cittadino"), max_length=120, blank=True)
    citizen_email = models.EmailField(_("e-mail del cittadino"), blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-received_on"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "reference"], name="complaint_reference"),
        ]
        verbose_name = _("reclamo")
        verbose_name_plural = _("reclami")

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject}"


class ComplaintAction(TenantModel):
    """A step in handling a complaint (note, answer, forwarding)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="actions")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("testo"))

    class Meta(TenantModel.Meta):
        verbose_name = _("azione su un reclamo")
        verbose_name_plural = _("azioni sui reclami")
        ordering = ["at"]
