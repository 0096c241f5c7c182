"""Opinions of councils and committees, issued through portal.opinions.

A council or committee issues opinions as an ``Issuer`` whose generic ``owner`` is that council or committee
(staff set issuers up in the admin; the demo does it for the three councils and their committees). Drafting,
sign-off or a vote, numbering, the signed PDF and verification all stay in the engine; this module finds a
workspace's issuer and its opinions, and writes the workspace's activity line when one is issued.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.history.record import Line, record, write_line
from portal.opinions import permissions as opinion_permissions
from portal.opinions import services as opinion_services
from portal.opinions.models import Issuer, Opinion, OpinionKind, OpinionState
from portal.opinions.services import detail_url
from portal.reviews import permissions as review_permissions
from portal.reviews import services as review_services
from portal.reviews.models import RoundState
from portal.reviews.scoring import AggregationMethod, quantize
from portal.text import max_length

from .. import permissions
from ..models import ActivityVerb
from ..workspace import Workspace
from .common import checked_text
from .seats import default_signatories

# Audit-log actions of this module; the engine logs every action on the opinions themselves.
ACTIONS = {
    "councils.set_up_issuer": (_("Set up opinion issuer"), _("Opinion issuer set up")),
    "councils.draft_review_opinion": (_("Draft opinion from review"), _("Opinion drafted from review")),
}


def _owner_filter(workspaces, prefix=""):
    """A Q matching issuers owned by any of these workspaces (councils, committees or Workspace values)."""
    bodies = [Workspace.of(workspace).body for workspace in workspaces]
    query = Q(pk__in=[])
    for model in {type(body) for body in bodies}:
        ids = [str(body.pk) for body in bodies if type(body) is model]
        content_type = ContentType.objects.get_for_model(model)
        query |= Q(**{f"{prefix}owner_type": content_type, f"{prefix}owner_id__in": ids})
    return query


def issuer_for(workspace):
    """The Issuer the workspace issues opinions as, or None when staff have not set one up."""
    return Issuer.objects.filter(_owner_filter([workspace])).order_by("pk").first()


def workspace_opinions(workspace):
    """The opinions of the workspace's issuer, newest first (one query)."""
    return Opinion.objects.filter(_owner_filter([workspace], prefix="issuer__")).select_related("issuer")


def public_opinions(council, limit=20):
    """Issued public opinions of the council and of its committees, for the public council page."""
    workspaces = [council, *council.committees.all()]
    return list(
        Opinion.objects.filter(_owner_filter(workspaces, prefix="issuer__"), state=OpinionState.ISSUED, is_public=True)
        .select_related("issuer")
        .order_by("-issued_at", "-pk")[:limit]
    )


@transaction.atomic
def set_up_issuer(*, actor, workspace, name, number_prefix, addressee_default=""):
    """Let a council or committee issue opinions: an Issuer it owns. Its secretariat edits the opinions and its
    chair and vice-chairs sign them off (``councils.authority``).

    The prefix is the part of the document number before 〔year〕 (坪生医共治 → 坪生医共治〔2026〕1号); it can never be
    shared, since numbers are counted per issuer.
    """
    if not permissions.can_set_up_issuer(actor, workspace):
        raise PermissionDenied
    errors = {}
    if issuer_for(workspace) is not None:
        errors["name"] = _("This workspace already issues opinions.")
    text = checked_text(
        Issuer,
        {"name": name, "number_prefix": number_prefix},
        errors,
        required={
            "name": _("Give the issuer's name as it heads the opinions."),
            "number_prefix": _("Give the document-number prefix, for example 坪生医共治."),
        },
    )
    name, number_prefix = text["name"], text["number_prefix"]
    if "name" not in errors and Issuer.objects.filter(name=name).exists():
        errors["name"] = _("Another issuer has this name.")
    if "number_prefix" not in errors:
        if any(char in number_prefix for char in "〔〕 "):
            errors["number_prefix"] = _("The prefix may not contain spaces or 〔〕.")
        elif Issuer.objects.filter(number_prefix=number_prefix).exists():
            errors["number_prefix"] = _("Another issuer already numbers its opinions with this prefix.")
    if errors:
        raise ValidationError(errors)
    place = Workspace.of(workspace)
    addressee = (addressee_default or place.council.leading_bureau.name).strip()
    issuer = Issuer.objects.create(
        name=name,
        number_prefix=number_prefix,
        addressee_default=addressee[: max_length(Issuer, "addressee_default")],
        signatory_lines=name,
        owner_type=ContentType.objects.get_for_model(type(place.body)),
        owner_id=str(place.body.pk),
    )
    record(
        "councils.set_up_issuer",
        actor=actor,
        instance=issuer,
        data={"workspace": str(workspace), "number_prefix": number_prefix},
    )
    return issuer


def reviews_to_draft_from(user):
    """Closed review rounds the user manages, newest first: what a workspace's opinion can be drafted from."""
    return review_permissions.managed_rounds(user).filter(state=RoundState.CLOSED).order_by("-pk")


def review_opinion_body(review_round, result) -> str:
    """Sanitizable HTML for the draft: the panel's aggregate, each criterion's mean and the experts' comments
    (numbered, not named: the opinion may be published)."""
    criteria = list(review_round.rubric.criteria.order_by("sort_order", "pk"))
    by_criterion = {criterion.pk: [] for criterion in criteria}
    for row in result.rows:
        for score in row.scorecard.scores.all():
            by_criterion.setdefault(score.criterion_id, []).append(score.value)
    means = []
    for criterion in criteria:
        values = by_criterion.get(criterion.pk) or []
        means.append((criterion, quantize(sum(values, Decimal(0)) / len(values)) if values else None))
    context = {
        "review_round": review_round,
        "aggregate": result.aggregate,
        "method": AggregationMethod(result.aggregate.method).label,
        "criteria": means,
        "comments": [row.scorecard.comment.strip() for row in result.rows if row.scorecard.comment.strip()],
    }
    return render_to_string("councils/opinions/review_body.html", context).strip()


@transaction.atomic
def draft_opinion_from_review(*, actor, workspace, review_round):
    """A draft opinion of the workspace's issuer built on a closed expert review round's results. It is then
    edited, signed off and issued in the opinions workspace like any other."""
    issuer = issuer_for(workspace)
    if not permissions.can_open_workspace(actor, workspace):
        raise PermissionDenied
    if issuer is None:
        raise ValidationError(
            _("This workspace has no opinion issuer yet. Ask the portal staff to set one up."), code="no_issuer"
        )
    if not opinion_permissions.can_create(actor, issuer) or not review_permissions.can_manage_round(
        actor, review_round
    ):
        raise PermissionDenied
    if review_round.state != RoundState.CLOSED:
        raise ValidationError(_("Draft the opinion once the review round has closed."), code="open")
    result = review_services.round_result(review_round)
    if not result.aggregate.count:
        raise ValidationError(_("No expert's scorecard was counted in this round."), code="empty")
    # The opinion is an official text of the council: written in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Evaluation opinion on %(title)s") % {"title": review_round.title}
        body = review_opinion_body(review_round, result)
    opinion = opinion_services.create_opinion(
        actor=actor,
        issuer=issuer,
        title=title[: opinion_services.TITLE_MAX],
        body=body,
        kind=OpinionKind.EVALUATION,
        subject=review_round.subject,
        signatories=default_signatories(workspace, actor),
    )
    record(
        "councils.draft_review_opinion",
        actor=actor,
        instance=opinion,
        data={"round": review_round.pk, "workspace": str(workspace)},
        line=Line(Workspace.of(workspace).body, ActivityVerb.DRAFTED_OPINION, opinion.title, detail_url(opinion)),
    )
    return opinion


def record_issued(sender, opinion, actor=None, **kwargs):
    """Receiver of portal.opinions.signals.opinion_issued: a line in the owning workspace's activity stream."""
    try:
        place = Workspace.of(opinion.issuer.owner)
    except TypeError:  # an issuer another domain owns
        return
    # The engine audits the issue itself; the workspace's stream gets its line.
    line = Line(place.body, ActivityVerb.ISSUED_OPINION, f"{opinion.number} {opinion.title}", detail_url(opinion))
    write_line(actor=actor, line=line, subject=opinion)


__all__ = [
    "ACTIONS",
    "OpinionState",
    "issuer_for",
    "public_opinions",
    "draft_opinion_from_review",
    "record_issued",
    "reviews_to_draft_from",
    "set_up_issuer",
    "workspace_opinions",
]
