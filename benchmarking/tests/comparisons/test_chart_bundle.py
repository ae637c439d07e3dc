"""The members area's charts load plotly.js's cartesian partial bundle (bar,
box and scatter are all they draw), not the full 4.8 MB plotly.min.js, and
production serves it compressed."""

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import officer_of

BUNDLE = "vendor/plotly/plotly-cartesian.min.js"
# What a first visit transfers for the charts: the bundle itself, and gzipped.
MAX_BYTES = 1_700_000
MAX_GZIP_BYTES = 600_000


def chart_scripts(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]*plotly[^"]*)"', html)


def test_ranking_and_trend_pages_load_only_the_partial_bundle(club, client):
    client.force_login(officer_of(club[0]))
    code = club.indicators[0].code
    for url in (
        reverse("benchmarking:ranking", args=[code]) + "?periodo=2025",
        reverse("benchmarking:trend", args=[code]) + f"?comuni={club[0].slug}",
    ):
        html = client.get(url).content.decode()
        assert chart_scripts(html) == [settings.STATIC_URL + BUNDLE], url


def test_partial_bundle_is_small_and_draws_the_chart_types_used():
    path = finders.find(BUNDLE)
    assert path, "run `make install`: the bundle comes from the npm package plotly.js-cartesian-dist-min"
    content = Path(path).read_bytes()
    assert len(content) < MAX_BYTES
    assert len(gzip.compress(content, compresslevel=9)) < MAX_GZIP_BYTES
    # The trace types benchmarking/comparisons/charts.py builds are registered in it.
    for trace in (b'"bar"', b'"box"', b'"scatter"'):
        assert trace in content, trace


def test_full_plotly_bundle_is_not_served():
    assert finders.find("vendor/plotly/plotly.min.js") is None


def test_production_serves_static_files_compressed():
    """Read the settings as production does (DEBUG off): WhiteNoise's storage
    writes a gzip copy of each file at collectstatic and serves it."""
    env = {
        **os.environ, "DEBUG": "false", "SECRET_KEY": "test",
        "DATABASE_URL": "postgres://nobody@localhost/none",
    }
    code = "import qclub.settings as s; print(s.STORAGES['staticfiles']['BACKEND'])"
    backend = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
