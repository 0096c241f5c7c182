"""Discussions in a workspace: threads, replies with attachments, @mentions."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.files.storage import private_storage

from .workspace import WorkspaceScoped


class Thread(WorkspaceScoped):
    title = models.CharField(_("subject"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        ordering = ["-last_post_at", "-pk"]
        indexes = [models.Index(fields=["council", "committee", "-last_post_at"], name="councils_thread_workspace")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.item_url("thread")


class Post(models.Model):
    """The opening post or a reply. The body is plain text; @mentions are resolved when it is saved."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("discussion"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("mentioned")
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["thread", "created_at", "pk"]

    def __str__(self):
        return f"{self.thread} · {self.author}"


def attachment_upload_to(instance, filename):
    """An unguessable name without the original one (that is kept in the row, not on disk)."""
    return f"councils/attachments/{secrets.token_hex(20)}"


class PostAttachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("post"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["post", "pk"]

    def __str__(self):
        return self.original_name
