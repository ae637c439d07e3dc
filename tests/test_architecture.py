"""The shape of the code, checked: the rules import-linter cannot express."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("qclub", "benchmarking", "surveys", "complaints", "servicecharters", "tests", "bench")


def python_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def private_tenancy_names(tree: ast.AST) -> list[str]:
    """Underscore names taken from qclub.tenancy, by import or by attribute."""
    found = []
    tenancy_aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "qclub.tenancy":
            found += [alias.name for alias in node.names if alias.name.startswith("_")]
        elif isinstance(node, ast.ImportFrom) and node.module == "qclub":
            tenancy_aliases |= {a.asname or a.name for a in node.names if a.name == "tenancy"}
        elif isinstance(node, ast.Import):
            tenancy_aliases |= {a.asname or a.name for a in node.names if a.name == "qclub.tenancy"}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and ast.unparse(node.value) in tenancy_aliases | {"qclub.tenancy"}
        ):
            found.append(node.attr)
    return found


def test_only_qclub_tenancy_uses_its_private_names():
    offenders = {
        str(path.relative_to(ROOT)): names
        for path in python_files()
        if path != ROOT / "qclub" / "tenancy.py"
        and (names := private_tenancy_names(ast.parse(path.read_text())))
    }
    # Middleware, API authentication, jobs and commands all enter tenancy through
    # its public API (acting_for, cross_tenant, ...), so its internals can change.
    assert offenders == {}


def test_the_private_name_check_finds_an_import_and_an_attribute():
    code = (
        "from qclub.tenancy import _activated, acting_for\n"
        "from qclub import tenancy\n"
        "tenancy._context.get()\n"
    )
    assert private_tenancy_names(ast.parse(code)) == ["_activated", "_context"]


def test_tests_route_through_the_production_urlconfs():
    # A test URLconf re-mounts routes that production wires differently, so the
    # real routing would go untested.
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files()
        if path.name.startswith("test_") and "pytest.mark.urls(" in path.read_text()
        and path != Path(__file__).resolve()
    ]
    assert offenders == []
