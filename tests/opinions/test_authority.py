"""Issue 8, finding 1: power over an issuer's opinions comes from its owner, never from a role.

A user with the secretariat role who sat on no council's secretariat could create an opinion under a council's
issuer, name themself as signatory, sign, issue and revoke. Each of those is refused here, and each refusal
leaves the database as it was.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from portal.accounts.roles import RoleCode
from portal.authority import Power
from portal.opinions import permissions, services
from portal.opinions.forms import OpinionForm
from portal.opinions.models import Opinion, OpinionState, SignOff
from tests.factories import UserFactory
from tests.opinions.conftest import approve, make_opinion

pytestmark = pytest.mark.django_db


@pytest.fixture
def intruder(owner_grants):
    """The secretariat of another body: the role, and MANAGE over somebody else."""
    from tests.factories import OrganizationFactory

    user = UserFactory(username="op_other_secretariat", roles=[RoleCode.SECRETARIAT], is_staff=True)
    owner_grants.grant(user, OrganizationFactory(name="另一理事会"))
    return user


def rows():
    return (
        Opinion.objects.count(),
        SignOff.objects.count(),
        list(Opinion.objects.order_by("pk").values_list("state", flat=True)),
        ModelLogEntry.objects.filter(action__startswith="opinions.").count(),
    )


def test_a_role_and_staff_flag_grant_no_power_over_an_issuer(issuer, people, intruder, fast_pdf):
    assert not permissions.can_create(intruder, issuer)
    before = rows()
    with pytest.raises(PermissionDenied):
        services.create_opinion(
            actor=intruder, issuer=issuer, title="冒名意见", body="<p>正文</p>", signatories=[intruder]
        )
    assert rows() == before
    draft = make_opinion(issuer, people)
    issued = make_opinion(issuer, people, title="已印发")
    approve(issued, people)
    services.request_issue(actor=people["editor"], opinion=issued)
    issued = services.issue_now(opinion_id=issued.pk, actor_id=people["editor"].pk)
    before = rows()
    for action, opinion, extra in [
        (services.update_draft, draft, {"title": "改", "body": "<p>改</p>", "kind": "evaluation", "addressee": "",
                                        "is_public": False, "signatories": [intruder]}),
        (services.submit_for_review, draft, {}),
        (services.revoke, issued, {"reason": "冒名撤销"}),
    ]:  # fmt: skip
        with pytest.raises(PermissionDenied):
            action(actor=intruder, opinion=opinion, **extra)
    assert rows() == before
    assert not permissions.can_view(intruder, draft)
    assert not permissions.can_revoke(intruder, issued)


def test_the_superuser_manages_but_never_signs(issuer, people):
    root = UserFactory(is_superuser=True)
    assert permissions.can_create(root, issuer)
    assert not permissions.may_sign_for(root, issuer)
    with pytest.raises(ValidationError) as error:
        make_opinion(issuer, people, signatories=[root])
    assert "signatories" in error.value.message_dict


def test_only_the_issuers_signatories_can_be_named(issuer, people):
    before = rows()
    with pytest.raises(ValidationError) as error:
        make_opinion(issuer, people, signatories=[people["first"], people["outsider"]])
    assert people["outsider"].display_name in error.value.message_dict["signatories"][0]
    assert rows() == before
    # The form offers only them.
    form = OpinionForm(issuer=issuer)
    offered = set(form.fields["signatory_1"].queryset)
    assert offered == {people["first"], people["second"]}


def test_the_drafter_is_never_the_only_approver(issuer, people, owner_grants, owner):
    owner_grants.grant(people["editor"], owner, Power.SIGN)  # the editor also signs for the body
    before = rows()
    with pytest.raises(ValidationError) as error:
        make_opinion(issuer, people, signatories=[people["editor"]])
    with translation.override("en"):  # the message is lazy: read it in English
        assert "only approver" in error.value.message_dict["signatories"][0]
    assert rows() == before
    opinion = make_opinion(issuer, people, signatories=[people["editor"], people["first"]])
    assert [entry.user for entry in opinion.sign_offs.all()] == [people["editor"], people["first"]]


def test_a_signatory_who_loses_the_power_can_no_longer_sign(issuer, people, owner_grants, owner):
    opinion = make_opinion(issuer, people)
    services.submit_for_review(actor=people["editor"], opinion=opinion)
    assert permissions.can_sign(people["first"], Opinion.objects.get(pk=opinion.pk))
    owner_grants.revoke(people["first"], owner, Power.SIGN)  # stepped down as chair
    fresh = Opinion.objects.get(pk=opinion.pk)
    assert not permissions.can_sign(people["first"], fresh)
    with pytest.raises(PermissionDenied):
        services.sign_off(actor=people["first"], opinion=fresh, approve=True)
    assert Opinion.objects.get(pk=opinion.pk).state == OpinionState.IN_REVIEW


def test_submitting_checks_the_list_again(issuer, people, owner_grants, owner):
    opinion = make_opinion(issuer, people)
    owner_grants.revoke(people["second"], owner, Power.SIGN)
    with pytest.raises(ValidationError) as error:
        services.submit_for_review(actor=people["editor"], opinion=Opinion.objects.get(pk=opinion.pk))
    assert error.value.code == "signatories"
    assert Opinion.objects.get(pk=opinion.pk).state == OpinionState.DRAFT


def test_through_the_views_the_intruder_meets_404_and_changes_nothing(client, issuer, people, intruder, fast_pdf):
    opinion = make_opinion(issuer, people, title="已印发")
    approve(opinion, people)
    services.request_issue(actor=people["editor"], opinion=opinion)
    opinion = services.issue_now(opinion_id=opinion.pk, actor_id=people["editor"].pk)
    client.force_login(intruder)
    assert client.get(f"/workspace/opinions/new/{issuer.pk}/").status_code == 404
    assert client.post(f"/workspace/opinions/{opinion.pk}/revoke/", {"reason": "冒名"}).status_code == 404
    assert client.get(f"/workspace/opinions/{opinion.pk}/").status_code == 404
    assert Opinion.objects.get(pk=opinion.pk).state == OpinionState.ISSUED
    listing = client.get("/workspace/opinions/")
    assert listing.status_code == 200 and "已印发" not in listing.content.decode()


def test_reading_a_non_public_opinion_is_audited(client, issuer, people, fast_pdf):
    """Finding 7: the full text and the file of a non-public opinion, by either door, leave an audit line."""
    opinion = make_opinion(issuer, people, is_public=False)
    approve(opinion, people)
    services.request_issue(actor=people["editor"], opinion=opinion)
    opinion = services.issue_now(opinion_id=opinion.pk, actor_id=people["editor"].pk)

    def logged(action):
        return ModelLogEntry.objects.filter(action=action, object_id=str(opinion.pk), user=people["first"]).count()

    client.force_login(people["first"])
    assert client.get(f"/workspace/opinions/{opinion.pk}/").status_code == 200
    assert logged("opinions.view") == 1
    assert client.get(f"/verify/{opinion.verification_code}/pdf/").status_code == 200
    assert client.get(f"/workspace/opinions/{opinion.pk}/pdf/").status_code == 200
    assert logged("opinions.download") == 2
