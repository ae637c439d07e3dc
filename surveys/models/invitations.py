"""Invitations to answer a survey online: single-use links sent by e-mail.

Privacy by construction:
* the link's token is stored only as its SHA-256 (`token_hash`);
* the e-mail address is kept only until the invitation is sent: the sending job
  erases it in the transaction that sends the message (`email` then is empty);
* a used invitation is only marked `used`: no column names the response it led
  to, and no time of use is kept, so answers cannot be traced back to an
  invitation (nor, the address being gone, to a person).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel
from surveys.models.fieldwork import Survey


class InvitationBatch(TenantModel):
    """A list of addresses an officer sent invitations to, at once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitation_batches")
    created_on = models.DateField(_("creato il"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("da"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(TenantModel.Meta):
        ordering = ["survey", "-id"]
        verbose_name = _("invio di inviti")
        verbose_name_plural = _("invii di inviti")


class Invitation(TenantModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    batch = models.ForeignKey(InvitationBatch, on_delete=models.CASCADE, related_name="invitations")
    # Only until sent: erased by the sending job.
    email = models.EmailField(_("indirizzo e-mail"), blank=True)
    # SHA-256 of the link's token, set when the e-mail is sent.
    token_hash = models.CharField(_("impronta del codice"), max_length=64, blank=True)
    sent = models.BooleanField(_("inviato"), default=False)
    used = models.BooleanField(_("usato"), default=False)

    class Meta(TenantModel.Meta):
        ordering = ["survey", "id"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "token_hash"],
                condition=~Q(token_hash=""),
                name="surveys_invitation_token",
            ),
        ]
        verbose_name = _("invito")
        verbose_name_plural = _("inviti")
