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
def test_surveys_bench_runs_at_tiny_size_and_its_load_stores_every_answer():
    """`python -m bench.surveys`: the pages' measures, then the online answers load
    (gunicorn serving the bench database, answers posted with a proof of work)."""
    database = settings.DATABASES["default"]["NAME"] + "_bench_surveys_tiny"
    command = [sys.executable, "-m", "bench.surveys", "--tiny", "--runs", "2", "--database", database]
    done = subprocess.run(  # noqa: S603 (our own command line)
        command, cwd=ROOT, env={**os.environ}, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for measure in ("results page, 2,000 responses", "comparison page, 50 surveys", "comparison API"):
        assert measure in done.stdout
    done = subprocess.run(  # noqa: S603 (our own command line)
        [*command, "--load", "3", "--rate", "60", "--workers", "1", "--threads", "2", "--port", "8799"],
        cwd=ROOT, env={**os.environ}, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "'sent': 3, 'ok': 3, 'errors': {}" in done.stdout
    assert "'stored': 3" in done.stdout


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
