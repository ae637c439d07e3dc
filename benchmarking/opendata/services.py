"""Open data: a coordinator publishes an area and period to citizens, and
what citizens may then read (pages, downloads, DCAT-AP_IT catalogue, API).

Publication flips the campaign's approved figures that comuni share with the
club ("club") to "public", with the campaign's embargo date; figures a comune
keeps to itself ("own") are never touched. Public reads run in the "public"
scope with no comune active, so the database itself shows only public
figures whose embargo has passed, whoever is asking.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarking.models import ApprovedResult, Campaign, Visibility
from qclub.permissions import Action, check
from qclub.tenancy import SCOPE_REVIEW, cross_tenant


@transaction.atomic
def publish_open_data(campaign: Campaign, user, embargo_until=None) -> int:
    """Publish the area and period: the club-visible approved figures become
    public (after `embargo_until`, if given). Figures kept to a comune stay
    its own. Figures approved later are published too (comparisons.publish
    reads the campaign). Returns how many figures are public."""
    check(user, Action.PUBLISH_RANKINGS, area=campaign.area)
    if embargo_until is not None and campaign.published_at is None and embargo_until < timezone.localdate():
        raise ValidationError(_("La fine dell'embargo non può essere nel passato."))
    campaign.published_at = campaign.published_at or timezone.now()
    campaign.embargo_until = embargo_until
    campaign.save(update_fields=["published_at", "embargo_until"])
    with cross_tenant(scope=SCOPE_REVIEW, acting_user=user,
                      reason=f"pubblicazione dati aperti {campaign.area.code} {campaign.period.code}"):
        return ApprovedResult.objects.filter(
            campaign=campaign, visibility__in=[Visibility.CLUB, Visibility.PUBLIC]
        ).update(visibility=Visibility.PUBLIC, embargo_until=embargo_until)


@transaction.atomic
def withdraw_open_data(campaign: Campaign, user) -> int:
    """Take the area and period back to the club only."""
    check(user, Action.PUBLISH_RANKINGS, area=campaign.area)
    campaign.published_at = None
    campaign.embargo_until = None
    campaign.save(update_fields=["published_at", "embargo_until"])
    with cross_tenant(scope=SCOPE_REVIEW, acting_user=user,
                      reason=f"ritiro dati aperti {campaign.area.code} {campaign.period.code}"):
        return ApprovedResult.objects.filter(campaign=campaign, visibility=Visibility.PUBLIC).update(
            visibility=Visibility.CLUB, embargo_until=None
        )
