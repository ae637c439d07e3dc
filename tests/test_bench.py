"""`make bench` keeps working: the whole bench at a tiny size, in its own database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.django_db
def test_bench_runs_at_tiny_size_and_prints_every_measure():
    database = settings.DATABASES["default"]["NAME"] + "_bench_tiny"
    done = subprocess.run(  # noqa: S603 (our own command line)
        [sys.executable, "-m", "bench.run", "--tiny", "--runs", "2", "--database", database],
        cwd=ROOT, env={**os.environ}, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for measure in ("ranking (50 comuni)", "scorecard (10 indicators", "trend (3 years)",
                    "bulk import of 500 values"):
        assert measure in done.stdout


@pytest.mark.slow
@pytest.mark.django_db
def test_bench_complaints_section_runs_at_tiny_size():
    database = settings.DATABASES["default"]["NAME"] + "_bench_cp_tiny"
    done = subprocess.run(  # noqa: S603 (our own command line)
        [sys.executable, "-m", "bench.run", "--section", "complaints", "--tiny", "--runs", "2"],
        cwd=ROOT, env={**os.environ, "BENCH_COMPLAINTS_DATABASE": database}, capture_output=True, text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for measure in ("KPI page of the large comune", "comparison, one category-year", "overdue list, page 1000",
                    "complaints measure"):
        assert measure in done.stdout
    assert "ranking (50 comuni)" not in done.stdout  # the benchmarking section is not run
