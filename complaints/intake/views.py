"""The ways a complaint comes in, and the citizen's side of it: the public
form of each comune and the private tracking page (status, answer, rating,
asking to reopen), which run with no comune active — the comune is looked up
in the plain table, then every read and write of its complaints happens
inside `acting_for(municipality)` —, and the staff's entry of a complaint
received by phone, at the counter or on paper."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from complaints import policy
from complaints.errors import apply_errors
from complaints.forms import CitizenReopenForm, PublicComplaintForm, RatingForm, StaffComplaintForm
from complaints.handling import selectors as handling_selectors
from complaints.handling import services as handling
from complaints.intake.services import complaint_by_token, register_complaint
from complaints.models import Complaint
from qclub.antispam import over_rate_limit
from qclub.models import Municipality
from qclub.permissions import Action, requires
from qclub.tenancy import acting_for

# Per client address (hashed), sending the form.
INTAKE_LIMIT, INTAKE_WINDOW = 5, 3600
ACTION_LIMIT, ACTION_WINDOW = 10, 3600


def _comune(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug, status=Municipality.Status.MEMBER)


def _too_many(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "complaints/public_refused.html", {"municipality": municipality}, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = _comune(slug)
    form = PublicComplaintForm(request.POST or None, request.FILES or None, request=request)
    if request.method == "POST":
        if over_rate_limit(request, "complaints.intake", limit=INTAKE_LIMIT, window_seconds=INTAKE_WINDOW):
            return _too_many(request, municipality)
        if form.is_valid():
            data = form.cleaned_data
            try:
                registered = register_complaint(
                    municipality=municipality, user=None, kind=data["kind"], channel=Complaint.Channel.WEB,
                    service=data["service"], what_happened=data["what_happened"], request=data["request"],
                    wants_answer=data["wants_answer"], contact_name=data["contact_name"],
                    contact_email=data["contact_email"], contact_phone=data["contact_phone"],
                    contact_address=data["contact_address"], files=data["files"],
                    link_for=lambda token: request.build_absolute_uri(reverse("complaints:track", args=[slug, token])),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect(reverse("complaints:track", args=[slug, registered.token]) + "?inviata=1")
    status = 400 if form.errors else 200
    return render(request, "complaints/public_form.html", {"municipality": municipality, "form": form}, status=status)


def _tracking_page(request, municipality, complaint, token, *, rating_form=None, reopen_form=None, status=200):
    return render(request, "complaints/track.html", {
        "municipality": municipality, "complaint": complaint, "token": token,
        "events": handling_selectors.timeline(complaint, for_citizen=True),
        "just_sent": request.GET.get("inviata") == "1",
        "may_reopen": handling.citizen_may_reopen(complaint),
        "reopen_deadline": handling.reopen_deadline(complaint),
        "may_rate": complaint.status in (Complaint.Status.ANSWERED, Complaint.Status.CLOSED) and not complaint.rating,
        "rating_form": rating_form or RatingForm(),
        "reopen_form": reopen_form or CitizenReopenForm(),
    }, status=status)


@never_cache
@require_http_methods(["GET"])
def track(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    municipality = _comune(slug)
    with acting_for(municipality):
        complaint = complaint_by_token(municipality=municipality, token=token)
        if complaint is None:
            raise Http404
        response = _tracking_page(request, municipality, complaint, token)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_POST
def track_action(request: HttpRequest, slug: str, token: str, action: str) -> HttpResponse:
    municipality = _comune(slug)
    if action not in ("valuta", "riapri"):
        raise Http404
    if over_rate_limit(request, "complaints.track", limit=ACTION_LIMIT, window_seconds=ACTION_WINDOW):
        return _too_many(request, municipality)
    with acting_for(municipality):
        complaint = complaint_by_token(municipality=municipality, token=token)
        if complaint is None:
            raise Http404
        form = RatingForm(request.POST) if action == "valuta" else CitizenReopenForm(request.POST)
        if form.is_valid():
            try:
                if action == "valuta":
                    handling.rate(complaint=complaint, rating=form.cleaned_data["rating"])
                else:
                    handling.reopen_by_citizen(complaint=complaint, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect(reverse("complaints:track", args=[slug, token]) + f"?fatto={action}")
        kwargs = {"rating_form": form} if action == "valuta" else {"reopen_form": form}
        complaint.refresh_from_db()
        return _tracking_page(request, municipality, complaint, token, status=400, **kwargs)


# The staff's way in: a complaint received by phone, at the counter or on paper.
@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality
    form = StaffComplaintForm(request.POST or None, request.FILES or None, municipality=municipality,
                              initial={"received_on": policy.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registered = register_complaint(
                municipality=municipality, user=request.user, kind=data["kind"], channel=data["channel"],
                received_on=data["received_on"], service=data["service"], category=data["category"],
                subcategory=data["subcategory"], what_happened=data["what_happened"], request=data["request"],
                wants_answer=data["wants_answer"], contact_name=data["contact_name"],
                contact_email=data["contact_email"], contact_phone=data["contact_phone"],
                contact_address=data["contact_address"], files=data["files"],
                link_for=lambda token: request.build_absolute_uri(
                    reverse("complaints:track", args=[municipality.slug, token])),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            link = request.build_absolute_uri(reverse("complaints:track", args=[municipality.slug, registered.token]))
            messages.success(request, _(
                "Segnalazione %(ref)s registrata. Link privato per il cittadino (mostrato solo ora): %(link)s"
            ) % {"ref": registered.complaint.reference, "link": link})
            return redirect("complaints:detail", registered.complaint.public_id)
    return render(request, "complaints/register.html", {"nav_section": "complaints", "form": form},
                  status=400 if form.errors else 200)
