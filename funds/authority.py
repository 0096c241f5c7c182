"""Who holds the engines' powers over a fund and its investment committee (``portal.authority``).

* ``MANAGE`` over a fund and over its investment committee: the fund's managers. They run its review rounds, its
  IC polls, and draft and issue the IC's investment decision opinions.
* ``SIGN`` over the investment committee: its chair. Nobody signs for the fund itself.
"""

from django.contrib.auth import get_user_model

from portal import authority
from portal.authority import Power

from .models import Fund, InvestmentCommittee


def fund_holders(fund, power):
    User = get_user_model()
    if power == Power.MANAGE:
        return User.objects.filter(managed_funds=fund)
    return User.objects.none()


def funds_held_by(user, power):
    if power == Power.MANAGE:
        return Fund.objects.filter(managers=user)
    return Fund.objects.none()


def committee_holders(committee, power):
    User = get_user_model()
    if power == Power.MANAGE:
        return User.objects.filter(managed_funds=committee.fund_id)
    return User.objects.filter(pk=committee.chair_id)


def committees_held_by(user, power):
    if power == Power.MANAGE:
        return InvestmentCommittee.objects.filter(fund__managers=user)
    return InvestmentCommittee.objects.filter(chair=user)


def register():
    authority.register(Fund, holders=fund_holders, held_by=funds_held_by)
    authority.register(InvestmentCommittee, holders=committee_holders, held_by=committees_held_by)
