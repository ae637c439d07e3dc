"""What the club compares (tenant tables read in the club and public scopes): approved
results, club summaries, context descriptors and best practices. Peer groups are
the core's (`qclub.models.PeerGroup`), shared with the other modules."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from benchmarking.models.catalogue import Campaign, Indicator, IndicatorVersion
from benchmarking.models.collection import Submission, Visibility
from qclub.migration_ops import ACTIVE_AREAS_SQL, LOCAL_DATE_SQL
from qclub.models import ThematicArea
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


_REVIEWED_AREA_ROW = f"area_id = ANY({ACTIVE_AREAS_SQL})"

# Citizens see a figure only when it is public, its own embargo has passed, and
# its campaign is published and past the campaign's embargo: the campaign is the
# one source of the publication date, so a row made public by any path (a result
# shared again after publication, a maintenance command) keeps the embargo.
_PUBLISHED_ROW = (
    "visibility = 'public' "
    f"AND (embargo_until IS NULL OR embargo_until <= {LOCAL_DATE_SQL}) "
    "AND EXISTS (SELECT 1 FROM benchmarking_campaign c WHERE c.id = benchmarking_approvedresult.campaign_id "
    f"AND c.published_at IS NOT NULL AND (c.embargo_until IS NULL OR c.embargo_until <= {LOCAL_DATE_SQL}))"
)


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
        "public": _PUBLISHED_ROW,
        "review": _REVIEWED_AREA_ROW,
    }
    tenancy_write_policies = {
        "review": {"INSERT": _REVIEWED_AREA_ROW, "UPDATE": _REVIEWED_AREA_ROW, "DELETE": _REVIEWED_AREA_ROW},
    }

    class Meta(TenantModel.Meta):
        verbose_name = _("risultato approvato")
        verbose_name_plural = _("risultati approvati")
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
            # The national ranking in rank order, one keyset page at a time.
            models.Index(
                fields=["indicator", "period_year", "period_kind", "period_index", "rank"],
                name="approved_rank_order", condition=models.Q(rank__isnull=False),
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
        verbose_name = _("sintesi di un indicatore")
        verbose_name_plural = _("sintesi degli indicatori")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_year", "period_kind", "period_index"], name="one_summary"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_year}: n={self.reported}"


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
