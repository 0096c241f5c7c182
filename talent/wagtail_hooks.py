from wagtail import hooks


@hooks.register("register_log_actions")
def register_talent_actions(actions):
    from .services import admissions, introductions, letters, libraries, review, roadshows, schedule, service_requests

    # Each services module declares its own audit actions next to the code that logs them.
    for module in (admissions, schedule, letters, review, introductions, libraries, service_requests, roadshows):
        for action, (label, message) in module.ACTIONS.items():
            actions.register_action(action, label, message)
