from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicechartersConfig(AppConfig):
    name = "servicecharters"
    verbose_name = _("Carte dei servizi")
