from wagtail.models import Locale

from portal.demo import demo_step
from portal.pages.demo import publish, translated
from portal.pages.demo_content import THEME_INTROS
from portal.pages.models import HomePage, NewsIndexPage

from .models import Theme, ThemeIndexPage, ThemePage


@demo_step(order=100)
def seed_theme_pages(log):
    zh = Locale.objects.get(language_code="zh-hans")
    en = Locale.objects.get(language_code="en")
    home = HomePage.objects.get(locale=zh)
    index = ThemeIndexPage.objects.filter(locale=zh).first()
    if index is None:
        index = publish(
            home.add_child(
                instance=ThemeIndexPage(
                    title="产业专题",
                    slug="themes",
                    show_in_menus=True,
                    intro="坪山主导产业与战略性新兴产业专题：委员会、基金、政策与新闻一站汇集。",
                )
            )
        )
    translated(
        index,
        en,
        title="Industry themes",
        intro="Pingshan's leading and emerging industries: councils, funds, policy and news in one place.",
    )
    # The menu reads 首页 · 新闻动态 · 产业专题 · …, in both languages.
    for theme_index in ThemeIndexPage.objects.all():
        news_index = NewsIndexPage.objects.filter(locale=theme_index.locale).first()
        sibling = theme_index.get_prev_sibling()
        if news_index and (sibling is None or sibling.pk != news_index.pk):
            theme_index.move(news_index, pos="right")
    index.refresh_from_db()
    created = 0
    for theme in Theme.objects.all():
        intro = THEME_INTROS.get(theme.code, {})
        page = ThemePage.objects.filter(locale=zh, theme=theme).first()
        if page is None:
            page = publish(
                index.add_child(
                    instance=ThemePage(
                        title=theme.name_zh, slug=theme.code.replace("_", "-"), theme=theme, intro=intro.get("zh", "")
                    )
                )
            )
            created += 1
        translated(page, en, title=theme.name_en, intro=intro.get("en", ""))
    log(f"theme pages: {created} created")
