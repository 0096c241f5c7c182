"""Organizations for the scale data (``portal.scale``): made in bulk statements, with valid credit codes under a
prefix of their own (``91440310`` + the caller's two letters: a second run finds them), searchable like saved ones
and linked to the accounts that act for them."""

from wagtail.search.backends import get_search_backends

from portal.scale import BATCH

from .models import Organization, OrganizationContactRole, OrganizationKind, OrganizationUser
from .validators import USCC_ALPHABET, uscc_check_character

REGION = "91440310"  # an enterprise (91) registered in Shenzhen's Pingshan district (440310)


def scale_uscc(series: str, n: int) -> str:
    """The ``n``-th code of ``series`` (two letters of the credit-code alphabet), with its check character."""
    body = ""
    for _ in range(7):
        n, digit = divmod(n, len(USCC_ALPHABET))
        body = USCC_ALPHABET[digit] + body
    first17 = REGION + series + body
    return first17 + uscc_check_character(first17)


def scaled(series: str):
    """The organizations a scale step of ``series`` made."""
    return Organization.objects.filter(uscc__startswith=REGION + series)


def make_organizations(context, *, series: str, names, kind=OrganizationKind.ENTERPRISE) -> list:
    """One organization per ``(name, name_en)``, a share of them registered in Pingshan; indexed for search the
    way the save signal would, in one batch per backend (a bulk insert sends no signal)."""
    organizations = [
        Organization(
            name=name,
            name_en=name_en,
            uscc=scale_uscc(series, n),
            kind=kind,
            registered_in_pingshan=context.rng.random() < 0.4,
        )
        for n, (name, name_en) in enumerate(names, start=1)
    ]
    Organization.objects.bulk_create(organizations, batch_size=BATCH)
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(Organization, organizations)
    return organizations


def link_contacts(pairs) -> None:
    """``(organization, user)`` pairs: the user is the organization's contact person."""
    OrganizationUser.objects.bulk_create(
        (
            OrganizationUser(organization=organization, user=user, role=OrganizationContactRole.CONTACT)
            for organization, user in pairs
        ),
        batch_size=BATCH,
    )
