"""Services of the fund: scoring (being built, issue 10)."""

ACTIONS = {}
