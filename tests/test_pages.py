"""Page tests for every public page type, in Chinese (/) and English (/en/).

Wagtail's testing style: one tree per class built in setUpTestData, structure assertions from
WagtailPageTestCase, and rendering checked through self.client.
"""

import datetime
import re

from wagtail.models import Locale, Page
from wagtail.test.utils import WagtailPageTestCase

from portal.organizations.models import OrganizationKind
from portal.pages.models import HomePage, NewsIndexPage, NewsPage, StandardPage
from tests.factories import OrganizationFactory, add_news, body, build_site, publish, translate
from themes.models import Theme, ThemeIndexPage, ThemePage

ALL_PAGE_TYPES = (HomePage, NewsIndexPage, NewsPage, StandardPage, ThemeIndexPage, ThemePage)


def between(html, start, end):
    """The part of html from the first `start` to the next `end` after it (both included)."""
    begin = html.index(start)
    return html[begin : html.index(end, begin) + len(end)]


class PageStructureTests(WagtailPageTestCase):
    """Where each page type may be created: matches parent_page_types / subpage_types."""

    def test_home_page(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {NewsIndexPage, StandardPage, ThemeIndexPage})
        for page_type in (HomePage, NewsPage, ThemePage):
            self.assertCanNotCreateAt(HomePage, page_type)

    def test_news_index_page(self):
        self.assertCanCreateAt(HomePage, NewsIndexPage)
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        for parent in (Page, NewsIndexPage, NewsPage, StandardPage, ThemeIndexPage, ThemePage):
            self.assertCanNotCreateAt(parent, NewsIndexPage)

    def test_news_page(self):
        self.assertCanCreateAt(NewsIndexPage, NewsPage)
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())
        for parent in (Page, HomePage, NewsPage, StandardPage, ThemeIndexPage, ThemePage):
            self.assertCanNotCreateAt(parent, NewsPage)
        for child in ALL_PAGE_TYPES:
            self.assertCanNotCreateAt(NewsPage, child)

    def test_standard_page(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        for parent in (Page, NewsIndexPage, NewsPage, ThemeIndexPage, ThemePage):
            self.assertCanNotCreateAt(parent, StandardPage)

    def test_theme_index_page(self):
        self.assertCanCreateAt(HomePage, ThemeIndexPage)
        self.assertAllowedParentPageTypes(ThemeIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ThemeIndexPage, {ThemePage})
        for parent in (Page, NewsIndexPage, NewsPage, StandardPage, ThemeIndexPage, ThemePage):
            self.assertCanNotCreateAt(parent, ThemeIndexPage)

    def test_theme_page(self):
        self.assertCanCreateAt(ThemeIndexPage, ThemePage)
        self.assertAllowedParentPageTypes(ThemePage, {ThemeIndexPage})
        self.assertAllowedSubpageTypes(ThemePage, set())
        for parent in (Page, HomePage, NewsIndexPage, NewsPage, StandardPage, ThemePage):
            self.assertCanNotCreateAt(parent, ThemePage)
        for child in ALL_PAGE_TYPES:
            self.assertCanNotCreateAt(ThemePage, child)


class PageRenderingTests(WagtailPageTestCase):
    """Every page type rendered in both languages, with content from a small but realistic tree.

    Chinese news (13 live articles, newest first):
      lead      2026-03-01  坪山区重大项目集中签约 (featured, clean_energy)
      nev 5..1  2026-02-05 .. 2026-02-01  新能源汽车动态5 .. 1
      biomed 7..1  2026-01-07 .. 2026-01-01  生物医药动态7 .. 1
    plus one unpublished draft dated 2026-04-01. English news: the translation of 新能源汽车动态5 and
    two English-only articles.
    """

    @classmethod
    def setUpTestData(cls):
        cls.pages = build_site()
        en = Locale.objects.get(language_code="en")
        news_index = cls.pages["news_index"]
        cls.biomed_news = add_news(
            news_index, 7, title="生物医药动态", text="生物医药产业集聚发展。", themes=("biomed",),
            start=datetime.date(2026, 1, 1),
        )  # fmt: skip
        cls.nev_news = add_news(
            news_index, 5, title="新能源汽车动态", text="新能源汽车产业链协同。", themes=("nev",),
            start=datetime.date(2026, 2, 1),
        )  # fmt: skip
        (cls.lead,) = add_news(
            news_index, title="坪山区重大项目集中签约", text="重大项目签约仪式举行。", themes=("clean_energy",),
            start=datetime.date(2026, 3, 1),
        )  # fmt: skip
        cls.lead.featured = True
        cls.lead = publish(cls.lead)

        cls.draft = NewsPage(
            title="未发布草稿新闻",
            slug="draft-news",
            date=datetime.date(2026, 4, 1),
            summary="草稿摘要",
            body=body("草稿正文。"),
            live=False,
        )
        news_index.add_child(instance=cls.draft)
        cls.draft.themes.set([Theme.objects.get(code="biomed")])
        cls.draft.save_revision()

        # A news article with an English translation, for the language switch.
        cls.article = cls.nev_news[-1]  # 新能源汽车动态5, 2026-02-05
        cls.article.summary = "新能源汽车产业链上下游企业协同发展。"
        cls.article.body = body("坪山新能源汽车产业链协同发展的正文段落。")
        cls.article = publish(cls.article)
        cls.article_en = translate(
            cls.article,
            en,
            title="New-energy vehicle supply chain cooperation",
            summary="Upstream and downstream companies cooperate.",
            body=body("Body text of the new-energy vehicle article."),
        )
        cls.english_news = add_news(
            cls.pages["news_index_en"], 2, title="Pingshan biomedicine news", text="English news text.",
            themes=("biomed",), start=datetime.date(2026, 1, 10),
        )  # fmt: skip

        home = cls.pages["home"]
        home.key_figures = [
            ("figure", {"value": "128", "unit": "家", "label": "入驻重点企业"}),
            ("figure", {"value": "36", "unit": "亿元", "label": "基金规模"}),
        ]
        cls.pages["home"] = publish(home)

    # -- helpers ------------------------------------------------------------------------------

    def get(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, f"GET {url}")
        return response

    def html(self, url):
        return self.get(url).content.decode()

    def assertRendersInBothLanguages(self, zh_page, en_page):
        """200, title, html lang, and a language switch pointing at the other version."""
        zh_url, en_url = zh_page.url, en_page.url
        self.assertFalse(zh_url.startswith("/en/"), zh_url)
        self.assertTrue(en_url.startswith("/en/"), en_url)
        self.assertPageIsRenderable(zh_page)
        self.assertPageIsRenderable(en_page)

        zh_html = self.html(zh_url)
        self.assertIn('<html lang="zh-Hans">', zh_html)
        self.assertIn(zh_page.title, zh_html)
        self.assertIn(f"<title>{zh_page.title} · ", zh_html)
        self.assertRegex(zh_html, rf'<a href="{re.escape(en_url)}" lang="en" hreflang="en">')

        en_html = self.html(en_url)
        self.assertIn('<html lang="en">', en_html)
        self.assertIn(en_page.title, en_html)
        self.assertIn(f"<title>{en_page.title} · ", en_html)
        self.assertRegex(en_html, rf'<a href="{re.escape(zh_url)}" lang="zh-Hans" hreflang="zh-Hans">')
        return zh_html, en_html

    def rendersInBothLanguages(self, key):
        return self.assertRendersInBothLanguages(self.pages[key], self.pages[f"{key}_en"])

    # -- rendering of each page type in both languages ----------------------------------------

    def test_home_page_renders_in_both_languages(self):
        zh_html, en_html = self.rendersInBothLanguages("home")
        self.assertEqual(self.pages["home"].url, "/")
        self.assertEqual(self.pages["home_en"].url, "/en/")
        self.assertIn("测试门户首页", zh_html)
        self.assertIn("The test portal home", en_html)

    def test_news_index_page_renders_in_both_languages(self):
        self.rendersInBothLanguages("news_index")
        self.assertEqual(self.pages["news_index_en"].url, "/en/news/")

    def test_news_page_renders_in_both_languages(self):
        zh_html, en_html = self.assertRendersInBothLanguages(self.article, self.article_en)
        self.assertIn("新能源汽车产业链上下游企业协同发展。", zh_html)
        self.assertIn("Upstream and downstream companies cooperate.", en_html)

    def test_standard_page_renders_in_both_languages(self):
        zh_html, en_html = self.rendersInBothLanguages("standard")
        self.assertIn("本门户依法推进政务公开工作。", zh_html)
        self.assertIn("Open government.", en_html)

    def test_theme_index_page_renders_in_both_languages(self):
        zh_html, en_html = self.rendersInBothLanguages("theme_index")
        self.assertIn(f'href="{self.pages["theme_page"].url}"', zh_html)
        self.assertIn(f'href="{self.pages["theme_page_en"].url}"', en_html)
        self.assertIn("生物医药", between(zh_html, '<ul class="theme-tiles__list', "</ul>"))
        self.assertIn("Biomedicine", between(en_html, '<ul class="theme-tiles__list', "</ul>"))

    def test_theme_page_renders_in_both_languages(self):
        zh_html, en_html = self.rendersInBothLanguages("theme_page")
        self.assertIn("生物医药专题", zh_html)
        self.assertIn("The biomedicine theme", en_html)

    # -- home page ------------------------------------------------------------------------------

    def test_home_shows_featured_article_as_lead_story(self):
        html = self.html("/")
        lead = between(html, '<section class="home-lead"', "</section>")
        self.assertIn("坪山区重大项目集中签约", lead)
        self.assertIn(f'href="{self.lead.url}"', lead)
        self.assertIn("2026-03-01", lead)
        self.assertIn("重大项目签约仪式举行。", lead)
        # The lead story is not repeated in the latest news.
        latest = between(html, '<section class="home-latest"', "</section>")
        self.assertNotIn("坪山区重大项目集中签约", latest)

    def test_home_lead_story_field_wins_over_featured(self):
        chosen = self.biomed_news[0]  # the oldest article, not featured
        home = HomePage.objects.get(pk=self.pages["home"].pk)
        home.lead_story = chosen
        publish(home)
        html = self.html("/")
        lead = between(html, '<section class="home-lead"', "</section>")
        self.assertIn(chosen.title, lead)
        self.assertIn(f'href="{chosen.url}"', lead)
        self.assertNotIn("坪山区重大项目集中签约", lead)
        # The featured article falls back into the latest news.
        latest = between(html, '<section class="home-latest"', "</section>")
        self.assertIn("坪山区重大项目集中签约", latest)

    def test_home_shows_latest_news_newest_first(self):
        latest = between(self.html("/"), '<section class="home-latest"', "</section>")
        expected = [f"新能源汽车动态{n}" for n in (5, 4, 3, 2, 1)] + ["生物医药动态7"]
        positions = [latest.index(f">{title}</a>") for title in expected]
        self.assertEqual(positions, sorted(positions))
        for title in ("生物医药动态6", "生物医药动态1", "未发布草稿新闻"):
            self.assertNotIn(title, latest)
        self.assertIn(f'href="{self.pages["news_index"].url}"', latest)

    def test_english_home_shows_english_news_only(self):
        html = self.html("/en/")
        latest = between(html, '<section class="home-latest"', "</section>")
        self.assertIn("New-energy vehicle supply chain cooperation", latest)
        self.assertIn("Pingshan biomedicine news1", latest)
        self.assertIn("Pingshan biomedicine news2", latest)
        self.assertNotIn("新能源汽车动态", html)
        self.assertNotIn("生物医药动态", html)
        self.assertIn(f'href="{self.pages["news_index_en"].url}"', latest)

    def test_home_theme_tiles_link_to_theme_page(self):
        for key, name in (("home", "生物医药"), ("home_en", "Biomedicine")):
            tiles = between(self.html(self.pages[key].url), '<section class="theme-tiles"', "</section>")
            theme_url = self.pages["theme_page" if key == "home" else "theme_page_en"].url
            self.assertRegex(
                tiles,
                rf'<a class="theme-tile"[^>]*href="{re.escape(theme_url)}"><span class="theme-tile__name">{name}<',
            )

    def test_home_shows_key_figures_when_set(self):
        figures = between(self.html("/"), '<section class="key-figures"', "</section>")
        self.assertIn('<span class="key-figure__value">128<small>家</small></span>', figures)
        self.assertIn('<span class="key-figure__label">入驻重点企业</span>', figures)
        self.assertIn('<span class="key-figure__value">36<small>亿元</small></span>', figures)
        # The English home has no key figures: no empty section.
        self.assertNotIn('class="key-figures"', self.html("/en/"))

    # -- news index -----------------------------------------------------------------------------

    def news_titles(self, html):
        return re.findall(r'<h3 class="news-card__title"><a href="[^"]*">([^<]*)</a></h3>', html)

    def test_news_index_lists_newest_first_ten_per_page(self):
        titles = self.news_titles(self.html("/news/"))
        self.assertEqual(
            titles,
            ["坪山区重大项目集中签约"]
            + [f"新能源汽车动态{n}" for n in (5, 4, 3, 2, 1)]
            + [f"生物医药动态{n}" for n in (7, 6, 5, 4)],
        )

    def test_news_index_second_page_shows_the_rest(self):
        html = self.html("/news/?page=2")
        self.assertEqual(self.news_titles(html), ["生物医药动态3", "生物医药动态2", "生物医药动态1"])
        self.assertIn('href="?page=1"', html)

    def test_news_index_page_out_of_range_shows_last_page(self):
        for query in ("?page=999", "?page=3", "?page=0", "?page=-1"):
            self.assertEqual(
                self.news_titles(self.html(f"/news/{query}")),
                ["生物医药动态3", "生物医药动态2", "生物医药动态1"],
                query,
            )

    def test_news_index_page_not_a_number_shows_first_page(self):
        for query in ("?page=abc", "?page=", "?page=1.5", "?page=abc&theme="):
            titles = self.news_titles(self.html(f"/news/{query}"))
            self.assertEqual(len(titles), 10, query)
            self.assertEqual(titles[0], "坪山区重大项目集中签约", query)

    def test_news_index_theme_filter(self):
        html = self.html("/news/?theme=biomed")
        self.assertEqual(self.news_titles(html), [f"生物医药动态{n}" for n in (7, 6, 5, 4, 3, 2, 1)])
        self.assertRegex(html, r'<a href="/news/\?theme=biomed" aria-current="true">')

    def test_news_index_theme_filter_paginates_with_the_filter(self):
        for number in range(8, 12):
            add_news(self.pages["news_index"], title=f"生物医药动态{number}", themes=("biomed",),
                     start=datetime.date(2026, 1, number))  # fmt: skip
        html = self.html("/news/?theme=biomed")
        self.assertEqual(len(self.news_titles(html)), 10)
        self.assertIn('href="?theme=biomed&amp;page=2"', html)
        self.assertEqual(self.news_titles(self.html("/news/?theme=biomed&page=2")), ["生物医药动态1"])

    def test_news_index_unknown_theme_shows_all(self):
        self.assertEqual(self.news_titles(self.html("/news/?theme=unknown")), self.news_titles(self.html("/news/")))
        self.assertEqual(len(self.news_titles(self.html("/news/?theme=unknown&page=2"))), 3)

    def test_news_index_theme_without_news(self):
        html = self.html("/news/?theme=materials")
        self.assertEqual(self.news_titles(html), [])

    def test_news_index_rss(self):
        response = self.get("/news/rss/")
        self.assertTrue(response["Content-Type"].startswith("application/rss+xml"), response["Content-Type"])
        xml = response.content.decode()
        self.assertIn("<rss", xml)
        for article in (self.lead, *self.nev_news, *self.biomed_news):
            self.assertIn(f"<title>{article.title}</title>", xml)
        self.assertIn(f"{self.lead.url}</link>", xml)
        self.assertNotIn("未发布草稿新闻", xml)
        self.assertNotIn("Pingshan biomedicine news", xml)

    def test_english_news_index_rss(self):
        response = self.get("/en/news/rss/")
        self.assertTrue(response["Content-Type"].startswith("application/rss+xml"))
        xml = response.content.decode()
        self.assertIn("<title>Pingshan biomedicine news1</title>", xml)
        self.assertIn("<title>New-energy vehicle supply chain cooperation</title>", xml)
        self.assertNotIn("生物医药动态", xml)

    def test_news_index_links_the_rss_feed(self):
        html = self.html("/news/")
        self.assertIn('<link rel="alternate" type="application/rss+xml"', html)
        self.assertIn('href="/news/rss/"', html)

    def test_english_news_index_lists_only_english_articles(self):
        titles = self.news_titles(self.html("/en/news/"))
        self.assertEqual(
            titles,
            ["New-energy vehicle supply chain cooperation", "Pingshan biomedicine news2", "Pingshan biomedicine news1"],
        )
        self.assertEqual(
            self.news_titles(self.html("/en/news/?theme=biomed")),
            ["Pingshan biomedicine news2", "Pingshan biomedicine news1"],
        )

    # -- news page, standard page, theme page ---------------------------------------------------

    def test_news_page_shows_date_summary_body_and_themes(self):
        html = self.html(self.article.url)
        self.assertIn('<time datetime="2026-02-05">2026-02-05</time>', html)
        self.assertIn('<p class="lede">新能源汽车产业链上下游企业协同发展。</p>', html)
        self.assertIn("<p>坪山新能源汽车产业链协同发展的正文段落。</p>", html)
        self.assertRegex(html, r'<span class="tag" style="--tag-colour: #1d6b3a">新能源汽车</span>')
        self.assertIn(f'href="{self.pages["news_index"].url}"', html)

    def test_english_news_page_shows_english_theme_names(self):
        html = self.html(self.article_en.url)
        self.assertIn('<span class="tag" style="--tag-colour: #1d6b3a">New-energy vehicles</span>', html)
        self.assertIn("<p>Body text of the new-energy vehicle article.</p>", html)

    def test_news_page_breadcrumbs(self):
        for page, home, news_index in (
            (self.article, self.pages["home"], self.pages["news_index"]),
            (self.article_en, self.pages["home_en"], self.pages["news_index_en"]),
        ):
            crumbs = between(self.html(page.url), '<nav class="breadcrumbs"', "</nav>")
            self.assertIn(f'<a href="{home.url}">', crumbs)
            self.assertIn(f'<a href="{news_index.url}">{news_index.title}</a>', crumbs)
            self.assertIn(f'<li aria-current="page">{page.title}</li>', crumbs)
            self.assertLess(crumbs.index(f'href="{home.url}"'), crumbs.index(f'href="{news_index.url}"'))

    def test_standard_page_shows_intro_and_body(self):
        html = self.html(self.pages["standard"].url)
        self.assertIn('<p class="lede">依法公开</p>', html)
        self.assertIn("<p>本门户依法推进政务公开工作。</p>", html)

    def test_theme_page_shows_its_news_only(self):
        html = self.html(self.pages["theme_page"].url)
        titles = self.news_titles(html)
        self.assertEqual(titles, [f"生物医药动态{n}" for n in (7, 6, 5, 4, 3, 2)])
        self.assertNotIn("新能源汽车动态", html)
        self.assertNotIn("坪山区重大项目集中签约", html)
        self.assertNotIn("未发布草稿新闻", html)
        self.assertIn('href="/news/?theme=biomed"', html)

    def test_english_theme_page_shows_english_news(self):
        html = self.html(self.pages["theme_page_en"].url)
        self.assertEqual(self.news_titles(html), ["Pingshan biomedicine news2", "Pingshan biomedicine news1"])
        self.assertNotIn("生物医药动态", html)
        self.assertIn('href="/en/news/?theme=biomed"', html)

    def test_theme_page_figures(self):
        biomed = Theme.objects.get(code="biomed")
        nev = Theme.objects.get(code="nev")
        for organization in OrganizationFactory.create_batch(3):
            organization.themes.set([biomed])
        OrganizationFactory(kind=OrganizationKind.RESEARCH_INSTITUTE).themes.set([biomed, nev])
        OrganizationFactory().themes.set([nev])  # another theme
        OrganizationFactory(kind="government").themes.set([biomed])  # a bureau is not industry
        OrganizationFactory(kind="government").themes.set([biomed, nev])

        for key in ("theme_page", "theme_page_en"):
            html = self.html(self.pages[key].url)
            values = re.findall(
                r'<span class="key-figure__value">(\d+)</span><span class="key-figure__label">[^<]*</span>', html
            )
            self.assertEqual(len(values), 2, values)
            organization_count, news_count = map(int, values)  # in template order
            self.assertEqual(organization_count, 4, f"{key}: industry organizations in biomed")
            self.assertEqual(news_count, 7 if key == "theme_page" else 2, f"{key}: biomed news")

    def test_theme_page_without_organizations(self):
        html = self.html(self.pages["theme_page"].url)
        self.assertIn('<span class="key-figure__value">0</span>', html)

    # -- errors and drafts ----------------------------------------------------------------------

    def test_unknown_url_is_404(self):
        for url in ("/no-such-page/", "/en/no-such-page/", "/news/no-such-article/", "/news/rss/nothing/"):
            self.get(url, status=404)

    def test_draft_is_not_listed(self):
        for url in ("/", "/news/", "/news/?theme=biomed", self.pages["theme_page"].url):
            self.assertNotIn("未发布草稿新闻", self.html(url), url)

    def test_draft_url_is_404_for_anonymous_users(self):
        self.assertEqual(self.draft.url, "/news/draft-news/")
        self.get("/news/draft-news/", status=404)
        self.assertPageIsRenderable(self.draft, accept_404=True)

    def test_unpublished_page_disappears(self):
        article = NewsPage.objects.get(pk=self.biomed_news[3].pk)
        url = article.url
        self.get(url)
        article.unpublish()
        self.get(url, status=404)
        self.assertNotIn(article.title, self.html("/news/"))


def test_not_found_pages_use_the_site_layout_in_both_languages(client, db):
    chinese = client.get("/no-such-page/")
    assert chinese.status_code == 404
    assert "页面不存在" in chinese.content.decode() and 'class="site-header"' in chinese.content.decode()
    english = client.get("/en/no-such-page/")
    assert english.status_code == 404 and "Page not found" in english.content.decode()


def test_server_error_page_is_self_contained(client):
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "坪山产业共治与创新基金门户" in html and "Something went wrong" in html and "{%" not in html
