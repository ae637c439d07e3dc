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
