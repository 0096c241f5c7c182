import importlib
import pkgutil

from wagtail import hooks


@hooks.register("register_log_actions")
def register_talent_actions(actions):
    from . import services

    # Each services module declares its own audit actions (ACTIONS) next to the code that logs them.
    for module_info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"{services.__name__}.{module_info.name}")
        for action, (label, message) in getattr(module, "ACTIONS", {}).items():
            actions.register_action(action, label, message)
