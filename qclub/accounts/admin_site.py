"""The admin site signs in through the same rules as the login page: the
username length, the lock-out (Django's `authenticate`) and the second factor
(`qclub/accounts/second_factor.py`)."""

from django.contrib import admin

from qclub.accounts.forms import AdminLoginForm


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm
