"""The Wagtail admin in Chinese: our roles only (no stray Wagtail groups), pinyin slugs, translated admin strings."""

import ast
import datetime
import importlib
import json
from pathlib import Path

import pytest
import wagtail
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Task,
    Workflow,
    WorkflowPage,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.accounts.roles import RoleCode, group_for
from portal.pages.models import NewsPage
from portal.pages.slugs import available_slug, pinyin_slug
from tests.factories import UserFactory
from tests.test_translations import parse_po

pytestmark = pytest.mark.django_db

retirement = importlib.import_module("portal.accounts.migrations.0004_retire_wagtail_default_groups")


# --- Wagtail's default groups and workflow ----------------------------------------------------


def test_migrated_database_has_only_our_role_groups():
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert set(Group.objects.values_list("role__code", flat=True)) == set(RoleCode.values)


def test_default_workflow_is_content_review_approved_by_editors():
    workflow = Workflow.objects.get()
    assert workflow.name == "内容审核"
    task = workflow.tasks.get().specific
    assert task.name == "内容编辑审核"
    assert list(task.groups.all()) == [group_for(RoleCode.EDITOR)]
    assert WorkflowPage.objects.filter(workflow=workflow, page=Page.get_first_root_node()).exists()


VERBS = ("add", "change", "choose", "delete")


def wagtail_default_group(name, *, publish):
    """A group as Wagtail's own migrations leave it."""
    group = Group.objects.create(name=name)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["wagtailimages", "wagtaildocs", "wagtailadmin"],
            codename__in=["access_admin", *(f"{verb}_{model}" for verb in VERBS for model in ("image", "document"))],
        )
    )
    root = Page.get_first_root_node()
    codenames = ["add_page", "change_page"] + (["publish_page", "lock_page", "unlock_page"] if publish else [])
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames):
        GroupPagePermission.objects.create(group=group, page=root, permission=permission)
    return group


def run_retirement():
    from django.apps import apps

    retirement.retire_wagtail_default_groups(apps, None)


@pytest.fixture
def existing_database(site_pages):
    """An existing database: the default groups are back, with a member each, and the default workflow's name."""
    moderators = wagtail_default_group("Moderators", publish=True)
    editors = wagtail_default_group("Editors", publish=False)
    moderator = UserFactory(username="old_moderator")
    moderator.groups.add(moderators)
    writer = UserFactory(username="old_editor")
    writer.groups.add(editors)
    task = GroupApprovalTask.objects.get()
    task.groups.set([moderators])
    Task.objects.update(name="Moderators approval")
    Workflow.objects.update(name="Moderators approval")
    # Someone restricted a page to the Moderators and gave them a subtree of their own.
    restriction = PageViewRestriction.objects.create(
        page=site_pages["standard"], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(moderators)
    news_only = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    GroupPagePermission.objects.create(group=moderators, page=site_pages["news_index"], permission=news_only)
    return {"moderator": moderator, "writer": writer, "restriction": restriction, "pages": site_pages}


def test_retirement_moves_members_and_grants_onto_the_editor_role(existing_database):
    run_retirement()

    editors = group_for(RoleCode.EDITOR)
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    for user in (existing_database["moderator"], existing_database["writer"]):
        assert editors in user.groups.all()
    assert editors in existing_database["restriction"].groups.all()
    assert GroupPagePermission.objects.filter(
        group=editors, page=existing_database["pages"]["news_index"], permission__codename="publish_page"
    ).exists()
    root_collection = Collection.get_first_root_node()
    assert not GroupCollectionPermission.objects.filter(collection=root_collection, group__role__isnull=True).exists()
    assert list(GroupApprovalTask.objects.get().groups.all()) == [editors]
    assert Workflow.objects.get().name == "内容审核"
    assert Task.objects.get().name == "内容编辑审核"
    # Deleting images and documents stays out of the editor role, as portal.accounts.signals has it.
    assert not editors.permissions.filter(codename__in=["delete_image", "delete_document"]).exists()

    # The moved-over moderator can still publish in the CMS.
    moderator = existing_database["moderator"]
    moderator = type(moderator).objects.get(pk=moderator.pk)
    assert moderator.has_perm("wagtailadmin.access_admin")
    assert existing_database["pages"]["news_index"].permissions_for_user(moderator).can_publish()


def test_retirement_is_idempotent(existing_database):
    run_retirement()
    snapshot = (
        sorted(Group.objects.values_list("name", flat=True)),
        GroupPagePermission.objects.count(),
        sorted(group_for(RoleCode.EDITOR).user_set.values_list("username", flat=True)),
    )
    run_retirement()
    assert snapshot == (
        sorted(Group.objects.values_list("name", flat=True)),
        GroupPagePermission.objects.count(),
        sorted(group_for(RoleCode.EDITOR).user_set.values_list("username", flat=True)),
    )


def test_retirement_leaves_a_customised_group_and_our_own_groups_alone(existing_database):
    moderators = Group.objects.get(name="Moderators")
    moderators.permissions.add(Permission.objects.get(codename="change_user"))
    # A role group an administrator renamed to "Editors" is ours: it stays whatever its name.
    ours = group_for(RoleCode.SECRETARIAT)
    ours.name = "Editors"
    Group.objects.filter(name="Editors", role__isnull=True).delete()
    ours.save()

    run_retirement()

    assert Group.objects.filter(pk=moderators.pk).exists()
    assert existing_database["moderator"].groups.filter(pk=moderators.pk).exists()
    assert Group.objects.filter(pk=ours.pk, role__code=RoleCode.SECRETARIAT).exists()


def test_retirement_does_nothing_on_an_empty_database():
    Group.objects.all().delete()  # no roles, no groups: nothing to move them onto
    run_retirement()
    assert not Group.objects.exists()


def test_demo_users_seed_creates_no_wagtail_groups():
    from portal.accounts.demo import seed_users

    seed_users(lambda message: None)
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()


# --- pinyin slugs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("坪山新闻", "pingshan-xinwen"),
        ("生物医药产业", "shengwuyiyao-chanye"),
        ("2026年坪山Biotech大会", "2026-nian-pingshan-biotech-dahui"),
        ("重庆，长沙！", "chongqing-changsha"),  # heteronyms read in context; punctuation dropped
        ("２０２６ 坪山", "2026-pingshan"),  # full-width digits fold to ASCII
        ("！？", ""),
    ],
)
def test_pinyin_slug(title, slug):
    assert pinyin_slug(title, 255) == slug


def test_pinyin_slug_is_cut_at_a_word_boundary():
    assert pinyin_slug("坪山新闻坪山新闻", 20) == "pingshan-xinwen"
    assert len(pinyin_slug("坪山" * 200, 255)) <= 255


def test_available_slug_numbers_a_taken_slug(site_pages):
    news_index = site_pages["news_index"]
    news_index.add_child(instance=news_page("坪山新闻", "pingshan-xinwen"))
    assert available_slug("pingshan-xinwen", news_index, None, 255) == "pingshan-xinwen-2"
    assert available_slug("other", news_index, None, 255) == "other"
    assert len(available_slug("p" * 255, news_index, None, 255)) <= 255


def news_page(title, slug):
    return NewsPage(title=title, slug=slug, date=datetime.date(2026, 3, 1), summary="摘要", body=[])


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor_only", roles=[RoleCode.EDITOR])
    client.force_login(user)
    return user


def add_news_in_admin(client, parent, *, title, slug, action="action-publish"):
    """What the admin's create form posts for a news article (the browser has filled the slug from the title)."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-03-01",
            "summary": "坪山区产业动态。",
            "body": streamfield([("paragraph", rich_text("<p>坪山区产业动态。</p>"))]),
            "comments": inline_formset([]),
            action: action,
        }
    )
    return client.post(reverse("wagtailadmin_pages:add", args=("pages", "newspage", parent.pk)), data)


def test_admin_gives_a_chinese_title_a_pinyin_slug(client, editor, site_pages):
    news_index = site_pages["news_index"]
    response = add_news_in_admin(client, news_index, title="坪山新闻", slug="坪山新闻")
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(title="坪山新闻")
    assert page.slug == "pingshan-xinwen"
    assert page.url_path.endswith("/pingshan-xinwen/")
    assert client.get(page.url).status_code == 200

    # A second page of the same title gets the next free slug among its siblings.
    response = add_news_in_admin(client, news_index, title="坪山新闻", slug="坪山新闻")
    assert response.status_code == 302
    assert sorted(NewsPage.objects.filter(title="坪山新闻").values_list("slug", flat=True)) == [
        "pingshan-xinwen",
        "pingshan-xinwen-2",
    ]


def test_admin_keeps_a_slug_the_editor_typed(client, editor, site_pages):
    response = add_news_in_admin(client, site_pages["news_index"], title="坪山新闻", slug="pingshan-news-2026")
    assert response.status_code == 302
    assert NewsPage.objects.get(title="坪山新闻").slug == "pingshan-news-2026"


def test_admin_refuses_a_typed_slug_a_sibling_has(client, editor, site_pages):
    site_pages["news_index"].add_child(instance=news_page("旧闻", "pingshan-news"))
    response = add_news_in_admin(client, site_pages["news_index"], title="坪山新闻", slug="pingshan-news")
    assert response.status_code == 200  # the form again, with the slug's error, nothing created
    assert "slug" in response.context["form"].errors
    assert not NewsPage.objects.filter(title="坪山新闻").exists()


def test_a_published_chinese_slug_keeps_its_address_on_edit(client, editor, site_pages):
    page = site_pages["news_index"].add_child(instance=news_page("坪山新闻", "坪山新闻"))
    data = nested_form_data(
        {
            "title": "坪山新闻（更新）",
            "slug": "坪山新闻",
            "date": "2026-03-01",
            "summary": "摘要",
            "body": streamfield([("paragraph", rich_text("<p>更新。</p>"))]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert (page.title, page.slug) == ("坪山新闻（更新）", "坪山新闻")


# --- the admin's strings in Chinese -----------------------------------------------------------

WAGTAIL_DIR = Path(wagtail.__file__).parent
ADMIN_STRINGS = Path(settings.BASE_DIR) / "portal" / "pages" / "admin_strings.py"


def admin_strings():
    """(msgid, msgid_plural) of every call in portal/pages/admin_strings.py."""
    found = []
    for node in ast.walk(ast.parse(ADMIN_STRINGS.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"gettext_noop", "ngettext_lazy"}:
            args = [arg.value for arg in node.args]
            found.append((args[0], args[1] if len(args) > 1 else None))
    return found


def wagtail_msgids():
    """Every (msgid, msgid_plural) in Wagtail's English source catalogues."""
    return {
        (entry["msgid"], entry["msgid_plural"])
        for path in WAGTAIL_DIR.glob("**/locale/en/LC_MESSAGES/django.po")
        for entry in parse_po(path)
    }


def test_every_override_is_a_msgid_wagtail_uses():
    strings = admin_strings()
    assert len(strings) > 300  # the parser found the list
    unknown = set(strings) - wagtail_msgids()
    assert not unknown, f"not in Wagtail's catalogues (reworded in an upgrade?): {sorted(unknown)}"


def test_every_override_reads_chinese():
    with translation.override("zh-hans"):
        for singular, plural in admin_strings():
            text = translation.ngettext(singular, plural, 2) if plural else translation.gettext(singular)
            assert text not in {singular, plural} or text == "Wagtail API v3", f"{singular!r} is still English"


def test_wagtail_strings_the_admin_showed_in_english_or_wrong():
    with translation.override("zh-hans"):
        assert translation.gettext("Pages") == "页面"  # not 分页: that is the pagination label's
        assert translation.gettext("Pagination") == "分页"
        summary = '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>'
        plural = '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>'
        assert translation.ngettext(summary, plural, 49) % {"total": 49, "site_name": "门户"} == (
            '49 个页面<span class="w-sr-only">（创建于门户）</span>'
        )
        referenced = translation.ngettext("Referenced %(count)s time", "Referenced %(count)s times", 0)
        assert referenced % {"count": 0} == "被引用 0 次"
        assert translation.gettext("Submit to %(workflow_name)s") % {"workflow_name": "内容审核"} == "提交内容审核"
        assert translation.gettext("live") == "已发布"
    with translation.override("en"):
        assert translation.gettext("Pages") == "Pages"
        assert translation.ngettext("Referenced %(count)s time", "Referenced %(count)s times", 2) == (
            "Referenced %(count)s times"
        )


def test_editor_meets_the_admin_in_chinese(client, editor, site_pages):
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "个页面" in dashboard
    assert "搜索所有页面…" in dashboard
    assert " Pages" not in dashboard

    article = site_pages["news_index"].add_child(instance=news_page("坪山新闻", "pingshan-xinwen"))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert "提交内容审核" in edit
    assert "Moderators" not in edit

    explorer = client.get(reverse("wagtailadmin_explore", args=[site_pages["news_index"].pk])).content.decode()
    assert "浏览" in explorer
    assert "Exploring" not in explorer


def test_admin_javascript_strings_read_chinese(client, editor):
    catalogue = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    # Django writes the catalogue as JSON with non-ASCII escaped.
    assert json.dumps("插入区块") in catalogue
    assert json.dumps("（新）") in catalogue


def test_public_pagination_keeps_its_label(client, site_pages):
    from tests.factories import add_news

    add_news(site_pages["news_index"], count=12)
    html = client.get(site_pages["news_index"].url).content.decode()
    assert 'aria-label="分页"' in html
