"""QClub's Django admin site: Italian titles, and Italian names for the
records of packages that give them none to translate (procrastinate's jobs).
The sections of those packages are named in qclub/apps.py; django-axes'
record names are translated by the catalogue in qclub/i18n/locale."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# (app label, model object name) -> the Italian name.
NAMES = {
    ("procrastinate", "ProcrastinateJob"): _("Lavori"),
    ("procrastinate", "ProcrastinateEvent"): _("Eventi dei lavori"),
    ("procrastinate", "ProcrastinatePeriodicDefer"): _("Esecuzioni periodiche"),
    ("procrastinate", "ProcrastinateWorker"): _("Processi di lavoro"),
}


class QClubAdminSite(admin.AdminSite):
    site_header = _("Amministrazione di QClub")
    site_title = _("Amministrazione di QClub")
    index_title = _("Amministrazione")

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            for model in app["models"]:
                model["name"] = NAMES.get((app["app_label"], model["object_name"]), model["name"])
        return apps
