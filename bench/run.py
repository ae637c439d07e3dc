"""`make bench`: build (or reuse) the national data set, then time the app's
code paths against the bare SQL that gives the same answer.

    python -m bench.run [--tiny] [--comuni N] [--indicators N] [--years N]
                        [--import-values N] [--runs N] [--database NAME] [--rebuild]
                        [--section benchmarking|complaints|all]

Sections: `benchmarking` (the default, what `make bench` runs), `complaints`
(`bench/complaints.py`: complaints at national scale, its own data set and
database, `make bench-complaints`; sizes from BENCH_COMPLAINTS...), or `all`.

Environment: BENCH_COMUNI (7896), BENCH_INDICATORS (300), BENCH_YEARS (15),
BENCH_IMPORT_VALUES (1,000,000), BENCH_RUNS (30), BENCH_DATABASE
(qclub_bench), BENCH_ADMIN_URL (a superuser connection to provision the
bench database on a server where the owner role cannot create databases).

Reads run as the runtime role (row-level security in force) inside
`acting_for(comune)` and `cross_tenant(scope="club")`, as the members area's
pages do; times are wall times seen by the app (client plus server), warm
cache (two untimed runs first), p50 and p95 over the repeated runs, the app
and its floor timed in turns (a machine that slows down does so for both).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import django

SECTIONS = ("benchmarking", "complaints", "all")


def _settings() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qclub.settings")
    django.setup()
    # As the app's server process (qclub/wsgi.py): what is loaded at start-up
    # is kept out of the garbage collector's full passes.
    gc.collect()
    gc.freeze()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="50 comuni, 10 indicators, 3 years (for the tests)")
    parser.add_argument("--comuni", type=int, default=int(env("BENCH_COMUNI", 7896)))
    parser.add_argument("--indicators", type=int, default=int(env("BENCH_INDICATORS", 300)))
    parser.add_argument("--years", type=int, default=int(env("BENCH_YEARS", 15)))
    parser.add_argument("--import-values", type=int, default=int(env("BENCH_IMPORT_VALUES", 1_000_000)))
    parser.add_argument("--runs", type=int, default=int(env("BENCH_RUNS", 30)))
    parser.add_argument("--import-runs", type=int, default=int(env("BENCH_IMPORT_RUNS", 3)))
    parser.add_argument("--database", default=env("BENCH_DATABASE", "qclub_bench"))
    parser.add_argument("--rebuild", action="store_true", help="build again even if the data set is there")
    parser.add_argument("--section", choices=SECTIONS, default=env("BENCH_SECTION", "benchmarking"),
                        help="benchmarking (default), complaints (its own data set: bench/complaints.py) or all")
    args = parser.parse_args(argv)
    if args.tiny:
        args.comuni, args.indicators, args.years, args.import_values = 50, 10, 3, 500
        args.runs, args.import_runs = min(args.runs, 5), min(args.import_runs, 2)
    return args


def timed(run: Callable[[], object], runs: int, warmup: int = 2) -> list[float]:
    """Milliseconds of each run after the warm-up runs."""
    for _ in range(warmup):
        run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p50(times: list[float]) -> float:
    return statistics.median(times)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> list[dict]:
    args = parse_args(argv)
    _settings()
    results = []
    if args.section in ("benchmarking", "all"):
        results += _benchmarking(args)
    if args.section in ("complaints", "all"):
        from bench import complaints

        # Its own sizes (BENCH_COMPLAINTS, BENCH_COMPLAINTS_DATABASE...); the run
        # count, --tiny and --rebuild are passed on.
        rows = complaints.main(["--runs", str(args.runs)] + ["--tiny"] * args.tiny + ["--rebuild"] * args.rebuild)
        complaints.print_table(rows)
        results += rows
    return results


def _benchmarking(args: argparse.Namespace) -> list[dict]:
    from bench import build, measures

    params = build.Params(args.comuni, args.indicators, args.years, args.import_values)
    started = time.perf_counter()
    build.ensure_database(args.database, os.environ.get("BENCH_ADMIN_URL"))
    build.use_database(args.database)
    build.migrate()
    build.build(params, args.database, force=args.rebuild)
    print(f"data set ready in {time.perf_counter() - started:.0f} s", flush=True)

    results = []
    for name, app, floor, runs in measures.reads(params, args.runs):
        results.append(_compare(name, app, floor, runs))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "values.csv"
        measures.write_import_file(params, args.database, path)
        app, floor = measures.bulk_import(params, args.database, path)
        results.append(_compare(f"bulk import of {params.import_comuni * params.indicators:,} values",
                                app, floor, args.import_runs, warmup=0))
    _print(results)
    return results


def interleaved(app: Callable[[], object], floor: Callable[[], object], runs: int,
                warmup: int = 2) -> tuple[list[float], list[float]]:
    """Milliseconds of each run of both, taken in turns (app, floor, app, …)
    after the warm-up runs: a machine that slows down or speeds up during the
    measure does so for both, so their ratio holds. A run's `reset` (putting
    the data back as it was, e.g. emptying what a load wrote) is not timed."""
    for _ in range(warmup):
        app()
        floor()
    app_times, floor_times = [], []
    for _ in range(runs):
        for run, times in ((app, app_times), (floor, floor_times)):
            if reset := getattr(run, "reset", None):
                reset()
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
    return app_times, floor_times


def _compare(name: str, app, floor, runs: int, warmup: int = 2) -> dict:
    app_times, floor_times = interleaved(app, floor, runs, warmup)
    row = {
        "measure": name, "app_p50": p50(app_times), "app_p95": p95(app_times),
        "sql_p50": p50(floor_times), "sql_p95": p95(floor_times), "runs": runs,
    }
    row["ratio"] = row["app_p50"] / row["sql_p50"] if row["sql_p50"] else float("inf")
    print(f"  {name}: app {row['app_p50']:.1f} ms, SQL {row['sql_p50']:.1f} ms, ×{row['ratio']:.2f}", flush=True)
    return row


def _print(results: list[dict]) -> None:
    print()
    print(f"{'measure':<44} {'app p50':>9} {'app p95':>9} {'SQL p50':>9} {'SQL p95':>9} {'ratio':>6} runs")
    for r in results:
        print(f"{r['measure']:<44} {r['app_p50']:>9.1f} {r['app_p95']:>9.1f} {r['sql_p50']:>9.1f} "
              f"{r['sql_p95']:>9.1f} {r['ratio']:>6.2f} {r['runs']:>4}")
    print("times in ms, warm cache, wall time seen by the app (client + server); ratio = app p50 / SQL p50")


if __name__ == "__main__":
    main(sys.argv[1:])
