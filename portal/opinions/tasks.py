from django_tasks import task


@task()
def issue_opinion(opinion_id: int, actor_id: int) -> bool:
    """Render, sign and issue an approved opinion. A failure is recorded on the opinion (see services) and raised,
    so that the worker tries again later (portal/worker/retry.py); issuing twice issues once."""
    from .services import issue_now

    issue_now(opinion_id=opinion_id, actor_id=actor_id)
    return True
