"""What a review round on a deal may expose to its evaluators (``portal.reviews.material``), registered in
``FundsConfig.ready()``.

The candidates, in this order: the deal summary (company profile and round, a section shown on a page), the
sections and attachments of the financing application the deal came from (``application_material``), and every
document of the deal room, folder by folder. The reviews engine checks the evaluator and audits each read; this
module only lists and hands over. Keys: ``deal:summary``, ``document:<pk>``, ``application:…``.
"""

from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string

from portal.applications import material as applications_material
from portal.files.downloads import private_response
from portal.reviews.material import Item
from portal.reviews.models import MaterialKind

from .models import DealDocument

SUMMARY = "deal:summary"
DOCUMENT = "document:"


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


def application_material(deal) -> list[Item]:
    """The financing application's sections and attachments as last submitted (portal.applications.material)."""
    return applications_material.application_material(deal.application) if deal.application_id else []


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
    if applications_material.is_section(item):
        return applications_material.render_section(request, deal.application, item)
    return render_to_string("funds/room/_summary.html", {"deal": deal, "company": deal.company}, request=request)
