import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import ModelLogEntry

from portal.accounts.models import Role
from portal.accounts.roles import RoleCode, group_for, has_role, role_codes
from tests.factories import PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, prefix=""):
    return client.post(f"{prefix}/accounts/login/", {"username": username, "password": password})


def test_every_role_code_has_a_group():
    assert set(Role.objects.values_list("code", flat=True)) == set(RoleCode.values)
    for code in RoleCode.values:
        assert group_for(code).role.code == code


def test_roles_are_checked_by_code_not_by_group_name():
    user = UserFactory(roles=[RoleCode.EVALUATOR])
    group = group_for(RoleCode.EVALUATOR)
    group.name = "Reviewers (renamed by staff)"
    group.save()
    user = get_user_model().objects.get(pk=user.pk)
    assert has_role(user, RoleCode.EVALUATOR)
    assert not has_role(user, RoleCode.SECRETARIAT)
    # A group named like a role code gives no role.
    impostor = UserFactory()
    impostor.groups.add(Group.objects.create(name="secretariat"))
    assert role_codes(impostor) == frozenset()


def test_anonymous_has_no_roles(rf):
    from django.contrib.auth.models import AnonymousUser

    assert role_codes(AnonymousUser()) == frozenset()


def test_login_by_username(client):
    UserFactory(username="zhangsan")
    response = login(client, "zhangsan")
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200


def test_login_by_email_is_case_insensitive(client):
    UserFactory(username="lisi", email="Li.Si@Example.cn")
    response = login(client, "li.si@example.CN")
    assert response.status_code == 302
    assert client.get("/workspace/").wsgi_request.user.username == "lisi"


def test_wrong_password_gives_a_clear_message_and_no_session(client):
    UserFactory(username="wangwu")
    response = login(client, "wangwu", "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_unknown_email_and_inactive_users_cannot_log_in(client):
    UserFactory(username="zhaoliu", is_active=False)
    assert login(client, "zhaoliu").status_code == 200
    assert login(client, "nobody@example.cn").status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_for_that_address(client):
    UserFactory(username="target")
    for _ in range(5):
        login(client, "target", "wrong")
    response = login(client, "target")  # the right password, but locked now
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_continues_in_the_preferred_language(client):
    UserFactory(username="carter", preferred_language="en")
    response = login(client, "carter")
    assert response["Location"] == "/en/workspace/"


def test_a_next_address_that_names_its_language_is_kept(client):
    # Logging in on the Chinese page with next=/en/apply/ once became /en/en/apply/ (a 404) for an English reader.
    UserFactory(username="carter", preferred_language="en")
    response = client.post("/accounts/login/?next=/en/apply/", {"username": "carter", "password": PASSWORD})
    assert response["Location"] == "/en/apply/"
    assert client.get(response["Location"]).status_code == 200


def test_next_parameter_is_respected_and_external_next_is_ignored(client):
    UserFactory(username="nextuser")
    response = client.post("/accounts/login/?next=/accounts/profile/", {"username": "nextuser", "password": PASSWORD})
    assert response["Location"] == "/accounts/profile/"
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": "nextuser", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/workspace/"


def test_logout_needs_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 200
    assert "accounts/logged_out.html" in [template.name for template in response.templates]
    assert "_auth_user_id" not in client.session


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "Pingshan-new-2026!", "new_password2": "Pingshan-new-2026!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Pingshan-new-2026!")


def test_password_change_with_wrong_old_password_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "nope", "new_password1": "Pingshan-new-2026!", "new_password2": "Pingshan-new-2026!"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_by_mail(client):
    user = UserFactory(email="reset@example.cn")
    response = client.post("/accounts/password/reset/", {"email": "reset@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/[^\s]+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": "Reset-pass-2026!", "new_password2": "Reset-pass-2026!"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Reset-pass-2026!")


def test_password_reset_for_unknown_address_sends_nothing_but_looks_the_same(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_shows_organizations_and_saves_changes(client):
    user = UserFactory()
    organization = OrganizationFactory(name="深圳坪山资料测试有限公司")
    user.organization_links.create(organization=organization, role="contact")
    client.force_login(user)
    assert "深圳坪山资料测试有限公司" in client.get("/accounts/profile/").content.decode()
    response = client.post(
        "/accounts/profile/",
        {"real_name": "张三", "email": "zs@example.cn", "phone": "0755-2800 0100", "preferred_language": "en"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    user.refresh_from_db()
    assert (user.real_name, user.phone, user.preferred_language) == ("张三", "0755-2800 0100", "en")
    assert ModelLogEntry.objects.filter(object_id=str(user.pk), action="wagtail.edit").exists()


def test_profile_bad_input_changes_nothing(client):
    user = UserFactory(real_name="原名")
    UserFactory(email="taken@example.cn")
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {"real_name": "新名", "email": "TAKEN@example.cn", "phone": "call me", "preferred_language": "xx"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"email", "phone", "preferred_language"} <= set(errors)
    user.refresh_from_db()
    assert user.real_name == "原名"
    # The page's header names the user as saved, not as refused.
    assert response.context["user"].real_name == "原名"
    assert "新名" not in response.content.decode().split("<main")[0]


def test_profile_needs_login(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_email_is_unique_case_insensitively():
    from django.db import IntegrityError

    UserFactory(email="same@example.cn")
    with pytest.raises(IntegrityError):
        UserFactory(email="SAME@example.cn")


def test_several_users_may_have_no_email():
    UserFactory(email="")
    UserFactory(email="")
    assert get_user_model().objects.filter(email="").count() == 2
