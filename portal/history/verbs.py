"""The labels of history verbs. Each app declares its verbs as a ``TextChoices`` (value: the code stored on the
line; label: what a reader sees, e.g. "submitted a motion") and registers it in its ``AppConfig.ready()``."""

_labels = {}


def register(choices) -> None:
    """Declare the verbs of a ``TextChoices`` class. A code declared twice with another label is a mistake."""
    for value, label in choices.choices:
        if _labels.get(value, label) != label:
            raise ValueError(f"history verb {value!r} is declared twice")
        _labels[value] = label


def label(code):
    return _labels.get(code, code)
