"""Authority over the engines' objects comes from their owner, never from a role (DESIGN.md, Access).

A poll, a review round and an opinion issuer each name an **owner**: the body whose business it is — a
council or one of its committees today, a fund or a talent programme later. The app that defines the owner's
model registers, once, who holds which power over it; the engines ask here and import no domain::

    authority.register(
        Council,
        holders=lambda council, power: ...,   # -> QuerySet of users holding `power` over this council
        held_by=lambda user, power: ...,      # -> QuerySet of councils over which `user` holds `power`
    )

Powers:

* ``MANAGE`` — run the owner's polls and review rounds; draft, submit, issue and revoke its opinions.
* ``SIGN`` — approve the owner's opinions in the ordered sign-off.

An owner whose model nobody registered has no holders: default deny. ``is_staff`` and roles grant nothing
here. Superusers hold ``MANAGE`` over every registered owner so that they can repair what is stuck; they never
hold ``SIGN``, because an approval is one named person's act.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from portal.accounts.roles import is_active_user
from portal.memo import memo


class Power(StrEnum):
    MANAGE = "manage"
    SIGN = "sign"


@dataclass(frozen=True)
class _Registration:
    holders: Callable  # (owner, power) -> QuerySet[User]
    held_by: Callable  # (user, power) -> QuerySet[owner model]


_registry: dict[type[Model], _Registration] = {}


def register(model: type[Model], *, holders: Callable, held_by: Callable) -> None:
    _registry[model] = _Registration(holders=holders, held_by=held_by)


def unregister(model: type[Model]) -> None:
    _registry.pop(model, None)


def _registration(owner) -> _Registration | None:
    if owner is None:
        return None
    for klass in type(owner).__mro__:
        if klass in _registry:
            return _registry[klass]
    return None


def is_registered_owner(owner) -> bool:
    return _registration(owner) is not None


def holders(owner, power: Power) -> QuerySet:
    """Active users who hold ``power`` over ``owner`` (superusers only when they are named there)."""
    registration = _registration(owner)
    User = get_user_model()
    if registration is None or owner.pk is None:
        return User.objects.none()
    return registration.holders(owner, Power(power)).filter(is_active=True).distinct().order_by("pk")


def holder_ids(owner, power: Power) -> frozenset:
    """The ids of ``holders(owner, power)``, asked once per owner instance (the memo lives on the instance)."""
    if owner is None:
        return frozenset()
    return memo(owner, ("authority", power), lambda: frozenset(holders(owner, power).values_list("pk", flat=True)))


def holds(user, owner, power: Power) -> bool:
    """Whether ``user`` holds ``power`` over ``owner``. Always a plain bool."""
    if not is_active_user(user) or _registration(owner) is None or owner.pk is None:
        return False
    if power == Power.MANAGE and user.is_superuser:
        return True
    return user.pk in holder_ids(owner, power)


def owner_q(user, power: Power, type_field: str = "owner_type", id_field: str = "owner_id") -> Q:
    """A filter for objects whose (generic) owner ``user`` holds ``power`` over, e.g.
    ``ReviewRound.objects.filter(owner_q(user, Power.MANAGE))``. Matches nothing for an inactive user.

    One query per registered owner model that the user holds something in; owner ids are compared as text,
    the way the generic owner columns store them.
    """
    if not is_active_user(user):
        return Q(pk__in=[])
    if power == Power.MANAGE and user.is_superuser:
        return Q(**{f"{type_field}__isnull": False})
    query = Q(pk__in=[])
    for model, registration in _registry.items():
        ids = [str(pk) for pk in registration.held_by(user, Power(power)).values_list("pk", flat=True)]
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            query |= Q(**{type_field: content_type, f"{id_field}__in": ids})
    return query
