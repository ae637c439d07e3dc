"""What the counter needs besides answers: the kiosk tablets allowed to post
answers for one survey, and the answer files waiting for their column mapping
and confirmation (`surveys.counter`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel
from surveys.models.fieldwork import Survey


class KioskDevice(TenantModel):
    """A tablet at the counter allowed, without anyone signed in, to post the
    faces answers of one survey of its comune. It holds a secret token in a
    cookie; only the token's SHA-256 is stored. Revocable and expiring.

    Answers are never linked to the device (anonymity): the device row keeps
    only its per-minute counter for the rate limit."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="kiosks")
    name = models.CharField(_("nome della postazione"), max_length=80)
    token_hash = models.CharField(max_length=64)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("avviata da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("avviata il"), auto_now_add=True)
    expires_at = models.DateTimeField(_("scade il"))
    revoked_at = models.DateTimeField(_("revocata il"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocata da"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Rate limit: answers posted in the current one-minute window.
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    class Meta(TenantModel.Meta):
        ordering = ["-started_at"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "token_hash"], name="surveys_kiosk_token"
            ),
        ]
        verbose_name = _("postazione con emoticon")
        verbose_name_plural = _("postazioni con emoticon")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class PendingAnswerImport(TenantModel):
    """An uploaded answer file, read by the core's safe reader and kept (for
    the person who uploaded it, for `counter.imports.PENDING_MINUTES`) while
    they map its columns to questions and look at the preview. Nothing of it
    is an answer until confirmed; then it is deleted."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200, blank=True)
    header = models.JSONField(default=list)  # the file's column names
    rows = models.JSONField(default=list)  # [[line, [cell, ...]], ...]
    cell_errors = models.JSONField(default=list)  # [[line, column, message], ...] unreadable cells
    # Column index (as text) → question code, "__number__", "__date__" or "" (ignored).
    mapping = models.JSONField(default=dict)
    # Column index (as text) → {value in the file: what it means (option code,
    # scale point, or "dk")}.
    value_maps = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
