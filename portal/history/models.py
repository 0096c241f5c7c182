"""Dated history: one line per thing that happened, about a subject, shown in a scope's stream.

One mechanism for every dated history in the portal — a workspace's activity, a deal's stage changes, an
application's timeline: a line names its ``subject`` (the meeting, the deal, the application), the ``scope`` whose
stream shows it (the workspace, the fund, the programme; the subject itself when it has no wider stream), who did
it, a ``verb`` (a code whose label an app declares with ``verbs.register``), the subject's title at the time and a
link. Services write lines through ``portal.history.record.record`` inside their transaction; they are never edited.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import verbs


class EventQuerySet(models.QuerySet):
    def in_scope(self, scope):
        """The lines of ``scope``'s stream (a workspace, a fund, a programme)."""
        return self.filter(scope_type=ContentType.objects.get_for_model(scope), scope_id=str(scope.pk))

    def about(self, subject):
        """The lines about ``subject``: its own history (a timeline)."""
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk))


class Event(models.Model):
    scope_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    scope_id = models.CharField(max_length=64)
    scope = GenericForeignKey("scope_type", "scope_id")
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    verb = models.CharField(_("what"), max_length=60)
    summary = models.CharField(_("about"), max_length=300, help_text=_("The subject's title at the time."))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("history line")
        verbose_name_plural = _("history lines")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["scope_type", "scope_id", "-created_at"], name="history_event_scope"),
            models.Index(fields=["subject_type", "subject_id", "-created_at"], name="history_event_subject"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb_label} {self.summary}"

    @property
    def verb_label(self):
        """What happened, in the reader's language, as the app that wrote the line declared it."""
        return verbs.label(self.verb)
