from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Indagini di customer satisfaction")
    # What the module adds to the core's pages (the module contract, qclub/modules.py).
    hooks = "surveys.hooks.SurveysHooks"
