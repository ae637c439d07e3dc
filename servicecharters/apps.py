from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicechartersConfig(AppConfig):
    name = "servicecharters"
    verbose_name = _("Carte dei servizi")
    # What the module adds to the core's pages (the module contract, qclub/modules.py).
    hooks = "servicecharters.hooks.ServiceChartersHooks"
