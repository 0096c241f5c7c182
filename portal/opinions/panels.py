from django.db.models import Exists, OuterRef

from portal import authority
from portal.authority import Power

from .models import Issuer, Opinion, OpinionState, SignOff, SignOffDecision


def opinions_context(request):
    user = request.user
    earlier_pending = SignOff.objects.filter(
        opinion=OuterRef("opinion"), decision=SignOffDecision.PENDING, position__lt=OuterRef("position")
    )
    to_sign = (
        SignOff.objects.filter(user=user, decision=SignOffDecision.PENDING, opinion__state=OpinionState.IN_REVIEW)
        .exclude(Exists(earlier_pending))
        .select_related("opinion__issuer")
    )
    drafts = Opinion.objects.filter(
        issuer__in=Issuer.objects.filter(authority.owner_q(user, Power.MANAGE)),
        state__in=[OpinionState.DRAFT, OpinionState.APPROVED],
    ).select_related("issuer")
    return {"to_sign": [entry.opinion for entry in to_sign[:10]], "drafts": list(drafts[:10])}
