"""The yearly monitoring of a charter: the actual value of every standard
(computed from its linked figure, or entered with evidence), met or not, and
the report that publishes them. Other comuni and citizens read a year's
results once its report is published."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel
from servicecharters.models.charters import CharterStandard, ServiceCharter


class MonitoringReport(TenantModel):
    charter = models.ForeignKey(ServiceCharter, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("anno"))
    summary = models.TextField(_("commento"), blank=True, max_length=5000)
    published_at = models.DateTimeField(_("pubblicato il"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    tenancy_read_policies = {
        "club": "published_at IS NOT NULL",
        "public": "published_at IS NOT NULL",
    }

    class Meta(TenantModel.Meta):
        ordering = ["charter", "-year"]
        verbose_name = _("monitoraggio annuale")
        verbose_name_plural = _("monitoraggi annuali")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "charter", "year"], name="charter_report_year"),
        ]


class StandardResult(TenantModel):
    """One standard's actual value for one year. `target_*` keep what was
    promised that year (a later version may change the standard)."""

    class Origin(models.TextChoices):
        COMPUTED = "computed", _("Calcolato dalla fonte")
        ENTERED = "entered", _("Inserito con evidenza")

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="results")
    standard = models.ForeignKey(CharterStandard, on_delete=models.PROTECT, related_name="results")
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    year = models.PositiveSmallIntegerField(_("anno"))
    actual_value = models.DecimalField(_("valore effettivo"), max_digits=14, decimal_places=4, null=True, blank=True)
    met = models.BooleanField(_("rispettato"), null=True)
    origin = models.CharField(_("origine"), max_length=8, choices=Origin.choices)
    evidence = models.TextField(
        _("evidenza"), blank=True, max_length=2000,
        help_text=_("Da dove viene il valore: documento, registro, rilevazione."),
    )
    source_note = models.CharField(_("fonte"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=1)

    tenancy_read_policies = {
        scope: "EXISTS (SELECT 1 FROM servicecharters_monitoringreport r "
        "WHERE r.municipality_id = servicecharters_standardresult.municipality_id "
        "AND r.id = servicecharters_standardresult.report_id)"
        for scope in ("club", "public")
    }

    class Meta(TenantModel.Meta):
        ordering = ["report", "standard__position"]
        verbose_name = _("risultato dello standard")
        verbose_name_plural = _("risultati degli standard")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "lineage", "year"], name="standard_result_year"),
        ]
