from . import permissions


def workspaces_context(request):
    councils, committees = permissions.openable_workspaces(request.user)
    return {
        "councils": list(councils.order_by("theme__order", "name_zh")[:20]),
        "committees": list(committees.select_related("council").order_by("council__slug", "order", "pk")[:20]),
    }
