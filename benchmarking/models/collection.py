"""What each comune collects for a campaign (tenant tables): its submission, values,
their history, comments, status events and computed indicator results."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from benchmarking.models.catalogue import Campaign, DataElement, Indicator, IndicatorVersion
from qclub.migration_ops import ACTIVE_AREAS_SQL
from qclub.tenancy import TenantModel

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


_OPEN_FOR_EDITING = "status IN ('not_started', 'draft', 'ready', 'returned', 'reopened')"


def _into_open_submission(table: str) -> str:
    """What the "load" scope may write: rows of a submission still open for
    editing. Written as `IN` a set, not `EXISTS` per row: PostgreSQL reads the
    open submissions once per statement into a hash and probes it for each of
    a national load's million rows (docs/benchmarks.md), instead of an index
    probe per row; same rows pass."""
    return (
        f"({table}.municipality_id, {table}.submission_id) IN "
        f"(SELECT s.municipality_id, s.id FROM benchmarking_submission s WHERE s.{_OPEN_FOR_EDITING})"
    )


class Submission(TenantModel):
    """One comune's data for one campaign, and where it stands."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Non iniziata")
        DRAFT = "draft", _("Bozza")
        # The officer has filled it in: the manager checks and submits it.
        READY = "ready", _("Pronta per il responsabile")
        SUBMITTED = "submitted", _("Inviata")
        RETURNED = "returned", _("Restituita")
        APPROVED = "approved", _("Approvata")
        REOPENED = "reopened", _("Riaperta")

    # Sent to the coordinator, or approved: the comune is not overdue any more.
    DONE = frozenset({Status.SUBMITTED, Status.APPROVED})

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
    # When the soft rules last ran over its figures (`services.refresh`): a figure
    # written since (a national load) is checked at the next save or submission,
    # one written before keeps its warnings while it stays the same.
    checked_at = models.DateTimeField(null=True, blank=True)
    # The data elements behind the results the comune keeps to itself (own-only):
    # their values stay out of the club scope (DataValue's club policy). Written
    # with the approved figures (comparisons.services.publish); NULL until then,
    # which the policy reads as "every value kept" (fails closed).
    kept_elements = ArrayField(models.BigIntegerField(), null=True, blank=True, editable=False)

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
    def is_done(self) -> bool:
        return self.status in self.DONE

    @property
    def percent_filled(self) -> int:
        return round(100 * self.filled_count / self.expected_count) if self.expected_count else 0


_REVIEWABLE = "s.status IN ('submitted', 'returned', 'approved', 'reopened')"


def _comune_bound_by_parent():
    """The comune of a row whose composite foreign key to its parent
    (municipality_id, parent_id) -> parent (municipality_id, id) already binds
    it to a comune the parent's own foreign key checks: no second check per
    row and no second index (the primary key (municipality_id, id) leads with
    it). What national loads write a million of (docs/benchmarks.md)."""
    return models.ForeignKey(
        "qclub.Municipality", on_delete=models.PROTECT, related_name="+", editable=False,
        db_constraint=False, db_index=False,
    )


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

    municipality = _comune_bound_by_parent()
    # Keys checked once per statement (`tenancy_statement_keys`), not per row.
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="values", db_constraint=False, db_index=False,
    )
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    state = models.CharField(_("stato"), max_length=16, choices=State.choices, default=State.MISSING)
    value = models.DecimalField(_("valore"), max_digits=20, decimal_places=4, null=True, blank=True)
    note = models.CharField(_("nota (fonte)"), max_length=500, blank=True)
    estimated = models.BooleanField(_("stimato"), default=False)
    # The one limit for every way in (form, API, file import): `services.text_errors`
    # checks it, the API's serializer reads it from here.
    justification = models.TextField(_("giustificazione"), blank=True, max_length=5000)
    warnings = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_constraint=False,
    )

    # Never addressed on its own (a value is its submission's figure for an
    # element): no public identifier, and no index of one for a national load
    # to fill (docs/benchmarks.md).
    public_id = None

    tenancy_statement_keys = True
    tenancy_read_policies = {
        # Club members see approved figures, never confidential ones, nor the
        # inputs of a result the comune keeps to itself (own-only means the
        # inputs too: they would otherwise feed the club's medians).
        "club": _through_submission(
            "benchmarking_datavalue",
            "s.status = 'approved' AND s.kept_elements IS NOT NULL "
            "AND NOT (benchmarking_datavalue.element_id = ANY(s.kept_elements))",
        )
        + " AND state <> 'confidential'",
        "review": _through_submission("benchmarking_datavalue", _REVIEWABLE),
        "load": "true",
    }
    tenancy_write_policies = {
        "load": {
            command: _into_open_submission("benchmarking_datavalue") for command in ("INSERT", "UPDATE")
        },
    }

    class Meta(TenantModel.Meta):
        constraints = [
            # (No public_id, so not TenantModel's constraint on it.)
            # Led by the submission: it also serves every read of a submission's
            # values (in any scope), so the submission key needs no index of its own.
            models.UniqueConstraint(
                fields=["submission", "element", "municipality"], name="one_value_per_element"
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


class SharedValue(TenantModel):
    """A shared context figure (`DataElement.shared`, e.g. resident population) of a
    comune for a period: one fact, entered once, whatever area's form it is typed in.

    Every submission of the comune and period that collects the element holds a
    copy in its `DataValue` (what its indicators, review and the club read), kept
    equal to this row, version included, by `collection.services` (`save_values`,
    `ensure_values`) and by the national load: nothing else writes them.
    """

    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    period_year = models.PositiveSmallIntegerField()
    period_kind = models.CharField(max_length=1, default="Y")
    period_index = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=16, choices=DataValue.State.choices, default=DataValue.State.MISSING)
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    estimated = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    tenancy_read_policies = {"load": "true"}
    tenancy_write_policies = {"load": {"INSERT": "true", "UPDATE": "true"}}

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "element", "period_year", "period_kind", "period_index"],
                name="one_shared_value_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(state="value", value__isnull=False)
                | (~models.Q(state="value") & models.Q(value__isnull=True)),
                name="sharedvalue_value_iff_state_value",
            ),
        ]
        verbose_name = _("dato di contesto condiviso")
        verbose_name_plural = _("dati di contesto condivisi")

    def __str__(self) -> str:
        return f"{self.element_id} {self.period_year}: {self.value if self.state == 'value' else self.state}"


def _choice_label(choices: type[models.TextChoices], code: str) -> str:
    """The words a person reads for a stored status or state code (history rows
    keep the code; the page shows the label, never the code)."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code or "—"


class DataValueChange(TenantModel):
    """Every change of every value: who, when, old -> new, why."""

    municipality = _comune_bound_by_parent()
    # Keys checked once per statement (`tenancy_statement_keys`), not per row.
    data_value = models.ForeignKey(DataValue, on_delete=models.CASCADE, related_name="changes", db_constraint=False)
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_constraint=False,
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
    tenancy_statement_keys = True

    class Meta(TenantModel.Meta):
        verbose_name = _("modifica di un valore")
        verbose_name_plural = _("modifiche dei valori")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_state}:{self.old_value} -> {self.new_state}:{self.new_value}"

    @property
    def old_state_label(self) -> str:
        return _choice_label(DataValue.State, self.old_state)

    @property
    def new_state_label(self) -> str:
        return _choice_label(DataValue.State, self.new_state)


def _cardinality(column: str) -> models.Func:
    return models.Func(models.F(column), function="cardinality", output_field=models.IntegerField())


class LoadedValues(TenantModel):
    """What one national load changed in one submission: the history of those
    figures written set-based, one row per load and submission holding each
    line's element, old and new figure (arrays in the same order), instead of a
    `DataValueChange` per value (a million rows and their index entries for a
    national load: docs/benchmarks.md). Same facts as those changes — who,
    when, old -> new, why — read beside them (`selectors.value_changes`).
    Written only by `collection.bulk`."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="loads")
    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("motivo"), max_length=300, blank=True)
    elements = ArrayField(models.BigIntegerField())
    old_states = ArrayField(models.CharField(max_length=16, blank=True))
    old_values = ArrayField(models.DecimalField(max_digits=20, decimal_places=4, null=True))
    new_states = ArrayField(models.CharField(max_length=16))
    new_values = ArrayField(models.DecimalField(max_digits=20, decimal_places=4, null=True))

    _visible = _through_submission("benchmarking_loadedvalues", "true")
    tenancy_read_policies = {"review": _visible}
    tenancy_write_policies = {"load": {"INSERT": _into_open_submission("benchmarking_loadedvalues")}}

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            # One entry per line in every array, and at least one line.
            models.CheckConstraint(
                condition=models.Q(elements__len__gt=0) & models.Q(*(
                    Exact(_cardinality("elements"), _cardinality(column))
                    for column in ("old_states", "old_values", "new_states", "new_values")
                )),
                name="loadedvalues_arrays_line_up",
            ),
        ]
        verbose_name = _("caricamento nazionale in una scheda")
        verbose_name_plural = _("caricamenti nazionali nelle schede")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}: {len(self.elements)}"

    def change_of(self, element_id: int) -> DataValueChange | None:
        """The change this load made to one element's figure, as a (not stored)
        `DataValueChange`, or None if the load left it alone (read the load with
        its user: `select_related("user")`)."""
        try:
            i = self.elements.index(element_id)
        except ValueError:
            return None
        return DataValueChange(
            municipality_id=self.municipality_id, at=self.at, user=self.user, reason=self.reason,
            old_state=self.old_states[i], old_value=self.old_values[i],
            new_state=self.new_states[i], new_value=self.new_values[i],
        )


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
        verbose_name = _("commento a un valore")
        verbose_name_plural = _("commenti ai valori")
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
        verbose_name = _("cambio di stato di una scheda")
        verbose_name_plural = _("cambi di stato delle schede")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"

    @property
    def from_status_label(self) -> str:
        return _choice_label(Submission.Status, self.from_status)

    @property
    def to_status_label(self) -> str:
        return _choice_label(Submission.Status, self.to_status)


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
        verbose_name = _("risultato di un indicatore")
        verbose_name_plural = _("risultati degli indicatori")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "submission", "indicator"], name="one_result_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class PendingImport(TenantModel):
    """An uploaded file, read and checked, waiting for the person who uploaded
    it to confirm it after seeing what it would change (`collection.import_preview`).
    Short-lived: it expires after `import_preview.PENDING_MINUTES` and is
    deleted when confirmed; the entries are checked again by `save_values`."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200, blank=True)
    entries = models.JSONField(default=list)  # [[code, {state, value, note, ...}], ...] as read from the file
    lines = models.JSONField(default=dict)  # code -> line of the file
    has_versions = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class ReminderSent(TenantModel):
    """A comune was reminded of an overdue campaign on a day: recorded in the
    transaction that sends the e-mail, so the daily job, a retry of it or the
    command run by hand the same day never sends it twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("promemoria inviato")
        verbose_name_plural = _("promemoria inviati")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "campaign", "on"], name="one_reminder_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.on}"
