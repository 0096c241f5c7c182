"""The public page tree in Chinese and English, news with generated cover images, footer."""

import datetime
import io

from django.apps import apps
from django.core.files.images import ImageFile
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from portal.demo import demo_step

from .demo_content import HOME, NEWS, SITE_FOOTER, STANDARD_PAGES
from .models import HomePage, NewsIndexPage, NewsPage, SiteFooterSettings, StandardPage

TITLES = {
    "home": {"zh": "首页", "en": "Home"},
    "news": {"zh": "新闻动态", "en": "News"},
}


def body_blocks(blocks):
    """Demo content tuples -> StreamField data."""
    data = []
    for kind, text in blocks:
        if kind == "paragraph":
            data.append(("paragraph", RichText(f"<p>{escape(text)}</p>")))
        elif kind == "heading":
            data.append(("heading", text))
        elif kind == "quote":
            data.append(("quote", {"text": text, "attribution": ""}))
    return data


def publish(page):
    page.save_revision().publish()
    return page


def locales():
    return Locale.objects.get(language_code="zh-hans"), Locale.objects.get(language_code="en")


def translated(page, locale, **fields):
    """The page's translation into locale, created from a copy if missing, with fields set."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    return publish(copy)


def cover_image(slug, colour):
    """A generated abstract cover (no text) in the theme's colour, stored once per slug."""
    Image = get_image_model()
    title = f"demo-cover-{slug}"
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    width, height = 960, 480
    base = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    picture = PILImage.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(picture)
    seed = sum(ord(char) for char in slug)
    for index in range(7):
        shade = tuple(min(255, channel + 18 * (index + 1)) for channel in base)
        x = (seed * (index + 3) * 37) % width
        radius = 60 + (seed * (index + 1)) % 180
        draw.ellipse((x - radius, height - radius - index * 40, x + radius, height + radius - index * 40), fill=shade)
    draw.rectangle((0, height - 12, width, height), fill=(179, 38, 30))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


@demo_step(order=30)
def seed_pages(log):
    zh, en = locales()
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    root = Page.get_first_root_node()

    home = HomePage.objects.filter(locale=zh).first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title=TITLES["home"]["zh"],
                slug="pingshan",
                locale=zh,
                intro=HOME["zh"]["intro"],
                key_figures=[
                    ("figure", {"value": v, "unit": u, "label": lab}) for v, u, lab in HOME["zh"]["key_figures"]
                ],
            )
        )
        publish(home)
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "坪山产业共治与创新基金门户"
        site.save()
        if old_root.specific_class is Page and old_root.depth == 2:  # Wagtail's "Welcome" placeholder
            old_root.delete()
    translated(
        home,
        en,
        title=TITLES["home"]["en"],
        intro=HOME["en"]["intro"],
        key_figures=[("figure", {"value": v, "unit": u, "label": lab}) for v, u, lab in HOME["en"]["key_figures"]],
    )

    news_index = NewsIndexPage.objects.filter(locale=zh).first()
    if news_index is None:
        news_index = publish(
            home.add_child(
                instance=NewsIndexPage(
                    title=TITLES["news"]["zh"],
                    slug="news",
                    show_in_menus=True,
                    intro="坪山产业共治、创新基金与人才工作的最新动态。",
                )
            )
        )
    translated(
        news_index,
        en,
        title=TITLES["news"]["en"],
        intro="The latest on industry co-governance, the innovation fund and talent in Pingshan.",
    )

    for spec in STANDARD_PAGES:
        page = StandardPage.objects.filter(locale=zh, slug=spec["slug"]).first()
        if page is None:
            page = publish(
                home.add_child(
                    instance=StandardPage(
                        title=spec["zh"]["title"],
                        slug=spec["slug"],
                        show_in_menus=spec.get("show_in_menus", False),
                        intro=spec["zh"]["intro"],
                        body=body_blocks(spec["zh"]["body"]),
                    )
                )
            )
        translated(page, en, title=spec["en"]["title"], intro=spec["en"]["intro"], body=body_blocks(spec["en"]["body"]))

    Theme = apps.get_model("themes", "Theme")
    themes = {theme.code: theme for theme in Theme.objects.all()}
    created = 0
    for item in NEWS:
        article = NewsPage.objects.filter(locale=zh, slug=item["slug"]).first()
        if article is None:
            item_themes = [themes[code] for code in item["themes"] if code in themes]
            article = NewsPage(
                title=item["zh"]["title"],
                slug=item["slug"],
                date=datetime.date.fromisoformat(item["date"]),
                summary=item["zh"]["summary"],
                featured=item.get("featured", False),
                body=body_blocks(item["zh"]["body"]),
                cover_image=cover_image(item["slug"], item_themes[0].colour if item_themes else "#1552a0"),
            )
            news_index.add_child(instance=article)
            article.themes.set(item_themes)
            publish(article)
            created += 1
        if "en" in item:
            translated(
                article,
                en,
                title=item["en"]["title"],
                summary=item["en"]["summary"],
                body=body_blocks(item["en"]["body"]),
            )
    if home.lead_story_id is None:
        featured = NewsPage.objects.filter(locale=zh, featured=True).first()
        if featured:
            home.lead_story = featured
            publish(home)
    # Articles without "en" in the demo content stay Chinese only: the editor's translation work (README).
    untranslated = NewsPage.objects.filter(locale=zh).exclude(
        translation_key__in=NewsPage.objects.filter(locale=en).values("translation_key")
    )
    log(
        f"pages: {created} news articles created, {NewsPage.objects.count()} news pages in all, "
        f"{untranslated.count()} waiting for their English translation (editor to translate)"
    )

    footer = SiteFooterSettings.for_site(site)
    if not footer.organizer:
        footer.organizer = SITE_FOOTER["zh"]["organizer"]
        footer.organizer_en = SITE_FOOTER["en"]["organizer"]
        footer.address = SITE_FOOTER["zh"]["address"]
        footer.address_en = SITE_FOOTER["en"]["address"]
        footer.phone = SITE_FOOTER["zh"]["phone"]
        footer.email = SITE_FOOTER["zh"]["email"]
        footer.hours = SITE_FOOTER["zh"]["hours"]
        footer.hours_en = SITE_FOOTER["en"]["hours"]
        footer.icp_number = SITE_FOOTER["zh"]["icp"]
        footer.police_record = SITE_FOOTER["zh"]["police_record"]
        footer.save()
