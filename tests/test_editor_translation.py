"""Finding 11: a user with only the editor role translates a page in the Wagtail admin and publishes it in English."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.accounts.roles import RoleCode
from portal.pages.models import NewsPage, StandardPage
from tests.factories import UserFactory, add_news, body, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor_only", roles=[RoleCode.EDITOR])
    client.force_login(user)
    return user


@pytest.fixture
def english():
    return Locale.objects.get(language_code="en")


@pytest.fixture
def article(site_pages):
    return add_news(
        site_pages["news_index"], title="坪山生物医药企业新增临床批件", text="坪山生物医药企业获批开展临床试验。"
    )[0]


def translate_url(page):
    return reverse("simple_translation:submit_page_translation", args=[page.pk])


def submit_translation(client, page, locale, **extra):
    return client.post(translate_url(page), {"locales": [locale.pk], **extra})


def publish_form(page, **fields):
    """What the admin's edit form posts for a news article when the editor presses Publish."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "date": page.date.isoformat(),
        "themes": [theme.pk for theme in page.themes.all()],
        "summary": page.summary,
        "body": streamfield([("paragraph", rich_text("<p>Pingshan biomedicine news.</p>"))]),
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(fields)
    return nested_form_data(data)


def test_editor_role_holds_the_translation_permission(editor):
    assert editor.has_perm("simple_translation.submit_translation")


def test_page_admin_offers_translate_to_the_editor(client, editor, article, site_pages):
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert edit.status_code == 200
    assert translate_url(article) in edit.content.decode()

    listing = client.get(reverse("wagtailadmin_explore", args=[site_pages["news_index"].pk]))
    assert listing.status_code == 200
    assert translate_url(article) in listing.content.decode()


def test_translate_action_is_gone_once_every_language_exists(client, editor, site_pages):
    # The standard page already has its English version: nothing left to translate into.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[site_pages["standard"].pk]))
    assert edit.status_code == 200
    assert translate_url(site_pages["standard"]) not in edit.content.decode()


def test_editor_translates_edits_and_publishes_a_news_article(client, editor, article, english):
    form = client.get(translate_url(article))
    assert form.status_code == 200

    response = submit_translation(client, article, english)
    translation = NewsPage.objects.get(locale=english, translation_key=article.translation_key)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[translation.pk])
    assert not translation.live  # a draft until the editor has written the English text
    assert translation.get_parent().locale == english
    assert client.get(f"/en/news/{translation.slug}/").status_code == 404

    assert client.get(reverse("wagtailadmin_pages:edit", args=[translation.pk])).status_code == 200
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[translation.pk]),
        publish_form(
            translation,
            title="Pingshan biomedicine firm wins clinical trial approval",
            summary="A Pingshan biomedicine company may start clinical trials.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    translation.refresh_from_db()
    assert translation.live
    assert translation.title == "Pingshan biomedicine firm wins clinical trial approval"
    assert translation.get_latest_revision().user == editor

    public = client.get(f"/en/news/{translation.slug}/")
    assert public.status_code == 200
    html = public.content.decode()
    assert "Pingshan biomedicine firm wins clinical trial approval" in html
    assert "Pingshan biomedicine news." in html
    # The Chinese original is untouched.
    article.refresh_from_db()
    assert article.title == "坪山生物医药企业新增临床批件"
    assert article.live


def test_editor_translates_a_page_with_its_child_pages(client, editor, site_pages, english):
    guide = publish(
        site_pages["home"].add_child(instance=StandardPage(title="办事指南", slug="guide", body=body("办事指南。")))
    )
    step = publish(guide.add_child(instance=StandardPage(title="申报流程", slug="steps", body=body("申报流程。"))))

    response = submit_translation(client, guide, english, include_subtree="on")
    assert response.status_code == 302
    guide_en = guide.get_translation(english)
    step_en = step.get_translation(english)
    assert step_en.get_parent().pk == guide_en.pk
    assert {guide_en.locale, step_en.locale} == {english}


def test_translate_refuses_a_language_the_page_already_has(client, editor, site_pages, english):
    before = Page.objects.count()
    response = submit_translation(client, site_pages["standard"], english)
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors["locales"]
    assert Page.objects.count() == before


def test_translating_needs_the_editor_role(client, article, english):
    client.force_login(UserFactory(username="member_only", roles=[RoleCode.COUNCIL_MEMBER]))
    response = submit_translation(client, article, english)
    assert response.status_code in (302, 403)
    assert not article.has_translation(english)


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailusers_users:index",
        "wagtailusers_groups:index",
        "wagtaillocales:index",
        "wagtailsites:index",
    ],
)
def test_editor_stays_out_of_users_roles_and_settings(client, editor, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")


def test_editor_stays_out_of_site_settings(client, editor, site_pages):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    response = client.get(reverse("wagtailsettings:edit", args=["pages", "sitefootersettings", site.pk]))
    assert response.status_code in (302, 403)
    assert not editor.has_perm("pages.change_sitefootersettings")
    assert not editor.has_perm("auth.change_group")


def test_an_existing_database_gains_the_permission_on_its_next_migrate(editor):
    # Deployed databases created before this permission was granted get it from post_migrate, no data migration.
    from django.contrib.auth.models import Permission

    from portal.accounts.roles import group_for
    from portal.accounts.signals import grant_editor_permissions

    group = group_for(RoleCode.EDITOR)
    group.permissions.remove(Permission.objects.get(codename="submit_translation"))
    grant_editor_permissions(sender=None)
    grant_editor_permissions(sender=None)  # idempotent
    assert group.permissions.filter(codename="submit_translation").count() == 1
