"""A kind of application registered only in tests, its owner world and helpers: reusable by the funds and talent
tests that build on ``portal.applications``.

The owner is an Organization registered as an authority owner (tests/owners.py): ``officer`` holds MANAGE over
``owner``, ``other_officer`` over ``other_owner``. ``applicant_a`` and ``applicant_b`` are applicants, each linked to
their own firm. The kind has three steps — a form (``company``), a formset of team members (``team``) and a plain
text step (``plan``) — and a checklist with two required documents and one optional.
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone

from portal.accounts.roles import RoleCode
from portal.applications import kinds, services
from portal.applications.kinds import Kind, Step
from portal.applications.models import Checklist, ChecklistItem
from portal.organizations.models import Organization, OrganizationContactRole, OrganizationUser
from tests.factories import OrganizationFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 32


class GrantStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    SUPPLEMENT_REQUESTED = "supplement_requested", "待补正"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "补正逾期"
    UNDER_REVIEW = "under_review", "评审中"
    APPROVED = "approved", "已通过"
    NOT_APPROVED = "not_approved", "未通过"


class CompanyForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=100)
    founded = forms.DateField(label="成立日期")
    amount = forms.DecimalField(label="申请金额（万元）", min_value=0, decimal_places=2)
    stage = forms.ChoiceField(label="阶段", choices=[("preclinical", "临床前"), ("phase1", "I期")])


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    role = forms.CharField(label="职务", max_length=50)


TeamFormSet = forms.formset_factory(MemberForm, extra=1, can_delete=True, min_num=1, validate_min=True)


class PlanForm(forms.Form):
    plan = forms.CharField(label="落地计划", widget=forms.Textarea)


COMPANY = {"name": "坪山新药研发项目", "founded": "2020-05-01", "amount": "1200.50", "stage": "phase1"}
TEAM = [{"name": "张三", "role": "首席执行官"}, {"name": "李四", "role": "首席科学官"}]
PLAN = {"plan": "在坪山设立研发中心。"}
ANSWERS = {"company": COMPANY, "team": TEAM, "plan": PLAN}


@dataclass
class Hooks:
    """What the kind's hooks were called with, and which owners are closed."""

    calls: list = field(default_factory=list)
    closed: set = field(default_factory=set)
    checklist: object = None


def make_kind(hooks: Hooks) -> Kind:
    return Kind(
        code="tests.grant",
        slug="grant",
        title="测试资助申请",
        owner_model=Organization,
        steps=(
            Step("company", "项目信息", CompanyForm),
            Step("team", "团队成员", TeamFormSet),
            Step("plan", "落地计划", PlanForm),
        ),
        statuses=GrantStatus,
        reference_prefix="ZZ",
        checklist=lambda owner: hooks.checklist,
        is_open=lambda owner: owner.pk not in hooks.closed,
        open_owners=lambda: Organization.objects.filter(name__startswith="测试资助方").exclude(pk__in=hooks.closed),
        on_submit=lambda application, actor: hooks.calls.append(("submit", application.pk, actor.pk)),
        on_resubmit=lambda application, actor: hooks.calls.append(("resubmit", application.pk, actor.pk)),
        on_withdraw=lambda application, actor: hooks.calls.append(("withdraw", application.pk, actor.pk)),
        on_expire=lambda application: hooks.calls.append(("expire", application.pk)),
        officer_url=lambda application: f"/officer/{application.pk}/",
        title_from=lambda answers: answers.get("company", {}).get("name", ""),
    )


def make_checklist():
    checklist = Checklist.objects.create(name="测试申请材料", name_en="Test documents")
    for order, (code, name, required) in enumerate(
        [("plan", "商业计划书", True), ("finance", "财务报表", True), ("ip", "知识产权证书", False)]
    ):
        ChecklistItem.objects.create(
            checklist=checklist, code=code, name=name, name_en=code.title(), required=required, sort_order=order
        )
    return checklist


def applicant(username, firm_name):
    user = UserFactory(username=username, roles=[RoleCode.APPLICANT])
    firm = OrganizationFactory(name=firm_name)
    OrganizationUser.objects.create(organization=firm, user=user, role=OrganizationContactRole.CONTACT)
    return user, firm


def build_grant_world(grants, hooks=None):
    """The owners, officers and applicants; ``grants`` is the owner_grants fixture (or an OwnerGrants)."""
    hooks = hooks or Hooks()
    hooks.checklist = make_checklist()
    kind = kinds.register(make_kind(hooks))
    owner = OrganizationFactory(name="测试资助方甲")
    other_owner = OrganizationFactory(name="测试资助方乙")
    officer = UserFactory(username="grant_officer", roles=[RoleCode.FUND_MANAGER])
    other_officer = UserFactory(username="grant_other_officer", roles=[RoleCode.FUND_MANAGER])
    grants.grant(officer, owner)
    grants.grant(other_officer, other_owner)
    applicant_a, firm_a = applicant("grant_applicant_a", "申请企业甲有限公司")
    applicant_b, firm_b = applicant("grant_applicant_b", "申请企业乙有限公司")
    items = {item.code: item for item in hooks.checklist.items.all()}
    return SimpleNamespace(
        kind=kind,
        hooks=hooks,
        owner=owner,
        other_owner=other_owner,
        officer=officer,
        other_officer=other_officer,
        applicant_a=applicant_a,
        firm_a=firm_a,
        applicant_b=applicant_b,
        firm_b=firm_b,
        items=items,
    )


@pytest.fixture(name="grant")
def grant_fixture(owner_grants):
    """The grant world for one test (import ``grant_fixture`` into a test module to use ``grant``)."""
    world = build_grant_world(owner_grants)
    yield world
    kinds.unregister(world.kind.code)


def upload(name="计划书.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def filled_draft(world, user=None, organization=None, owner=None, *, files=("plan", "finance")):
    """A draft with every step saved and the named checklist documents uploaded."""
    user = user or world.applicant_a
    application = services.start(
        actor=user, kind=world.kind, owner=owner or world.owner, organization=organization or world.firm_a
    )
    for code, data in ANSWERS.items():
        application = services.save_step(actor=user, application=application, step=code, data=data)
    for code in files:
        services.add_attachment(
            actor=user, application=application, item=world.items[code], upload=upload(f"{code}.pdf")
        )
    return application


def submitted(world, **options):
    application = filled_draft(world, **options)
    return services.submit(actor=application.applicant, application=application)


def with_request(world, application=None, *, days=3, items=("plan",), sections=("plan",)):
    """A submitted application with an open request for supplement (deadline ``days`` from today)."""
    application = application or submitted(world)
    services.request_supplement(
        actor=world.officer,
        application=application,
        message="请补充最新的商业计划书。",
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        items=[world.items[code] for code in items],
        sections=list(sections),
    )
    application.refresh_from_db()
    return application
