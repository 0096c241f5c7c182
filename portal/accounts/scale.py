"""People for the scale data (``portal.scale``): accounts made in bulk statements, with a role, sharing the demo's
password (hashed once) so that whoever measures a list can log in as one of them."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from portal.demo import DEMO_PASSWORD
from portal.scale import BATCH, MARK

from .roles import group_for


@cache
def _password() -> str:
    # Hashed once per process: a hash costs ~0.4 s on purpose, and every scaled account shares the demo's.
    return make_password(DEMO_PASSWORD)


def make_people(context, *, kind: str, count: int, role=None, english_share: float = 0.0) -> list:
    """``count`` accounts ``scale-<kind>-00001`` …, a share of them English speakers with English names."""
    User = get_user_model()
    password = _password()
    people = []
    for n in range(1, count + 1):
        english = context.rng.random() < english_share
        username = f"{MARK}-{kind}-{n:05d}"
        people.append(
            User(
                username=username,
                email=f"{username}@scale.pingshan-portal.cn",
                real_name=context.english_name() if english else context.chinese_name(),
                preferred_language="en" if english else "zh-hans",
                password=password,
                date_joined=context.moment(years=5),
            )
        )
    User.objects.bulk_create(people, batch_size=BATCH)
    if role is not None:
        group = group_for(role)
        Membership = User.groups.through
        Membership.objects.bulk_create(
            (Membership(user_id=person.pk, group_id=group.pk) for person in people), batch_size=BATCH
        )
    return people
