"""What the review services share: stored links, whom to notify."""

from django.urls import reverse
from django.utils import translation

from portal import authority
from portal.authority import Power


def stored_link(name, pk):
    with translation.override(None):  # the default language: no /en/ prefix in stored links
        return reverse(f"reviews:{name}", args=[pk])


def round_managers(review_round):
    return list(authority.holders(review_round.owner, Power.MANAGE))


def assignee_users(assignments):
    return [a.expert.user for a in assignments if a.expert.user_id]
