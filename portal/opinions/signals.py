"""Signals of the opinions engine, for the domains whose bodies issue opinions (they know the issuer's owner)."""

from django.dispatch import Signal

# Sent inside the issuing transaction, after the opinion is numbered, stored and marked issued.
# Arguments: opinion, actor (may be None). A receiver that raises undoes the issue: keep receivers small.
opinion_issued = Signal()
