"""One open vote for the demo council members."""

from fractions import Fraction

from django.contrib.auth import get_user_model

from portal.demo import demo_step
from portal.opinions.models import Opinion

from . import services
from .models import Poll

POLL_TITLE = "关于同意报送生物医药产业政策评议意见的表决"
VOTERS = ["member_biomed", "member_nev", "member_ic", "external_member"]


@demo_step(order=70)
def seed_polls(log):
    users = {user.username: user for user in get_user_model().objects.filter(username__in=[*VOTERS, "secretariat"])}
    subject = Opinion.objects.filter(kind="policy_feedback").order_by("pk").first()
    if subject is None or "secretariat" not in users or Poll.objects.filter(title=POLL_TITLE).exists():
        return
    voters = [users[name] for name in VOTERS if name in users]
    poll = services.create_poll(
        actor=users["secretariat"],
        subject=subject,
        title=POLL_TITLE,
        quorum=Fraction(1, 2),
        description="请各委员对是否同意报送本次政策评议意见进行表决。",
    )
    services.open_poll(actor=users["secretariat"], poll=poll, voters=voters, present=voters)
    if "member_nev" in users:
        services.cast_ballot(actor=users["member_nev"], poll=poll, choice="yes")
    log(f"voting: “{POLL_TITLE}” open, {len(voters)} voters (member_biomed to vote)")
