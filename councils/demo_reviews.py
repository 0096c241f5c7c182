"""The demo's open expert review round, owned by the 生物医药 council: its secretariat runs it (it holds the
council's MANAGE power in ``councils.authority``) and ``evaluator1`` has an invitation to answer. The expert pool
and the rubric come from ``portal/reviews/demo.py``."""

from django.contrib.auth import get_user_model

from portal.reviews import demo as reviews_demo

from .models import Council


def seed_review_round(log):
    council = Council.objects.filter(slug="biomed").first()
    secretariat = get_user_model().objects.filter(username="secretariat").first()
    if council is None or secretariat is None:
        return
    reviews_demo.seed_round(log, owner=council, manager=secretariat)
