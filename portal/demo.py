"""Demo data: each app contributes steps in its own `demo.py`; `manage.py seed_demo` runs them.

    from portal.demo import demo_step

    @demo_step(order=40)
    def seed_councils(log): ...

Steps must be idempotent (get_or_create by natural keys): `make run` seeds on every start.
Portal steps use orders below 100, themes 100-199, domains 200 and up.
"""

from collections.abc import Callable

DEMO_PASSWORD = "Pingshan@2026"

_steps: list[tuple[int, str, Callable]] = []


def demo_step(order: int):
    def register(function):
        name = f"{function.__module__}.{function.__name__}"
        if name not in {existing for _, existing, _ in _steps}:
            _steps.append((order, name, function))
        return function

    return register


def steps(without=()):
    """The registered step functions in the order they must run; ``without``: leave out the steps of these top-level
    packages (``funds``), whose data a caller does not need."""
    ordered = sorted(_steps, key=lambda step: (step[0], step[1]))
    return [function for _order, name, function in ordered if name.split(".")[0] not in without]
