"""A two-word Chinese search over 20,000 news articles through the search page, as an anonymous visitor: target a
median under 100 ms (issue 14).

Run either way (both print the same figures; neither asserts a timing):

    make bench                                                       # pytest tests/benchmarks -s -q
    .venv/bin/python tests/benchmarks/bench_search.py                # SQLite (a test database)
    DJANGO_SETTINGS_MODULE=portal.settings.test scripts/with-postgres.sh \
        .venv/bin/python tests/benchmarks/bench_search.py                                    # PostgreSQL

The articles (fixed seed) are written in bulk: Page rows with their tree paths, then the NewsPage rows, then the
search index through the backend's own bulk indexing (the jieba-segmented fields, as a publish would index them).
Each article has a headline and a summary and body of sentences drawn from the portal's industries; the queries
are whole requests through Django's test client (middleware, search, count, page of ten, snippets, template),
one warm-up and 25 timed, the page cache off.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import time

from benchtools import in_test_database, load, report, timed_gets

ARTICLES = int(os.environ.get("BENCH_ARTICLES", 20_000))
RUNS = 25
TARGET_MS = 100
BATCH = 500
QUERIES = ("生物医药 创新", "集成电路 人才", "动力电池 融资")

INDUSTRIES = (
    "生物医药",
    "创新药",
    "医疗器械",
    "细胞治疗",
    "新能源汽车",
    "动力电池",
    "智能网联",
    "集成电路",
    "芯片设计",
    "第三代半导体",
    "新一代信息技术",
    "智能制造",
    "工业机器人",
    "新材料",
    "氢能",
    "储能",
)
ACTORS = ("坪山区", "区科技创新局", "产业共治委员会", "坪山生物医药科技产业创新基金", "离岸创新创业基地", "龙头企业")
ACTIONS = (
    "推动创新成果转化",
    "举办产业对接会",
    "签约重大项目",
    "发布扶持政策",
    "开展政策评议",
    "引进海外高层次人才",
    "完成新一轮融资",
    "启动临床试验",
    "建设公共技术平台",
    "召开专业委员会会议",
    "出具专业评价意见",
    "加快产业集聚发展",
)
DETAILS = (
    "项目总投资约{n}亿元，预计明年投产。",
    "本次活动吸引{n}家企业参加。",
    "已累计服务企业{n}余家。",
    "相关负责人表示，将持续优化营商环境。",
    "专家围绕研发、注册和产业化路径进行了深入交流。",
    "会议审议通过了年度工作计划和议案。",
    "基金重点投向早期研发和关键技术突破。",
    "人才团队在知识产权和市场拓展方面获得支持。",
)


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(ACTORS)}{rng.choice(INDUSTRIES)}{rng.choice(ACTIONS)}。" + rng.choice(DETAILS).format(
        n=rng.randint(2, 90)
    )


def write_articles(news_index, count: int, seed: int = 14) -> None:
    """``count`` live NewsPages under ``news_index``, written in bulk, each put in the search index."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from portal.pages.models import NewsPage
    from tests.factories import body
    from themes.models import Theme

    rng = random.Random(seed)
    content_type = ContentType.objects.get_for_model(NewsPage)
    themes = list(Theme.objects.all())
    through = NewsPage.themes.through
    backend = get_search_backend()
    now = timezone.now()
    start = datetime.date(2021, 1, 1)
    first_child = news_index.numchild
    for batch_start in range(0, count, BATCH):
        numbers = range(batch_start, min(count, batch_start + BATCH))
        with transaction.atomic():
            pages = []
            for number in numbers:
                slug = f"bench-news-{number + 1}"
                pages.append(
                    Page(
                        title=f"{rng.choice(ACTORS)}{rng.choice(INDUSTRIES)}{rng.choice(ACTIONS)}（第{number + 1}期）",
                        slug=slug,
                        content_type=content_type,
                        locale_id=news_index.locale_id,
                        path=Page._get_path(news_index.path, news_index.depth + 1, first_child + number + 1),
                        depth=news_index.depth + 1,
                        numchild=0,
                        url_path=f"{news_index.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now,
                        last_published_at=now,
                    )
                )
            Page.objects.bulk_create(pages)
            articles = []
            for page in pages:
                article = NewsPage(
                    page_ptr=page,
                    date=start + datetime.timedelta(days=rng.randint(0, 2000)),
                    summary=sentence(rng),
                    body=body(*(sentence(rng) for _ in range(rng.randint(3, 6)))),
                )
                article.save_base(raw=True, force_insert=True)  # the NewsPage row only: its Page row is above
                articles.append(article)
            through.objects.bulk_create(
                [through(newspage_id=article.pk, theme_id=rng.choice(themes).pk) for article in articles]
            )
            Page.objects.filter(pk=news_index.pk).update(numchild=first_child + numbers.stop)
        backend.add_bulk(NewsPage, NewsPage.objects.filter(pk__in=[article.pk for article in articles]))


def run() -> None:
    from django.db import connection
    from django.test import Client, override_settings

    from portal.pages.models import NewsPage
    from tests.factories import build_site

    pages = build_site()
    started = time.perf_counter()
    write_articles(pages["news_index"], ARTICLES)
    print(
        f"\n{connection.vendor}: {NewsPage.objects.live().count():,} news articles written and indexed in "
        f"{time.perf_counter() - started:.1f} s"
    )
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a bulk write (its insert threshold is 1,000 rows): the
        # statistics, and the visibility map that lets index scans skip the rows' visibility checks.
        # Under pytest the test's transaction allows the statistics alone.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    client = Client()
    # As in production: the page cache is off (a search is never cached) and the site's header and footer are kept
    # fragments (filled by the warm-up), so the figure is the search's own.
    with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=True):
        for query in QUERIES:
            response = client.get("/search/", {"q": query})  # warm-up
            assert response.status_code == 200
            hits = response.context["results_page"].paginator.count
            assert hits, query
            shown = f"{hits:>6,}{'+' if response.context['results_capped'] else ' '}"
            timings, cpu = timed_gets(client, "/search/", RUNS, {"q": query})
            median = statistics.median(timings)
            print(
                f"  {query:<10} {shown} hits  median {median:6.1f} ms  min {min(timings):6.1f} ms  "
                f"max {max(timings):6.1f} ms  (CPU of this process: median {statistics.median(cpu):5.1f} ms)  "
                f"target {TARGET_MS} ms: {'met' if median < TARGET_MS else 'MISSED'}"
            )
            report(
                f"search {query}, {ARTICLES:,} articles: median",
                median,
                "ms",
                target=TARGET_MS,
                variant=connection.vendor,
                note=f"{shown.strip()} hits; CPU {statistics.median(cpu):.0f} ms; load {load()}",
            )
    print(f"  load average while measuring: {load()}")


def test_search_benchmark(db):
    """Prints the figures (run with -s to see them)."""
    run()


if __name__ == "__main__":
    in_test_database(run)
