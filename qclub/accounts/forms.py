"""Sign-in forms: the login page's and the admin's, with the same rules."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from qclub.accounts.services import validate_username_length


class _UsernameLengthMixin:
    """Django sets the username's `max_length` only on the widget, so an
    over-long name would reach authentication (and the lock-out's column):
    refuse it as a field error instead, with the service's rule."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(validate_username_length)


class LoginForm(_UsernameLengthMixin, AuthenticationForm):
    pass


class AdminLoginForm(_UsernameLengthMixin, AdminAuthenticationForm):
    pass


class TokenCreateForm(forms.Form):
    """Nothing to fill in: the button creates a key (a form for CSRF and errors)."""


class OTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Codice"),
        max_length=16,
        help_text=_(
            "Le 6 cifre mostrate ora dall'app di autenticazione, oppure uno dei codici di recupero."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EnrolCodeForm(OTPCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("Le 6 cifre mostrate ora dall'app di autenticazione.")
