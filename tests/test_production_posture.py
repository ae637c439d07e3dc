"""Issue #9, item 9: the production posture. The confinement check runs in every
entry point whatever DEBUG says; DEBUG is off unless asked for; the proxy
header is trusted only behind a declared proxy; every response carries a
Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval' and a
Permissions-Policy. (The CSP in a real browser: tests/test_csp_browser.py.)"""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from qclub import dbroles

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def unconfined_role(monkeypatch):
    """The database answers as if the runtime role could bypass row-level security."""
    monkeypatch.setattr(dbroles, "runtime_role_problems", lambda connection: ["the runtime database role has BYPASSRLS"])


@pytest.mark.parametrize("module", ["qclub.wsgi", "qclub.asgi"])
@pytest.mark.parametrize("debug", [True, False])
def test_the_web_entry_points_refuse_an_unconfined_role(db, unconfined_role, module, debug):
    with override_settings(DEBUG=debug), pytest.raises(ImproperlyConfigured, match="BYPASSRLS"):
        sys.modules.pop(module, None)
        importlib.import_module(module)
    sys.modules.pop(module, None)


def test_the_job_worker_refuses_an_unconfined_role(db, unconfined_role):
    with pytest.raises(ImproperlyConfigured, match="BYPASSRLS"):
        call_command("procrastinate", "worker", "--wait")  # refused before it starts


def test_the_web_entry_points_start_with_the_confined_runtime_role(db):
    for module in ("qclub.wsgi", "qclub.asgi"):
        sys.modules.pop(module, None)
        assert importlib.import_module(module).application is not None
        sys.modules.pop(module, None)


def _settings_under(env: dict[str, str]) -> dict:
    """The settings a fresh process reads from `env` (no .env file, a dummy
    DATABASE_URL: reading settings opens no connection)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'DEBUG': settings.DEBUG, 'proxy': settings.SECURE_PROXY_SSL_HEADER, "
        "'redirect': settings.SECURE_SSL_REDIRECT}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "BEHIND_TLS_PROXY", "SECURE_SSL_REDIRECT"}}
    base.update({
        "DJANGO_SETTINGS_MODULE": "qclub.settings", "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "SECRET_KEY": "x" * 50, **env,
    })
    output = subprocess.run(  # noqa: S603 (our own fixed command line)
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


@pytest.mark.skipif((ROOT / ".env").exists(), reason="a local .env file sets the environment")
def test_debug_is_off_and_the_proxy_header_untrusted_unless_configured():
    assert _settings_under({}) == {"DEBUG": False, "proxy": None, "redirect": True}
    assert _settings_under({"BEHIND_TLS_PROXY": "true"})["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert _settings_under({"DEBUG": "true"})["DEBUG"] is True


def test_make_and_the_test_settings_turn_debug_on():
    assert "export DEBUG ?= true" in (ROOT / "Makefile").read_text()
    assert 'os.environ.setdefault("DEBUG", "true")' in (ROOT / "qclub" / "test_settings.py").read_text()


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=None)
def test_a_client_sent_forwarded_proto_does_not_skip_the_https_redirect(client, db):
    response = client.get("/dati-aperti/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_a_declared_proxy_its_header_is_trusted(client, db):
    assert client.get("/dati-aperti/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


@pytest.mark.parametrize("path", ["/", "/dati-aperti/", "/accounts/login/", "/healthz", "/api/v1/open-data/datasets/"])
def test_every_response_carries_a_strict_csp_and_a_permissions_policy(client, db, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"].split() == ["'self'", settings.PLOTLY_MAPLIBRE_STYLE_HASH]
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
