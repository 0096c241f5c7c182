"""What apps register by key when they start (dashboard panels, theme sections), read back in order."""


class Registry(dict):
    """``{key: entry}`` of entries that have a ``key`` and an ``order``; registering a key again replaces it."""

    def register(self, entry) -> None:
        self[entry.key] = entry

    def unregister(self, key) -> None:
        self.pop(key, None)

    def ordered(self) -> list:
        return sorted(self.values(), key=lambda entry: (entry.order, entry.key))
