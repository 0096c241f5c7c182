"""The public libraries' pages (talent/views/libraries.py): search in Chinese and English over both languages, each
library's filters, pagination, the expert pool's public fields only, and a query count that does not grow with
the library."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.experts.models import Expert
from talent.models import EnterpriseDemand, ListingState, PatentListing, ProjectListing
from tests.talent_world import build_world, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def published(world, model, count=1, **fields):
    """``count`` published rows written at once (the curation itself is tested in test_talent_libraries.py)."""
    defaults = {
        ProjectListing: {"stage": "prototype", "seeking": "partners"},
        EnterpriseDemand: {"demand_kind": "research"},
        PatentListing: {"patent_kind": "invention", "licensing": "either", "patent_number": "ZL2023"},
    }[model]
    rows = [
        model(
            programme=world.programme,
            title=fields.get("title", f"条目{number}"),
            title_en=fields.get("title_en", f"Entry {number}"),
            summary=fields.get("summary", "资源库条目"),
            summary_en=fields.get("summary_en", ""),
            keywords=fields.get("keywords", ""),
            holder_name="坪山团队",
            contact_name="张三",
            contact_email="zhang@example.cn",
            submitted_by=world.team,
            state=fields.get("state", ListingState.PUBLISHED),
            published_at=timezone.now(),
            **{**defaults, **{k: v for k, v in fields.items() if k in defaults}},
        )
        for number in range(count)
    ]
    made = model.objects.bulk_create(rows)
    for row in made:
        row.themes.set(fields.get("themes", [world.theme]))
    return made


def titles(response):
    return [row.title for row in response.context["page_obj"].object_list]


def get(client, library, **query):
    return client.get(reverse("talent:library", args=[library]), query)


def test_search_finds_chinese_and_english_text_in_either_language(world, client):
    published(world, EnterpriseDemand, title="需要GMP慢病毒载体", summary_en="Lentiviral vector manufacturing")
    published(world, EnterpriseDemand, title="车规级芯片封装", title_en="Automotive chip packaging")
    assert titles(get(client, "demands", q="慢病毒")) == ["需要GMP慢病毒载体"]
    assert titles(get(client, "demands", q="lentiviral")) == ["需要GMP慢病毒载体"]
    assert titles(get(client, "demands", q="CHIP packaging")) == ["车规级芯片封装"]
    assert titles(get(client, "demands", q="gmp 载体")) == ["需要GMP慢病毒载体"]
    assert titles(get(client, "demands", q="量子")) == []
    english = client.get("/en" + reverse("talent:library", args=["demands"]), {"q": "量子"})
    assert "Nothing matches this search." in english.content.decode()


def test_each_library_filters_on_its_own_fields_and_themes(world, client):
    nev = theme("nev", "新能源汽车", "New-energy vehicles")
    published(world, ProjectListing, title="落地项目", seeking="landing", themes=[nev])
    published(world, ProjectListing, title="找伙伴项目", seeking="partners", stage="pilot")
    assert titles(get(client, "projects", seeking="landing")) == ["落地项目"]
    assert titles(get(client, "projects", stage="pilot")) == ["找伙伴项目"]
    assert titles(get(client, "projects", theme="nev")) == ["落地项目"]
    published(world, PatentListing, title="许可专利", licensing="licence", patent_kind="utility")
    published(world, PatentListing, title="转让专利", licensing="transfer")
    assert titles(get(client, "patents", licensing="licence")) == ["许可专利"]
    assert titles(get(client, "patents", patent_kind="invention")) == ["转让专利"]
    published(world, EnterpriseDemand, title="检测需求", demand_kind="testing")
    assert titles(get(client, "demands", demand_kind="testing")) == ["检测需求"]


def test_a_bad_filter_value_says_so_and_does_not_break(world, client):
    published(world, ProjectListing, title="项目")
    response = get(client, "projects", stage="flying", theme="no-such-theme")
    assert response.status_code == 200
    assert response.context["filter"].form.errors
    assert titles(response) == []


def test_only_published_entries_are_listed(world, client):
    published(world, ProjectListing, title="已发布")
    published(world, ProjectListing, title="待审核", state=ListingState.PENDING)
    published(world, ProjectListing, title="已归档", state=ListingState.ARCHIVED)
    assert titles(get(client, "projects")) == ["已发布"]
    assert client.get(reverse("talent:library", args=["recipes"])).status_code == 404


def test_pages_of_twenty_keep_the_search(world, client):
    published(world, ProjectListing, 45, title="电池项目")
    first = get(client, "projects", q="电池")
    assert len(titles(first)) == 20 and first.context["page_obj"].paginator.num_pages == 3
    assert "q=%E7%94%B5%E6%B1%A0&amp;page=2" in first.content.decode()
    assert len(titles(get(client, "projects", q="电池", page=3))) == 5


def test_the_expert_pool_shows_public_fields_only(world, client):
    Expert.objects.create(
        name="王教授",
        title="教授",
        affiliation_name="南方科技大学",
        expertise="细胞治疗与基因编辑",
        email="secret@example.cn",
        phone="13800000000",
    )
    Expert.objects.create(name="停用专家", expertise="细胞治疗", is_active=False)
    response = client.get(reverse("talent:experts"), {"q": "细胞"})
    page = response.content.decode()
    assert "王教授" in page and "南方科技大学" in page and "细胞治疗与基因编辑" in page
    assert "secret@example.cn" not in page and "13800000000" not in page and "停用专家" not in page


def test_the_platform_links_to_the_four_lists(world, client):
    page = client.get(reverse("talent:programme", args=[world.programme.slug])).content.decode()
    for url in ("projects", "demands", "patents"):
        assert reverse("talent:library", args=[url]) in page
    assert reverse("talent:experts") in page


@pytest.mark.parametrize("library, model", [("projects", ProjectListing), ("demands", EnterpriseDemand)])
def test_the_list_asks_as_many_queries_for_ten_entries_as_for_two_hundred(world, client, library, model):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert get(client, library, q="条目").status_code == 200
        return len(queries)

    published(world, model, 10)
    client.force_login(world.team)
    count()  # the first page of a session reads what later ones find cached (site, menu)
    few = count()
    published(world, model, 190)
    assert count() == few


def test_the_bilingual_entry_page(world, client):
    (entry,) = published(world, ProjectListing, title="单细胞测序", title_en="Single-cell sequencing")
    assert "单细胞测序" in client.get(entry.get_absolute_url()).content.decode()
    english = client.get("/en" + entry.get_absolute_url()).content.decode()
    assert "Single-cell sequencing" in english and "Looking for" in english
