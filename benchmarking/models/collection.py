"""What each comune collects for a campaign (tenant tables): its submission, values,
their history, comments, status events and computed indicator results."""

from django.conf import settings
from django.db import models
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

    municipality = _comune_bound_by_parent()
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


class ReminderSent(TenantModel):
    """A comune was reminded of an overdue campaign on a day: recorded in the
    transaction that sends the e-mail, so the daily job, a retry of it or the
    command run by hand the same day never sends it twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "campaign", "on"], name="one_reminder_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.on}"
