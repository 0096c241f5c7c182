"""What the fund's history lines say happened (portal.history): one verb per kind of event, in both languages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundVerb(models.TextChoices):
    CREATED_DEAL = "funds.created_deal", _("added a deal")
    MOVED_DEAL = "funds.moved_deal", _("moved a deal")
    UPDATED_DEAL = "funds.updated_deal", _("updated a deal")
    UPLOADED_DOCUMENT = "funds.uploaded_document", _("uploaded a document")
