from wagtail import hooks


@hooks.register("register_log_actions")
def register_fund_actions(actions):
    from .services import committee, deals, performance, performance_data, portfolio, room, scoring, transfer

    # Each services module declares its own audit actions next to the code that logs them.
    for module in (deals, room, scoring, committee, portfolio, transfer, performance, performance_data):
        for action, (label, message) in module.ACTIONS.items():
            actions.register_action(action, label, message)
