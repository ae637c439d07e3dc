"""The club's shared catalogue: data elements, indicators and their versions, and the
collection campaigns that ask the comuni for them (club-wide tables)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from benchmarking.formula import Formula, parse
from benchmarking.periods import Period
from qclub.models import Municipality, QualityDimension, Service, ThematicArea

code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{1,59}$",
    _("Il codice usa lettere minuscole, cifre e _, e inizia con una lettera."),
)



class Dimension(models.TextChoices):
    """What an indicator measures (the seeds' efficacia, efficienza, impatto, qualità)."""

    EFFICACY = "efficacy", _("Efficacia")
    EFFICIENCY = "efficiency", _("Efficienza")
    IMPACT = "impact", _("Impatto")
    QUALITY = "quality", _("Qualità")


class DataElement(models.Model):
    """A raw figure each comune collects (certificates issued, counter FTE...)."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Conteggio")
        QUANTITY = "quantity", _("Quantità (con decimali)")
        AMOUNT = "amount", _("Importo in euro")
        DURATION = "duration", _("Durata")
        PERCENTAGE = "percentage", _("Percentuale")
        BOOLEAN = "boolean", _("Sì/No")

    area = models.ForeignKey(
        ThematicArea, verbose_name=_("area tematica"), on_delete=models.PROTECT,
        related_name="data_elements",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("servizio"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="data_elements",
    )
    code = models.CharField(_("codice"), max_length=60, unique=True, validators=[code_validator])
    name = models.CharField(_("nome"), max_length=200)
    unit = models.CharField(_("unità di misura"), max_length=40)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    group = models.CharField(_("gruppo"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("ordine"), default=0)
    measurement = models.TextField(_("come si rileva"), blank=True)
    plausible_min = models.DecimalField(
        _("minimo plausibile"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    plausible_max = models.DecimalField(
        _("massimo plausibile"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    change_threshold_pct = models.DecimalField(
        _("variazione anomala oltre (%)"), max_digits=6, decimal_places=2, default=Decimal("30"),
        help_text=_("Una variazione dal periodo precedente oltre questa soglia chiede una giustificazione."),
    )
    part_of = models.ForeignKey(
        "self", verbose_name=_("parte di"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="parts",
        help_text=_("Il valore non può superare quello del dato di cui è parte."),
    )
    is_example = models.BooleanField(_("dato di esempio"), default=False)
    # A context figure of the comune (resident population...): one value per comune
    # and period, shared by every area's submission (`collection.services`, SharedValue).
    shared = models.BooleanField(
        _("dato di contesto condiviso"), default=False,
        help_text=_("Un solo valore per comune e periodo, lo stesso in tutte le aree che lo usano."),
    )

    class Meta:
        ordering = ["area__position", "position", "code"]
        verbose_name = _("dato elementare")
        verbose_name_plural = _("dati elementari")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Indicator(models.Model):
    """A shared indicator. Its definition lives in versions: a change of
    formula, unit or direction makes a new version, and every computed value
    keeps the version it was computed with."""

    area = models.ForeignKey(
        ThematicArea, verbose_name=_("area tematica"), on_delete=models.PROTECT,
        related_name="indicators",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("servizio"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="indicators",
    )
    code = models.CharField(_("codice"), max_length=60, unique=True, validators=[code_validator])
    name = models.CharField(_("nome"), max_length=200)
    dimension = models.CharField(_("dimensione"), max_length=12, choices=Dimension.choices)
    quality_dimension = models.CharField(
        _("dimensione della qualità"), max_length=16, choices=QualityDimension.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(_("ordine"), default=0)
    is_active = models.BooleanField(_("in uso"), default=True)
    is_example = models.BooleanField(_("indicatore di esempio"), default=False)

    class Meta:
        ordering = ["area__position", "position", "code"]
        verbose_name = _("indicatore")
        verbose_name_plural = _("indicatori")

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> IndicatorVersion:
        """The newest version (prefetch `versions` when listing)."""
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number)


class IndicatorVersion(models.Model):
    class Better(models.TextChoices):
        HIGHER = "higher", _("Più alto è meglio")
        LOWER = "lower", _("Più basso è meglio")
        BAND = "band", _("Entro un intervallo obiettivo")

    # What the figures mean: changing any of these makes a new version (see
    # `needs_new_version`). The texts, `definition` and `notes`, are edited in place.
    DEFINING_FIELDS = ("formula", "unit", "decimals", "better", "band_low", "band_high")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versione"))
    formula = models.CharField(_("formula"), max_length=500)
    unit = models.CharField(_("unità di misura"), max_length=40)
    decimals = models.PositiveSmallIntegerField(_("decimali"), default=1)
    better = models.CharField(_("direzione"), max_length=6, choices=Better.choices)
    band_low = models.DecimalField(
        _("obiettivo minimo"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    band_high = models.DecimalField(
        _("obiettivo massimo"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    definition = models.TextField(_("definizione"), blank=True)
    notes = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("creata da"),
    )

    class Meta:
        verbose_name = _("versione dell'indicatore")
        verbose_name_plural = _("versioni degli indicatori")
        ordering = ["indicator", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "number"], name="indicator_version_number"),
            models.CheckConstraint(
                condition=~models.Q(better="band")
                | (models.Q(band_low__isnull=False) & models.Q(band_high__isnull=False)),
                name="indicator_band_has_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} v{self.number}"

    @property
    def parsed(self) -> Formula:
        return parse(self.formula)


def needs_new_version(version: IndicatorVersion | None, data: Mapping[str, Any]) -> bool:
    """The one rule for indicator versions, followed by the catalogue pages, the
    services and the catalogue loader: saving `data` over the current `version` makes
    version n+1 when any of `IndicatorVersion.DEFINING_FIELDS` differs (decimals by
    value: 30 and 30.0000 are the same band), so results computed earlier keep the
    definition they were computed with. `data` must hold every defining field."""
    if version is None:
        return True
    return any(data[name] != getattr(version, name) for name in IndicatorVersion.DEFINING_FIELDS)


class CampaignQuerySet(models.QuerySet):
    def past_due(self, on: date, municipality: Municipality | None = None) -> CampaignQuerySet:
        """Campaigns still open after their due date, as of `on` (`Campaign.is_past_due` in SQL).
        A comune that has not submitted one of these is overdue (`collection.selectors.is_overdue`).
        With `municipality`, only the rounds due since it joined the club: a comune
        admitted later is not late for rounds that ended before it was a member."""
        queryset = self.filter(status=Campaign.Status.OPEN, due_on__lt=on)
        if municipality is not None and municipality.member_since is not None:
            queryset = queryset.filter(due_on__gte=municipality.member_since)
        return queryset

    def accepting_values(self) -> CampaignQuerySet:
        """Campaigns whose comuni may still write figures (`Campaign.accepts_values` in SQL)."""
        return self.filter(status__in=Campaign.ACCEPTING_VALUES)

    def lock_accepting_values(self, ids) -> set[int]:
        """Of the campaigns `ids`, those accepting values, locked FOR SHARE until the
        end of the transaction: a write holds the lock while it writes, and closing a
        campaign (which locks it FOR UPDATE) waits for it, so no figure is written
        into a campaign after it has closed. Writers do not wait for each other."""
        ids = sorted({int(pk) for pk in ids})
        if not ids:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Campaign._meta.db_table} WHERE id = ANY(%s) AND status = ANY(%s) "
                "ORDER BY id FOR SHARE",
                [ids, list(Campaign.ACCEPTING_VALUES)],
            )
            return {row[0] for row in cursor.fetchall()}


class Campaign(models.Model):
    """A collection of an area's indicators for one period, opened by a coordinator."""

    class Status(models.TextChoices):
        OPEN = "open", _("Aperta")
        CLOSED = "closed", _("Chiusa")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(
        ThematicArea, verbose_name=_("area tematica"), on_delete=models.PROTECT,
        related_name="campaigns",
    )
    period_year = models.PositiveSmallIntegerField(_("anno"))
    period_kind = models.CharField(
        _("periodicità"), max_length=1,
        choices=[("Y", _("Anno")), ("H", _("Semestre")), ("Q", _("Trimestre"))], default="Y",
    )
    period_index = models.PositiveSmallIntegerField(_("numero"), default=1)
    indicators = models.ManyToManyField(Indicator, verbose_name=_("indicatori"), related_name="campaigns")
    opens_on = models.DateField(_("apertura"))
    due_on = models.DateField(_("scadenza"))
    status = models.CharField(_("stato"), max_length=6, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("creata da"),
    )
    # Open data: the coordinator publishes the area and period to citizens.
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)
    embargo_until = models.DateField(_("embargo fino al"), null=True, blank=True)

    # The one rule of a closed round: only an open campaign takes figures, from any way in
    # (form, file import, API, national load, status changes). See `accepts_values`.
    ACCEPTING_VALUES = frozenset({Status.OPEN})

    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-period_year", "-period_index", "area__position"]
        verbose_name = _("campagna di rilevazione")
        verbose_name_plural = _("campagne di rilevazione")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "period_year", "period_kind", "period_index"],
                name="one_campaign_per_area_period",
            ),
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("opens_on")), name="campaign_due_after_open"),
        ]

    def __str__(self) -> str:
        return f"{self.area} — {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.period_year, self.period_kind, self.period_index)

    def is_past_due(self, on: date, municipality: Municipality | None = None) -> bool:
        """Still open after its due date, as of `on` (`Campaign.objects.past_due(on)` in Python);
        with `municipality`, only if the round was due after the comune joined the club."""
        if municipality is not None and municipality.member_since is not None and self.due_on < municipality.member_since:
            return False
        return self.status == self.Status.OPEN and self.due_on < on

    def accepts_values(self) -> bool:
        """Whether the comuni may still write figures or move their forms: a closed
        round is read-only for every way in (`collection.services` asks this; the
        national load asks `Campaign.objects.lock_accepting_values`)."""
        return self.status in self.ACCEPTING_VALUES


class CampaignEvent(models.Model):
    """The history of a campaign: opened, closed, reopened (who, when, why)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Aperta")
        CLOSED = "closed", _("Chiusa")
        REOPENED = "reopened", _("Riaperta")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("evento"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("quando"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chi"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    note = models.TextField(_("motivo"), blank=True)
    # How many comuni had not yet submitted or been approved when it closed.
    open_forms = models.PositiveIntegerField(_("schede ancora aperte"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("evento della campagna")
        verbose_name_plural = _("eventi della campagna")

    def __str__(self) -> str:
        return f"{self.campaign}: {self.get_kind_display()}"
