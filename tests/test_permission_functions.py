"""Every permission function answers with a plain bool, never something that is merely truthy.

A (bool, reason) tuple is always truthy and has leaked access in other systems; this runs every
public function of every permissions.py against a few users and objects and checks the type.
"""

import importlib
import inspect
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.accounts.roles import RoleCode
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for path in ROOT.glob("**/permissions.py")
    if ".venv" not in path.parts
)


PREDICATE_PREFIXES = ("can_", "is_", "shows_", "has_", "may_")


def predicates(module):
    """The yes/no checks of a permissions module (helpers that return querysets are left out)."""
    return [
        (name, function)
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and name.startswith(PREDICATE_PREFIXES)
    ]


@pytest.mark.parametrize("module_name", MODULES)
def test_every_check_is_declared_to_return_bool(module_name):
    module = importlib.import_module(module_name)
    checks = predicates(module)
    assert checks, f"{module_name} has no checks"
    undeclared = [
        name for name, function in checks if inspect.signature(function).return_annotation not in (bool, "bool")
    ]
    assert undeclared == []


def test_there_are_permission_modules():
    assert {"portal.opinions.permissions", "portal.reviews.permissions", "portal.voting.permissions"} <= set(MODULES)


@pytest.mark.django_db
@pytest.mark.parametrize("module_name", MODULES)
def test_user_only_checks_return_plain_bools(module_name):
    module = importlib.import_module(module_name)
    users = [AnonymousUser(), UserFactory(), UserFactory(roles=[RoleCode.SECRETARIAT]), UserFactory(is_superuser=True)]
    checked = 0
    for name, function in predicates(module):
        parameters = list(inspect.signature(function).parameters)
        if parameters != ["user"]:
            continue  # object-level checks are exercised, with their objects, in each app's tests
        for user in users:
            answer = function(user)
            assert type(answer) is bool, f"{module_name}.{name} returned {answer!r}"
        checked += 1
    assert checked > 0, f"{module_name} has no check that takes only a user"
