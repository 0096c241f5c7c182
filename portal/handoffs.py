"""Hand-offs between domains that may not import each other (docs/conventions.md: domains never import each other).

The app that receives registers a receiver under a channel name in its ``AppConfig.ready()``; the app that sends
calls ``send`` with a plain payload (a dict of text, numbers and dates) and keeps the reference it gets back:

    handoffs.register("financing", receive)          # funds: opens a sourced deal, returns its reference
    reference = handoffs.send("financing", payload)  # talent: None when nobody receives the channel

A receiver runs inside the sender's transaction, so a failed action leaves no half hand-off behind. It returns a
short reference (text) of what it made, or None when it declined the payload.
"""

from collections.abc import Callable

_receivers: dict[str, Callable] = {}


def register(channel: str, receiver: Callable) -> None:
    """``receiver(payload) -> str | None``; registering a channel again replaces its receiver."""
    _receivers[channel] = receiver


def unregister(channel: str) -> None:
    _receivers.pop(channel, None)


def receiver_of(channel: str) -> Callable | None:
    return _receivers.get(channel)


def send(channel: str, payload: dict) -> str | None:
    """Hand ``payload`` to the channel's receiver: its reference, or None when nobody receives it or it declined."""
    receiver = _receivers.get(channel)
    if receiver is None:
        return None
    reference = receiver(payload)
    return str(reference) if reference else None
