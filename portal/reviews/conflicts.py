"""Suggested conflicts of interest: what the system notices about an expert and a subject organization.

These are suggestions shown to the expert (before they declare) and to staff (before they assign). Rules:

1. the expert's affiliation is the subject organization;
2. the affiliation's unified social credit code (from the organization or as the expert wrote it) is the
   subject organization's;
3. an affiliation name is similar to the subject organization's name: both names are normalised (full-width
   characters folded, punctuation, place names such as 深圳/坪山 and company forms such as 有限公司/Co., Ltd.
   removed) and compared with ``rapidfuzz.fuzz.token_set_ratio``; ``NAME_SIMILARITY_THRESHOLD`` or more is a
   match — 深圳坪山康源生物医药有限公司 and 康源生物医药（深圳）有限公司 both become 康源生物医药. Names that
   both carry numbers, and different ones (某某科技1, 某某科技2), are never similar;
4. a relationship the expert declared in the pool with that organization (by link or similar name);
5. the expert's user account acts for that organization (contact person, legal representative).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

NAME_SIMILARITY_THRESHOLD = 85

# Removed before comparing names: they say where or what legal form a company is, not which company it is.
_CHINESE_NOISE = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "公司",
    "中华人民共和国",
    "中国",
    "广东省",
    "广东",
    "深圳市",
    "深圳",
    "坪山区",
    "坪山",
)
_LATIN_NOISE = {
    "co",
    "company",
    "corp",
    "corporation",
    "inc",
    "ltd",
    "limited",
    "llc",
    "group",
    "the",
    "china",
    "guangdong",
    "shenzhen",
    "pingshan",
}
_SEPARATORS = re.compile(r"[^\w]+")
_NUMBERS = re.compile(r"\d+")


def normalize_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    for word in _CHINESE_NOISE:
        text = text.replace(word, " ")
    tokens = [token for token in _SEPARATORS.split(text) if token and token not in _LATIN_NOISE]
    return " ".join(tokens)


def name_similarity(first: str, second: str) -> float:
    """0–100: how alike two organization names are once place names and company forms are removed."""
    a, b = normalize_name(first), normalize_name(second)
    if len(a) < 2 or len(b) < 2:
        return 0.0
    numbers_a, numbers_b = set(_NUMBERS.findall(a)), set(_NUMBERS.findall(b))
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return 0.0  # 某某科技1 and 某某科技2 are two companies, however alike the rest is
    return fuzz.token_set_ratio(a, b)


def names_match(names, organization) -> bool:
    targets = [name for name in (organization.name, organization.name_en) if name]
    return any(name_similarity(name, target) >= NAME_SIMILARITY_THRESHOLD for name in names for target in targets)


@dataclass(frozen=True)
class SuggestedConflict:
    code: str  # same_organization, same_uscc, similar_name, declared_relationship, acts_for_organization
    message: str


def suggest_conflicts(expert, organization, *, name_affiliation: bool = True) -> list[SuggestedConflict]:
    """Potential conflicts between an expert and the organization under review (none when it is unknown).

    Uses expert.affiliation, expert.declared_relationships.all() and the user's organization links; prefetch
    them when calling this for many experts. ``name_affiliation=False`` leaves the affiliation's name out of the
    messages: shown to a reviewer of a round that hides the applicant, a name similar to the applicant's would
    give it away.
    """
    if organization is None:
        return []
    found = []
    affiliation = expert.affiliation if expert.affiliation_id else None
    if affiliation is not None and affiliation.pk == organization.pk:
        found.append(SuggestedConflict("same_organization", _("The expert works for the organization under review.")))
    else:
        codes = {code for code in (expert.affiliation_uscc, affiliation.uscc if affiliation else "") if code}
        if organization.uscc and organization.uscc in codes:
            found.append(
                SuggestedConflict(
                    "same_uscc",
                    _("The expert's affiliation has the unified social credit code of the organization under review."),
                )
            )
        elif names_match(expert.affiliation_names(), organization):
            if name_affiliation:
                message = _(
                    "The expert's affiliation (%(name)s) has a name similar to the organization under review."
                ) % {"name": expert.affiliation_display}
            else:
                message = _("The expert's affiliation has a name similar to the organization under review.")
            found.append(SuggestedConflict("similar_name", message))
    for relationship in expert.declared_relationships.all():
        if relationship.organization_id == organization.pk or (
            not relationship.organization_id and names_match([relationship.organization_name], organization)
        ):
            found.append(
                SuggestedConflict(
                    "declared_relationship",
                    _("The expert declared a relationship with this organization: %(kind)s.")
                    % {"kind": relationship.get_kind_display()},
                )
            )
    if expert.user_id and any(link.organization_id == organization.pk for link in expert.user.organization_links.all()):
        found.append(
            SuggestedConflict(
                "acts_for_organization", _("The expert's account acts for the organization under review.")
            )
        )
    return found
