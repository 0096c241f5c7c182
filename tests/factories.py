"""Factories and a small page tree for tests. Themes and roles come from the data migrations."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model
from django.utils.html import escape
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from portal.accounts.roles import group_for
from portal.organizations.models import Organization, OrganizationKind
from portal.organizations.validators import USCC_ALPHABET, uscc_check_character
from portal.pages.models import HomePage, NewsIndexPage, NewsPage, StandardPage
from themes.models import Theme, ThemeIndexPage, ThemePage

PASSWORD = "correct-horse-battery-1"
_uscc_counter = itertools.count(1)


def make_uscc(prefix="91440310"):
    number = next(_uscc_counter)
    body = ""
    for _ in range(9):
        number, digit = divmod(number, 31)
        body = USCC_ALPHABET[digit] + body
    first17 = prefix + body
    return first17 + uscc_check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.cn")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for code in extracted or []:
            self.groups.add(group_for(code))
        if create:
            self.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"深圳坪山测试科技有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Pingshan Test Technology Co. {n}")
    uscc = factory.LazyFunction(make_uscc)
    kind = OrganizationKind.ENTERPRISE
    registered_in_pingshan = True


def body(*paragraphs):
    return [("paragraph", RichText(f"<p>{escape(text)}</p>")) for text in paragraphs]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_site():
    """Home (zh + en), news index, theme index with the biomed theme page, a standard page.

    Returns a dict of the pages; news is added with add_news().
    """
    zh = Locale.objects.get(language_code="zh-hans")
    en = Locale.objects.get(language_code="en")
    root = Page.get_first_root_node()
    home = publish(root.add_child(instance=HomePage(title="首页", slug="test-home", locale=zh, intro="测试门户首页")))
    site = Site.objects.get(is_default_site=True)
    old_root = site.root_page
    site.root_page = home
    site.save()
    if old_root.pk != home.pk and old_root.specific_class is Page:
        old_root.delete()
    news_index = publish(home.add_child(instance=NewsIndexPage(title="新闻动态", slug="news", show_in_menus=True)))
    theme_index = publish(home.add_child(instance=ThemeIndexPage(title="产业专题", slug="themes", show_in_menus=True)))
    biomed = Theme.objects.get(code="biomed")
    theme_page = publish(
        theme_index.add_child(instance=ThemePage(title="生物医药", slug="biomed", theme=biomed, intro="生物医药专题"))
    )
    standard = publish(
        home.add_child(
            instance=StandardPage(
                title="政务公开指南",
                slug="open-government",
                intro="依法公开",
                body=body("本门户依法推进政务公开工作。"),
            )
        )
    )
    pages = {
        "home": home,
        "news_index": news_index,
        "theme_index": theme_index,
        "theme_page": theme_page,
        "standard": standard,
    }
    pages["home_en"] = translate(home, en, title="Home", intro="The test portal home")
    pages["news_index_en"] = translate(news_index, en, title="News")
    pages["theme_index_en"] = translate(theme_index, en, title="Industry themes")
    pages["theme_page_en"] = translate(theme_page, en, title="Biomedicine", intro="The biomedicine theme")
    pages["standard_en"] = translate(standard, en, title="Open government guide", body=body("Open government."))
    return pages


def translate(page, locale, **fields):
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    return publish(copy)


def add_news(news_index, count=1, *, title="坪山新闻", text="坪山区产业发展动态。", themes=("biomed",), start=None):
    start = start or datetime.date(2026, 1, 1)
    theme_objects = list(Theme.objects.filter(code__in=themes))
    created = []
    for number in range(count):
        article = NewsPage(
            title=f"{title}{number + 1}" if count > 1 else title,
            slug=f"news-{news_index.locale.language_code}-{NewsPage.objects.count() + 1}",
            date=start + datetime.timedelta(days=number),
            summary=text[:200],
            body=body(text),
        )
        news_index.add_child(instance=article)
        article.themes.set(theme_objects)
        created.append(publish(article))
    return created
