"""What a review round on a base or special-talent application may expose to its experts (``portal.reviews.
material``), registered in ``TalentConfig.ready()``: the application's sections and attachments as last submitted,
passport and ID numbers and dates of birth masked (portal/applications/material.py). The reviews engine checks the
expert and audits each read. ``subject`` is a BaseApplication or a SpecialTalentApplication."""

from portal.applications import material as applications_material
from portal.files.downloads import private_response


def application_material(subject) -> list:
    return applications_material.application_material(subject.application)


def serve_application_material(request, subject, item):
    attachment = item.obj
    return private_response(attachment.file, name=attachment.original_name, content_type=attachment.content_type)


def render_application_section(request, subject, item):
    return applications_material.render_section(request, subject.application, item)
