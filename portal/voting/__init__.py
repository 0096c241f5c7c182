"""Polls, ballots, quorum and majority math.

Import-light on purpose: nothing here imports models. The pure arithmetic is
``from portal.voting.tally import tally``; state changes go through ``portal.voting.services``.
(``tally`` is deliberately not re-exported here: a function named like its own submodule would shadow it.)
"""
