"""The coordinators' pages: the completeness board and the review of one submission."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from benchmarking.catalogue.selectors import campaign_get as _campaign
from benchmarking.catalogue.selectors import campaign_history
from benchmarking.collection import services as collection
from benchmarking.collection.selectors import entry_rows, submission_events
from benchmarking.models import Submission
from benchmarking.review import selectors, services
from qclub.models import Municipality
from qclub.permissions import Action, check
from qclub.tenancy import SCOPE_REVIEW, cross_tenant


@login_required
@require_GET
def board(request: HttpRequest, public_id) -> HttpResponse:
    """Every member comune and its submission; filter by status, 50 per page."""
    campaign = _campaign(public_id)
    check(request.user, Action.REVIEW_SUBMISSIONS, area=campaign.area)
    lines = selectors.board(campaign, request.user)
    status = request.GET.get("stato", "")
    page = Paginator(selectors.board_lines_in(lines, status), 50).get_page(request.GET.get("pagina"))
    return render(request, "benchmarking/board.html", {
        "campaign": campaign, "page": page, "lines": page.object_list, "status": status,
        "statuses": Submission.Status.choices, "totals": selectors.board_totals(lines),
        "history": campaign_history(campaign),
    })


CONFIRMED = frozenset({collection.APPROVE, collection.RETURN, collection.REOPEN})


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id, slug: str) -> HttpResponse:
    """A coordinator reads one comune's submission, comments, returns or approves."""
    campaign = _campaign(public_id)
    check(request.user, Action.REVIEW_SUBMISSIONS, area=campaign.area)
    municipality = get_object_or_404(Municipality, slug=slug)
    with cross_tenant(scope=SCOPE_REVIEW, reason=f"review {campaign.public_id} {slug}", acting_user=request.user):
        sub = selectors.reviewable_submission_get(campaign, municipality)
        if request.method == "POST":
            try:
                if "comment" in request.POST:
                    value = selectors.submission_value_get(sub, request.POST.get("code", ""))
                    services.comment(value, request.user, request.POST.get("comment", ""))
                    messages.success(request, _("Commento aggiunto."))
                else:
                    action = request.POST.get("action", "")
                    if request.POST.get("confirm") != "yes" and action in CONFIRMED:
                        # Approving, returning and reopening are confirmed on a page of their
                        # own first (no JavaScript needed); the note typed is carried over.
                        return render(request, "benchmarking/confirm_review.html", {
                            "campaign": campaign, "municipality": municipality, "submission": sub,
                            "action": action, "note": request.POST.get("note", ""),
                            "allowed": action in collection.allowed_actions(sub, request.user),
                            "note_required": action in collection.NOTE_REQUIRED,
                        })
                    collection.transition(sub, action, request.user, note=request.POST.get("note", ""))
                    messages.success(request, {
                        collection.RETURN: _("Scheda restituita al comune."),
                        collection.APPROVE: _("Scheda approvata: i valori ora sono bloccati."),
                        collection.REOPEN: _("Scheda riaperta."),
                    }.get(action, _("Fatto.")))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("benchmarking:review", public_id=campaign.public_id, slug=slug)
        groups = entry_rows(sub)
        rows = {row.value.element.code: row.value for _group, group_rows in groups for row in group_rows}
        context = {
            "campaign": campaign, "municipality": municipality, "submission": sub, "groups": groups,
            "results": collection.compute(campaign, rows),
            "actions": collection.allowed_actions(sub, request.user),
            "events": submission_events(sub),
        }
        return render(request, "benchmarking/review.html", context)
