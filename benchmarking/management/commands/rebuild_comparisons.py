"""Rebuild the members area's ranked figures from the approved submissions.

Approval and reopening keep them up to date; this command is for after a data
repair or a change of the ranking rules. It runs in the audited review scope of
each area, as a maintenance job acting for no user.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from benchmarking.comparisons import services as comparisons
from benchmarking.models import ApprovedResult, Campaign, Submission
from qclub.tenancy import SCOPE_REVIEW, cross_tenant


class Command(BaseCommand):
    help = "Rebuild ranked approved figures and club summaries from approved submissions."

    def handle(self, *args, **options):
        copied = 0
        campaigns = Campaign.objects.select_related("area").order_by("period_year", "area__position")
        for campaign in campaigns:
            with transaction.atomic(), cross_tenant(
                scope=SCOPE_REVIEW, reason="rebuild_comparisons", areas=(campaign.area_id,)
            ):
                ApprovedResult.objects.filter(campaign=campaign).delete()
                for submission in Submission.objects.filter(
                    campaign=campaign, status=Submission.Status.APPROVED
                ).select_related("campaign"):
                    comparisons.publish(submission, and_rerank=False)
                    copied += 1
                comparisons.rerank(campaign, campaign.indicators.values_list("pk", flat=True))
        self.stdout.write(f"{copied} schede approvate riportate nei confronti.")
