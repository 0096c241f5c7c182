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
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.opinions import permissions as opinion_permissions
from portal.opinions import services as opinion_services
from portal.opinions.models import Issuer, Opinion, OpinionKind, OpinionState
from portal.opinions.services import detail_url
from portal.reviews import permissions as review_permissions
from portal.reviews import services as review_services
from portal.reviews.models import RoundState
from portal.reviews.scoring import AggregationMethod, quantize

from .. import activity, permissions
from ..models import ActivityVerb, Committee, Council
from .seats import default_signatories

# Audit-log actions of this module; the engine logs every action on the opinions themselves.
ACTIONS = {
    "councils.set_up_issuer": (_("Set up opinion issuer"), _("Opinion issuer set up")),
    "councils.draft_review_opinion": (_("Draft opinion from review"), _("Opinion drafted from review")),
}
PREFIX_MAX = Issuer._meta.get_field("number_prefix").max_length
NAME_MAX = Issuer._meta.get_field("name").max_length


def _owner_filter(workspaces, prefix=""):
    """A Q matching issuers owned by any of these councils or committees."""
    query = Q(pk__in=[])
    for model in (Council, Committee):
        ids = [str(workspace.pk) for workspace in workspaces if isinstance(workspace, model)]
        if ids:
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
    name, number_prefix = (name or "").strip(), (number_prefix or "").strip()
    errors = {}
    if issuer_for(workspace) is not None:
        errors["name"] = _("This workspace already issues opinions.")
    if not name:
        errors["name"] = _("Give the issuer's name as it heads the opinions.")
    elif len(name) > NAME_MAX or Issuer.objects.filter(name=name).exists():
        errors["name"] = _("Another issuer has this name, or it is too long.")
    if not number_prefix:
        errors["number_prefix"] = _("Give the document-number prefix, for example 坪生医共治.")
    elif len(number_prefix) > PREFIX_MAX or any(char in number_prefix for char in "〔〕 "):
        errors["number_prefix"] = _("The prefix is at most %(max)s characters, without spaces or 〔〕.") % {
            "max": PREFIX_MAX
        }
    elif Issuer.objects.filter(number_prefix=number_prefix).exists():
        errors["number_prefix"] = _("Another issuer already numbers its opinions with this prefix.")
    if errors:
        raise ValidationError(errors)
    council = workspace.council if isinstance(workspace, Committee) else workspace
    issuer = Issuer.objects.create(
        name=name,
        number_prefix=number_prefix,
        addressee_default=(addressee_default or council.leading_bureau.name).strip()[:120],
        signatory_lines=name,
        owner_type=ContentType.objects.get_for_model(type(workspace)),
        owner_id=str(workspace.pk),
    )
    log(
        instance=issuer,
        action="councils.set_up_issuer",
        user=actor,
        data={"workspace": str(workspace), "number_prefix": number_prefix},
    )
    return issuer


def reviews_to_draft_from(user):
    """Closed review rounds the user manages, newest first: what a workspace's opinion can be drafted from."""
    return review_permissions.managed_rounds(user).filter(state=RoundState.CLOSED).order_by("-pk")


def review_opinion_body(review_round, result) -> str:
    """Sanitizable HTML for the draft: the panel's aggregate, each criterion's mean and the experts' comments
    (numbered, not named: the opinion may be published)."""
    aggregate = result.aggregate
    criteria = list(review_round.rubric.criteria.order_by("sort_order", "pk"))
    by_criterion = {criterion.pk: [] for criterion in criteria}
    for row in result.rows:
        for score in row.scorecard.scores.all():
            by_criterion.setdefault(score.criterion_id, []).append(score.value)
    parts = [
        "<p>"
        + escape(gettext("The committee commissioned an expert review: %(title)s.") % {"title": review_round.title})
        + "</p>",
        "<h2>" + escape(gettext("Result of the review")) + "</h2>",
        "<p>"
        + escape(
            gettext(
                "%(count)s experts scored; %(method)s of their totals: %(value)s (lowest %(min)s, highest %(max)s)."
            )
            % {
                "count": aggregate.count,
                "method": AggregationMethod(aggregate.method).label,
                "value": aggregate.value,
                "min": aggregate.min,
                "max": aggregate.max,
            }
        )
        + "</p>",
        "<ul>",
    ]
    for criterion in criteria:
        values = by_criterion.get(criterion.pk) or []
        mean = quantize(sum(values, Decimal(0)) / len(values)) if values else None
        parts.append(
            "<li>"
            + escape(
                gettext("%(criterion)s: mean %(mean)s") % {"criterion": criterion.name, "mean": mean if values else "—"}
            )
            + "</li>"
        )
    parts.append("</ul>")
    comments = [row.scorecard.comment.strip() for row in result.rows if row.scorecard.comment.strip()]
    if comments:
        parts.append("<h2>" + escape(gettext("The experts' comments")) + "</h2>")
        for number, comment in enumerate(comments, start=1):
            parts.append(
                "<p>"
                + escape(gettext("Expert %(number)s: %(comment)s") % {"number": number, "comment": comment})
                + "</p>"
            )
    parts.append("<h2>" + escape(gettext("Opinion")) + "</h2>")
    parts.append("<p>" + escape(gettext("(The committee's conclusion.)")) + "</p>")
    return "".join(parts)


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
    url = opinion_services.detail_url(opinion)
    log(
        instance=opinion,
        action="councils.draft_review_opinion",
        user=actor,
        data={"round": review_round.pk, "workspace": str(workspace)},
    )
    activity.record(actor=actor, workspace=workspace, verb=ActivityVerb.DRAFTED_OPINION, summary=opinion.title, url=url)
    return opinion


def record_issued(sender, opinion, actor=None, **kwargs):
    """Receiver of portal.opinions.signals.opinion_issued: a line in the owning workspace's activity stream."""
    owner = opinion.issuer.owner
    if not isinstance(owner, Council | Committee):
        return
    activity.record(
        actor=actor,
        workspace=owner,
        verb=ActivityVerb.ISSUED_OPINION,
        summary=f"{opinion.number} {opinion.title}",
        url=detail_url(opinion),
    )


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
