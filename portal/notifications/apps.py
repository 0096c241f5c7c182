from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from portal.workspace.registry import Panel, register_panel

        from .models import Notification
        from .permissions import can_read_notifications

        def unread(request):
            items = Notification.objects.filter(recipient=request.user, read_at__isnull=True)[:5]
            return {"items": list(items)}

        register_panel(
            Panel(
                key="portal.notifications",
                title=_("New notifications"),
                template="notifications/panels/unread.html",
                order=15,
                is_visible=can_read_notifications,
                get_context=unread,
            )
        )
