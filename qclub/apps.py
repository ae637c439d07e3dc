import axes.apps
import procrastinate.contrib.django.apps
from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_runtime_privileges(sender, using, **kwargs):
    from django.db import connections

    from qclub.dbroles import grant_runtime_privileges

    grant_runtime_privileges(connections[using])


def _close_audit_connection(sender, **kwargs):
    from django.conf import settings

    from qclub import audit

    # Like Django's own connections: kept between requests only with CONN_MAX_AGE.
    if not settings.DATABASES["default"].get("CONN_MAX_AGE"):
        audit.close()


class QclubConfig(AppConfig):
    name = "qclub"
    verbose_name = _("QClub")

    def ready(self):
        from qclub import checks  # noqa: F401  (registers the tenancy system checks)

        # After every migrate: the runtime role gets DML on what was created.
        post_migrate.connect(_grant_runtime_privileges, sender=self, dispatch_uid="qclub_grants")
        request_finished.connect(_close_audit_connection, dispatch_uid="qclub_audit_close")


# Packages whose section in the administration has no Italian name of its own.


class AxesConfig(axes.apps.AppConfig):
    default = False
    verbose_name = _("Blocco degli accessi")


class ProcrastinateConfig(procrastinate.contrib.django.apps.ProcrastinateConfig):
    default = False
    verbose_name = _("Lavori in background")
