"""The admin site signs in through the same rules as the login page: the
username length, the lock-out (Django's `authenticate`) and the second factor
(`qclub/accounts/second_factor.py`)."""

from qclub.accounts.forms import AdminLoginForm
from qclub.admin_site import QClubAdminSite


class AdminSite(QClubAdminSite):
    login_form = AdminLoginForm
