"""Helpers of the public-notice and filing tests (part C of issue 13): a clock set to a chosen day, an objection
as the public form sends it, objections taken through the services, and the filing form signed and issued."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.pagecache import store
from talent.models import ObjectionOutcome, SpecialStage
from talent.services import notices
from tests.special_world import reload, special_application
from tests.talent_world import PDF


def on_day(monkeypatch, day):
    """Today (Asia/Shanghai) is ``day`` for everything that asks ``timezone.localdate()`` without a value."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        if value is None:
            return day
        return real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    store.purge(store.ALL)  # another day: every public page kept yesterday expired at midnight


def objection_values(**changes):
    values = {
        "name": "陈市民",
        "phone": "0755-1234 5678",
        "email": "chen@example.cn",
        "grounds": "据我所知，该候选人所称的连续流生产线并非其主持建设。",
    }
    values.update(changes)
    return values


def evidence(name="evidence.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def lodge(special, **changes):
    return notices.lodge_objection(special=reload(special), **objection_values(**changes))


def investigated(world, objection):
    return notices.investigate(
        actor=world.officer, objection=objection, investigation="已向用人单位及生产线建设方核实。"
    )


def resolved(world, objection, outcome=ObjectionOutcome.DISMISSED):
    objection = investigated(world, objection)
    return notices.resolve(
        actor=world.officer, objection=objection, outcome=outcome, resolution="经核实，候选人主持了生产线建设。"
    )


def past_notice(special):
    """The period moved into the past (as the days going by would): a test's clock, not a service."""
    today = timezone.localdate()
    type(special).objects.filter(pk=special.pk).update(
        notice_starts_on=today - datetime.timedelta(days=8), notice_ends_on=today - datetime.timedelta(days=2)
    )
    store.purge(store.ALL)  # the days went by, and their midnights: every kept public page expired
    return reload(special)


def in_filing(world, **answer_options):
    """An application sent for filing (its filing form drafted, waiting for the director)."""
    return special_application(world, stage=SpecialStage.FILING, **answer_options)


def issue_filing_form(world, special):
    """The director signs the filing form and it is issued now (the task's work, done in place)."""
    from portal.opinions import services as opinions

    opinions.sign_off(actor=world.director, opinion=special.filing_form, approve=True)
    opinions.issue_now(opinion_id=special.filing_form_id, actor_id=world.officer.pk)
    return reload(special)
