"""The form half of calling a service (portal.calls.call_with_form) and the in-place answer of htmx views
(call_in_place, tell): what the views that share them rely on."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from portal.calls import REFUSED, call_in_place, call_with_form, tell


class NoteForm(forms.Form):
    title = forms.CharField(max_length=10)
    file = forms.CharField(required=False)


class Service:
    """A stand-in service that remembers how it was called and can refuse."""

    def __init__(self, raises=None):
        self.calls, self.raises = [], raises

    def __call__(self, **arguments):
        self.calls.append(arguments)
        if self.raises is not None:
            raise self.raises
        return "done"


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.user = object()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request):
    return [(message.level_tag, str(message)) for message in get_messages(request)]


def test_a_get_calls_nothing_and_shows_the_form():
    service = Service()
    assert call_with_form(_request("get"), NoteForm(), service) is REFUSED
    assert service.calls == []


def test_an_invalid_form_calls_nothing():
    service, form = Service(), NoteForm({"title": "far too long a title"})
    assert call_with_form(_request(data=form.data), form, service) is REFUSED
    assert service.calls == []
    assert form.errors["title"]


def test_a_valid_form_passes_its_values_the_arguments_and_the_actor():
    request, service = _request(), Service()
    form = NoteForm({"title": "Agenda", "file": "a.pdf"})
    result = call_with_form(request, form, service, success="Saved.", folder=7)
    assert result == "done"
    assert service.calls == [{"actor": request.user, "folder": 7, "title": "Agenda", "file": "a.pdf"}]
    assert _said(request) == [("success", "Saved.")]


def test_values_renames_what_the_service_calls_otherwise():
    service, form = Service(), NoteForm({"title": "Agenda", "file": "a.pdf"})
    call_with_form(_request(), form, service, values=lambda form: {"upload": form.cleaned_data["file"]})
    assert set(service.calls[0]) == {"actor", "upload"}


def test_a_refusal_lands_on_the_field_it_names_and_no_success_is_said():
    request = _request()
    service = Service(raises=ValidationError({"title": "Taken."}))
    form = NoteForm({"title": "Agenda"})
    assert call_with_form(request, form, service, success="Saved.") is REFUSED
    assert form.errors["title"] == ["Taken."]
    assert _said(request) == []


def test_a_permission_refusal_is_a_404():
    with pytest.raises(Http404):
        call_with_form(_request(), NoteForm({"title": "Agenda"}), Service(raises=PermissionDenied()))


def test_in_place_a_refusal_is_returned_as_messages_and_leaves_the_form_clean():
    form = NoteForm({"title": "Agenda"})
    result, errors = call_in_place(_request(), form, Service(raises=ValidationError("Closed.")))
    assert result is REFUSED
    assert errors == ["Closed."]
    assert not form.errors


def test_in_place_an_invalid_form_gives_its_own_messages():
    service = Service()
    result, errors = call_in_place(_request(), NoteForm({}), service)
    assert result is REFUSED
    assert errors and service.calls == []


def test_in_place_success_and_tell():
    request = _request()
    result, errors = call_in_place(request, NoteForm({"title": "Agenda"}), Service())
    assert (result, errors) == ("done", [])
    tell(request, ["Closed."], "Saved.")
    assert _said(request) == [("error", "Closed."), ("success", "Saved.")]
