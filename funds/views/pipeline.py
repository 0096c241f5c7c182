"""The fund's pipeline: the list of funds, the board by stage, the filtered table with saved filters, a new deal.

Thin views: who may is in funds/permissions.py, changes in funds/services/deals.py. The board and the table cost the
same number of queries whatever the number of deals (tests/test_funds_pipeline_budget.py)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from portal.calls import REFUSED, call_in_place, call_service, call_with_form, tell

from .. import permissions
from ..filters import DealFilter, deals_of, filter_query
from ..forms.deals import MoveForm, NewDealForm, SavedFilterForm
from ..models import PIPELINE, Deal, DealStage, SavedFilter
from ..services import deals as services
from .common import fund_for
from .deals import board_moves

PAGE_SIZE = 50
CARDS_PER_COLUMN = 30  # a column shows its longest-waiting deals; the rest are one click away in the table


@login_required
def fund_index(request):
    funds = list(permissions.funds_for(request.user).select_related("theme"))
    return render(request, "funds/pipeline/index.html", {"funds": funds, "page_title": _("Funds")})


def _with_fund(deals, fund):
    """Every row shares the one fund object, so what is memoised on it (who manages it) is asked once."""
    for deal in deals:
        deal.fund = fund
    return deals


def _mark(deals, fund, now, user=None):
    for deal in deals:
        deal.days = deal.days_in_stage(now)
        deal.stuck = deal.days > fund.stuck_after_days
        if user is not None:
            deal.moves = board_moves(deal, user)
    return deals


@login_required
def board(request, fund):
    fund = fund_for(request, fund, permissions.can_view_pipeline)
    now = timezone.now()
    counts = dict(
        Deal.objects.filter(fund=fund, stage__in=PIPELINE).values_list("stage").annotate(n=Count("pk")).order_by()
    )
    columns = []
    for stage in PIPELINE:
        # One query per column (a fixed number): the deals waiting longest first.
        deals = list(
            Deal.objects.filter(fund=fund, stage=stage)
            .select_related("company__organization", "owner")
            .order_by("stage_entered_at", "pk")[:CARDS_PER_COLUMN]
        )
        _mark(_with_fund(deals, fund), fund, now, request.user)
        columns.append(
            {
                "stage": stage,
                "label": DealStage(stage).label,
                "deals": deals,
                "count": counts.get(stage, 0),
                "more": max(counts.get(stage, 0) - len(deals), 0),
                "list_url": f"{reverse('funds:deal_list', kwargs={'fund': fund.slug})}?stage={stage}",
            }
        )
    elsewhere = dict(
        Deal.objects.filter(fund=fund)
        .exclude(stage__in=PIPELINE)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    context = {
        "fund": fund,
        "columns": columns,
        "elsewhere": [
            {"label": DealStage(stage).label, "count": elsewhere[stage], "stage": stage}
            for stage in DealStage.values
            if elsewhere.get(stage)
        ],
        "move_form": MoveForm(),
        "here": request.get_full_path(),
        "can_create": permissions.can_create_deal(request.user, fund),
        "can_import": permissions.can_import_deals(request.user, fund),
        "can_export": permissions.can_export_deals(request.user, fund),
        "active": "board",
        "page_title": fund.display_name,
    }
    return render(request, "funds/pipeline/board.html", context)


@login_required
def deal_list(request, fund):
    fund = fund_for(request, fund, permissions.can_view_pipeline)
    deal_filter = DealFilter(request.GET or None, queryset=deals_of(fund), fund=fund)
    page = Paginator(deal_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _mark(_with_fund(page.object_list, fund), fund, timezone.now())
    query = filter_query(request.GET)
    saved = list(SavedFilter.objects.filter(fund=fund, user=request.user).order_by("name"))
    context = {
        "fund": fund,
        "filter": deal_filter,
        "page_obj": page,
        "deals": page.object_list,
        "current_query": query,  # not "query": the site header's search box reads that one
        "extra_query": query,
        "columns": _sort_columns(request.GET),
        "saved_filters": saved,
        "save_form": SavedFilterForm(initial={"query": query}),
        "can_create": permissions.can_create_deal(request.user, fund),
        "can_import": permissions.can_import_deals(request.user, fund),
        "can_export": permissions.can_export_deals(request.user, fund),
        "active": "table",
        "page_title": _("Deals"),
    }
    return render(request, "funds/pipeline/list.html", context)


# The table's sortable columns: (label, the sort key DealFilter's "o" knows). Days in the stage sort by the date the
# stage was entered, most days first.
SORTABLE = (
    (_lazy("Company"), "company"),
    (_lazy("Stage"), "stage"),
    (pgettext_lazy("deal", "Amount"), "amount"),
    (_lazy("Deal lead"), "owner"),
    (_lazy("Days in the stage"), "entered"),
)


def _sort_columns(params):
    """Each sortable column's heading link: sort by it, or the other way when it is the present order."""
    present = params.get("o", "")
    columns = []
    for label, key in SORTABLE:
        query = params.copy()
        query.pop("page", None)
        query["o"] = f"-{key}" if present == key else key
        direction = "ascending" if present == key else "descending" if present == f"-{key}" else ""
        columns.append({"label": label, "url": f"?{query.urlencode()}", "sort": direction})
    return columns


@login_required
def deal_new(request, fund):
    fund = fund_for(request, fund, permissions.can_create_deal)
    form = NewDealForm(request.POST or None, fund=fund)
    deal = call_with_form(request, form, services.create_deal, success=_("The deal is added."), fund=fund)
    if deal is not REFUSED:
        return redirect(deal.get_absolute_url())
    context = {"fund": fund, "form": form, "active": "table", "page_title": _("New deal")}
    return render(request, "funds/pipeline/new.html", context)


@login_required
@require_POST
def saved_filter_save(request, fund):
    fund = fund_for(request, fund, permissions.can_view_pipeline)
    saved, errors = call_in_place(request, SavedFilterForm(request.POST), services.save_filter, fund=fund)
    tell(request, errors, "" if errors else _("The filter is saved."))
    query = filter_query(QueryDict(request.POST.get("query", ""))) if saved is REFUSED else saved.query
    list_url = reverse("funds:deal_list", kwargs={"fund": fund.slug})
    return redirect(f"{list_url}?{query}" if query else list_url)


@login_required
@require_POST
def saved_filter_delete(request, fund, pk):
    fund = fund_for(request, fund, permissions.can_view_pipeline)
    saved = get_object_or_404(SavedFilter, pk=pk, fund=fund)
    if saved.user_id != request.user.pk:
        raise Http404
    call_service(request, services.delete_filter, success=_("The filter is deleted."), saved_filter=saved)
    return redirect("funds:deal_list", fund=fund.slug)


urlpatterns = [
    path("", fund_index, name="index"),
    path("<slug:fund>/", board, name="pipeline"),
    path("<slug:fund>/deals/", deal_list, name="deal_list"),
    path("<slug:fund>/deals/new/", deal_new, name="deal_new"),
    path("<slug:fund>/filters/", saved_filter_save, name="saved_filter_save"),
    path("<slug:fund>/filters/<int:pk>/delete/", saved_filter_delete, name="saved_filter_delete"),
]
