"""Private files handed to the one person a view has let through, with the read kept in the audit log.

The view decides who may have the file (a permissions.py function; 404 otherwise) and then returns
``serve_private(...)``: the file is opened first (a file missing on disk is a 404, not a 500 and not an audit entry
for a read that never happened), the read is logged with Wagtail's ``log`` so staff see it beside the object's
other history, and the response names the file in UTF-8 (RFC 6266 ``filename*``) and forbids the browser to
guess another type than the one sniffed at upload.
"""

from urllib.parse import quote

from django.http import FileResponse, Http404
from wagtail.log_actions import log


def disposition(name, *, inline=False) -> str:
    """A Content-Disposition header value that keeps a Chinese (or any) file name intact."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename*=UTF-8''{quote(name, safe='')}"


def private_response(field_file, *, name, content_type, inline=False) -> FileResponse:
    """The stored file as a download; Http404 when it is missing from storage."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):  # ValueError: the field holds no file at all
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition(name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_private(request, field_file, *, name, content_type, instance, action, data=None, inline=False):
    """``private_response`` plus the audit entry ``action`` on ``instance`` by the requesting user.

    Call only after the view's permission check has passed.
    """
    response = private_response(field_file, name=name, content_type=content_type, inline=inline)
    log(instance=instance, action=action, user=request.user, data=data or {})
    return response
