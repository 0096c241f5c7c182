"""Services of the fund: committee (being built, issue 10)."""

ACTIONS = {}
