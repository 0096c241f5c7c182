from wagtail import hooks

from . import twofactor
from .services import ACTIONS


@hooks.register("register_log_actions")
def register_actions(actions):
    for action, (label, message) in {**ACTIONS, **twofactor.ACTIONS}.items():
        actions.register_action(action, label, message)
