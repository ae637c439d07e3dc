#!/usr/bin/env python
"""Create QClub's two database roles and its database on a PostgreSQL server.

    python scripts/provision_database.py --admin postgresql://postgres@host/postgres \\
        --database qclub --owner qclub_owner --runtime qclub_app \\
        --owner-password ... --runtime-password ...

Idempotent. See docs/operations.md.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qclub.dbroles import provision  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin", required=True, help="superuser connection URI")
    parser.add_argument("--database", default="qclub")
    parser.add_argument("--owner", default="qclub_owner")
    parser.add_argument("--runtime", default="qclub_app")
    parser.add_argument("--owner-password")
    parser.add_argument("--runtime-password")
    args = parser.parse_args()
    provision(
        admin_conninfo=args.admin, database=args.database, owner=args.owner,
        runtime=args.runtime, owner_password=args.owner_password,
        runtime_password=args.runtime_password,
    )
    print(f"roles {args.owner}, {args.runtime} and database {args.database} ready")


if __name__ == "__main__":
    main()
