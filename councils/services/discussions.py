"""Services: discussions (being built)."""

# Audit-log actions of this module: {action: (label, message)}; registered in wagtail_hooks.
ACTIONS = {}
