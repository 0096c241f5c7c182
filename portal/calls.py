"""How a view calls a service: the one place where a refusal becomes what the user sees.

Every domain's views and htmx partials call their services through ``call_service`` (a form view's POST through
``call_with_form``, an answer given in place through ``call_in_place``); services raise, views never catch by hand.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django_fsm import TransitionNotAllowed

from .lifecycle import refused

REFUSED = object()  # what call_service returns when the service refused (a service may itself return None)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has one, else on the
    form as a whole. Services validate; views show what they said, in the user's language."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def call_service(request, action, /, *, success=None, form=None, on_error=None, **arguments):
    """Run one service call for a view, with the request's user as actor.

    PermissionDenied becomes a 404 (users must not learn what they may not see). A ValidationError, or a
    transition the object's state does not allow, goes onto ``form`` when given (see add_service_errors), to
    ``on_error(error)`` when given, else into error messages. On success the optional ``success`` message is
    added. Returns the service's result, or REFUSED.
    """
    try:
        result = action(actor=request.user, **arguments)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _refused(request, error, form, on_error)
    except TransitionNotAllowed as error:  # a service that took a transition without lifecycle.take()
        return _refused(request, refused(getattr(error, "object", None)), form, on_error)
    if success is not None:
        messages.success(request, success)
    return result


def call_with_form(request, form, action, /, *, values=None, success=None, on_error=None, **arguments):
    """The POST half of a form view: when the request posts a valid ``form``, call the service (through
    call_service, so its refusals land on the form) with ``arguments`` and the form's values — all of its
    cleaned_data, or ``values(form)`` when the service names them otherwise. Returns the service's result, or
    REFUSED when nothing was posted, the form is invalid or the service refused: the view then shows the form."""
    if request.method != "POST" or not form.is_valid():
        return REFUSED
    posted = form.cleaned_data if values is None else values(form)
    return call_service(request, action, form=form, success=success, on_error=on_error, **arguments, **posted)


def call_in_place(request, form, action, /, **arguments):
    """A POST answered in place (an htmx partial, or messages after a redirect): call the service with the form's
    values; return its result (or REFUSED) and the messages saying why not, the form's or the service's."""
    errors = []
    result = call_with_form(request, form, action, on_error=lambda error: errors.extend(error.messages), **arguments)
    errors.extend(message for field_errors in form.errors.values() for message in field_errors)
    return result, errors


def tell(request, errors, confirmation=""):
    """What call_in_place said, as messages for the page a plain (non-htmx) POST redirects to."""
    for message in errors:
        messages.error(request, message)
    if confirmation:
        messages.success(request, confirmation)


def _refused(request, error, form, on_error):
    if on_error is not None:
        on_error(error)
    elif form is not None:
        add_service_errors(form, error)
    else:
        for message in error.messages:
            messages.error(request, message)
    return REFUSED
