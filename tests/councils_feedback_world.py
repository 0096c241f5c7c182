"""What the policy feedback tests share: the test world's members and managers, and helpers that create, open and
answer campaigns through the services."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry

from councils import services as council_services
from councils.models import (
    Committee,
    Council,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    PolicyFeedback,
    QuestionKind,
)
from councils.services import feedback as services
from portal.history.models import Event
from portal.opinions.models import Issuer, Opinion
from tests.councils_world import build_world, row_counts
from tests.factories import OrganizationFactory, UserFactory


def zh(message):
    """A message as the Chinese pages show it."""
    with translation.override("zh-hans"):
        return gettext(message)


MEMBERS = {
    "plenary": {"council_member", "plenary_only", "chair", "observer"},
    "a": {"council_member", "external"},
}
MANAGERS = {"secretary", "superuser"}
FUTURE = timezone.localdate() + datetime.timedelta(days=14)
RATING_Q, TEXT_Q = "政策兑现是否及时？", "贵单位享受了哪些扶持？"


def user(world, who):
    return world["users"][who]


def new_campaign(world, key="plenary", *, title="生物医药产业扶持政策评议", questions=None, opened=False, **extra):
    if questions is None:
        questions = [(RATING_Q, QuestionKind.RATING, True), (TEXT_Q, QuestionKind.TEXT, False)]
    fields = {
        "policy_name": "坪山区促进生物医药产业发展若干措施",
        "issuing_department": "坪山区工业和信息化局",
        "policy_summary": "对新药研发给予资助。",
        "policy_link": "https://www.szpsq.gov.cn/policy/123.html",
        "closes_on": FUTURE,
        **extra,
    }
    campaign = services.create_campaign(
        actor=user(world, "secretary"), workspace=world["workspaces"][key], title=title, questions=questions, **fields
    )
    if opened:
        campaign = services.open_campaign(actor=user(world, "secretary"), campaign=campaign)
    return campaign


def question(campaign, kind):
    return campaign.questions.get(kind=kind)


def answer(world, who, campaign, rating=4, *, problems="", suggestions="", answers=None):
    if answers is None:
        answers = {question(campaign, QuestionKind.RATING).pk: 4}
    return services.submit_response(
        actor=user(world, who),
        campaign=campaign,
        effect_rating=rating,
        problems=problems,
        suggestions=suggestions,
        answers=answers,
    )


def owned_issuer(workspace, prefix="坪生医共治", signer=None):
    """An issuer the workspace owns: the council's secretariat edits for it (councils.authority). A committee's
    opinions are signed by its chair: ``signer`` when given, else (the test world's committees have none) its
    newest member — in committee A the external member, who takes no part in the feedback rules."""
    model = Committee if isinstance(workspace, Committee) else Council
    if isinstance(workspace, Committee) and (signer is not None or workspace.chair_id is None):
        workspace.chair = signer or workspace.memberships.order_by("-pk").first().user
        workspace.save(update_fields=["chair"])
    return Issuer.objects.create(
        name=f"{workspace.name}（{prefix}）",
        number_prefix=prefix,
        owner_type=ContentType.objects.get_for_model(model),
        owner_id=str(workspace.pk),
    )


def rows():
    return row_counts(PolicyFeedback, FeedbackQuestion, FeedbackResponse, FeedbackAnswer, ModelLogEntry, Event, Opinion)


def add_plenary_members(world, count):
    secretary, added = user(world, "secretary"), []
    for _index in range(count):
        person = UserFactory()
        council_services.add_membership(
            actor=secretary, council=world["council"], organization=OrganizationFactory(), representative=person
        )
        added.append(person)
    return added


@pytest.fixture
def english_messages():
    """Service messages checked in their English source (pages render in Chinese: see zh())."""
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    return build_world()
