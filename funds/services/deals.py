"""Services of the fund: deals (being built, issue 10)."""

ACTIONS = {}
