"""What the application views share: finding the application (404 when the user may not see it), the stepper."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import kinds, permissions
from ..models import Application, Attachment


def application_or_404(user, pk, check=permissions.can_view) -> Application:
    application = get_object_or_404(Application.objects.select_related("organization", "applicant"), pk=pk)
    if kinds.get(application.kind) is None or not check(user, application):
        raise Http404
    return application


def attachment_or_404(user, pk, attachment_pk, check):
    """The application's file named by the URL, when ``check(user, …)`` lets the user have it; else 404."""
    application = application_or_404(user, pk)
    attachment = Attachment.objects.filter(application=application, pk=attachment_pk).first()
    if attachment is None or not check(user, attachment):
        raise Http404
    return attachment


def stepper(application, kind, current=""):
    """The steps with whether each is filled in, for the stepper at the top of every draft page."""
    return [
        {"step": step, "done": step.code in application.answers, "current": step.code == current} for step in kind.steps
    ]
