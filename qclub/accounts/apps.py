from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin on our site class (qclub/accounts/admin_site.py)."""

    default_site = "qclub.accounts.admin_site.AdminSite"
