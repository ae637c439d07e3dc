"""Complaints at national scale: `python -m bench.complaints` (after `make install`).

Builds (once per parameters) its own database, `qclub_bench_complaints` by default, on
the app's migrations: `--comuni` comuni (7,896), `--complaints` complaints spread evenly
over them and over `--years` years (5 million over 5), plus one large comune with
`--large` complaints of which `--large-open` are open and overdue. Rows are generated
by PostgreSQL (`generate_series`, md5-based pseudo-random, seed 42) with the table's keys
and indexes dropped during the load and rebuilt after it (`bench.build`), then the KPI
figures of every comune are computed by the app's own SQL
(`complaints.kpis.services._REFRESH_SQL`, one statement per comune, as the nightly job).

Then, as the runtime role with row-level security in force, through the app's pages
(Django's test client: the whole request, middleware, tenancy, templates; no network):
the large comune's KPI page, the members' comparison of one category-year, the large
comune's overdue list (page 1 and a middle page), and the on-demand refresh of the large
comune's figures for one year. Warm cache, p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Params:
    comuni: int = 7896
    complaints: int = 5_000_000
    years: int = 5
    large: int = 150_000
    large_open: int = 50_000
    seed: int = 42


def parse_args(argv=None):
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comuni", type=int, default=int(env("BENCH_COMUNI", 7896)))
    parser.add_argument("--complaints", type=int, default=int(env("BENCH_COMPLAINTS", 5_000_000)))
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--large", type=int, default=150_000)
    parser.add_argument("--large-open", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=int(env("BENCH_RUNS", 20)))
    parser.add_argument("--database", default=env("BENCH_COMPLAINTS_DATABASE", "qclub_bench_complaints"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--tiny", action="store_true", help="50 comuni, 20,000 complaints, large comune 2,000")
    args = parser.parse_args(argv)
    if args.tiny:
        args.comuni, args.complaints, args.large, args.large_open, args.runs = 50, 20_000, 2_000, 1_000, 5
    return args


def _load(conn, p: Params, say, today: datetime.date) -> None:
    from bench.build import _step, rnd

    s = p.seed
    conn.execute("TRUNCATE qclub_municipality, complaints_complaint, complaints_complaintfigure, "
                 "qclub_accessaudit RESTART IDENTITY CASCADE")
    # The plain indexes (the full-text GIN above all) are rebuilt after the load; the
    # primary key and unique indexes stay (other tables' composite keys point at them).
    saved = conn.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = 'complaints_complaint'::regclass AND NOT indisunique AND NOT indisprimary"
    ).fetchall()
    for name, _definition in saved:
        conn.execute(f"DROP INDEX {name}")
    _step(conn, say, "comuni", f"""
        INSERT INTO qclub_municipality (id, istat_code, name, slug, province, province_code, region,
                                        population, status, member_since)
        SELECT g, lpad(g::text, 6, '0'), 'Comune ' || lpad(g::text, 5, '0'), 'bench-' || g,
               'Provincia ' || (1 + g % 107), 'TN', 'Regione',
               CASE WHEN g = 1 THEN 2800000 ELSE round(exp(ln(200) + {rnd(s, "'pop'", "g")} * ln(300000.0 / 200)))::int END,
               'member', DATE '2009-01-01'
        FROM generate_series(1, {p.comuni}) g""")
    categories = [r[0] for r in conn.execute("SELECT id FROM complaints_category ORDER BY id").fetchall()]
    start = today - datetime.timedelta(days=365 * p.years)
    total = p.complaints + p.large
    # g <= large: the large comune (its first large_open open and overdue); the rest spread evenly.
    _step(conn, say, "complaints", f"""
        INSERT INTO complaints_complaint (
            id, public_id, municipality_id, reference, kind, channel, received_on, registered_at,
            what_happened, request, wants_answer, contact_name, contact_email, contact_phone, contact_address,
            status, clock_started_on, acknowledged_on, acknowledge_due, answer_due, suspended, answer,
            answered_on, answer_working_days, answered_late, acknowledged_late, root_cause, founded,
            reopen_count, rating, version, category_id)
        SELECT g, gen_random_uuid(), m, 'B-' || g, kind, channel, received, received + time '09:00',
               'Segnalazione di prova numero ' || g, '', false, '', '', '', '', status, received,
               CASE WHEN open THEN NULL ELSE received + 3 END, received + 7, received + 42, false, '',
               CASE WHEN open THEN NULL ELSE received + (r2 * 60)::int END,
               CASE WHEN open THEN NULL ELSE (r2 * 45)::int END,
               CASE WHEN open THEN NULL ELSE r2 * 45 > 30 END,
               CASE WHEN open THEN NULL ELSE r3 < 0.1 END, '',
               CASE WHEN open OR kind <> 'complaint' THEN NULL ELSE r3 < 0.6 END,
               CASE WHEN r4 < 0.05 THEN 1 ELSE 0 END,
               CASE WHEN open OR r4 < 0.5 THEN NULL ELSE 1 + (r4 * 4)::int END, 1,
               (ARRAY{categories})[1 + (r3 * {len(categories) - 1})::int]
        FROM (
            SELECT g, m, received, open, r2, r3, r4,
                   CASE WHEN r1 < 0.7 THEN 'complaint' WHEN r1 < 0.88 THEN 'suggestion' ELSE 'compliment' END AS kind,
                   (ARRAY['web','counter','phone','email','letter','pec'])[1 + (r2 * 5)::int] AS channel,
                   CASE WHEN open THEN 'acknowledged' ELSE 'closed' END AS status
            FROM (
                SELECT g, r1, r2, r3, r4,
                       CASE WHEN g <= {p.large} THEN 1 ELSE 2 + (g % {max(p.comuni - 1, 1)}) END AS m,
                       CASE WHEN g <= {p.large_open} THEN DATE '{today}' - 60 - (r1 * 300)::int
                            ELSE DATE '{start}' + (r1 * {365 * p.years - 1})::int END AS received,
                       g <= {p.large_open} AS open
                FROM (SELECT g, {rnd(s, "'a'", "g")} AS r1, {rnd(s, "'b'", "g")} AS r2,
                             {rnd(s, "'c'", "g")} AS r3, {rnd(s, "'d'", "g")} AS r4
                      FROM generate_series(1, {total}) g) x
            ) y
        ) z""")
    conn.execute("SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), %s)", [total])
    for name, definition in saved:
        _step(conn, say, f"index {name}", definition)
    _step(conn, say, "vacuum analyze", "VACUUM (ANALYZE) complaints_complaint")


def build(p: Params, database: str, *, force: bool, say=print) -> None:
    import psycopg
    from django.utils import timezone

    from bench.build import built_params, conninfo
    from complaints.kpis.services import _REFRESH_SQL
    from complaints.models import Complaint

    today = timezone.localdate()
    with psycopg.connect(**conninfo(database, owner=True), autocommit=True) as conn:
        wanted = {**asdict(p), "today": str(today)}
        if not force and built_params(conn) == wanted:
            say(f"data set reused ({database}: {wanted})")
            return
        conn.execute("DELETE FROM bench_meta WHERE key = 'params'")
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET synchronous_commit = off")
        say(f"building {database}: {p} …")
        tables = ["complaints_complaint", "complaints_complaintfigure"]
        for table in tables:
            conn.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        try:
            _load(conn, p, say, today)
            started = time.perf_counter()
            populations = dict(conn.execute("SELECT id, population FROM qclub_municipality").fetchall())
            first = today.year - p.years
            for municipality_id, population in populations.items():
                conn.execute(_REFRESH_SQL, {
                    "m": municipality_id, "today": today, "now": timezone.now(), "population": population,
                    "open": [str(s) for s in Complaint.OPEN_STATUSES],
                    "start": datetime.date(first, 1, 1), "end": datetime.date(today.year + 1, 1, 1),
                })
            say(f"  figures of {len(populations)} comuni (the nightly job's SQL): {time.perf_counter() - started:.1f} s")
            conn.execute("VACUUM (ANALYZE) complaints_complaintfigure")
        finally:
            for table in tables:
                conn.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        conn.execute("INSERT INTO bench_meta VALUES ('params', %s)", [json.dumps(wanted)])


def measures(p: Params, runs: int) -> list[dict]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    from bench.run import p50, p95, timed
    from complaints.kpis import services as kpis
    from qclub.models import Membership, Municipality, Role
    from qclub.tenancy import acting_for

    settings.ALLOWED_HOSTS = ["*"]
    settings.REQUIRE_2FA = False
    large = Municipality.objects.get(pk=1)
    user, _ = get_user_model().objects.get_or_create(username="bench.officer")
    Membership.objects.get_or_create(user=user, municipality=large, defaults={"role": Role.OFFICER})
    client = Client()
    client.force_login(user)
    year = datetime.date.today().year - 1

    def page(url):
        def run():
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)
        return run

    def refresh():
        with transaction.atomic(), acting_for(large):
            kpis.refresh_figures(municipality=large, years=[year])

    rows = []
    for name, run, target in (
        ("baseline: the complaints settings page", page("/reclami/impostazioni/"), None),
        ("KPI page of the large comune", page("/reclami/indicatori/"), 150),
        (f"comparison, one category-year ({year})", page(f"/reclami/confronto/?anno={year}&categoria=tempi"), 300),
        (f"comparison, all categories ({year})", page(f"/reclami/confronto/?anno={year}"), 300),
        (f"overdue list, {p.large_open:,} open, page 1", page("/reclami/in-ritardo/"), 100),
        ("overdue list, page 1000", page("/reclami/in-ritardo/?pagina=1000"), 100),
        (f"refresh the large comune's figures ({year})", refresh, None),
    ):
        times = timed(run, runs)
        rows.append({"measure": name, "p50": p50(times), "p95": p95(times), "target": target})
        print(f"  {name}: p50 {rows[-1]['p50']:.1f} ms, p95 {rows[-1]['p95']:.1f} ms"
              + (f" (target < {target} ms)" if target else ""), flush=True)
    return rows


def print_table(rows: list[dict]) -> None:
    print()
    print(f"{'complaints measure':<52} {'p50':>8} {'p95':>8} {'target':>7}  met")
    for r in rows:
        target = f"< {r['target']}" if r["target"] else "—"
        met = "" if not r["target"] else ("yes" if r["p95"] < r["target"] else "p50" if r["p50"] < r["target"] else "no")
        print(f"{r['measure']:<52} {r['p50']:>8.1f} {r['p95']:>8.1f} {target:>7}  {met}")
    load = os.getloadavg()
    print(f"times in ms (server side, through the test client), warm cache; load average {load[0]:.1f} "
          f"{load[1]:.1f} {load[2]:.1f}; met: yes = p95 under target, p50 = only the median")


def main(argv=None) -> list[dict]:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qclub.settings")
    import django

    django.setup()
    from bench import build as national

    p = Params(args.comuni, args.complaints, args.years, args.large, args.large_open)
    started = time.perf_counter()
    national.ensure_database(args.database, os.environ.get("BENCH_ADMIN_URL"))
    national.use_database(args.database)
    national.migrate()
    build(p, args.database, force=args.rebuild)
    print(f"data set ready in {time.perf_counter() - started:.0f} s", flush=True)
    return measures(p, args.runs)


if __name__ == "__main__":
    print_table(main(sys.argv[1:]))
