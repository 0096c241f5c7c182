"""Property tests (hypothesis) over the main services with any input: a scorecard's scores, a ballot's choice, an
application's step and a deal list's cells. Each either does what it is for or refuses with a ValidationError (a
message for the person, never another exception), and a refusal changes nothing. Bounded: a few dozen examples each.
The public forms are fuzzed through HTTP in tests/test_fuzz_public_forms.py."""

import hypothesis
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from funds.models import Deal, DealImport
from funds.services import transfer
from portal.applications import services as applications
from portal.reviews import services as reviews
from portal.reviews.models import Score
from portal.reviews.testing import cleared_assignment, make_expert, open_round
from portal.voting import services as voting
from portal.voting.models import Ballot
from tests import reviews_fixtures
from tests.applications_kind import COMPANY, grant_fixture  # noqa: F401 (the grant fixture)
from tests.factories import OrganizationFactory, UserFactory
from tests.funds_transfer_files import csv, new_row, upload
from tests.funds_world import FundWorld

pytestmark = pytest.mark.django_db

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
# What people type where a number belongs: numbers of every size and sign, and text.
NUMBER_TEXT = st.one_of(
    TEXT,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
FUZZ = hypothesis.settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

owner = reviews_fixtures.owner
manager = reviews_fixtures.manager


@pytest.fixture
def assignment(manager, owner):
    return cleared_assignment(manager, open_round(manager, owner), make_expert(user=UserFactory()))


@FUZZ
@given(scores=st.lists(NUMBER_TEXT, min_size=3, max_size=3))
def test_any_scores_are_kept_as_a_draft_or_refused_and_nothing_is_written(assignment, scores):
    criteria = list(assignment.round.rubric.criteria.all())
    before = sorted(Score.objects.values_list("pk", "value"))
    values = dict(zip((criterion.pk for criterion in criteria), scores, strict=True))
    try:
        reviews.save_scores(actor=assignment.expert.user, assignment=assignment, values=values)
    except ValidationError as refused:
        assert refused.messages  # a message for the expert
        assert sorted(Score.objects.values_list("pk", "value")) == before
    else:
        for criterion, typed in zip(criteria, scores, strict=True):
            stored = Score.objects.filter(scorecard__assignment=assignment, criterion=criterion).first()
            if stored is None:  # a draft may leave a criterion blank
                assert not typed.strip()
            else:
                assert criterion.scale_min <= stored.value <= criterion.scale_max


@pytest.fixture
def open_poll(owner_grants):
    body = OrganizationFactory(name="模糊测试理事会")
    secretariat = UserFactory()
    owner_grants.grant(secretariat, body)
    voters = [UserFactory() for _ in range(2)]
    poll = voting.create_poll(actor=secretariat, subject=OrganizationFactory(), owner=body, title="模糊测试表决")
    voting.open_poll(actor=secretariat, poll=poll, voters=voters, present=voters)
    return poll, voters


@FUZZ
@given(choice=TEXT)
def test_a_ballot_with_any_choice_is_cast_once_or_refused(open_poll, choice):
    poll, voters = open_poll
    before = Ballot.objects.filter(entry__poll=poll).count()
    try:
        voting.cast_ballot(actor=voters[0], poll=poll, choice=choice)
    except ValidationError as refused:
        assert refused.code in ("invalid_choice", "already_cast")
        assert Ballot.objects.filter(entry__poll=poll).count() == before
    else:
        assert choice in ("yes", "no", "abstain") and Ballot.objects.filter(entry__poll=poll).count() == before + 1


@FUZZ
@given(name=TEXT, founded=TEXT, amount=NUMBER_TEXT, stage=TEXT)
def test_an_application_step_with_any_answers_is_saved_valid_or_refused(grant, name, founded, amount, stage):
    draft = applications.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_a)
    applications.save_step(actor=grant.applicant_a, application=draft, step="company", data=COMPANY)
    data = {"name": name, "founded": founded, "amount": amount, "stage": stage}
    try:
        saved = applications.save_step(actor=grant.applicant_a, application=draft, step="company", data=data)
    except ValidationError as refused:
        assert refused.messages
        draft.refresh_from_db()
        assert draft.answers["company"]["amount"] == COMPANY["amount"]  # the saved answers stay as they were
    else:
        assert saved.answers["company"]["name"].strip() and saved.answers["company"]["stage"] == stage


@pytest.fixture
def fund_world():
    return FundWorld.build()


@FUZZ
@given(cells=st.lists(TEXT.filter(lambda text: "\n" not in text and "\r" not in text), min_size=1, max_size=12))
def test_a_deal_list_with_any_cells_is_previewed_or_refused_and_writes_no_deal(fund_world, cells):
    row = new_row()
    row[: len(cells)] = [cell.replace(",", "，") for cell in cells]
    deals = Deal.objects.count()
    try:
        deal_import = transfer.preview_import(
            actor=fund_world.manager, fund=fund_world.fund, upload=upload(csv([row]), "项目清单.csv")
        )
    except ValidationError as refused:
        assert refused.messages
    else:
        assert DealImport.objects.filter(pk=deal_import.pk).exists()
        assert all(
            item["outcome"] in (transfer.CREATE, transfer.UPDATE, transfer.REFUSE)
            for item in deal_import.preview["rows"]
        )
    assert Deal.objects.count() == deals  # a preview writes no deal


def test_a_cell_keeps_no_control_character_that_a_database_would_refuse():
    from portal.spreadsheets import cell_text

    assert cell_text("\x00坪山\x07生物\x1f") == "坪山生物"
    assert cell_text(" 第一行\n第二行\t ") == "第一行\n第二行"
