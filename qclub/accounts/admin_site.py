"""The admin site signs in through the same rules as the login page: the
username length, the lock-out (Django's `authenticate`) and the second factor
(`qclub/accounts/second_factor.py`)."""

from qclub.accounts.forms import AdminLoginForm
from qclub.accounts.second_factor import second_factor_required
from qclub.admin_site import QClubAdminSite


class AdminSite(QClubAdminSite):
    login_form = AdminLoginForm

    def has_permission(self, request) -> bool:
        # SecondFactorMiddleware already sends an unverified session to the
        # code page; the admin refuses it too, whatever the middleware order.
        user = request.user
        return super().has_permission(request) and (
            not second_factor_required(user) or user.is_verified()
        )
