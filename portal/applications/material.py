"""An application as review material (``portal.reviews.material``): what a domain exposes of the application its
subject came from — a deal's financing application, a base application.

One SECTION per answered step and one FILE per attachment, always as last *submitted* (the frozen submission,
never the applicant's later draft). Fields a kind marks private (``Kind.private_fields``: passport numbers) are
masked in what reviewers read. Keys: ``application:section:<step>``, ``application:file:<attachment pk>``.
"""

from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation

from portal.reviews.material import Item
from portal.reviews.models import MaterialKind

from . import kinds
from .answers import summarize
from .models import Submission

SECTION = "application:section:"
FILE = "application:file:"


def latest_submission(application):
    """What the applicant last sent (a supplement makes a new submission), or None."""
    if application is None:
        return None
    return Submission.objects.filter(application_id=application.pk).order_by("-number").first()


def in_both(text) -> tuple[str, str]:
    """A lazy text in Chinese and in English (material labels are stored in both)."""
    with translation.override("zh-hans"):
        chinese = str(text)
    with translation.override("en"):
        return chinese, str(text)


def application_material(application) -> list[Item]:
    """The application's sections and attachments as last submitted, grouped under the kind's name."""
    submission = latest_submission(application)
    if submission is None:
        return []
    kind = kinds.get(application.kind)
    group, group_en = in_both(kind.title if kind else "")
    items = []
    for step in kind.steps if kind else ():
        if submission.answers.get(step.code) in (None, [], {}):
            continue
        # The evaluator's list shows labels without their group: say whose section it is.
        title, title_en = in_both(step.title)
        items.append(
            Item(
                key=f"{SECTION}{step.code}",
                label=f"{group}：{title}",
                label_en=f"{group_en}: {title_en}",
                kind=MaterialKind.SECTION,
                group=group,
                group_en=group_en,
            )
        )
    for attachment in submission.attachments.select_related("item").order_by("uploaded_at", "pk"):
        required = attachment.item
        items.append(
            Item(
                key=f"{FILE}{attachment.pk}",
                label=attachment.original_name,
                kind=MaterialKind.FILE,
                group=group,
                group_en=group_en,
                detail=" · ".join(filter(None, [str(required) if required else "", filesizeformat(attachment.size)])),
                obj=attachment,
            )
        )
    return items


def is_section(item) -> bool:
    return item.key.startswith(SECTION)


def render_section(request, application, item) -> str:
    """One step of the application as submitted, its private fields masked."""
    kind = kinds.get(application.kind)
    step = kind.step(item.key.removeprefix(SECTION))
    answers = latest_submission(application).answers.get(step.code)
    summary = summarize(step, answers, masked=kind.private_fields.get(step.code, ()))
    context = {"summaries": [summary], "prefix": step.code, "edit_links": False}
    return render_to_string("applications/_summary.html", context, request=request)
