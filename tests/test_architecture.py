"""Dependencies point one way: domains (councils, funds, talent) -> themes -> portal."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = {"councils", "funds", "talent"}


def imported_top_level_packages(package):
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update((alias.name.split(".")[0], path) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((node.module.split(".")[0], path))
    return found


def offenders(package, forbidden):
    return sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for name, path in imported_top_level_packages(package)
        if name in forbidden
    )


def test_portal_imports_no_theme_or_domain_code():
    assert offenders("portal", DOMAINS | {"themes"}) == []


def test_themes_imports_no_domain_code():
    assert offenders("themes", DOMAINS) == []


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_domains_do_not_import_each_other(domain):
    assert offenders(domain, DOMAINS - {domain}) == []


def test_no_view_filters_by_group_name():
    """Roles are checked by stable code; group names are display text."""
    pattern_hits = []
    for package in ["portal", "themes", *DOMAINS]:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for needle in ("groups__name", "groups.filter(name", "group.name =="):
                if needle in text:
                    pattern_hits.append(f"{path.relative_to(ROOT)}: {needle}")
    assert pattern_hits == []
