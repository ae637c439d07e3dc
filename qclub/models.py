"""The core: comuni, thematic areas, the service taxonomy, membership and roles.

These are club-wide tables (no row-level security): every comune may know
that other comuni exist and which areas the club works on.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel

istat_code_validator = RegexValidator(r"^\d{6}$", _("Il codice ISTAT è di 6 cifre."))


class Municipality(models.Model):
    """A comune: any of Italy's, member of the club or not."""

    class Status(models.TextChoices):
        NON_MEMBER = "non_member", _("Non aderente")
        CANDIDATE = "candidate", _("Candidato")
        MEMBER = "member", _("Aderente")
        SUSPENDED = "suspended", _("Sospeso")
        FORMER = "former", _("Ex aderente")

    istat_code = models.CharField(
        _("codice ISTAT"), max_length=6, unique=True, validators=[istat_code_validator]
    )
    name = models.CharField(_("nome"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    province = models.CharField(_("provincia"), max_length=80, blank=True)
    province_code = models.CharField(_("sigla provincia"), max_length=2, blank=True)
    region = models.CharField(_("regione"), max_length=60, blank=True)
    population = models.PositiveIntegerField(_("popolazione"), null=True, blank=True)
    status = models.CharField(
        _("stato di adesione"), max_length=12, choices=Status.choices, default=Status.NON_MEMBER
    )
    candidate_since = models.DateField(_("candidato dal"), null=True, blank=True)
    member_since = models.DateField(_("aderente dal"), null=True, blank=True)
    suspended_since = models.DateField(_("sospeso dal"), null=True, blank=True)
    left_on = models.DateField(_("uscito il"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_member(self) -> bool:
        return self.status == self.Status.MEMBER


class ThematicArea(models.Model):
    """An area the club benchmarks (area tematica), coordinated by one comune."""

    code = models.SlugField(_("codice"), max_length=40, unique=True)
    name = models.CharField(_("nome"), max_length=120)
    description = models.TextField(_("descrizione"), blank=True)
    coordinating_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("comune coordinatore"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_areas",
    )
    started_on = models.DateField(_("avviata il"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("area tematica")
        verbose_name_plural = _("aree tematiche")

    def __str__(self) -> str:
        return self.name


class QualityDimension(models.TextChoices):
    """The four quality dimensions of Italian service charters."""

    ACCESSIBILITY = "accessibility", _("Accessibilità")
    TIMELINESS = "timeliness", _("Tempestività")
    TRANSPARENCY = "transparency", _("Trasparenza")
    EFFECTIVENESS = "effectiveness", _("Efficacia")


class Service(models.Model):
    """A service of the shared taxonomy (e.g. anagrafe centrale, nido d'infanzia).

    Indicators, questionnaire items, complaint categories and charter standards
    all refer to one, so that everything known about a service meets on one page.
    """

    area = models.ForeignKey(
        ThematicArea, verbose_name=_("area tematica"), on_delete=models.PROTECT, related_name="services"
    )
    code = models.SlugField(_("codice"), max_length=40, unique=True)
    name = models.CharField(_("nome"), max_length=120)
    description = models.TextField(_("descrizione"), blank=True)

    class Meta:
        ordering = ["area__position", "name"]
        verbose_name = _("servizio")
        verbose_name_plural = _("servizi")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", _("Operatore qualità")
    MANAGER = "manager", _("Responsabile")


class Membership(models.Model):
    """A person's role in one comune. A person may belong to several comuni."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("persona")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("comune")
    )
    role = models.CharField(_("ruolo"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(_("assegnato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("appartenenza")
        verbose_name_plural = _("appartenenze")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="membership_one_role_per_comune")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.municipality} ({self.get_role_display()})"


class AreaCoordinator(models.Model):
    """A person who coordinates a thematic area for the whole club."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinated_areas",
        verbose_name=_("persona"),
    )
    area = models.ForeignKey(
        ThematicArea, on_delete=models.CASCADE, related_name="coordinators", verbose_name=_("area")
    )

    class Meta:
        verbose_name = _("coordinatore di area")
        verbose_name_plural = _("coordinatori di area")
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="one_coordination_per_area")]

    def __str__(self) -> str:
        return f"{self.user} — {self.area}"


class AccessAudit(models.Model):
    """One row each time code crosses comuni (qclub.tenancy.cross_tenant),
    written by qclub/audit.py on a connection of its own and append-only for
    the runtime role. No foreign-key constraints (see qclub/audit.py): the
    row keeps the ids, and the username, of who acted for which comune."""

    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
        null=True, blank=True, related_name="+", verbose_name=_("persona"),
    )
    username = models.CharField(_("utente"), max_length=150, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.DO_NOTHING, db_constraint=False,
        null=True, blank=True, related_name="+", verbose_name=_("comune attivo"),
    )
    scope = models.CharField(_("ambito"), max_length=20)
    reason = models.CharField(_("motivo"), max_length=200)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("accesso trasversale")
        verbose_name_plural = _("accessi trasversali")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.scope}: {self.reason}"


class MembershipEvent(models.Model):
    """The history of a comune's membership (candidacy, admission, suspension)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="membership_events", verbose_name=_("comune")
    )
    at = models.DateTimeField(_("quando"), auto_now_add=True)
    from_status = models.CharField(_("stato precedente"), max_length=12, choices=Municipality.Status.choices)
    to_status = models.CharField(_("nuovo stato"), max_length=12, choices=Municipality.Status.choices)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("chi")
    )
    note = models.CharField(_("nota"), max_length=300, blank=True)
    # The day the decision takes effect (e.g. admitted from), which may differ from `at`.
    on = models.DateField(_("data della decisione"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("evento di adesione")
        verbose_name_plural = _("eventi di adesione")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.from_status} -> {self.to_status}"


class JobProgress(TenantModel):
    """How far a running comune job has got, for its page to poll.

    Written by `qclub.jobs.Progress` on a connection of its own, so it shows
    while the job's own transaction is still open; a tenant table, so a comune
    sees only its own jobs' progress. One row per job (procrastinate's job id).
    """

    job_id = models.BigIntegerField()
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta(TenantModel.Meta):
        verbose_name = _("avanzamento di un lavoro")
        verbose_name_plural = _("avanzamenti dei lavori")
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(fields=["municipality", "job_id"], name="qclub_jobprogress_job"),
        ]

    def __str__(self) -> str:
        return f"job {self.job_id}: {self.done}/{self.total}"


class AntispamMark(models.Model):
    """A short-lived mark of the anti-spam core (`qclub/antispam.py`), never an
    address: either a solved proof-of-work challenge (its signature, so it is
    accepted once) or a rate-limit counter (a keyed hash of the purpose, the
    client's address and the time window). Rows live until `expires_at`;
    `antispam.purge_expired` deletes them (the periodic job
    `qclub.purge_antispam`)."""

    class Kind(models.TextChoices):
        CHALLENGE = "challenge", _("verifica risolta")
        RATE = "rate", _("contatore di frequenza")

    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("chiave"), max_length=64)
    count = models.PositiveIntegerField(_("conteggio"), default=1)
    expires_at = models.DateTimeField(_("scade il"))

    class Meta:
        verbose_name = _("segno anti-spam")
        verbose_name_plural = _("segni anti-spam")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="qclub_antispammark_key")]
        indexes = [models.Index(fields=["expires_at"], name="qclub_antispam_expires")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:8]}…"


__all__ = ["TenantModel"]


class PeerGroup(models.Model):
    """A group of comuni a coordinator defines to compare like with like.

    Club-wide and in the core, so every module compares with the same groups
    (benchmarking's rankings, the surveys' comparisons). It was benchmarking's
    model: the tables keep their names (`benchmarking_peergroup` and its
    members), moved by state-only migrations."""

    name = models.CharField(_("nome"), max_length=120)
    description = models.TextField(_("descrizione"), blank=True)
    members = models.ManyToManyField(
        "qclub.Municipality",
        verbose_name=_("comuni"),
        related_name="+",
        db_table="benchmarking_peergroup_members",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "benchmarking_peergroup"
        ordering = ["name"]
        verbose_name = _("gruppo di confronto")
        verbose_name_plural = _("gruppi di confronto")

    def __str__(self) -> str:
        return self.name
