"""Account pages: sign in, one's account, API keys (and the second factor)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qclub.accounts import selectors, services
from qclub.accounts.forms import LoginForm, TokenCreateForm
from qclub.forms import show_service_errors

login = auth_views.LoginView.as_view(authentication_form=LoginForm)


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """The person's own account: password, API keys, second factor."""
    return render(request, "accounts/account.html", {
        "token_count": selectors.api_token_list(user=request.user).count(),
    })


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
