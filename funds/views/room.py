"""Views of the fund: the deal room (folders, uploads, audited downloads) and starting a deal's review round.

The deal page (funds/views/deals.py) draws two blocks from here through the ``deal_blocks`` template tags:
``room_block`` and ``reviews_block`` compute what each shows for the person looking.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.calls import REFUSED, call_in_place, call_with_form, tell
from portal.files.downloads import serve_private
from portal.i18n import localized
from portal.reviews import material as review_material
from portal.reviews import services as reviews
from portal.reviews.models import Assignment, AssignmentState

from .. import permissions
from ..forms.room import DocumentUploadForm, FolderForm
from ..forms.scoring import StartReviewForm
from ..models import DealDocument
from ..services import room, scoring
from .common import deal_for

ROOM_ANCHOR = "#deal-room"
REVIEWS_ANCHOR = "#deal-reviews"


# --- the deal page's blocks -------------------------------------------------------------------------------------


def room_block(request, deal) -> dict:
    """The deal room on the deal page: folders with their documents (size, uploader, date), and for the fund's
    managers the upload and new-folder forms. The deal page is shown only to who may view the deal."""
    user = request.user
    documents = DealDocument.objects.select_related("uploaded_by").order_by("-uploaded_at", "-pk")
    folders = list(deal.folders.prefetch_related(Prefetch("documents", queryset=documents)))
    for folder in folders:
        folder.display_name = localized(folder.name, folder.name_en)
    may_upload = permissions.can_upload_document(user, deal)
    return {
        "deal": deal,
        "fund": deal.fund,
        "folders": folders,
        "empty_folders": [folder for folder in folders if not folder.documents.all()],
        "has_documents": any(folder.documents.all() for folder in folders),
        "may_upload": may_upload,
        "upload_form": DocumentUploadForm(deal=deal) if may_upload else None,
        "folder_form": FolderForm(prefix="folder") if may_upload else None,
    }


def reviews_block(request, deal) -> dict:
    """The deal's review rounds for the fund's managers: state, the aggregate with its dispersion flag, the
    experts' comments (unnamed here; the round's page names them and audits that read), and the way to start one."""
    if not permissions.can_see_deal_reviews(request.user, deal):
        return {"visible": False}
    rounds = list(scoring.deal_rounds(deal))
    counts = {}
    for line in (
        Assignment.objects.filter(round__in=rounds).values("round", "state").annotate(number=Count("pk")).order_by()
    ):
        counts.setdefault(line["round"], {})[line["state"]] = line["number"]
    summaries = []
    for review_round in rounds:
        result = reviews.round_result(review_round)
        by_state = counts.get(review_round.pk, {})
        summaries.append(
            {
                "round": review_round,
                "result": result,
                "assignments": [
                    (label, by_state[state]) for state, label in AssignmentState.choices if by_state.get(state)
                ],
                "comments": [
                    (number, row.scorecard.comment, row.outlier)
                    for number, row in enumerate(result.rows, start=1)
                    if row.scorecard.comment or row.outlier
                ],
            }
        )
    return {
        "visible": True,
        "deal": deal,
        "fund": deal.fund,
        "summaries": summaries,
        "may_start": permissions.can_start_review(request.user, deal) and not deal.is_ended,
        "rubric": scoring.rubric_for(deal.fund),
    }


# --- deal room ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def deal_document(request, fund, pk, document):
    """A deal-room document, handed to who may download it (404 otherwise), the read audited."""
    deal = deal_for(request, fund, pk, permissions.can_view_deal)
    document = get_object_or_404(DealDocument.objects.select_related("deal__fund"), pk=document, deal=deal)
    if not permissions.can_download_document(request.user, document):
        raise Http404
    return serve_private(
        request,
        document.file,
        name=document.original_name,
        content_type=document.content_type,
        instance=deal,
        action="funds.download_document",
        data={"document": document.pk, **room.document_data(document)},
    )


@login_required
def document_upload(request, fund, pk):
    """The upload form of the deal page posts here; a refused upload comes back with its message on this page."""
    deal = deal_for(request, fund, pk, permissions.can_upload_document)
    form = DocumentUploadForm(request.POST or None, request.FILES or None, deal=deal)
    document = call_with_form(
        request,
        form,
        room.upload_document,
        values=DocumentUploadForm.values,
        success=_("The document is in the deal room."),
        deal=deal,
    )
    if document is not REFUSED:
        return redirect(deal.get_absolute_url() + ROOM_ANCHOR)
    context = {"deal": deal, "fund": deal.fund, "form": form, "page_title": _("Upload to the deal room")}
    return render(request, "funds/room/upload.html", context)


@login_required
@require_POST
def folder_create(request, fund, pk):
    deal = deal_for(request, fund, pk, permissions.can_upload_document)
    form = FolderForm(request.POST, prefix="folder")
    folder, errors = call_in_place(request, form, room.create_folder, deal=deal)
    tell(request, errors, "" if folder is REFUSED else _("The folder is added to the deal room."))
    return redirect(deal.get_absolute_url() + ROOM_ANCHOR)


# --- scoring --------------------------------------------------------------------------------------------------


@login_required
def review_start(request, fund, pk):
    """Start a review round on the deal: the fund's rubric, suggested experts, the material to expose."""
    deal = deal_for(request, fund, pk, permissions.can_start_review)
    experts = scoring.suggested_experts(deal)
    items = review_material.candidates(deal)
    initial = {
        "title": _("Review of %(deal)s") % {"deal": deal},
        "keys": [item.key for item in items],
    }
    form = StartReviewForm(request.POST or None, experts=experts, items=items, initial=initial)
    review_round = call_with_form(
        request,
        form,
        scoring.start_review,
        values=lambda form: {**form.cleaned_data, "experts": list(form.cleaned_data["experts"])},
        success=_("The review round is created."),
        deal=deal,
    )
    if review_round is not REFUSED:
        return redirect(review_round.get_absolute_url())
    context = {
        "deal": deal,
        "fund": deal.fund,
        "form": form,
        "rubric": scoring.rubric_for(deal.fund),
        "page_title": _("Start a review round"),
    }
    return render(request, "funds/room/review_start.html", context)


urlpatterns = [
    path("<slug:fund>/deals/<int:pk>/documents/<int:document>/", deal_document, name="deal_document"),
    path("<slug:fund>/deals/<int:pk>/documents/upload/", document_upload, name="deal_document_upload"),
    path("<slug:fund>/deals/<int:pk>/folders/new/", folder_create, name="deal_folder_create"),
    path("<slug:fund>/deals/<int:pk>/reviews/new/", review_start, name="deal_review_start"),
]
