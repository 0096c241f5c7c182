import pytest
from django.utils import translation
from django.utils.html import escape

from portal.accounts.roles import RoleCode
from portal.workspace.panels import ROLE_EMPTY_STATES
from portal.workspace.registry import Panel, register_panel, unregister_panel, visible_panels
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/workspace/", "/en/workspace/"])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    prefix = "/en" if url.startswith("/en/") else ""
    assert response["Location"] == f"{prefix}/accounts/login/?next={url}"


@pytest.mark.parametrize("code", RoleCode.values)
def test_each_role_sees_its_empty_state(client, code):
    user = UserFactory(roles=[code])
    client.force_login(user)
    response = client.get("/en/workspace/")
    assert response.status_code == 200
    html = response.content.decode()
    assert user.real_name in html
    with translation.override("en"):
        assert escape(str(RoleCode(code).label)) in html
        assert escape(str(ROLE_EMPTY_STATES[RoleCode(code)])) in html
        others = [str(text) for other, text in ROLE_EMPTY_STATES.items() if other != code]
        assert not any(escape(text) in html for text in others)


def test_user_without_role_is_told_so(client):
    client.force_login(UserFactory())
    html = client.get("/en/workspace/").content.decode()
    assert "Your account has no role yet" in html


def test_organizations_are_listed(client):
    user = UserFactory()
    user.organization_links.create(organization=OrganizationFactory(name="深圳坪山工作台测试有限公司"), role="contact")
    client.force_login(user)
    assert "深圳坪山工作台测试有限公司" in client.get("/workspace/").content.decode()


def test_cms_link_only_for_editors(client):
    editor = UserFactory(roles=[RoleCode.EDITOR])
    member = UserFactory(roles=[RoleCode.COUNCIL_MEMBER])
    client.force_login(editor)
    assert 'href="/admin/"' in client.get("/workspace/").content.decode()
    client.force_login(member)
    assert 'href="/admin/"' not in client.get("/workspace/").content.decode()


def test_editor_role_can_open_the_cms_and_council_member_cannot(client):
    client.force_login(UserFactory(roles=[RoleCode.EDITOR]))
    assert client.get("/admin/").status_code == 200
    client.force_login(UserFactory(roles=[RoleCode.COUNCIL_MEMBER]))
    assert client.get("/admin/").status_code == 302


def test_registered_panels_render_only_when_visible(client):
    evaluator = UserFactory(roles=[RoleCode.EVALUATOR])
    applicant = UserFactory(roles=[RoleCode.APPLICANT])
    register_panel(
        Panel(
            key="tests.evaluator_panel",
            title="Evaluator test panel",
            template="workspace/panels/account.html",
            is_visible=lambda user: RoleCode.EVALUATOR in {g.role.code for g in user.groups.all()},
            get_context=lambda request: {"roles": ["marker-from-test-panel"]},
            order=5,
        )
    )
    try:
        assert [panel.key for panel in visible_panels(evaluator)][0] == "tests.evaluator_panel"
        assert "tests.evaluator_panel" not in [panel.key for panel in visible_panels(applicant)]
        client.force_login(evaluator)
        assert "marker-from-test-panel" in client.get("/workspace/").content.decode()
        client.force_login(applicant)
        assert "marker-from-test-panel" not in client.get("/workspace/").content.decode()
    finally:
        unregister_panel("tests.evaluator_panel")


def test_a_panel_whose_check_returns_a_truthy_non_bool_is_not_shown():
    # Guards against (bool, reason) tuples: a tuple is always truthy.
    user = UserFactory()
    register_panel(Panel(key="tests.tuple", title="t", template="x.html", is_visible=lambda user: (False, "no access")))
    try:
        assert "tests.tuple" not in [panel.key for panel in visible_panels(user)]
    finally:
        unregister_panel("tests.tuple")


def test_inactive_users_cannot_open_the_workspace(client):
    user = UserFactory(is_active=False)
    client.force_login(user)
    assert client.get("/workspace/").status_code == 302
