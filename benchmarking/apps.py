from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = _("Benchmarking")
    # What benchmarking adds to the core's pages (the module contract, qclub/modules.py).
    hooks = "benchmarking.hooks.BenchmarkingHooks"
