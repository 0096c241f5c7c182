"""Lifecycles: every state machine is declared once, on its model, with django-fsm-2.

The declaration says everything: the states (a ``TextChoices`` whose labels people read), each transition's
sources and target, who may take it (``permission=``, a callable ``(instance, user) -> bool`` that calls the app's
permissions.py), when it may be taken (``conditions=``), and how it is offered (``custom=``: ``label``, ``view``
— the URL name that takes it, ``style`` — ``primary``/``danger``).
Services take transitions through ``take()``; ``permissions.py`` asks ``allowed()``; templates draw their buttons
from ``offered()`` (``{% transitions obj request.user as actions %}``) and their state badges from
``{% state_badge obj %}``. See docs/conventions.md, "Lifecycles".
"""

from importlib import import_module

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMFieldMixin, TransitionNotAllowed, can_proceed, has_transition_perm

from .text import fmt


def state_field(instance_or_model, field=None):
    """The model's FSM field (its only one, unless ``field`` names another)."""
    meta = instance_or_model._meta
    if field is not None:
        return meta.get_field(field)
    for candidate in meta.concrete_fields:
        if isinstance(candidate, FSMFieldMixin):
            return candidate
    raise TypeError(f"{meta.label} has no FSM field")


def state_label(instance, field=None):
    """The label people read for the instance's present state: the declared (lazy) label, so a message that
    names it reads in its reader's language."""
    fsm_field = state_field(instance, field)
    value = getattr(instance, fsm_field.attname)
    return dict(fsm_field.flatchoices).get(value, value)


def rule(path):
    """A transition's ``permission=`` that asks the app's permissions.py: ``rule("portal.voting.permissions.
    can_manage_poll")`` calls ``can_manage_poll(user, instance)``. Imported when first asked, because permissions.py
    imports the models that declare the transitions."""
    module, name = path.rsplit(".", 1)

    def permission(instance, user):
        return bool(getattr(import_module(module), name)(user, instance))

    permission.__name__ = name
    return permission


def button(label, view="", style="", named=False):
    """A transition's ``custom=``: offer it as a button saying ``label`` that posts to the URL named ``view``.

    ``named=True`` when one view takes several transitions: its URL gets the transition's name as the
    ``transition`` argument (``…/move/<transition>/``), so the name is in the address, never a POST field."""
    return {"label": label, "view": view, "style": style, "named": named}


def guard(message):
    """A transition's condition that says why it refuses: ``conditions=[guard(_("…"))(has_dd_report)]``.

    ``take()`` reports the first failing guard's message instead of the generic "cannot be done now", and
    ``blockers()`` lists them so a page can say what is missing before anyone presses the button."""

    def wrap(condition):
        def checked(instance):
            return bool(condition(instance))

        checked.__name__ = getattr(condition, "__name__", "guard")
        checked.message = message
        return checked

    return wrap


def declared(model, name):
    """Transition ``name`` as declared on ``model`` (its permission, its ``custom`` button): every source of one
    transition shares them, so any of them answers."""
    return next(iter(getattr(model, name)._django_fsm.transitions.values()))


def _transition_of(instance, name):
    method = getattr(instance, name)
    meta = method._django_fsm
    return meta, meta.get_transition(meta.field.get_state(instance))


def blockers(instance, name) -> list:
    """The messages of the guards that stop transition ``name`` now (empty when none do, or when the present
    state does not offer the transition at all)."""
    _meta, transition = _transition_of(instance, name)
    if transition is None:
        return []
    return [
        condition.message
        for condition in transition.conditions
        if hasattr(condition, "message") and not condition(instance)
    ]


def refused(instance=None, field=None) -> ValidationError:
    """The one message for a transition the present state (or a condition) does not allow."""
    if instance is None:
        return ValidationError(_("This cannot be done in its present state."), code="state")
    return ValidationError(
        fmt(_("This cannot be done now: it is %(state)s."), state=state_label(instance, field)), code="state"
    )


def take(instance, name, user=None, *args, **kwargs):
    """Take transition ``name`` on ``instance`` (as ``user`` when the transition declares a permission).

    PermissionDenied when the declared permission refuses the user; a ValidationError in the user's language
    when the present state or a declared condition does not allow it. The caller saves the instance.
    """
    method = getattr(instance, name)
    if not can_proceed(method):
        reasons = blockers(instance, name)
        if reasons:
            raise ValidationError(reasons, code="guard")
        raise refused(instance, method._django_fsm.field.name)
    if user is not None and not has_transition_perm(method, user):
        raise PermissionDenied
    try:
        return method(*args, **kwargs)
    except TransitionNotAllowed:
        raise refused(instance, method._django_fsm.field.name) from None


def allowed(instance, name, user) -> bool:
    """Whether ``user`` may take transition ``name`` now: state, conditions and permission. A plain bool."""
    if instance is None or getattr(instance, "pk", None) is None:
        return False
    return bool(has_transition_perm(getattr(instance, name), user))


def offered(instance, user, field=None) -> list:
    """The transitions ``user`` may take now and that are offered as buttons (``custom["label"]`` set), in the
    order they are declared, each as an ``Action`` with its label, URL and style."""
    fsm_field = state_field(instance, field)
    available = getattr(instance, f"get_available_user_{fsm_field.name}_transitions")(user)
    return [Action(instance, transition) for transition in available if transition.custom.get("label")]


class Action:
    """A transition offered to a user: what the button says, where it posts, how it looks."""

    def __init__(self, instance, transition):
        self.name = transition.name
        self.label = transition.custom["label"]
        self.style = transition.custom.get("style", "")
        view = transition.custom.get("view")
        kwargs = instance.transition_url_kwargs() if view else {}
        if transition.custom.get("named"):
            kwargs["transition"] = transition.name
        self.url = reverse(view, kwargs=kwargs) if view else ""

    def __repr__(self):
        return f"<Action {self.name}>"
