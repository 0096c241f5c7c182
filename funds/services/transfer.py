"""Services of the fund: transfer (being built, issue 10)."""

ACTIONS = {}
