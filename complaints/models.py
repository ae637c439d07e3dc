"""Complaint management: complaints, suggestions and compliments of a comune's
citizens, from intake to answer.

Personal data (the contact details, the texts the person wrote, attachments,
the answer) lives only in tenant tables that declare NO cross-tenant read
policy: no club or public scope can ever read a row of them (tests prove it).
What the club may later compare is kept in aggregate-friendly columns of the
same rows (kind, channel, service, category, dates, due dates, founded,
rating, reopen count), read only through aggregate selectors.

Club-wide tables (no comune's data): the category taxonomy (`Category`,
seeded by a data migration, so comuni compare like with like).
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Least
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel

# The text search configuration of every complaint search (index and query alike).
SEARCH_CONFIG = "italian"


def search_vector() -> SearchVector:
    """The text searched, stored in `Complaint.search` (a generated column,
    GIN-indexed): a query reads it instead of parsing every row's text."""
    return SearchVector("what_happened", "request", "answer", config=SEARCH_CONFIG)


class Category(models.Model):
    """A complaint category of the club-wide taxonomy (plain table: no comune's data)."""

    code = models.SlugField(_("codice"), max_length=40, unique=True)
    name = models.CharField(_("nome"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("categoria di reclamo")
        verbose_name_plural = _("categorie di reclamo")

    def __str__(self) -> str:
        return self.name


class SubCategory(TenantModel):
    """A comune's own sub-category under a club-wide category."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("categoria"))
    name = models.CharField(_("nome"), max_length=120)

    class Meta(TenantModel.Meta):
        ordering = ["category__position", "name"]
        verbose_name = _("sottocategoria di reclamo")
        verbose_name_plural = _("sottocategorie di reclamo")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "category", "name"], name="complaints_subcategory_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Office(TenantModel):
    """An office of the comune a complaint can be assigned to."""

    name = models.CharField(_("nome"), max_length=120)

    class Meta(TenantModel.Meta):
        ordering = ["name"]
        verbose_name = _("ufficio")
        verbose_name_plural = _("uffici")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "name"], name="complaints_office_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ComplaintSettings(TenantModel):
    """The comune's own rules (one row per comune; defaults when there is none)."""

    acknowledge_days = models.PositiveSmallIntegerField(
        _("giorni lavorativi per la presa in carico"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    answer_days = models.PositiveSmallIntegerField(
        _("giorni lavorativi per la risposta"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    reopen_days = models.PositiveSmallIntegerField(
        _("giorni entro cui il cittadino può chiedere di riaprire"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    retention_months = models.PositiveSmallIntegerField(
        _("mesi di conservazione dei dati personali"), default=60,
        validators=[MinValueValidator(6), MaxValueValidator(240)],
    )

    class Meta(TenantModel.Meta):
        verbose_name = _("impostazioni dei reclami")
        verbose_name_plural = _("impostazioni dei reclami")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality"], name="complaints_settings_one_per_comune"),
        ]


class ReferenceCounter(TenantModel):
    """The last reference number given in a year (reference codes R-2026-00042)."""

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "year"], name="complaints_counter_year"),
        ]


class Complaint(TenantModel):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Reclamo")
        SUGGESTION = "suggestion", _("Suggerimento")
        COMPLIMENT = "compliment", _("Apprezzamento")

    class Channel(models.TextChoices):
        WEB = "web", _("Modulo sul sito")
        COUNTER = "counter", _("Sportello")
        PHONE = "phone", _("Telefono")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Lettera")
        PEC = "pec", _("PEC")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Ricevuto")
        ACKNOWLEDGED = "acknowledged", _("Preso in carico")
        IN_PROGRESS = "in_progress", _("In lavorazione")
        ANSWERED = "answered", _("Risposto")
        CLOSED = "closed", _("Chiuso")
        REOPENED = "reopened", _("Riaperto")

    class RootCause(models.TextChoices):
        ORGANISATION = "organisation", _("Organizzazione del servizio")
        STAFF = "staff", _("Comportamento del personale")
        INFORMATION = "information", _("Informazione e comunicazione")
        PROCEDURE = "procedure", _("Procedure e tempi")
        FACILITIES = "facilities", _("Strutture e attrezzature")
        EXTERNAL = "external", _("Cause esterne al comune")
        OTHER = "other", _("Altro")

    OPEN_STATUSES = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REOPENED)

    reference = models.CharField(_("codice"), max_length=20)
    # NULL once erased (several rows may then have none): unique only while set.
    tracking_token_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField(_("canale"), max_length=8, choices=Channel.choices)
    received_on = models.DateField(_("ricevuto il"))
    registered_at = models.DateTimeField(_("registrato il"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("registrato da"),
    )
    service = models.ForeignKey(
        "qclub.Service", verbose_name=_("servizio"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("categoria"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subcategory = models.ForeignKey(
        SubCategory, verbose_name=_("sottocategoria"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    what_happened = models.TextField(_("che cosa è successo"), max_length=5000)
    request = models.TextField(_("che cosa chiede"), max_length=3000, blank=True)
    # Personal data: only when the person wants an answer.
    wants_answer = models.BooleanField(_("desidera una risposta"), default=False)
    contact_name = models.CharField(_("nome e cognome"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    contact_phone = models.CharField(_("telefono"), max_length=30, blank=True)
    contact_address = models.CharField(_("indirizzo postale"), max_length=300, blank=True)
    # Handling
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    office = models.ForeignKey(
        Office, verbose_name=_("ufficio"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("assegnato a"),
    )
    # The day the answer's clock starts: the day received, or the day reopened.
    clock_started_on = models.DateField(null=True, blank=True, editable=False)
    acknowledged_on = models.DateField(_("preso in carico il"), null=True, blank=True)
    acknowledge_due = models.DateField(_("presa in carico entro"), null=True, blank=True)
    answer_due = models.DateField(_("risposta entro"), null=True, blank=True)
    suspended = models.BooleanField(_("sospeso"), default=False)
    answer = models.TextField(_("risposta"), max_length=10000, blank=True)
    answered_on = models.DateField(_("risposto il"), null=True, blank=True)
    # Working days from receipt to answer (suspensions excluded), kept for the KPIs.
    answer_working_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    answered_late = models.BooleanField(null=True, blank=True, editable=False)
    acknowledged_late = models.BooleanField(null=True, blank=True, editable=False)
    root_cause = models.CharField(_("causa"), max_length=14, choices=RootCause.choices, blank=True)
    founded = models.BooleanField(_("fondato"), null=True, blank=True)
    closed_on = models.DateField(_("chiuso il"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("riaperture"), default=0)
    rating = models.PositiveSmallIntegerField(
        _("soddisfazione per la risposta"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicato di"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="duplicates",
    )
    anonymised_on = models.DateField(_("dati personali cancellati il"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The next deadline of an open complaint not waiting for the citizen (acknowledgement
    # while received, else the answer); NULL otherwise. Overdue = due before today.
    due = models.GeneratedField(
        expression=models.Case(
            models.When(suspended=True, then=None),
            models.When(status="received", then=Least("acknowledge_due", "answer_due")),
            models.When(status__in=["acknowledged", "in_progress", "reopened"], then=models.F("answer_due")),
            default=None,
        ),
        output_field=models.DateField(null=True), db_persist=True,
    )
    # Full-text search in Italian over what the person wrote and the answer, kept by PostgreSQL.
    search = models.GeneratedField(expression=search_vector(), output_field=SearchVectorField(), db_persist=True)

    class Meta(TenantModel.Meta):
        ordering = ["-received_on", "-id"]
        verbose_name = _("reclamo")
        verbose_name_plural = _("reclami")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "reference"], name="complaint_reference"),
            models.UniqueConstraint(fields=["municipality", "tracking_token_hash"], name="complaint_tracking_token"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_5",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "received_on"], name="complaint_received"),
            models.Index(fields=["municipality", "status", "answer_due"], name="complaint_status_due"),
            # Open complaints only (a few % of a comune's history), in due-date order with
            # the status included: the overdue list (a range, ordered, LIMIT), its count and
            # the dashboard's counts (`handling.selectors.work_counts`) read this index alone.
            models.Index(
                fields=["municipality", "due", "id"], include=["status"],
                condition=models.Q(status__in=["received", "acknowledged", "in_progress", "reopened"]),
                name="complaint_open_due",
            ),
            GinIndex(fields=["search"], name="complaint_search"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ComplaintEvent(TenantModel):
    """One step in a complaint's life: who did what, when. Notes are internal
    (never shown to the citizen); the citizen sees status changes only."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registrato")
        STATUS = "status", _("Cambio di stato")
        ASSIGNED = "assigned", _("Assegnazione")
        NOTE = "note", _("Nota interna")
        SUSPENDED = "suspended", _("Sospensione")
        RESUMED = "resumed", _("Ripresa")
        ANSWERED = "answered", _("Risposta")
        RATED = "rated", _("Valutazione del cittadino")
        CLASSIFIED = "classified", _("Classificazione")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("quando"), auto_now_add=True)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("chi"),
    )
    by_citizen = models.BooleanField(_("dal cittadino"), default=False)
    from_status = models.CharField(max_length=12, choices=Complaint.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Complaint.Status.choices, blank=True)
    text = models.TextField(_("testo"), max_length=5000, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("evento di un reclamo")
        verbose_name_plural = _("eventi dei reclami")
        ordering = ["at", "id"]


class Suspension(TenantModel):
    """Waiting for the citizen: the days from `started_on` up to the day before
    `ended_on` do not count towards the answer's deadline."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="suspensions")
    started_on = models.DateField(_("sospeso dal"))
    ended_on = models.DateField(_("ripreso il"), null=True, blank=True)
    reason = models.CharField(_("motivo"), max_length=300)

    class Meta(TenantModel.Meta):
        ordering = ["started_on", "id"]
        verbose_name = _("sospensione")
        verbose_name_plural = _("sospensioni")


class Attachment(TenantModel):
    """A file the person sent, stored outside the public media and served only
    to the comune's staff by a permission-checked view."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("nome del file"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    path = models.CharField(max_length=200)  # relative to settings.COMPLAINTS_FILES_ROOT

    class Meta(TenantModel.Meta):
        ordering = ["id"]
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")


class PendingReceipt(TenantModel):
    """The tracking link waiting for the receipt e-mail: the job reads it and
    deletes it, so the clear token is kept nowhere else (the complaint stores
    only its hash, and job arguments carry only the id)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    link = models.CharField(max_length=400)


class PersonalDataRead(TenantModel):
    """Each time a member of staff reads a complaint's personal data (page or API)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    way = models.CharField(max_length=10)  # "page", "api", "file"

    class Meta(TenantModel.Meta):
        ordering = ["-at"]
        verbose_name = _("lettura di dati personali")
        verbose_name_plural = _("letture di dati personali")


class ReminderSent(TenantModel):
    """At most one reminder e-mail per comune and day."""

    day = models.DateField()

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "day"], name="complaints_reminder_day"),
        ]


# ---------------------------------------------------------------------------
# Improvement plans, KPI figures and the yearly report (complaints/plans/,
# complaints/kpis/, complaints/comparisons/).


class ImprovementAction(TenantModel):
    """An action of the comune's improvement plan: linked to one or more
    complaints and/or to a root cause, with an owner, a due date, a status and
    the result measured once done. The comune's own rows: no cross-tenant
    scope (its texts are the comune's internal work, and may quote complaints)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Programmata")
        IN_PROGRESS = "in_progress", _("In corso")
        DONE = "done", _("Completata")
        CANCELLED = "cancelled", _("Annullata")

    title = models.CharField(_("azione"), max_length=200)
    description = models.TextField(_("descrizione"), max_length=5000, blank=True)
    service = models.ForeignKey(
        "qclub.Service", verbose_name=_("servizio"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    root_cause = models.CharField(_("causa"), max_length=14, choices=Complaint.RootCause.choices, blank=True)
    owner = models.CharField(_("responsabile"), max_length=120)
    due_on = models.DateField(_("da completare entro"))
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    result = models.TextField(_("risultato misurato"), max_length=3000, blank=True)
    completed_on = models.DateField(_("completata il"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    complaints = models.ManyToManyField(
        Complaint, through="ImprovementLink", related_name="improvement_actions", blank=True,
    )

    class Meta(TenantModel.Meta):
        ordering = ["due_on", "id"]
        verbose_name = _("azione di miglioramento")
        verbose_name_plural = _("azioni di miglioramento")
        indexes = [models.Index(fields=["municipality", "service", "due_on"], name="improvement_service_due")]

    def __str__(self) -> str:
        return self.title


class ImprovementLink(TenantModel):
    """A complaint an improvement action answers."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="links")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="improvement_links")

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "action", "complaint"], name="improvement_link_once"),
        ]


class ComplaintFigure(TenantModel):
    """A comune's complaint figures for one year, in total or for one category,
    service or channel: counts and working-day statistics only — no text, no
    person. Written by `complaints.kpis.services.refresh_figures` (nightly job
    and on demand) from the comune's complaints; the club reads these rows, and
    never a complaint (the complaint tables declare no cross-tenant scope)."""

    class Dimension(models.TextChoices):
        TOTAL = "total", _("Totale")
        CATEGORY = "category", _("Categoria")
        SERVICE = "service", _("Servizio")
        CHANNEL = "channel", _("Canale")

    year = models.PositiveSmallIntegerField(_("anno"))
    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    key = models.CharField(max_length=40, blank=True)  # category/service code, channel; "" = not given
    received = models.PositiveIntegerField(default=0)
    complaints = models.PositiveIntegerField(default=0)
    suggestions = models.PositiveIntegerField(default=0)
    compliments = models.PositiveIntegerField(default=0)
    ack_measured = models.PositiveIntegerField(default=0)
    ack_on_time = models.PositiveIntegerField(default=0)
    answer_measured = models.PositiveIntegerField(default=0)
    answer_on_time = models.PositiveIntegerField(default=0)
    median_days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    p90_days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    classified = models.PositiveIntegerField(default=0)
    founded = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    population = models.PositiveIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField()

    # Every row is counts only: the club may read them all.
    tenancy_read_policies = {"club": "true"}

    class Meta(TenantModel.Meta):
        verbose_name = _("indicatori dei reclami")
        verbose_name_plural = _("indicatori dei reclami")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "year", "dimension", "key"], name="complaint_figure_once"),
        ]
        indexes = [
            # The comparison: one category (or the total) and one year across comuni.
            models.Index(fields=["dimension", "key", "year"], name="complaint_figure_compare"),
        ]


class ComplaintReport(TenantModel):
    """The comune's yearly complaint report: the figures (a snapshot taken
    when published), shown on its public page once published."""

    year = models.PositiveSmallIntegerField(_("anno"))
    figures = models.JSONField(default=dict)
    published_on = models.DateField(_("pubblicato il"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )

    tenancy_read_policies = {"public": "published_on IS NOT NULL"}

    class Meta(TenantModel.Meta):
        ordering = ["-year"]
        verbose_name = _("relazione annuale sui reclami")
        verbose_name_plural = _("relazioni annuali sui reclami")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "year"], name="complaint_report_year"),
        ]
