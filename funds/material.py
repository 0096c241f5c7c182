"""What a review round on a deal may expose to its evaluators (``portal.reviews.material``), registered in
``FundsConfig.ready()``.

The candidates, in this order: the deal summary (company profile and round, a section shown on a page), the
sections and attachments of the financing application the deal came from (``application_material``), and every
document of the deal room, folder by folder. The reviews engine checks the evaluator and audits each read; this
module only lists and hands over. Keys: ``deal:summary``, ``document:<pk>``, ``application:…``.
"""

from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.applications import kinds as application_kinds
from portal.applications.answers import summarize
from portal.applications.models import Submission
from portal.files.downloads import private_response
from portal.reviews.material import Item
from portal.reviews.models import MaterialKind

from .models import DealDocument

SUMMARY = "deal:summary"
DOCUMENT = "document:"
APPLICATION_SECTION = "application:section:"
APPLICATION_FILE = "application:file:"


def deal_material(deal) -> list[Item]:
    summary = Item(
        key=SUMMARY,
        label="项目概要（企业概况与本轮融资）",
        label_en="Deal summary (company profile and round)",
        kind=MaterialKind.SECTION,
        group="项目",
        group_en="Deal",
    )
    return [summary, *application_material(deal), *document_material(deal)]


def _latest_submission(deal):
    """What the applicant last sent (a supplement makes a new submission), or None."""
    if deal.application_id is None:
        return None
    return Submission.objects.filter(application_id=deal.application_id).order_by("-number").first()


def _in_both(text) -> tuple[str, str]:
    with translation.override("zh-hans"):
        chinese = str(text)
    with translation.override("en"):
        return chinese, str(text)


def application_material(deal) -> list[Item]:
    """The financing application's sections and attachments as last submitted (the frozen submission, never the
    applicant's later draft): one SECTION per answered step, one FILE per submitted attachment."""
    submission = _latest_submission(deal)
    if submission is None:
        return []
    kind = application_kinds.get(deal.application.kind)
    group, group_en = _in_both(_("Financing application"))
    items = []
    for step in kind.steps if kind else ():
        if submission.answers.get(step.code) in (None, [], {}):
            continue
        # The evaluator's list shows labels without their group: say whose section it is.
        title, title_en = _in_both(step.title)
        label, label_en = f"{group}：{title}", f"{group_en}: {title_en}"
        items.append(
            Item(
                key=f"{APPLICATION_SECTION}{step.code}",
                label=label,
                label_en=label_en,
                kind=MaterialKind.SECTION,
                group=group,
                group_en=group_en,
            )
        )
    for attachment in submission.attachments.select_related("item").order_by("uploaded_at", "pk"):
        required = attachment.item
        items.append(
            Item(
                key=f"{APPLICATION_FILE}{attachment.pk}",
                label=attachment.original_name,
                kind=MaterialKind.FILE,
                group=group,
                group_en=group_en,
                detail=" · ".join(filter(None, [str(required) if required else "", filesizeformat(attachment.size)])),
                obj=attachment,
            )
        )
    return items


def document_material(deal) -> list[Item]:
    documents = (
        DealDocument.objects.filter(deal=deal)
        .select_related("folder")
        .order_by("folder__order", "folder__pk", "-uploaded_at", "-pk")
    )
    return [
        Item(
            key=f"{DOCUMENT}{document.pk}",
            label=document.title,
            kind=MaterialKind.FILE,
            group=document.folder.name,
            group_en=document.folder.name_en,
            detail=f"{document.get_kind_display()} · {filesizeformat(document.size)}",
            obj=document,
        )
        for document in documents
    ]


def serve_deal_material(request, deal, item):
    """Hand over an exposed deal-room document; the engine has checked the reader and audits the read."""
    # A deal-room document or a submitted application attachment: both keep their file and its original name.
    stored = item.obj
    return private_response(stored.file, name=stored.original_name, content_type=stored.content_type)


def render_deal_section(request, deal, item):
    """The deal summary (the company's biomedicine profile and the round, without anything internal to the fund: no
    stage, no notes, no owner), or one step of the application as submitted."""
    if item.key.startswith(APPLICATION_SECTION):
        step = application_kinds.get(deal.application.kind).step(item.key.removeprefix(APPLICATION_SECTION))
        answers = _latest_submission(deal).answers.get(step.code)
        context = {"summaries": [summarize(step, answers)], "prefix": step.code, "edit_links": False}
        return render_to_string("applications/_summary.html", context, request=request)
    return render_to_string("funds/room/_summary.html", {"deal": deal, "company": deal.company}, request=request)
