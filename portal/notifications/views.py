from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import Notification


def notification_list(request):
    if not permissions.can_read_notifications(request.user):
        return redirect_to_login(request.get_full_path())
    page = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(request.GET.get("page"))
    unread_ids = [item.pk for item in page.object_list if item.read_at is None]
    # Opening the list marks what it shows as read; the template still highlights them this once.
    Notification.objects.filter(pk__in=unread_ids).update(read_at=timezone.now())
    context = {"page_obj": page, "unread_ids": set(unread_ids), "page_title": _("Notifications")}
    return render(request, "notifications/list.html", context)
