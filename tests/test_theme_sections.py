"""The theme page's extension point: domain apps register sections (council, fund, opinions, calls)."""

import pytest

from themes.sections import ThemeSection, register_section, render_sections, unregister_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def section_template(settings):
    """A section template as a domain app would ship: its context arrives as `section`."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"tests/section.html": "<p>{{ section.label }}</p>"}),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    return "tests/section.html"


@pytest.fixture
def sections():
    keys = []

    def add(section):
        register_section(section)
        keys.append(section.key)

    yield add
    for key in keys:
        unregister_section(key)


def test_registered_sections_render_on_the_theme_page_in_order(client, site_pages, sections, section_template):
    sections(
        ThemeSection(
            key="tests.fund",
            order=30,
            template=section_template,
            get_context=lambda theme, page, request: {"label": f"fund-of-{theme.code}"},
        )
    )
    sections(
        ThemeSection(
            key="tests.council",
            order=20,
            template=section_template,
            get_context=lambda theme, page, request: {"label": f"council-of-{theme.code}"},
        )
    )
    html = client.get(site_pages["theme_page"].url).content.decode()
    assert "council-of-biomed" in html and "fund-of-biomed" in html
    assert html.index("council-of-biomed") < html.index("fund-of-biomed")


def test_a_section_with_nothing_to_show_is_left_out(client, site_pages, sections):
    seen = []

    def nothing(theme, page, request):
        seen.append(theme.code)
        return None

    sections(ThemeSection(key="tests.empty", order=10, template="does/not/exist.html", get_context=nothing))
    response = client.get(site_pages["theme_page"].url)
    assert response.status_code == 200
    assert seen == ["biomed"]
    assert render_sections(site_pages["theme_page"].theme, site_pages["theme_page"], None) == []
