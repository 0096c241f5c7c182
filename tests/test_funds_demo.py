"""The fund's demo data (funds/demo*.py): after ``seed_demo`` every fund role has real work, and a second seeding
adds nothing. The demo is seeded once, in one test (seeding is the slow part); each fact is checked by a helper."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from funds import permissions
from funds.demo_companies import FUND_SLUG
from funds.models import (
    AgendaItem,
    CommitteeMeeting,
    Company,
    Deal,
    DealDocument,
    DealSource,
    DealStage,
    Decision,
    Disbursement,
    DocumentKind,
    EvaluationState,
    Exit,
    Fund,
    KpiReport,
    KpiState,
    LpType,
    MeetingState,
    Milestone,
    PaidIn,
    PerformanceEvaluation,
    PerformanceImport,
    StageChange,
    Valuation,
)
from funds.rubrics import NAME as RUBRIC_NAME
from funds.statuses import FinancingStatus
from portal.applications import services as applications
from portal.applications.models import Application, ApplicationState, SupplementRequest
from portal.demo import DEMO_PASSWORD
from portal.history.models import Event
from portal.notifications.models import Notification
from portal.opinions.models import Opinion, OpinionState, SignOffDecision
from portal.organizations.demo import seed_organization_claims
from portal.organizations.validators import validate_uscc
from portal.reviews import permissions as review_permissions
from portal.reviews.models import Assignment, AssignmentState, ReviewRound, RoundState, Scorecard
from tests import seeded_demo

pytestmark = [pytest.mark.django_db, pytest.mark.demo_reader]
seeded = seeded_demo.seeded  # seed_demo once for this module (a copy of the suite's, on SQLite)

AT_COMMITTEE_OR_BEYOND = (
    DealStage.COMMITTEE,
    DealStage.SIGNING,
    DealStage.DISBURSEMENT,
    DealStage.PORTFOLIO,
    DealStage.EXITED,
    DealStage.WRITTEN_OFF,
)


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    models = (
        Company, Deal, StageChange, DealDocument, ReviewRound, Scorecard, Opinion, CommitteeMeeting, AgendaItem,
        Disbursement, Valuation, KpiReport, Exit, Milestone, PaidIn, Application, SupplementRequest,
    )  # fmt: skip
    return {model.__name__: model.objects.count() for model in models} | {"users": get_user_model().objects.count()}


def users():
    return {user.username: user for user in get_user_model().objects.all()}


def check_fund(fund, people):
    assert fund.target_size == Decimal("5000000000") and fund.vintage == 2021
    assert set(fund.managers.values_list("username", flat=True)) == {"fundmgr", "fundmgr2"}
    assert permissions.manages_fund(people["fundmgr"], fund) and permissions.manages_fund(people["fundmgr2"], fund)
    assert fund.manager.name.endswith("基金管理有限公司")
    assert fund.tranches.count() == 3 and sum(t.amount for t in fund.tranches.all()) == fund.target_size
    assert fund.rubric.name == RUBRIC_NAME
    required = dict(fund.checklist.items.values_list("code", "required"))
    assert required == {"business-plan": True, "financial-statements": True, "ip-certificates": False}
    by_type = {lp_type: Decimal(0) for lp_type in LpType.values}
    for commitment in fund.commitments.all():
        by_type[commitment.lp_type] += commitment.committed
        assert commitment.payments.exists()
    assert all(by_type.values()) and sum(by_type.values()) == fund.target_size
    assert by_type[LpType.GOVERNMENT] / fund.target_size == Decimal("0.3")
    committee = fund.committee
    assert committee.chair == people["ic_chair"]
    assert set(committee.members.values_list("username", flat=True)) == {
        "ic_chair", "ic_member1", "ic_member2", "ic_member3", "ic_member4",
    }  # fmt: skip
    assert (committee.majority, committee.base) == ("two_thirds", "electorate")
    assert (committee.quorum_numerator, committee.quorum_denominator) == (2, 3)
    assert committee.issuer.number_prefix == "坪生医基投决"
    # The IC people have no role: the fund's rows give them their power.
    assert not people["ic_chair"].groups.exists() and permissions.sits_on_committee(people["ic_member2"], fund)


def check_companies(fund):
    # A team the talent base refers (talent/demo_services.py) has no biomedicine profile until the fund screens it.
    companies = (
        Company.objects.filter(deals__fund=fund)
        .exclude(deals__source=DealSource.TALENT)
        .distinct()
        .select_related("organization")
    )
    assert companies.count() >= 40
    assert len({company.subsector for company in companies}) >= 7
    for company in companies:
        validate_uscc(company.organization.uscc)
        assert company.lead_asset and company.indication and company.development_stage
    assert Milestone.objects.filter(company__in=companies, reference__startswith="CXHL").exists()
    assert companies.filter(device_class="III").exists() and companies.filter(production_in_pingshan_on__isnull=False)


def check_deals(fund):
    deals = list(Deal.objects.filter(fund=fund).select_related("company__organization"))
    assert len(deals) >= 60
    assert {deal.stage for deal in deals} == set(DealStage.values)
    assert {deal.source for deal in deals} == set(DealSource.values)
    assert {deal.owner.username for deal in deals if deal.owner} == {"fundmgr", "fundmgr2"}
    now = timezone.now()
    order = [DealStage.SOURCED, DealStage.SCREENING, DealStage.APPROVED, DealStage.DUE_DILIGENCE, DealStage.COMMITTEE]
    for deal in deals:
        changes = list(deal.stage_changes.order_by("at", "pk"))
        if deal.stage != DealStage.SOURCED:
            assert changes and changes[-1].to_stage == deal.stage, deal
        assert all(change.note and change.at <= now for change in changes), deal
        assert all(a.to_stage == b.from_stage for a, b in zip(changes, changes[1:], strict=False)), deal
        forward = [order.index(c.to_stage) for c in changes if c.to_stage in order and c.from_stage in order]
        assert forward == sorted(forward), deal
        assert deal.created_at <= (changes[0].at if changes else now)
    # The fund's stream dates each deal's lines like its history: nothing of an exited deal happened today.
    exited = [deal for deal in deals if deal.stage == DealStage.EXITED]
    lines = Event.objects.filter(subject_type__model="deal", subject_id__in=[str(deal.pk) for deal in exited])
    assert lines.exists() and not lines.filter(created_at__date=timezone.localdate()).exists()
    # Some are stuck: in one open stage for longer than the fund allows.
    stuck = [d for d in deals if not d.is_ended and d.days_in_stage(now) > fund.stuck_after_days]
    assert len(stuck) >= 3
    for deal in deals:
        decided = deal.agenda_items.exclude(decision=Decision.PENDING).exists()
        if deal.stage in AT_COMMITTEE_OR_BEYOND or decided:
            assert deal.documents.filter(kind=DocumentKind.DD_REPORT).exists(), deal
            closed = deal.closed_review_rounds()
            assert closed.exists(), deal
            assert Scorecard.objects.filter(assignment__round__in=closed, submitted_at__isnull=False).count() >= 3


def check_rounds(fund, people):
    rounds = ReviewRound.objects.filter(owner_id=str(fund.pk), owner_type__model="fund")
    assert rounds.filter(state=RoundState.CLOSED, result_dispersed=True).count() == 1
    recused = Assignment.objects.filter(round__in=rounds, state=AssignmentState.RECUSED)
    assert recused.count() == 1 and recused.get().round.state == RoundState.CLOSED
    # evaluator1 has accepted (no conflict) in an open round on a deal in due diligence and may open its material.
    mine = Assignment.objects.get(
        round__in=rounds, round__state=RoundState.OPEN, expert__user=people["evaluator1"], state=AssignmentState.CLEARED
    )
    deal = Deal.objects.get(pk=mine.round.object_id)
    assert deal.stage == DealStage.DUE_DILIGENCE
    assert mine.round.material.filter(kind="file").exists() and mine.round.material.filter(kind="section").exists()
    assert review_permissions.can_see_material(people["evaluator1"], mine)
    # One open round is past its deadline with an expert who has not answered: an overdue evaluation.
    assert rounds.filter(state=RoundState.OPEN, deadline__lt=timezone.now(), assignments__state="invited").exists()
    return mine


def check_committee(fund, people):
    meetings = CommitteeMeeting.objects.filter(committee__fund=fund)
    closed = meetings.filter(state=MeetingState.CLOSED)
    assert closed.count() == 2
    items = AgendaItem.objects.filter(meeting__in=closed)
    assert {item.decision for item in items} == {Decision.APPROVED, Decision.DECLINED}
    for item in items:
        opinion = item.opinion
        assert opinion.state == OpinionState.ISSUED and opinion.number.startswith("坪生医基投决〔")
        assert opinion.pdf and opinion.verification_code and opinion.sha256
        assert opinion.sign_offs.get().user == people["ic_chair"]
        assert opinion.sign_offs.get().decision == SignOffDecision.APPROVED
        assert item.poll.closed_at.date() == timezone.localtime(item.meeting.starts_at).date()
    assert AgendaItem.objects.filter(meeting__in=closed, recused__isnull=False).count() == 1
    upcoming = meetings.get(state=MeetingState.SCHEDULED)
    assert upcoming.starts_at > timezone.now() and upcoming.items.count() == 2


def check_portfolio(fund, people):
    deals = Deal.objects.filter(fund=fund)
    assert Disbursement.objects.filter(deal__in=deals, paid_on__isnull=False).exists()
    assert Disbursement.objects.filter(deal__in=deals, paid_on__isnull=True).exists()
    assert Valuation.objects.filter(deal__in=deals).values("valued_on").distinct().count() >= 3
    kinds = set(Exit.objects.filter(deal__in=deals).values_list("kind", flat=True))
    assert kinds == {"ipo", "trade_sale", "buyback", "liquidation"}
    assert KpiReport.objects.filter(deal__in=deals, state=KpiState.SUBMITTED).count() >= 2
    due = KpiReport.objects.get(deal__in=deals, state=KpiState.REQUESTED)
    assert due.deal.stage == DealStage.PORTFOLIO and due.due_on > timezone.localdate()
    assert permissions.can_submit_kpi_report(people["firm2"], due) and permissions.shows_kpi_panel(people["firm2"])
    # A valuation is a multiple of the money paid in by its date: a tranche paid later is not counted twice.
    at_cost = Valuation.objects.get(
        deal__in=deals, deal__company__organization__name__contains="海昕", valued_on="2026-06-30"
    )
    paid = Disbursement.objects.filter(deal=at_cost.deal, paid_on__lte=at_cost.valued_on)
    assert at_cost.value == sum(paid.values_list("paid_amount", flat=True))
    # The written-off company never got its second tranche after the write-down.
    written_down = Valuation.objects.get(deal__in=deals, method="write_down", valued_on="2026-06-30")
    assert not Disbursement.objects.filter(deal=written_down.deal, paid_on__gt=written_down.valued_on).exists()


def check_applications(fund, people):
    firm1 = Application.objects.filter(applicant=people["firm1"], owner_id=str(fund.pk))
    sent = firm1.get(state=ApplicationState.SUBMITTED)
    assert sent.status == FinancingStatus.UNDER_REVIEW and sent.deal.stage == DealStage.DUE_DILIGENCE
    assert firm1.filter(state=ApplicationState.DRAFT).count() == 1
    timeline = applications.timeline(sent)
    assert timeline[0].created_at < sent.submitted_at <= sent.deal.stage_changes.earliest("at").at
    firm2 = Application.objects.get(applicant=people["firm2"], owner_id=str(fund.pk))
    request = firm2.supplement_requests.get(state="open")
    assert request.deadline == timezone.localdate() + datetime.timedelta(days=7)
    assert firm2.status == FinancingStatus.SUPPLEMENT_REQUESTED


def check_news(people):
    """The services' notifications about the backdated history are read; what asks for work now is not."""
    unread = Notification.objects.filter(read_at__isnull=True)
    assert unread.filter(recipient=people["fundmgr"]).count() < 15
    assert unread.filter(recipient=people["firm2"]).count() >= 2  # the request for supplement, the KPI report due
    assert unread.filter(recipient=people["ic_member1"]).exists()  # the coming meeting


def check_pages(client, people, assignment):
    client.force_login(people["fundmgr"])
    assert "2026年第三次投资决策委员会会议" in client.get(reverse("workspace:dashboard")).content.decode()
    assert client.get(reverse("funds:pipeline", kwargs={"fund": FUND_SLUG})).status_code == 200
    client.force_login(people["evaluator1"])
    assert assignment.round.title in client.get(reverse("reviews:list")).content.decode()
    # lp1 acts for the district finance bureau, an LP: its dashboard lists the two approved evaluation reports,
    # which it may open; the running year's draft stays closed to it.
    client.force_login(people["lp1"])
    dashboard = client.get(reverse("workspace:dashboard")).content.decode()
    assert "data-lp-reports" in dashboard and dashboard.count('data-grade="') == 2
    approved = PerformanceEvaluation.objects.filter(indicator_set__fund__slug=FUND_SLUG, state=EvaluationState.APPROVED)
    assert approved.count() == 2
    for evaluation in approved:
        assert client.get(evaluation.get_absolute_url()).status_code == 200
    draft = PerformanceEvaluation.objects.get(indicator_set__fund__slug=FUND_SLUG, state=EvaluationState.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    # fundmgr's quarter valuations wait in an import preview, every row to be added.
    data_import = PerformanceImport.objects.get(fund__slug=FUND_SLUG, uploaded_by=people["fundmgr"])
    assert data_import.applied_at is None and data_import.preview["counts"]["create"] == 4
    assert data_import.preview["counts"]["refuse"] == 0


def test_seed_demo_gives_every_fund_role_work_and_a_second_seeding_adds_nothing(client, seeded):
    output = seeded
    first = counts()
    assert seed() and counts() == first
    assert "fund deals:" in output and "fund applications:" in output
    people = users()
    fund = Fund.objects.get(slug=FUND_SLUG)
    check_fund(fund, people)
    check_companies(fund)
    check_deals(fund)
    assignment = check_rounds(fund, people)
    check_committee(fund, people)
    check_portfolio(fund, people)
    check_applications(fund, people)
    check_news(people)
    check_pages(client, people, assignment)
    assert all(people[name].check_password(DEMO_PASSWORD) for name in ("fundmgr2", "ic_chair", "ic_member4"))
    listed = io.StringIO()
    call_command("demo_accounts", stdout=listed)
    lines = {line.split()[0]: line for line in listed.getvalue().splitlines() if line.startswith("  ")}
    assert {"fundmgr2", "ic_chair", "ic_member1", "ic_member4"} <= set(lines)
    assert "superuser" not in lines["ic_chair"] and "superuser" in lines["admin"]


def test_claim_officers_get_their_permission_when_the_database_lacks_it():
    """A database whose permission rows were not made (post_migrate did not run for it) used to stop seed_demo with
    Permission.DoesNotExist in seed_organization_claims; the step now makes the permission first."""
    Permission.objects.filter(codename="review_organizationclaim").delete()
    officer, _ = get_user_model().objects.get_or_create(username="fundmgr")  # the module's demo may have made them
    seed_organization_claims(lambda message: None)
    assert officer.has_perm("organizations.review_organizationclaim")
