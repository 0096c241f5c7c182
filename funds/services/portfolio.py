"""Services of the fund: portfolio (being built, issue 10)."""

ACTIONS = {}
