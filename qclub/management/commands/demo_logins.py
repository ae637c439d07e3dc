"""Print where the app runs and the demo logins created by seed_demo."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from qclub.management.commands.seed_demo import DEMO_PASSWORD
from qclub.models import AreaCoordinator, Membership

ADDRESS = "http://127.0.0.1:8000"


def demo_login_rows() -> list[tuple[str, str, str]]:
    """(username, role, comune) for every demo user present, in a stable order."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(username__in=["admin", "coordinator"]) | Q(username__regex=r"^(officer|manager)\."))
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("municipality")),
            Prefetch("coordinated_areas", queryset=AreaCoordinator.objects.select_related("area")),
        )
        .order_by("username")
    )
    rows: list[tuple[str, str, str]] = []
    for user in users:
        roles = []
        if user.is_superuser:
            roles.append((_("amministratore"), "—"))
        areas = list(user.coordinated_areas.all())
        if areas:
            roles.append((_("coordinatore (%(count)d aree)") % {"count": len(areas)}, "—"))
        for membership in user.memberships.all():
            roles.append((membership.get_role_display(), membership.municipality.name))
        for role, comune in roles or [(_("nessun ruolo"), "—")]:
            rows.append((user.username, str(role), comune))
    # The administrator and the coordinator first, then by comune and username.
    order = {"admin": 0, "coordinator": 1}
    rows.sort(key=lambda row: (order.get(row[0], 2), row[2], row[0]))
    return rows


class Command(BaseCommand):
    help = "Mostra l'indirizzo dell'applicazione e gli utenti dimostrativi."

    def handle(self, *args, **options):
        self.stdout.write(_("QClub: %(address)s") % {"address": ADDRESS})
        rows = demo_login_rows()
        if not rows:
            self.stdout.write(
                _("Nessun utente dimostrativo. Caricali con: python manage.py seed_demo")
            )
            return
        headers = (_("utente"), _("ruolo"), _("comune"))
        widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(3)]
        line = "  ".join(f"{{:<{width}}}" for width in widths)
        for row in [headers, tuple("-" * width for width in widths), *rows]:
            self.stdout.write(line.format(*row).rstrip())
        self.stdout.write(
            _("Password di tutti gli utenti dimostrativi: %(password)s") % {"password": DEMO_PASSWORD}
        )
