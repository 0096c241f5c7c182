"""Per-request memos kept on a model instance, so one page asks the database once per question.

Permission checks ask the same thing many times while a page renders (may this user vote in this poll? is she a
member of this workspace?). The answer is kept on the instance the question is about, which lives as long as the
request; ``forget`` drops it after a service changed what the answer depends on.
"""

_STORE = "_portal_memo"


def memo(instance, key, compute):
    """``compute()`` once per ``instance`` and ``key``; later calls return the kept answer."""
    store = instance.__dict__.setdefault(_STORE, {})
    if key not in store:
        store[key] = compute()
    return store[key]


def forget(instance) -> None:
    """Drop every answer kept on ``instance``."""
    instance.__dict__.pop(_STORE, None)
