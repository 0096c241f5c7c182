"""News at scale (``portal.scale``): 20,000 published Chinese articles under the Chinese news index, dated over five
years, one or two themes each (every theme gets its share), some featured, searchable.

Wagtail has no bulk API for pages (wagtail/wagtail#10833): a page is a ``Page`` row, placed in the tree by its
materialised path (django-treebeard), plus its type's own row. So the ``Page`` rows are bulk-created with the paths
the index's next children would get (``MP_Node._get_path``), then the ``NewsPage`` rows, then the index's child count
is moved on, and the articles are added to the search index in one batch per backend, as publishing would.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backends

from portal import scale

from .models import NewsIndexPage, NewsPage

SLUG = f"{scale.MARK}-news-"
HEADLINES = (
    ("坪山区召开{topic}产业共治委员会第{n}次会议", "{topic}产业"),
    ("生物医药创新基金完成对{topic}项目的投资决策", "{topic}"),
    ("海外人才离岸创新创业基地{topic}路演活动举行", "{topic}路演"),
    ("坪山发布{topic}产业高质量发展若干措施", "{topic}政策"),
    ("{topic}企业政策评议意见征集结果公布", "{topic}评议"),
    ("特殊人才认定公示：{topic}领域{n}名人才拟获认定", "{topic}人才"),
)
LEAD = "{title}。会议围绕{topic}展开讨论，明确了下一步工作安排。"
TOPICS = ("新能源汽车", "生物医药", "集成电路", "智能制造", "新材料", "储能", "合成生物", "医疗器械")


def seed_news(count, context) -> int:
    locale = Locale.objects.filter(language_code="zh-hans").first()
    index = NewsIndexPage.objects.filter(locale=locale).first() if locale else None
    if index is None:
        raise scale.MissingDemo("The Chinese news index is missing.")
    last = index.get_last_child()
    first_position = (last._get_lastpos_in_path() if last else 0) + 1
    depth = index.depth + 1
    kind = ContentType.objects.get_for_model(NewsPage)
    articles = []
    for n in range(count):
        headline, summary_topic = context.rng.choice(HEADLINES)
        topic = TOPICS[n % len(TOPICS)]
        published = context.moment(years=5)
        # Titles repeat now and then (a meeting's number runs to 40): the search index segments each text once.
        title = headline.format(topic=topic, n=context.rng.randrange(1, 41))
        slug = f"{SLUG}{n + 1:05d}"
        text = LEAD.format(title=title, topic=summary_topic.format(topic=topic))
        articles.append(
            NewsPage(
                title=title,
                draft_title=title,
                slug=slug,
                path=Page._get_path(index.path, depth, first_position + n),
                depth=depth,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                content_type=kind,
                locale=locale,
                translation_key=uuid.uuid4(),
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
                date=published.date(),
                summary=text[:400],
                featured=n % 50 == 0,
                body=[
                    {"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())},
                    {
                        "type": "paragraph",
                        "value": "<p>坪山将持续推进产业共治，服务企业与人才。</p>",
                        "id": str(uuid.uuid4()),
                    },
                ],
            )
        )
    parents = [Page(**{f.attname: getattr(a, f.attname) for f in Page._meta.concrete_fields}) for a in articles]
    Page.objects.bulk_create(parents, batch_size=scale.BATCH)
    for article, parent in zip(articles, parents, strict=True):
        article.page_ptr_id = article.id = parent.pk
    scale.insert_child_rows(NewsPage, articles)
    Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(articles))
    _themes(context, articles)
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(NewsPage, articles)
    return len(articles)


def _themes(context, articles) -> None:
    """One or two themes per article, every theme in turn first (the theme model is the themes app's: read from the
    field, since the portal imports no app above it)."""
    Theme = NewsPage._meta.get_field("themes").related_model
    themes = list(Theme.objects.order_by("pk"))
    if not themes:
        return
    Through = NewsPage.themes.through
    rows = []
    for n, article in enumerate(articles):
        chosen = {themes[n % len(themes)].pk}
        if context.rng.random() < 0.3:
            chosen.add(context.rng.choice(themes).pk)
        rows.extend(Through(newspage_id=article.pk, theme_id=theme) for theme in chosen)
    Through.objects.bulk_create(rows, batch_size=scale.BATCH)


def done() -> bool:
    return NewsPage.objects.filter(slug__startswith=SLUG).exists()


def register() -> None:
    scale.register(scale.ScaleStep("pages.news", 30, 20_000, "news articles", seed_news, done))
