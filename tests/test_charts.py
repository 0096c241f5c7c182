"""portal/charts: server-made SVG charts — each kind, Chinese glyphs (never boxes), money scaling, formats, empty
and missing data, determinism, a safe SVG, the {% chart %} tag, and the feedback campaign's rating chart."""

import math
import os
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from matplotlib import font_manager

from portal.charts import engine, layout, svg
from portal.charts.figures import Bar, Format, Series, bar_chart, funnel, line_chart
from portal.charts.formats import axis_unit, cell, tick

ROOT = Path(__file__).resolve().parents[1]
QUARTERS = [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)]
NS = {"svg": svg.SVG}


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    """A missing glyph is only a warning in matplotlib ("Glyph 20159 missing from font"): here it fails, as does
    any other warning matplotlib gives about a chart."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", category=UserWarning)
        yield


def zh(function, *args, **kwargs):
    with translation.override("zh-hans"):
        return function(*args, **kwargs)


def en(function, *args, **kwargs):
    with translation.override("en"):
        return function(*args, **kwargs)


def cjk_font():
    return font_manager.get_font(
        font_manager.findfont(font_manager.FontProperties(family=engine.FAMILY), fallback_to_default=False)
    )


def glyph_ids(text):
    """The ids matplotlib gives the CJK font's glyphs for ``text`` (font name + glyph index, before svg.py's
    prefix); glyph 0 is .notdef, the box a missing character becomes."""
    font = cjk_font()
    indexes = {font.get_char_index(ord(character)) for character in text if not character.isspace()}
    assert 0 not in indexes, "the font itself lacks a character of the test"
    return {f"{font.postscript_name}-{index:x}" for index in indexes}


def defined_glyphs(chart):
    ids = {element.get("id") for element in ET.fromstring(chart.svg).iter() if element.get("id")}
    return {identifier.split("-", 2)[2] for identifier in ids if identifier.count("-") >= 2}


def has_glyphs(chart, text):
    return glyph_ids(text) <= defined_glyphs(chart)


def j_curve(**kwargs):
    flows = [Decimal("-50000000"), Decimal("-180000000"), Decimal("-90000000"), Decimal("30000000")]
    return line_chart(
        [Series("累计净现金流", list(zip(QUARTERS, flows, strict=True)))],
        title="基金J曲线",
        y_label="净现金流",
        y_format=Format.MONEY,
        **kwargs,
    )


# The CJK font ------------------------------------------------------------------------------------------------


def test_a_cjk_font_is_configured():
    assert engine.FAMILY == "Noto Sans CJK SC"  # scripts/system-deps.sh installs fonts-noto-cjk
    assert engine.matplotlib.rcParams["svg.fonttype"] == "path"


def test_chinese_labels_are_drawn_as_their_glyphs_not_boxes():
    chart = zh(
        bar_chart,
        [Bar("创新药", 12), Bar("医疗器械", 7), Bar("细胞与基因治疗", 3)],
        title="细分领域分布",
        value_format=Format.COUNT,
    )
    assert has_glyphs(chart, "创新药医疗器械细胞与基因治疗")
    assert f"{cjk_font().postscript_name}-0" not in defined_glyphs(chart)  # .notdef: the box
    assert "创新药" not in chart.svg  # the text is shapes; its words are in the table (and the <title>)
    assert chart.rows[0] == ("创新药", "12")


def test_a_character_no_font_has_fails_here_rather_than_showing_a_box():
    with pytest.raises(UserWarning, match="missing from font"):
        bar_chart([Bar("\ue000", 1)], title="t")  # a private-use character: in no font


def test_the_no_data_figure_speaks_each_language():
    chinese = zh(bar_chart, [], title="空的图")
    english = en(bar_chart, [], title="Empty")
    assert chinese.is_empty and english.is_empty and chinese.rows == ()
    assert has_glyphs(chinese, "暂无数据")
    assert not has_glyphs(english, "暂无数据") and has_glyphs(english, "No data")


def test_a_chart_without_the_font_logs_a_clear_error(caplog, monkeypatch):
    monkeypatch.setattr(engine, "CJK_FAMILIES", ("No Such Font SC",))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # findfont warns of the missing family; the log line is what counts
        saved = dict(engine.matplotlib.rcParams)
        try:
            assert engine._configure() is None
        finally:
            engine.matplotlib.rcParams.update(saved)
    assert "no CJK font found" in caplog.text and "fonts-noto-cjk" in caplog.text
    assert engine.matplotlib.rcParams["font.family"][0] == engine.FAMILY  # put back


# Line charts -------------------------------------------------------------------------------------------------


def test_j_curve_in_chinese_reads_in_yi_yuan_with_a_zero_line():
    chart = zh(j_curve, zero_line=True)
    assert chart.title == "基金J曲线"
    assert chart.columns == ("日期", "累计净现金流")
    assert chart.rows == (
        ("2024-03-31", "-5,000.00万元"),
        ("2024-06-30", "-1.80亿元"),
        ("2024-09-30", "-9,000.00万元"),
        ("2024-12-31", "3,000.00万元"),
    )
    assert has_glyphs(chart, "净现金流亿元")  # the axis label with the unit of its largest amount
    assert not has_glyphs(chart, "万")
    assert 'stroke="#1b1f24"' in chart.svg  # the zero line, in ink
    assert 'stroke="#1b1f24"' not in zh(j_curve).svg


def test_j_curve_in_english_reads_in_rmb_million():
    chart = en(j_curve)
    assert chart.columns[0] == "Date"
    assert chart.rows[1] == ("2024-06-30", "RMB -180.00 million")
    assert has_glyphs(chart, "RMB million")


def test_money_axis_unit_follows_the_largest_amount():
    assert zh(axis_unit, [Decimal("5000000"), Decimal("-20000")], Format.MONEY).name == "万元"
    assert zh(axis_unit, [Decimal("-250000000")], Format.MONEY).name == "亿元"
    assert zh(axis_unit, [800], Format.MONEY).name == "元"
    assert en(axis_unit, [Decimal("3500000000")], Format.MONEY).name == "RMB million"
    assert en(axis_unit, [Decimal("35000")], Format.MONEY).name == "RMB"
    assert axis_unit([1, 2], Format.MULTIPLE) is None
    unit = zh(axis_unit, [Decimal("250000000")], Format.MONEY)
    assert tick(150_000_000.0, Format.MONEY, unit) == "1.5"


def test_a_chinese_chart_with_amounts_in_wan_says_wan():
    chart = zh(line_chart, [Series("实缴", [(QUARTERS[0], 5_000_000), (QUARTERS[1], 8_000_000)])], title="实缴")
    assert chart.rows[0] == ("2024-03-31", "5,000,000")  # y_format NUMBER: no unit
    chart = zh(
        line_chart,
        [Series("实缴", [(QUARTERS[0], 5_000_000), (QUARTERS[1], 8_000_000)])],
        title="实缴",
        y_format=Format.MONEY,
    )
    assert chart.rows[1] == ("2024-06-30", "800.00万元")
    assert has_glyphs(chart, "万元") and not has_glyphs(chart, "亿")


def test_multiples_and_percentages_read_as_such():
    assert cell(Decimal("1.25"), Format.MULTIPLE) == "1.25×"
    assert cell(Decimal("0.125"), Format.PERCENT) == "12.5%"
    assert cell(3, Format.COUNT) == "3"
    assert cell(Decimal("1234.5"), Format.NUMBER) == "1,234.5"
    assert cell(None, Format.MULTIPLE) == cell(math.nan, Format.PERCENT) == cell("", Format.COUNT) == "—"
    assert cell("1.5", Format.MULTIPLE) == "1.50×"  # a decimal string, as a JSON snapshot keeps values
    assert tick(1.5, Format.MULTIPLE) == "1.5×" and tick(0.25, Format.PERCENT) == "25%"
    chart = en(
        line_chart,
        [
            Series("DPI", list(zip(QUARTERS, [0, Decimal("0.21"), Decimal("0.46"), Decimal("1.1")], strict=True))),
            Series("TVPI", list(zip(QUARTERS, [Decimal("0.9"), Decimal("1.29"), Decimal("1.54"), 2], strict=True))),
        ],
        title="DPI and TVPI",
        y_format=Format.MULTIPLE,
    )
    assert chart.columns == ("Date", "DPI", "TVPI")
    assert chart.rows[-1] == ("2024-12-31", "1.10×", "2.00×")


def test_missing_points_are_skipped():
    given = [(QUARTERS[0], 1), (QUARTERS[1], None), (QUARTERS[2], math.nan), (QUARTERS[3], Decimal("NaN"))]
    chart = line_chart([Series("A", given)], title="t")
    assert chart.rows == (("2024-03-31", "1"),)
    assert chart.svg == line_chart([Series("A", given[:1])], title="t").svg
    # A date one series lacks: a dash in its column, no point drawn.
    both = line_chart([Series("A", given), Series("B", [(QUARTERS[1], 2)])], title="t")
    assert both.rows == (("2024-03-31", "1", "—"), ("2024-06-30", "—", "2"))


def test_labels_as_x_keep_their_order_and_numbers_are_sorted():
    chart = line_chart([Series("A", [("2024Q3", 3), ("2024Q1", 1)])], title="t")
    assert [row[0] for row in chart.rows] == ["2024Q3", "2024Q1"]
    chart = line_chart([Series("A", [(2025, 3), (2023, 1)])], title="t", x_label="Year")
    assert chart.rows == (("2023", "1"), ("2025", "3"))


@pytest.mark.parametrize(
    "series",
    [[], [Series("A", [])], [Series("A", [(QUARTERS[0], None), (None, 3)])]],
    ids=["no series", "no points", "only missing points"],
)
def test_an_empty_line_chart_says_no_data(series):
    chart = zh(line_chart, series, title="J曲线")
    assert chart.is_empty and "<svg" in chart.svg and has_glyphs(chart, "暂无数据")


# Bar charts and the funnel -----------------------------------------------------------------------------------


def test_scores_against_full_marks():
    chart = zh(
        bar_chart,
        [Bar("财政资金放大倍数", 8, full=10), Bar("返投比例", 0, full=15), Bar("投资进度", Decimal("12.5"), full=15)],
        title="政策指标得分",
        label_heading="指标",
        value_heading="得分",
    )
    assert chart.columns == ("指标", "得分", "满分")
    assert chart.rows == (("财政资金放大倍数", "8", "10"), ("返投比例", "0", "15"), ("投资进度", "12.5", "15"))
    assert 'fill="#eef4fb"' in chart.svg  # the full marks' track
    assert 'fill="#eef4fb"' not in zh(bar_chart, [Bar("甲", 8)], title="t").svg


def test_a_bar_without_a_value_is_left_out_of_the_drawing_but_not_the_table():
    chart = zh(bar_chart, [Bar("A", 3), Bar("B", None)], title="t", value_format=Format.MONEY)
    assert chart.rows == (("A", "3.00元"), ("B", "—"))
    assert chart.svg == zh(bar_chart, [Bar("A", 3)], title="t", value_format=Format.MONEY).svg
    nothing = zh(bar_chart, [Bar("A", None), Bar("B", math.nan)], title="t")
    assert nothing.is_empty and has_glyphs(nothing, "暂无数据")
    assert nothing.rows == (("A", "—"), ("B", "—"))  # the table still says which values are missing


def test_negative_bars_and_dollar_signs_are_fine():
    chart = en(bar_chart, [Bar("$5 million_a^b", Decimal("-2")), Bar("B", 3)], title="$x$")
    assert chart.rows[0] == ("$5 million_a^b", "-2") and "<svg" in chart.svg


def test_funnel_counts_and_shares():
    stages = [("线索", 120), ("初筛", 60), ("立项", 3), ("退出", 0)]
    chart = zh(funnel, stages, title="项目漏斗")
    assert chart.columns == ("阶段", "数量", "占首个阶段的比例")
    assert chart.rows == (
        ("线索", "120", "100.0%"),
        ("初筛", "60", "50.0%"),
        ("立项", "3", "2.5%"),
        ("退出", "0", "0.0%"),
    )
    assert has_glyphs(chart, "线索初筛立项退出")
    assert zh(funnel, [], title="漏斗").is_empty
    assert zh(funnel, [("线索", 0)], title="漏斗").svg == zh(funnel, [], title="漏斗").svg


def view_box(chart):
    return [float(part) for part in ET.fromstring(chart.svg).get("viewBox").split()]


def test_long_labels_wrap_and_the_chart_grows_to_hold_them():
    short = bar_chart([Bar("甲", 1), Bar("乙", 2)], title="t")
    long = bar_chart([Bar("生物医药产业链上下游协同创新平台建设", 1), Bar("乙", 2)], title="t")
    assert view_box(long)[2] == view_box(short)[2] == 360  # the same width, 5 inches
    assert view_box(long)[3] > view_box(short)[3]  # taller: the label takes two lines
    assert has_glyphs(long, "生物医药产业链上下游协同创新平台建设")


def test_a_legend_of_long_labels_takes_more_rows_and_the_chart_grows():
    points = [(QUARTERS[0], 1), (QUARTERS[1], 2)]
    short = en(line_chart, [Series(name, points) for name in ("A", "B", "C")], title="t")
    long = en(
        line_chart,
        [Series(name, points) for name in ("Invested (cumulative)", "Distributions (cumulative)", "NAV (residual)")],
        title="t",
    )
    assert view_box(long)[3] > view_box(short)[3] + 20  # two more rows of the legend below the plot
    assert plot_bottom(long) == pytest.approx(plot_bottom(short), abs=0.5)  # the plot keeps its size and place


def plot_bottom(chart):
    """The y (downwards) of the plot area's lower edge: its background, the first path of the axes."""
    axes = next(e for e in ET.fromstring(chart.svg).iter() if (e.get("id") or "").endswith("-axes_1"))
    path = next(axes.iter(f"{{{svg.SVG}}}path"))
    return max(float(number) for number in path.get("d").replace("M", " ").replace("L", " ").split()[1::2] if number)


def test_bar_limits_leave_room_for_the_value_labels():
    assert layout.value_limits(0, 10, 1.0, 4.0) == (0.0, pytest.approx(10 + 10 * 0.25 / 0.75))
    low, high = layout.value_limits(-5, 5, 1.0, 4.0)
    assert low < -5 and high > 5
    assert layout.value_limits(0, 0, 1.0, 4.0)[1] > 0  # all zero: still a scale
    assert layout.text_width("创新药") == pytest.approx(3 * layout.EM)
    assert layout.text_width("ab\n创新") == pytest.approx(2 * layout.EM)


# The SVG ----------------------------------------------------------------------------------------------------


def test_the_same_input_makes_the_same_svg_and_charts_never_share_ids():
    assert zh(j_curve).svg == zh(j_curve).svg
    first, second = zh(j_curve), zh(j_curve, zero_line=True)
    ids = [{e.get("id") for e in ET.fromstring(chart.svg).iter() if e.get("id")} for chart in (first, second)]
    assert ids[0] and not ids[0] & ids[1]


def test_the_svg_is_safe_light_and_accessible():
    chart = bar_chart([Bar("<script>alert(1)</script>", 1)], title='<script>alert("t")</script> & "x"')
    root = ET.fromstring(chart.svg)
    tags = {element.tag.removeprefix(f"{{{svg.SVG}}}") for element in root.iter()}
    assert tags <= {"svg", "g", "defs", "path", "use", "clipPath", "rect", "title"}
    assert "<script" not in chart.svg and "<style" not in chart.svg and "metadata" not in chart.svg
    assert "style=" not in chart.svg  # presentation attributes: no inline CSS for the page's policy to allow
    assert "http" not in chart.svg.replace(svg.SVG, "").replace(svg.XLINK, "")  # nothing external
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on")
            if name.endswith("href"):
                assert name == "href" and value.startswith("#chart-")
            if "url(" in value:
                assert "url(#chart-" in value
    # Scales to its column: a viewBox, width 100%, no fixed height.
    assert root.get("viewBox") and root.get("width") == "100%" and root.get("height") is None
    # Named for assistive technology by its title (escaped).
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    assert root.get("aria-labelledby") == title.get("id")
    assert title.text == '<script>alert("t")</script> & "x"'
    assert "&lt;script&gt;" in chart.svg


def test_the_markup_has_no_namespace_prefix_whatever_other_libraries_registered():
    """ElementTree's prefix table is process-wide: WeasyPrint's run once turned every chart into <ns0:svg>, which
    neither a PDF nor a browser's HTML parser draws."""
    saved = dict(ET._namespace_map)
    try:
        ET.register_namespace("", "http://www.w3.org/1999/xhtml")
        markup = bar_chart([Bar("A", 1)], title="t").svg
    finally:
        ET._namespace_map.clear()
        ET._namespace_map.update(saved)
    assert markup.startswith("<svg ") and f'xmlns="{svg.SVG}"' in markup.split(">", 1)[0]
    assert "ns0" not in markup and "xlink" not in markup


def test_clean_drops_what_matplotlib_never_should_have_written():
    markup = (
        f'<svg xmlns="{svg.SVG}" xmlns:xlink="{svg.XLINK}" width="10pt" height="5pt" viewBox="0 0 10 5">'
        "<metadata>2026-11-30</metadata><script>alert(1)</script><foreignObject><p>x</p></foreignObject>"
        '<g id="a" onload="alert(1)" clip-path="url(#p1)" style="fill: url(#p2); stroke: #000">'
        '<use xlink:href="https://example.com/x.svg#y"/>'
        '<use xlink:href="#a"/></g><image href="https://example.com/a.png"/></svg>'
    )
    cleaned = svg.clean(markup, "t")
    assert "script" not in cleaned and "foreignObject" not in cleaned and "image" not in cleaned
    assert "example.com" not in cleaned and "onload" not in cleaned and "2026" not in cleaned
    assert 'clip-path="url(#chart-' in cleaned and '<use href="#chart-' in cleaned and "xlink:" not in cleaned
    assert 'fill="url(#chart-' in cleaned and 'stroke="#000"' in cleaned and "style=" not in cleaned


# {% chart %} --------------------------------------------------------------------------------------------------


def render(template, **context):
    return Template("{% load charts %}" + template).render(Context(context))


def test_the_tag_places_a_figure_with_its_caption_and_data_table():
    chart = zh(bar_chart, [Bar("创新药", 12), Bar("医疗器械", 7)], title="细分领域 <分布>", value_format=Format.COUNT)
    html = zh(render, "{% chart chart %}", chart=chart)
    assert html.count("<svg") == 1 and "&lt;svg" not in html
    assert '<figcaption class="chart__caption">细分领域 &lt;分布&gt;</figcaption>' in html
    assert "<details" in html and "图表数据" in html
    assert '<th scope="row">创新药</th><td>12</td>' in html
    bare = render("{% chart chart table=False caption=False %}", chart=chart)
    assert "<svg" in bare and "<details" not in bare and "<figcaption" not in bare


def test_an_empty_chart_has_no_table():
    html = render("{% chart chart %}", chart=bar_chart([], title="t"))
    assert "<svg" in html and "<details" not in html


# matplotlib's cache folder -----------------------------------------------------------------------------------


def test_a_read_only_home_does_not_matter(tmp_path):
    home = tmp_path / "home"
    home.write_text("a file: no folder can be made under it, even by root")
    env = {**os.environ, "HOME": str(home), "PORTAL_VAR_DIR": str(tmp_path / "var")}
    for name in ("MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    script = (
        "import os, django; django.setup(); from portal.charts.figures import bar_chart, Bar; "
        "bar_chart([Bar('甲', 1)], title='t'); print(os.environ['MPLCONFIGDIR'])"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error::UserWarning", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "var" / "matplotlib")
    assert "temporary" not in done.stderr


# The feedback campaign's rating chart ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_campaign_page_draws_the_rating_distribution(client):
    from tests.councils_feedback_world import answer, build_world, new_campaign
    from tests.councils_world import login

    world = build_world()
    campaign = new_campaign(world, opened=True)
    answer(world, "council_member", campaign, 5)
    url = reverse("councils:campaign", kwargs={"slug": "biomed", "pk": campaign.pk})
    login(client, world, "secretary")
    with translation.override("zh-hans"):
        response = client.get(url)
    chart = response.context["rating_chart"]
    assert chart.rows == (("1", "0"), ("2", "0"), ("3", "0"), ("4", "0"), ("5", "1"))
    content = response.content.decode()
    assert '<figure class="chart">' in content and 'role="img"' in content
    assert '<tr><th scope="row">5</th><td>1</td></tr>' in content  # the numbers table stays
    assert "min-width: 1px" not in content  # the inline-styled span bar is gone: the chart draws the shares


@pytest.mark.parametrize("years", [1, 2, 3, 5, 12])
def test_quarters_over_any_span_get_a_few_ticks_without_a_warning(years):
    ends = [date(2022 + quarter // 4, (quarter % 4) * 3 + 3, 28) for quarter in range(years * 4)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart = line_chart([Series("净现金流", [(end, i) for i, end in enumerate(ends)])], title="J 曲线")
    assert len(chart.rows) == len(ends)
