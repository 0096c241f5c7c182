"""The world the fund's permission matrix asks about, and the request each funds URL pattern is probed with.

Built on tests/funds_world.py: the fund ``biomed-fund`` holds every object (a deal in due diligence with a deal-room
document and a review round, a deal before the investment committee on a scheduled meeting, a portfolio deal with a
KPI report requested from its company); ``other-fund`` gives a manager who manages somewhere else.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from funds.models import (
    AgendaItem,
    CommitteeMeeting,
    DealDocument,
    DealImport,
    DealStage,
    Disbursement,
    DocumentKind,
    KpiReport,
    PerformanceEvaluation,
    PerformanceImport,
    SavedFilter,
)
from funds.services import performance
from portal.accounts.roles import RoleCode
from portal.reviews import material
from portal.reviews import services as reviews
from portal.reviews.models import ConflictKind
from portal.reviews.services import material as reviews_material
from portal.reviews.testing import cleared_assignment, make_expert, make_rubric
from tests import funds_performance_world as perf
from tests.factories import UserFactory
from tests.funds_world import FundWorld, make_company, make_deal

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Probe:
    """How to call one URL pattern: its kwargs (or a literal path), the POST body for a permitted user, whether
    it is an htmx partial; ``query`` is appended to GETs."""

    kwargs: dict = field(default_factory=dict)
    data: object = None
    htmx: bool = False
    path: str | None = None
    query: str = ""

    def body(self):
        data = self.data() if callable(self.data) else self.data
        return data or {}


def _document(deal, uploader, kind=DocumentKind.DD_REPORT, title="尽职调查报告"):
    folder = deal.folders.order_by("order").last()
    document = DealDocument(
        deal=deal,
        folder=folder,
        kind=kind,
        title=title,
        original_name="report.pdf",
        size=len(PDF),
        content_type="application/pdf",
        sha256="0" * 64,
        uploaded_by=uploader,
    )
    document.file.save("report.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def build():
    w = FundWorld.build()
    w.evaluator = UserFactory(username="fm_evaluator", roles=[RoleCode.EVALUATOR])
    w.evaluator_assigned = UserFactory(username="fm_evaluator_assigned", roles=[RoleCode.EVALUATOR])
    w.evaluator_recused = UserFactory(username="fm_evaluator_recused", roles=[RoleCode.EVALUATOR])
    make_expert(w.evaluator)

    # A deal in due diligence: a DD report in its room, an open review round with one cleared and one recused expert.
    w.deal = make_deal(w, company=w.company, stage=DealStage.DUE_DILIGENCE, owner=w.manager)
    w.document = _document(w.deal, w.manager)
    w.round = reviews.create_round(
        actor=w.manager,
        owner=w.fund,
        subject=w.deal,
        rubric=make_rubric(),
        deadline=timezone.now() + datetime.timedelta(days=7),
        min_scores=1,
        title="矩阵评审",
    )
    w.round = reviews.open_round(actor=w.manager, review_round=w.round)
    w.assignment = cleared_assignment(w.manager, w.round, make_expert(w.evaluator_assigned))
    recused = reviews.assign_expert(actor=w.manager, review_round=w.round, expert=make_expert(w.evaluator_recused))
    reviews.accept_assignment(actor=w.evaluator_recused, assignment=recused)
    reviews.declare_conflict(
        actor=w.evaluator_recused,
        assignment=recused,
        has_conflict=True,
        kind=ConflictKind.EQUITY,
        text="持有该企业股份",
    )
    w.recused_assignment = recused

    # A deal before the investment committee, on a scheduled meeting's agenda.
    w.committee_deal = make_deal(w, stage=DealStage.COMMITTEE, owner=w.manager)
    w.meeting = CommitteeMeeting.objects.create(
        committee=w.committee,
        title="第一次投决会",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        created_by=w.manager,
    )
    w.agenda_item = AgendaItem.objects.create(meeting=w.meeting, deal=w.committee_deal, order=1)

    # A portfolio deal of the firm's company, with a KPI report requested from the firm.
    w.portfolio_deal = make_deal(w, company=make_company(contact=w.firm), stage=DealStage.PORTFOLIO)
    w.kpi = KpiReport.objects.create(
        deal=w.portfolio_deal,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        due_on=timezone.localdate() + datetime.timedelta(days=14),
        requested_by=w.manager,
    )
    w.disbursement = Disbursement.objects.create(
        deal=w.portfolio_deal, number=1, planned_on=timezone.localdate(), planned_amount=Decimal("10000000")
    )
    w.saved_filter = SavedFilter.objects.create(fund=w.fund, user=w.manager, name="临床阶段", query="stage=screening")
    w.deal_import = DealImport.objects.create(
        fund=w.fund, uploaded_by=w.manager, original_name="deals.csv", sha256="0" * 64, preview={"rows": []}
    )
    w.data_import = PerformanceImport.objects.create(
        fund=w.fund,
        uploaded_by=w.manager,
        original_name="data.xlsx",
        sha256="0" * 64,
        preview={"rows": [], "counts": {}},
        applied_at=timezone.now(),
    )
    # The round exposes the DD report (and not the deal summary) to its cleared evaluators.
    document_key = next(item.key for item in material.candidates(w.deal) if item.is_file)
    w.material = reviews_material.expose_material(actor=w.manager, review_round=w.round, keys=[document_key])[0]
    w.other_deal = make_deal(w.other_fund, stage=DealStage.SCREENING, amount=str(Decimal("1000000")))
    _evaluation(w)
    w.users = {
        "anonymous": None,
        "outsider": w.outsider,
        "firm": w.firm,
        "evaluator": w.evaluator,
        "evaluator_assigned": w.evaluator_assigned,
        "evaluator_recused": w.evaluator_recused,
        "ic_member": w.ic_member,
        "lp": w.lp,
        "role_only": w.role_only,
        "other_manager": w.other_manager,
        "manager": w.manager,
        "superuser": w.superuser,
    }
    return w


def _evaluation(w):
    """The history of tests/funds_performance_world.py, its 2024 evaluation computed and approved, with a panel
    round on which the cleared evaluator sits; an LP's contact."""
    from portal.organizations.models import OrganizationContactRole, OrganizationUser

    perf.build_history(w)
    w.lp = UserFactory(username="fm_lp")
    OrganizationUser.objects.create(organization=w.social.investor, user=w.lp, role=OrganizationContactRole.CONTACT)
    w.indicator_set = performance.set_indicators(
        actor=w.manager, fund=w.fund, year=perf.YEAR, name="2024年度指标", indicators=perf.INDICATORS
    )
    evaluation = performance.start_evaluation(actor=w.manager, indicator_set=w.indicator_set, as_of=perf.AS_OF)
    panel = reviews.create_round(
        actor=w.manager,
        owner=w.fund,
        subject=evaluation,
        rubric=make_rubric(),
        deadline=timezone.now() + datetime.timedelta(days=7),
        min_scores=1,
        title="绩效评价专家组",
    )
    panel = reviews.open_round(actor=w.manager, review_round=panel)
    cleared_assignment(w.manager, panel, w.assignment.expert)
    PerformanceEvaluation.objects.filter(pk=evaluation.pk).update(review_round=panel)
    evaluation.refresh_from_db()
    evaluation = performance.compute_evaluation(actor=w.manager, evaluation=evaluation)
    performance.write_recommendations(actor=w.manager, evaluation=evaluation, recommendations="保持规模。")
    w.evaluation = performance.approve_evaluation(actor=w.ic_chair, evaluation=evaluation)
    # The next year's set, still a draft: its page may change it.
    w.draft_set = performance.set_indicators(
        actor=w.manager, fund=w.fund, year=perf.YEAR + 1, name="2025年度指标", indicators=perf.INDICATORS
    )


def _indicator_set_body(**header):
    """A valid indicator set as its page posts it: the five lines of tests/funds_performance_world.py."""
    body = {
        "name": "矩阵指标体系",
        "leverage_basis": "committed",
        "reinvestment_rule": "registered",
        "landing_months": "12",
        "bonus_cap": "10",
        "lines-TOTAL_FORMS": str(len(perf.INDICATORS)),
        "lines-INITIAL_FORMS": "0",
        **header,
    }
    for index, line in enumerate(perf.INDICATORS):
        for name, value in {"rule": "linear", **line}.items():
            text = "\n".join(f"{threshold} = {share}" for threshold, share in value) if name == "bands" else value
            body[f"lines-{index}-{name}"] = text
    return body


def probes(w):
    """{URL name: Probe}. POSTs carry an empty body: the matrix is about who is refused (404, login) and that a
    refusal changes nothing; what a valid POST writes is each part's own view tests' business."""
    fund = w.fund.slug

    def on(pk, **extra):
        return {"fund": fund, "pk": pk, **extra}

    return {
        "funds:index": Probe(),
        "funds:pipeline": Probe({"fund": fund}),
        "funds:deal_list": Probe({"fund": fund}, query="?stage=due_diligence"),
        "funds:deal_new": Probe({"fund": fund}),
        "funds:saved_filter_save": Probe({"fund": fund}),
        "funds:saved_filter_delete": Probe({"fund": fund, "pk": w.saved_filter.pk}),
        "funds:deal": Probe(on(w.deal.pk)),
        "funds:deal_edit": Probe(on(w.deal.pk)),
        "funds:deal_move": Probe(on(w.deal.pk, transition="hold")),
        "funds:deal_document": Probe(on(w.deal.pk, document=w.document.pk)),
        "funds:deal_document_upload": Probe(on(w.deal.pk)),
        "funds:deal_folder_create": Probe(on(w.deal.pk)),
        "funds:deal_review_start": Probe(on(w.deal.pk)),
        "funds:deal_export": Probe({"fund": fund}),
        "funds:deal_import": Probe({"fund": fund}),
        "funds:deal_import_template": Probe({"fund": fund}),
        "funds:deal_import_preview": Probe({"fund": fund, "pk": w.deal_import.pk}),
        "funds:deal_import_apply": Probe({"fund": fund, "pk": w.deal_import.pk}),
        "funds:committee": Probe({"fund": fund}),
        "funds:committee_meeting_new": Probe({"fund": fund}),
        "funds:committee_meeting": Probe(on(w.meeting.pk)),
        "funds:committee_meeting_open": Probe(on(w.meeting.pk)),
        "funds:committee_meeting_close": Probe(on(w.meeting.pk)),
        "funds:committee_meeting_cancel": Probe(on(w.meeting.pk)),
        "funds:committee_minutes": Probe(on(w.meeting.pk)),
        "funds:committee_agenda_add": Probe(on(w.meeting.pk)),
        "funds:committee_agenda_remove": Probe(on(w.agenda_item.pk)),
        "funds:committee_declare_conflict": Probe(on(w.agenda_item.pk)),
        "funds:committee_record_recusal": Probe(on(w.agenda_item.pk)),
        "funds:committee_open_vote": Probe(on(w.agenda_item.pk)),
        "funds:committee_decide": Probe(on(w.agenda_item.pk)),
        "funds:committee_opinion": Probe(on(w.agenda_item.pk)),
        "funds:deal_terms": Probe(on(w.portfolio_deal.pk)),
        "funds:disbursement_plan": Probe(on(w.portfolio_deal.pk)),
        "funds:disbursement_paid": Probe(on(w.portfolio_deal.pk, disbursement=w.disbursement.pk)),
        "funds:valuation_add": Probe(on(w.portfolio_deal.pk)),
        "funds:milestone_add": Probe(on(w.portfolio_deal.pk)),
        "funds:deal_exit": Probe(on(w.portfolio_deal.pk)),
        "funds:kpi_request": Probe(on(w.portfolio_deal.pk)),
        "funds:kpi_report": Probe({"pk": w.kpi.pk}),
        "funds:performance": Probe({"fund": fund}),
        "funds:evaluation": Probe({"fund": fund, "year": perf.YEAR}),
        "funds:evaluation_start": Probe({"fund": fund, "year": perf.YEAR}),
        "funds:evaluation_compute": Probe({"fund": fund, "year": perf.YEAR}),
        "funds:evaluation_recommendations": Probe({"fund": fund, "year": perf.YEAR}),
        "funds:evaluation_approve": Probe({"fund": fund, "year": perf.YEAR}),
        "funds:evaluation_panel": Probe({"fund": fund, "year": perf.YEAR}),
        "funds:evaluation_figure": Probe({"fund": fund, "year": perf.YEAR, "key": "gross_tvpi"}),
        "funds:evaluation_workbook": Probe({"fund": fund, "year": perf.YEAR}),
        "funds:evaluation_report": Probe({"fund": fund, "year": perf.YEAR}),
        "funds:evaluation_opinion": Probe({"fund": fund, "year": perf.YEAR}),
        "funds:indicator_set_new": Probe({"fund": fund}, data=_indicator_set_body(year=str(perf.YEAR + 2))),
        "funds:indicator_set_edit": Probe({"fund": fund, "year": perf.YEAR + 1}, data=_indicator_set_body()),
        "funds:performance_import": Probe({"fund": fund}),
        "funds:performance_data_export": Probe({"fund": fund}),
        "funds:performance_import_template": Probe({"fund": fund}),
        "funds:performance_import_preview": Probe({"fund": fund, "pk": w.data_import.pk}),
        "funds:performance_import_apply": Probe({"fund": fund, "pk": w.data_import.pk}),
        "reviews:round_material": Probe({"pk": w.round.pk}),
        "reviews:material": Probe({"pk": w.material.pk}),
    }
