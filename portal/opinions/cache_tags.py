"""The page cache's tag of a body's issued public opinions, as public pages list them (a council's section lists its
own and its committees'): purged when one is issued, revoked or made public or not, or its issuer renamed."""

from django.contrib.contenttypes.models import ContentType

from portal.pagecache.watch import watch

from .models import Issuer, Opinion, OpinionState


def issued_by(owner) -> str:
    """The public opinions of the issuer ``owner`` (a council, a committee …) owns."""
    return _tag(ContentType.objects.get_for_model(owner).pk, owner.pk)


def _tag(owner_type_id, owner_id) -> str:
    return f"opinions:{owner_type_id}:{owner_id}"


def _of_issuer(issuer):
    return (_tag(issuer.owner_type_id, issuer.owner_id),) if issuer.owner_id else ()


def _of_opinion(opinion):
    # Drafts and non-public opinions are on no public page: editing them purges nothing.
    if opinion.state != OpinionState.ISSUED or not opinion.is_public:
        return ()
    return _of_issuer(opinion.issuer)


def connect() -> None:
    watch(Opinion, _of_opinion)  # read before each save: issued → revoked leaves the list
    watch(Issuer, _of_issuer)
