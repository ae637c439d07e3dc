from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Gestione dei reclami")
    # What the module adds to the core's pages (the module contract, qclub/modules.py).
    hooks = "complaints.hooks.ComplaintsHooks"
