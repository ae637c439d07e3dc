"""Benchmarking: the shared indicator catalogue, collection campaigns, each
comune's submissions and values, and the context descriptors that explain them."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from benchmarking.formula import Formula, parse
from benchmarking.periods import Period
from qclub.migration_ops import ACTIVE_AREAS_SQL
from qclub.models import QualityDimension, Service, ThematicArea
from qclub.tenancy import TenantModel


class ContextValue(TenantModel):
    """A descriptor that explains a comune's figures (front-office model, share
    of services online, territory...) for one year."""

    year = models.PositiveSmallIntegerField(_("anno"))
    key = models.SlugField(_("descrittore"), max_length=60)
    value = models.CharField(_("valore"), max_length=200)
    note = models.TextField(_("nota"), blank=True)
    shared = models.BooleanField(_("visibile al club"), default=True)

    tenancy_read_policies = {"club": "shared"}

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "year", "key"], name="contextvalue_one_per_year"
            ),
        ]
        verbose_name = _("descrittore di contesto")
        verbose_name_plural = _("descrittori di contesto")

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.value}"


# --- The shared catalogue (club-wide) ----------------------------------------

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
    def current(self) -> "IndicatorVersion":
        """The newest version (prefetch `versions` when listing)."""
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number)


class IndicatorVersion(models.Model):
    class Better(models.TextChoices):
        HIGHER = "higher", _("Più alto è meglio")
        LOWER = "lower", _("Più basso è meglio")
        BAND = "band", _("Entro un intervallo obiettivo")

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
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
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
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Open data: the coordinator publishes the area and period to citizens.
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)
    embargo_until = models.DateField(_("embargo fino al"), null=True, blank=True)

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


# --- What each comune collects (tenant tables) ------------------------------

# A coordinator in the "review" scope reaches a submission only through a
# campaign of an area they coordinate.
_IN_REVIEWED_AREA = (
    "EXISTS (SELECT 1 FROM benchmarking_campaign c WHERE c.id = benchmarking_submission.campaign_id "
    f"AND c.area_id = ANY({ACTIVE_AREAS_SQL}))"
)


def _through_submission(table: str, condition: str) -> str:
    """A child row is visible when its submission is (the subquery runs under
    the submission table's own policies)."""
    return (
        f"EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = "
        f"{table}.municipality_id AND s.id = {table}.submission_id AND {condition})"
    )


_OPEN_FOR_EDITING = "status IN ('not_started', 'draft', 'returned', 'reopened')"


class Submission(TenantModel):
    """One comune's data for one campaign, and where it stands."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Non iniziata")
        DRAFT = "draft", _("Bozza")
        SUBMITTED = "submitted", _("Inviata")
        RETURNED = "returned", _("Restituita")
        APPROVED = "approved", _("Approvata")
        REOPENED = "reopened", _("Riaperta")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(
        _("stato"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    version = models.PositiveIntegerField(default=1)
    # Kept up to date on every save so the coordinators' board reads one row per comune.
    filled_count = models.PositiveIntegerField(default=0)
    expected_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    unjustified_count = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenancy_read_policies = {
        "club": "status = 'approved'",
        "review": _IN_REVIEWED_AREA,
        "load": "true",
    }
    tenancy_write_policies = {
        "review": {"UPDATE": _IN_REVIEWED_AREA},
        # A national load creates submissions and updates only those still open.
        "load": {"INSERT": "status = 'not_started'", "UPDATE": _OPEN_FOR_EDITING},
    }

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "campaign"], name="one_submission_per_campaign"),
        ]
        verbose_name = _("scheda dati")
        verbose_name_plural = _("schede dati")

    def __str__(self) -> str:
        return f"{self.campaign} ({self.get_status_display()})"

    @property
    def percent_filled(self) -> int:
        return round(100 * self.filled_count / self.expected_count) if self.expected_count else 0


_REVIEWABLE = "s.status IN ('submitted', 'returned', 'approved', 'reopened')"


class DataValue(TenantModel):
    """One data element's figure in a submission.

    `state` keeps "missing", "not applicable" and "confidential" distinct from
    each other and from zero; `value` is set only when state is "value".
    """

    class State(models.TextChoices):
        VALUE = "value", _("Valore")
        MISSING = "missing", _("Non disponibile")
        NOT_APPLICABLE = "not_applicable", _("Non applicabile")
        CONFIDENTIAL = "confidential", _("Riservato")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("stato"), max_length=16, choices=State.choices, default=State.MISSING)
    value = models.DecimalField(_("valore"), max_digits=20, decimal_places=4, null=True, blank=True)
    note = models.CharField(_("nota (fonte)"), max_length=500, blank=True)
    estimated = models.BooleanField(_("stimato"), default=False)
    justification = models.TextField(_("giustificazione"), blank=True)
    warnings = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    tenancy_read_policies = {
        # Club members see approved figures, never confidential ones.
        "club": _through_submission("benchmarking_datavalue", "s.status = 'approved'")
        + " AND state <> 'confidential'",
        "review": _through_submission("benchmarking_datavalue", _REVIEWABLE),
        "load": "true",
    }
    tenancy_write_policies = {
        "load": {
            command: _through_submission("benchmarking_datavalue", "s." + _OPEN_FOR_EDITING)
            for command in ("INSERT", "UPDATE")
        },
    }

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "submission", "element"], name="one_value_per_element"
            ),
            models.CheckConstraint(
                condition=models.Q(state="value", value__isnull=False)
                | (~models.Q(state="value") & models.Q(value__isnull=True)),
                name="datavalue_value_iff_state_value",
            ),
        ]
        verbose_name = _("valore")
        verbose_name_plural = _("valori")

    def __str__(self) -> str:
        return f"{self.element.code}: {self.value if self.state == 'value' else self.state}"


class DataValueChange(TenantModel):
    """Every change of every value: who, when, old -> new, why."""

    data_value = models.ForeignKey(DataValue, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_state = models.CharField(max_length=16, blank=True)
    old_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    new_state = models.CharField(max_length=16)
    new_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    reason = models.CharField(_("motivo"), max_length=300, blank=True)

    tenancy_read_policies = {
        "review": "EXISTS (SELECT 1 FROM benchmarking_datavalue v WHERE v.municipality_id = "
        "benchmarking_datavaluechange.municipality_id AND v.id = benchmarking_datavaluechange.data_value_id)",
    }
    tenancy_write_policies = {"load": {"INSERT": "true"}}

    class Meta(TenantModel.Meta):
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_state}:{self.old_value} -> {self.new_state}:{self.new_value}"


class ValueComment(TenantModel):
    """A coordinator's (or officer's) remark on one value during review."""

    data_value = models.ForeignKey(DataValue, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("commento"))

    _visible = (
        "EXISTS (SELECT 1 FROM benchmarking_datavalue v WHERE v.municipality_id = "
        "benchmarking_valuecomment.municipality_id AND v.id = benchmarking_valuecomment.data_value_id)"
    )
    tenancy_read_policies = {"review": _visible}
    tenancy_write_policies = {"review": {"INSERT": _visible}}

    class Meta(TenantModel.Meta):
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class SubmissionEvent(TenantModel):
    """A change of a submission's status (submitted, returned, approved, reopened)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    note = models.TextField(blank=True)

    _visible = _through_submission("benchmarking_submissionevent", "true")
    tenancy_read_policies = {"review": _visible}
    tenancy_write_policies = {"review": {"INSERT": _visible}}

    class Meta(TenantModel.Meta):
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class Visibility(models.TextChoices):
    OWN = "own", _("Solo il comune")
    CLUB = "club", _("Comuni del club")
    PUBLIC = "public", _("Pubblico")


class IndicatorResult(TenantModel):
    """An indicator computed for a submission, with the version used."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="results")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    indicator_version = models.ForeignKey(IndicatorVersion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    reason = models.CharField(max_length=20, blank=True)
    # The comune's choice: shared with the club (and the public once published) or kept to itself.
    visibility = models.CharField(
        _("visibilità"), max_length=6, choices=Visibility.choices, default=Visibility.CLUB
    )

    tenancy_read_policies = {
        "club": _through_submission("benchmarking_indicatorresult", "s.status = 'approved'")
        + " AND visibility <> 'own'",
        "review": _through_submission("benchmarking_indicatorresult", _REVIEWABLE),
    }

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "submission", "indicator"], name="one_result_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


# --- Comparisons: approved figures, kept ready for the members area ----------


_REVIEWED_AREA_ROW = f"area_id = ANY({ACTIVE_AREAS_SQL})"


class ApprovedResult(TenantModel):
    """An approved indicator value, copied on approval (and removed on
    reopening) with its rank among the club, so that rankings, scorecards and
    trends read one narrow indexed table.

    Members read it through the "club" scope (figures the comune keeps to
    itself excluded), citizens through "public" (published and past the
    embargo); the area's coordinator maintains it in the "review" scope.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(ThematicArea, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    indicator_version = models.ForeignKey(IndicatorVersion, on_delete=models.PROTECT, related_name="+")
    period_year = models.PositiveSmallIntegerField()
    period_kind = models.CharField(max_length=1, default="Y")
    period_index = models.PositiveSmallIntegerField(default=1)
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    reason = models.CharField(max_length=20, blank=True)
    numerator = models.DecimalField(max_digits=28, decimal_places=6, null=True, blank=True)
    denominator = models.DecimalField(max_digits=28, decimal_places=6, null=True, blank=True)
    # Direction-adjusted: higher is always better (value, -value, or -distance from the band).
    score = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    reported = models.PositiveIntegerField(null=True, blank=True)
    percentile = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    visibility = models.CharField(
        _("visibilità"), max_length=6, choices=Visibility.choices, default=Visibility.CLUB
    )
    embargo_until = models.DateField(_("embargo fino al"), null=True, blank=True)
    approved_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_year}: {self.value}"

    tenancy_read_policies = {
        "club": "visibility <> 'own'",
        "public": "visibility = 'public' AND (embargo_until IS NULL OR embargo_until <= current_date)",
        "review": _REVIEWED_AREA_ROW,
    }
    tenancy_write_policies = {
        "review": {"INSERT": _REVIEWED_AREA_ROW, "UPDATE": _REVIEWED_AREA_ROW, "DELETE": _REVIEWED_AREA_ROW},
    }

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "submission", "indicator"], name="one_approved_result"
            ),
        ]
        indexes = [
            models.Index(
                fields=["indicator", "period_year", "period_kind", "period_index", "-score"],
                name="approved_ranking",
            ),
            models.Index(fields=["municipality", "area", "period_year"], name="approved_scorecard"),
            models.Index(fields=["municipality", "indicator", "period_year"], name="approved_trend"),
        ]


class ResultSummary(models.Model):
    """The club's statistics of one indicator and period, over the figures
    members may see, refreshed whenever a figure is approved or reopened."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period_year = models.PositiveSmallIntegerField()
    period_kind = models.CharField(max_length=1, default="Y")
    period_index = models.PositiveSmallIntegerField(default=1)
    reported = models.PositiveIntegerField(default=0)
    minimum = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    q1 = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    median = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    q3 = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    maximum = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    mean = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    best = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    best_municipality = models.ForeignKey(
        "qclub.Municipality", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    club_ratio = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_year", "period_kind", "period_index"], name="one_summary"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_year}: n={self.reported}"


class PeerGroup(models.Model):
    """A group of comuni a coordinator defines to compare like with like."""

    name = models.CharField(_("nome"), max_length=120)
    description = models.TextField(_("descrizione"), blank=True)
    members = models.ManyToManyField("qclub.Municipality", verbose_name=_("comuni"), related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gruppo di confronto")
        verbose_name_plural = _("gruppi di confronto")

    def __str__(self) -> str:
        return self.name


class BestPractice(TenantModel):
    """How a comune reaches its result on an indicator: shared with the club."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    period_year = models.PositiveSmallIntegerField(_("anno"))
    title = models.CharField(_("titolo"), max_length=200)
    description = models.TextField(_("come lo facciamo"))
    contact = models.CharField(_("contatto"), max_length=200, blank=True)
    link = models.URLField(_("documento o pagina"), blank=True)
    attachment = models.FileField(_("allegato"), upload_to="best-practices/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    tenancy_read_policies = {"club": "true"}

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("buona pratica")
        verbose_name_plural = _("buone pratiche")

    def __str__(self) -> str:
        return self.title
