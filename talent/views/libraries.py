"""The resource libraries (信息服务平台): the public lists and entry pages, the submitters' own entries, the
curators' queue with its steps, and the matching page from which a curator sends an introduction."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import CharField, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.calls import REFUSED, call_in_place, call_service, call_with_form, tell
from portal.experts.models import Expert
from portal.lifecycle import offered
from portal.pagecache import tags
from portal.pagecache.public import cache_public

from .. import cache_tags, library_index, permissions
from ..filters import LIBRARY_FILTERS, ExpertFilter
from ..forms.libraries import FORMS, IntroductionForm, ReturnForm
from ..models import LIBRARIES, IntroductionSource, ListingState
from ..services import introductions as introduction_services
from ..services import libraries as services

PER_PAGE = 20
MOVES = {"publish", "archive", "withdraw"}
QUEUE_STATES = (ListingState.PENDING, ListingState.RETURNED, ListingState.PUBLISHED)


def _model(library):
    if library not in LIBRARIES:
        raise Http404
    return LIBRARIES[library]


def listing_for(request, library, pk, may):
    listing = get_object_or_404(
        _model(library).objects.select_related("programme", "submitted_by", "organization"), pk=pk
    )
    if not may(request.user, listing):
        raise Http404
    return listing


def _name_libraries(rows):
    """Rows of several libraries in one list say which library each is from (templates cannot read _meta)."""
    for row in rows:
        row.library_name = type(row)._meta.verbose_name


def _libraries():
    """The four lists, for the tabs: each library's slug and plural name, then the expert pool."""
    return [(slug, model._meta.verbose_name_plural) for slug, model in LIBRARIES.items()]


# --- public -------------------------------------------------------------------------------------------------------


def library(request, library):
    model = _model(library)
    cache_public(request, cache_tags.library(library), tags.THEMES)
    rows = model.objects.published().select_related("programme").prefetch_related("themes")
    extra = {"may_submit": permissions.can_submit_listing(request.user)}
    return _list(request, library, LIBRARY_FILTERS[library], rows, model._meta.verbose_name_plural, **extra)


def experts(request):
    # An expert's affiliation is shown by its organization's name.
    cache_public(request, cache_tags.EXPERTS, tags.THEMES, tags.ORGANIZATIONS)
    rows = Expert.objects.active().select_related("affiliation").prefetch_related("themes")
    return _list(request, "experts", ExpertFilter, rows, _("Expert pool"))


def _list(request, library, filterset, rows, title, **extra):
    """One public list: searched and filtered by ``filterset``, a page at a time, each row drawn by its kind."""
    found = filterset(request.GET or None, queryset=rows)
    context = {
        "library": library,
        "libraries": _libraries(),
        "filter": found,
        "page_obj": Paginator(_found(found, rows), PER_PAGE).get_page(request.GET.get("page")),
        "filter_query": _query_without_page(request),
        "row_template": f"talent/libraries/_{'expert' if library == 'experts' else 'listing'}_row.html",
        "page_title": title,
        **extra,
    }
    return render(request, "talent/libraries/list.html", context)


def _found(found, rows):
    """What the filters find; nothing when a filter's value is not one of its choices (the form says which)."""
    if found.is_bound and not found.is_valid():
        return rows.none()
    return found.qs.distinct()


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def listing(request, library, pk):
    listing = listing_for(request, library, pk, permissions.can_view_listing)
    cache_public(request, cache_tags.listing(library, listing.pk), tags.THEMES)
    context = {
        "listing": listing,
        "library": library,
        "library_name": type(listing)._meta.verbose_name_plural,
        "themes": listing.themes.all(),
        "actions": [action for action in offered(listing, request.user) if action.name != "send_back"],
        "may_return": permissions.curates_listing(request.user, listing) and listing.state == ListingState.PENDING,
        "may_edit": permissions.can_edit_listing(request.user, listing),
        "may_match": permissions.can_match(request.user, listing) and library in library_index.COUNTERPARTS,
        "is_submitter": permissions.submitted_listing(request.user, listing),
        "is_curator": permissions.curates_listing(request.user, listing),
        "page_title": listing.display_title,
    }
    return render(request, "talent/libraries/listing.html", context)


# --- submitters ---------------------------------------------------------------------------------------------------


@login_required
def my_listings(request):
    if not permissions.can_submit_listing(request.user):
        raise Http404
    mine = {slug: model.objects.filter(submitted_by=request.user) for slug, model in LIBRARIES.items()}
    page = _entries_page(request, mine, newest_first=True, related=("programme",))
    context = {
        "page_obj": page,
        "rows": page.object_list,
        "libraries": _libraries(),
        "page_title": _("My library entries"),
    }
    return render(request, "talent/libraries/mine.html", context)


def _entries_page(request, querysets, *, newest_first, related):
    """One page of the entries of several libraries in the order they were submitted: their keys paged as one
    UNION query, then each library's rows of the page (a query per library, whatever the number of entries)."""
    keys = [
        rows.order_by()
        .annotate(library=Value(slug, output_field=CharField()))
        .values_list("library", "pk", "created_at")
        for slug, rows in querysets.items()
    ]
    order = ("-created_at", "-pk") if newest_first else ("created_at", "pk")
    page = Paginator(keys[0].union(*keys[1:], all=True).order_by(*order), PER_PAGE).get_page(request.GET.get("page"))
    wanted = {}
    for library, pk, _created in page.object_list:
        wanted.setdefault(library, []).append(pk)
    found = {
        (library, row.pk): row
        for library, pks in wanted.items()
        for row in LIBRARIES[library].objects.filter(pk__in=pks).select_related(*related)
    }
    page.object_list = [found[(library, pk)] for library, pk, _created in page.object_list]
    _name_libraries(page.object_list)
    return page


@login_required
def listing_new(request, library):
    _model(library)
    if not permissions.can_submit_listing(request.user):
        raise Http404
    form = FORMS[library](request.POST or None)
    listing = call_with_form(
        request,
        form,
        services.submit_listing,
        values=lambda form: {"values": form.cleaned_data},
        success=_("Your entry is sent: the base's officers will review it before it is published."),
        library=library,
    )
    if listing is not REFUSED:
        return redirect(listing.get_absolute_url())
    context = {"form": form, "library": library, "page_title": _("New library entry")}
    return render(request, "talent/libraries/form.html", context)


@login_required
def listing_edit(request, library, pk):
    listing = listing_for(request, library, pk, permissions.can_edit_listing)
    form = FORMS[library](request.POST or None, instance=listing, new=False)
    edited = call_with_form(
        request,
        form,
        services.edit_listing,
        values=lambda form: {"values": form.cleaned_data},
        success=_("Your changes are saved."),
        listing=listing,  # the service re-reads it under its lock
    )
    if edited is not REFUSED:
        return redirect(edited.get_absolute_url())
    context = {"form": form, "library": library, "listing": listing, "page_title": _("Edit library entry")}
    return render(request, "talent/libraries/form.html", context)


@login_required
@require_POST
def listing_move(request, library, pk, transition):
    if transition not in MOVES:
        raise Http404
    listing = listing_for(request, library, pk, permissions.can_view_listing)
    if transition == "withdraw":
        call_service(request, services.withdraw, listing=listing, success=_("The entry is withdrawn."))
    else:
        call_service(
            request, services.curate, listing=listing, transition=transition, success=_("The entry is updated.")
        )
    return redirect(listing.get_absolute_url())


# --- curators -----------------------------------------------------------------------------------------------------


@login_required
def listing_queue(request):
    """The entries of the programmes the user runs: those waiting for approval first."""
    programmes = list(permissions.programmes_for(request.user))
    if not programmes:
        raise Http404
    state = request.GET.get("state") or ListingState.PENDING
    if state not in ListingState.values:
        state = ListingState.PENDING
    waiting = {slug: model.objects.filter(programme__in=programmes, state=state) for slug, model in LIBRARIES.items()}
    # Oldest waiting first; in the other states the newest first.
    page = _entries_page(request, waiting, newest_first=state != ListingState.PENDING, related=("submitted_by",))
    context = {
        "page_obj": page,
        "states": ListingState.choices,
        "state": state,
        "programme": programmes[0],
        "page_title": _("Library entries"),
    }
    return render(request, "talent/libraries/queue.html", context)


@login_required
def listing_return(request, library, pk):
    listing = listing_for(request, library, pk, permissions.curates_listing)
    form = ReturnForm(request.POST or None)
    returned = call_with_form(
        request, form, services.send_back, success=_("The entry is returned to its submitter."), listing=listing
    )
    if returned is not REFUSED:
        return redirect(listing.get_absolute_url())
    context = {"form": form, "listing": listing, "page_title": _("Return for changes")}
    return render(request, "talent/libraries/return.html", context)


@login_required
def listing_matches(request, library, pk):
    listing = listing_for(request, library, pk, permissions.can_match)
    if library not in library_index.COUNTERPARTS:
        raise Http404
    matches = library_index.suggestions_for(listing)
    for match in matches:
        match.form = IntroductionForm(initial={"note": _note(listing, match)}, prefix=f"{match.kind}-{match.item.pk}")
    context = {"listing": listing, "matches": matches, "page_title": _("Matching suggestions")}
    return render(request, "talent/libraries/matches.html", context)


def _note(listing, match) -> str:
    terms = ", ".join(match.shared_terms)
    themes = ", ".join(str(theme.name) for theme in match.shared_themes)
    parts = [_("%(left)s and %(right)s may fit each other.") % {"left": listing, "right": match.item}]
    if terms:
        parts.append(_("Both mention: %(terms)s.") % {"terms": terms})
    if themes:
        parts.append(_("Shared themes: %(themes)s.") % {"themes": themes})
    return " ".join(parts)


def _other_side(kind, pk):
    """The suggested row and the person who answers for it (a listing's submitter, an expert's account)."""
    if kind == library_index.EXPERTS:
        expert = get_object_or_404(Expert.objects.active().select_related("user"), pk=pk)
        return expert, expert.user
    other = get_object_or_404(_model(kind).objects.published(), pk=pk)
    return other, other.submitted_by


@login_required
@require_POST
def listing_introduce(request, library, pk, kind, other):
    listing = listing_for(request, library, pk, permissions.can_match)
    if kind not in library_index.COUNTERPARTS.get(library, ()):
        raise Http404
    other, other_person = _other_side(kind, other)
    match = next((m for m in library_index.suggestions_for(listing) if m.kind == kind and m.item.pk == other.pk), None)
    form = IntroductionForm(request.POST, prefix=f"{kind}-{other.pk}")
    sent, errors = call_in_place(
        request,
        form,
        introduction_services.introduce,
        programme=listing.programme,
        left=listing,
        left_person=listing.submitted_by,
        right=other,
        right_person=other_person,
        source=IntroductionSource.MATCHING,
        explanation=match.explanation() if match else {},
    )
    if sent is REFUSED:
        tell(request, errors)
        return redirect("talent:listing_matches", library=library, pk=listing.pk)
    tell(request, [], _("The introduction is sent to both sides."))
    return redirect(sent.get_absolute_url())


urlpatterns = [
    path("libraries/experts/", experts, name="experts"),
    path("libraries/<slug:library>/", library, name="library"),
    path("libraries/<slug:library>/<int:pk>/", listing, name="listing"),
    path("libraries/<slug:library>/<int:pk>/<slug:transition>/", listing_move, name="listing_move"),
    path("my/listings/", my_listings, name="my_listings"),
    path("my/listings/new/<slug:library>/", listing_new, name="listing_new"),
    path("my/listings/<slug:library>/<int:pk>/edit/", listing_edit, name="listing_edit"),
    path("office/listings/", listing_queue, name="listing_queue"),
    path("office/listings/<slug:library>/<int:pk>/return/", listing_return, name="listing_return"),
    path("office/listings/<slug:library>/<int:pk>/matches/", listing_matches, name="listing_matches"),
    path(
        "office/listings/<slug:library>/<int:pk>/introduce/<slug:kind>/<int:other>/",
        listing_introduce,
        name="listing_introduce",
    ),
]
