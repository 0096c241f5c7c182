"""The decision letter (入驻决定书) of a base application: a bilingual opinion of the programme's issuer, drafted by
the deciding officer, signed by the programme's director, issued as a numbered, verifiable PDF (portal.opinions)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.history.record import Line, record
from portal.opinions import services as opinions
from portal.opinions.models import Issuer, OpinionKind
from portal.text import max_length

from ..models import Programme, ProgrammeKind
from ..verbs import TalentVerb

# The document number prefix of a programme's opinions, by its kind (坪海创〔2026〕3号, 坪特人〔2026〕5号).
PREFIXES = {ProgrammeKind.OFFSHORE_BASE: "坪海创", ProgrammeKind.SPECIAL_TALENT: "坪特人"}
DEFAULT_PREFIX = PREFIXES[ProgrammeKind.OFFSHORE_BASE]


def programme_issuer(programme) -> Issuer:
    """The issuer of the programme's letters: the one it has, else a new one it owns (its officers issue, its
    director signs, talent/authority.py)."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.issuer_id:
        return programme.issuer
    issuer = Issuer.objects.create(
        name=opinions.unused_issuer_value("name", programme.name[: max_length(Issuer, "name") - 3]),
        name_en=programme.name_en[: max_length(Issuer, "name_en")],
        number_prefix=opinions.unused_issuer_value("number_prefix", PREFIXES.get(programme.kind, DEFAULT_PREFIX)),
        signatory_lines=programme.name,
        owner_type=ContentType.objects.get_for_model(Programme),
        owner_id=str(programme.pk),
    )
    programme.issuer = issuer
    programme.save(update_fields=["issuer"])
    return issuer


def _in(language, base):
    with translation.override(language):
        title = gettext("Decision on the base application of %(team)s") % {"team": base.team_name}
        body = render_to_string("talent/letter_body.html", {"base": base, "language": language})
    return title, body


def draft_bilingual(*, actor, programme, render, kind, addressee, subject):
    """An opinion of the programme's issuer in Chinese then English, sent to its director to sign: what the
    decision letters, the panels' review opinions and the filing forms share. ``render(language)`` gives the title
    and body in that language; the caller has checked that the programme has a director."""
    title_zh, body_zh = render(settings.LANGUAGE_CODE)
    title_en, body_en = render("en")
    opinion = opinions.create_opinion(
        actor=actor,
        issuer=programme_issuer(programme),
        title=f"{title_zh} / {title_en}"[: opinions.TITLE_MAX],
        body=f"{body_zh}\n<h3>English</h3>\n{body_en}",
        kind=kind,
        addressee=addressee,
        subject=subject,
        signatories=[programme.director],
    )
    return opinions.submit_for_review(actor=actor, opinion=opinion)


def draft_letter(*, actor, base):
    """Drafted inside the deciding transaction: the letter, in Chinese then English, sent to the director."""
    programme = base.call.programme
    if programme.director_id is None:
        raise ValidationError(_("The programme has no director to sign its decision letters: name one in the admin."))
    opinion = draft_bilingual(
        actor=actor,
        programme=programme,
        render=lambda language: _in(language, base),
        kind=OpinionKind.DECISION_LETTER,
        addressee=base.team_name,
        subject=base,
    )
    base.letter = opinion
    base.save(update_fields=["letter"])
    record(
        "talent.draft_letter",
        actor=actor,
        instance=base,
        data={"opinion": opinion.pk},
        line=Line(programme, TalentVerb.DRAFTED_LETTER, opinion.title, opinions.detail_url(opinion)),
    )
    return opinion


ACTIONS = {"talent.draft_letter": (_("Draft decision letter"), _("Decision letter drafted"))}
