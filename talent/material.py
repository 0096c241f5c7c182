"""What a review round on a base application may expose to its experts (``portal.reviews.material``), registered in
``TalentConfig.ready()``: the application's sections and attachments as last submitted, passport numbers masked
(portal/applications/material.py). The reviews engine checks the expert and audits each read."""

from portal.applications import material as applications_material
from portal.files.downloads import private_response


def base_material(base) -> list:
    return applications_material.application_material(base.application)


def serve_base_material(request, base, item):
    attachment = item.obj
    return private_response(attachment.file, name=attachment.original_name, content_type=attachment.content_type)


def render_base_section(request, base, item):
    return applications_material.render_section(request, base.application, item)
