"""Panel reviews: the only place that changes state. This package only re-exports its modules' functions, so
callers keep writing ``services.submit_scorecard(...)``.

Each action: permission (plain bool from permissions.py), validation with a message in the user's language,
one transaction, an audit-log entry (``reviews.*``) and a notification.

Definitions:

- **weighted total** of a scorecard = Σ weight·score / Σ weight over the rubric's criteria (a weighted mean on
  the criteria's scale), rounded to 2 places ROUND_HALF_UP. Weights of 0 are allowed, all zero is not.
- **outlier**: when the round has an ``outlier_threshold``, a total whose distance from the median of the
  *other* submitted (counted) totals of the round is greater than the threshold. The first scorecard submitted
  has no reference and is never an outlier. The check runs only *after* the scorecard is locked: nothing an
  expert can try before submitting depends on the others' totals, so the check cannot be probed. A flagged
  expert then gives a written reason (``explain_outlier``) without being told the others' median; the managers
  see the flag.
- **counted** scorecards: submitted by an assignee who is not recused.
- **hidden applicant**: in a round with ``hide_applicant_identity``, assignees read ``assignee_label`` instead
  of the title, in pages, notifications and mail; text written for them may not name the organization
  (``identity.names_organization``).
"""

from .material import expose_material, record_material_read
from .reminders import send_overdue_reminders, suggest_experts, suggest_experts_for
from .results import RoundResult, ScorecardRow, close_round, counted_scorecards, record_scores_viewed, round_result
from .rounds import (
    accept_assignment,
    assign_expert,
    create_round,
    declare_conflict,
    decline_assignment,
    open_round,
    recuse_assignment,
)
from .rubrics import revise_rubric, update_criterion
from .scorecards import (
    REASON_FIELD,
    SCORE_FIELD,
    draft_values,
    explain_outlier,
    is_outlying,
    other_submitted_totals,
    save_scores,
    scorecard_errors,
    submit_scorecard,
)

__all__ = [
    "revise_rubric",
    "update_criterion",
    "create_round",
    "open_round",
    "assign_expert",
    "accept_assignment",
    "decline_assignment",
    "declare_conflict",
    "recuse_assignment",
    "SCORE_FIELD",
    "REASON_FIELD",
    "scorecard_errors",
    "other_submitted_totals",
    "is_outlying",
    "save_scores",
    "draft_values",
    "submit_scorecard",
    "explain_outlier",
    "ScorecardRow",
    "RoundResult",
    "counted_scorecards",
    "record_scores_viewed",
    "round_result",
    "close_round",
    "suggest_experts",
    "suggest_experts_for",
    "expose_material",
    "record_material_read",
    "send_overdue_reminders",
]
