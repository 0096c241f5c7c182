import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def issue_opinion(opinion_id: int, actor_id: int) -> bool:
    """Render, sign and issue an approved opinion. A failure is recorded on the opinion (see services)."""
    from .services import issue_now

    try:
        issue_now(opinion_id=opinion_id, actor_id=actor_id)
    except Exception:
        logger.exception("Issuing opinion %s failed; it stays approved with the error shown", opinion_id)
        return False
    return True
