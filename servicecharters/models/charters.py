"""A comune's charter for one service, in versions, and the standards each
version promises.

A version moves draft → in approval → approved (by the manager) →
published → superseded (when the next version is published); every move is
a `CharterEvent` with who, when and why (`charters.services`). Only one
version of a charter is open for editing (draft or in approval) at a time;
approved, published and superseded versions never change, so what citizens
read stays what was approved. Other comuni read approved, published and
superseded versions; citizens published and superseded ones."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel
from servicecharters.models.terms import CharterText, StandardTerms


def _charter_has(statuses: str, table: str = "servicecharters_servicecharter", column: str = "id") -> str:
    return (
        "EXISTS (SELECT 1 FROM servicecharters_charterversion v "
        f"WHERE v.municipality_id = {table}.municipality_id "
        f"AND v.charter_id = {table}.{column} AND v.status IN ({statuses}))"
    )


CLUB_STATUSES = "'approved', 'published', 'superseded'"
PUBLIC_STATUSES = "'published', 'superseded'"


class ServiceCharter(TenantModel):
    """The comune's charter for one service: what stays across versions."""

    service = models.ForeignKey(
        "qclub.Service", verbose_name=_("servizio"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    tenancy_read_policies = {
        "club": _charter_has(CLUB_STATUSES),
        "public": _charter_has(PUBLIC_STATUSES),
    }

    class Meta(TenantModel.Meta):
        ordering = ["service__name"]
        verbose_name = _("carta dei servizi")
        verbose_name_plural = _("carte dei servizi")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "service"], name="charter_one_per_service"),
        ]

    def __str__(self) -> str:
        return str(self.service)


class CharterVersion(TenantModel, CharterText):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        IN_APPROVAL = "in_approval", _("In approvazione")
        APPROVED = "approved", _("Approvata")
        PUBLISHED = "published", _("Pubblicata")
        SUPERSEDED = "superseded", _("Sostituita")

    OPEN_STATUSES = (Status.DRAFT, Status.IN_APPROVAL)

    charter = models.ForeignKey(ServiceCharter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versione"))
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    template = models.ForeignKey(
        "servicecharters.CharterTemplate", verbose_name=_("modello di partenza"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    change_summary = models.TextField(
        _("che cosa cambia"), blank=True, max_length=2000,
        help_text=_("Per i cittadini: che cosa cambia rispetto alla versione precedente."),
    )
    valid_from = models.DateField(_("in vigore dal"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(_("approvata il"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("sostituita il"), null=True, blank=True)
    # Optimistic lock: every edit says which version of the row it started from.
    lock_version = models.PositiveIntegerField(default=1)

    tenancy_read_policies = {
        "club": f"status IN ({CLUB_STATUSES})",
        "public": f"status IN ({PUBLIC_STATUSES})",
    }

    class Meta(TenantModel.Meta):
        ordering = ["charter", "-number"]
        verbose_name = _("versione della carta")
        verbose_name_plural = _("versioni della carta")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "charter", "number"], name="charter_version_number"),
            # One version open for editing, one in force, per charter.
            models.UniqueConstraint(
                fields=["municipality", "charter"], condition=models.Q(status__in=["draft", "in_approval"]),
                name="charter_one_open_version",
            ),
            models.UniqueConstraint(
                fields=["municipality", "charter"], condition=models.Q(status="published"),
                name="charter_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class CharterStandard(TenantModel, StandardTerms):
    """A standard of one version. `lineage` is the same in every version of
    one standard (copied on a new version), so its yearly monitoring reads as
    one line across versions."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="standards")
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)

    # Visible to a scope exactly when its version is (the subquery runs under
    # the version table's own policies).
    tenancy_read_policies = {
        scope: "EXISTS (SELECT 1 FROM servicecharters_charterversion v "
        "WHERE v.municipality_id = servicecharters_charterstandard.municipality_id "
        "AND v.id = servicecharters_charterstandard.version_id)"
        for scope in ("club", "public")
    }

    class Meta(TenantModel.Meta, StandardTerms.Meta):
        verbose_name = _("standard di qualità")
        verbose_name_plural = _("standard di qualità")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "version", "lineage"], name="charter_standard_lineage_once"),
        ]
        indexes = [models.Index(fields=["municipality", "lineage"], name="charter_standard_lineage")]

    def __str__(self) -> str:
        return self.title


class CharterEvent(TenantModel):
    """A step of a charter's life: who, when, from which status to which, and
    why (returning a version for changes needs a reason). The comune's own."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Creata")
        EDITED = "edited", _("Modificata")
        SUBMITTED = "submitted", _("Inviata per l'approvazione")
        RETURNED = "returned", _("Restituita per modifiche")
        APPROVED = "approved", _("Approvata")
        PUBLISHED = "published", _("Pubblicata")
        SUPERSEDED = "superseded", _("Sostituita")
        NEW_VERSION = "new_version", _("Nuova versione avviata")

    charter = models.ForeignKey(ServiceCharter, on_delete=models.CASCADE, related_name="events")
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.TextField(_("motivo"), blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        ordering = ["-at", "-id"]
        verbose_name = _("evento della carta")
        verbose_name_plural = _("eventi della carta")
