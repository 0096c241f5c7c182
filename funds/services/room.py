"""Services of the fund: room (being built, issue 10)."""

ACTIONS = {}
