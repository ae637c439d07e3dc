"""Account pages: sign in, one's account, API keys (and the second factor)."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from qclub.accounts import second_factor, selectors, services
from qclub.accounts.forms import EnrolCodeForm, LoginForm, OTPCodeForm, TokenCreateForm
from qclub.forms import show_service_errors

login = auth_views.LoginView.as_view(authentication_form=LoginForm)


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """The person's own account: password, API keys, second factor."""
    return render(request, "accounts/account.html", {
        "token_count": selectors.api_token_list(user=request.user).count(),
        "second_factor_required": second_factor.second_factor_required(request.user),
    })


@never_cache  # shows a new key once: no copy in any cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's API keys: listed, created (the key shown this once)."""
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(user=request.user)
        except ValidationError as error:
            show_service_errors(form, error)
    return render(request, "accounts/api_tokens.html", {
        "form": form,
        "issued": issued,
        "tokens": selectors.api_token_list(user=request.user),
    })


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, key: str) -> HttpResponse:
    if not services.api_token_revoke(user=request.user, token_key=key):
        raise Http404
    messages.success(request, _("Chiave revocata: non funziona più."))
    return redirect("accounts:api_tokens")


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app (or a
    recovery code). A wrong code counts towards the lock-out."""
    if not second_factor.has_authenticator(request.user):
        return redirect(f"{reverse('accounts:enrol')}?{urlencode({'next': _next_url(request)})}")
    form = OTPCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not AxesProxyHandler.is_allowed(request, {"username": request.user.get_username()}):
            return render(request, "registration/locked_out.html", status=429)
        try:
            device = second_factor.check_code(
                request=request, user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@never_cache  # shows the secret key and the recovery codes: no copy in any cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code, confirm a first code,
    then read the recovery codes, shown this once."""
    if not second_factor.second_factor_required(request.user):
        # Nobody would ask this person for the code: nothing to set up.
        raise Http404
    if second_factor.has_authenticator(request.user) and not request.user.is_verified():
        # Replacing an authenticator takes a code from the current one first.
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.path})}")
    form = EnrolCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = second_factor.confirm_authenticator(
                request=request, user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            otp_login(request, enrolment.device)
            return render(request, "accounts/recovery_codes.html", {
                "codes": enrolment.recovery_codes, "next": _next_url(request),
            })
    device = second_factor.pending_authenticator(request.user)
    return render(request, "accounts/enrol.html", {
        "form": form,
        "qr_svg": mark_safe(second_factor.qr_code_svg(device)),  # noqa: S308 - made by segno from our data
        "manual_key": second_factor.manual_key(device),
        "has_authenticator": second_factor.has_authenticator(request.user),
        "next": _next_url(request),
    })
