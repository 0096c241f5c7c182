"""What the talent programmes' history lines say happened (portal.history): one verb per event, in both languages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TalentVerb(models.TextChoices):
    RECEIVED_APPLICATION = "talent.received_application", _("received a base application")
    SENT_TO_REVIEW = "talent.sent_to_review", _("sent a base application to expert review")
    STARTED_REVIEW = "talent.started_review", _("started an expert review round")
    ADMITTED = "talent.admitted", _("admitted a team to the base")
    REJECTED = "talent.rejected", _("decided not to admit a team")
    DRAFTED_LETTER = "talent.drafted_letter", _("drafted a decision letter")
    RECORDED_ONBOARDING = "talent.recorded_onboarding", _("recorded a team's company and incubation seat")
    ACTIVATED = "talent.activated", _("started a team's incubation")
    GRADUATED = "talent.graduated", _("graduated a team")
    EXITED = "talent.exited", _("recorded a team's exit")
    REQUESTED_SERVICE = "talent.requested_service", _("requested a service")
    ASSIGNED_SERVICE = "talent.assigned_service", _("assigned a service request")
    MOVED_SERVICE = "talent.moved_service", _("updated a service request")
    SUBMITTED_LISTING = "talent.submitted_listing", _("submitted a library entry")
    CURATED_LISTING = "talent.curated_listing", _("curated a library entry")
    INTRODUCED = "talent.introduced", _("sent an introduction")
    ANSWERED_INTRODUCTION = "talent.answered_introduction", _("answered an introduction")
    CLOSED_INTRODUCTION = "talent.closed_introduction", _("recorded an introduction's outcome")
    REGISTERED_PITCH = "talent.registered_pitch", _("registered a project for a roadshow")
    REGISTERED_INVESTOR = "talent.registered_investor", _("registered for a roadshow as an investor")
    GAVE_FEEDBACK = "talent.gave_feedback", _("gave roadshow feedback")
    MOVED_SERVICE_DUE = "talent.moved_service_due", _("moved a service request's due date")
    HANDED_OFF_SERVICE = "talent.handed_off_service", _("handed a financing introduction to the fund")
    CONFIRMED_PITCH = "talent.confirmed_pitch", _("confirmed a project for a roadshow")
    SAVED_CALL = "talent.saved_call", _("opened or changed a call")
    SAVED_ROADSHOW = "talent.saved_roadshow", _("announced or changed a roadshow")
