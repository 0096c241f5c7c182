"""The indicator set page of a year (funds:indicator_set_new, funds:indicator_set_edit) through the test client, on
the fund worked out by hand (tests/funds_performance_world.py, its 2024 set of five lines): a new year starts as a
copy of the latest set, a valid post writes the set through the service, bad input is answered on the page in the
reader's language with nothing saved, an approved year keeps its set, "add a line" saves nothing, and the edit page
of fifteen lines costs a fixed number of queries."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from funds.forms.indicator_sets import PREFIX, BandsField
from funds.models import (
    BenchmarkIndex,
    EvaluationState,
    Indicator,
    IndicatorSet,
    LeverageBasis,
    PerformanceEvaluation,
    ReinvestmentRule,
)
from funds.services import performance as services
from portal.reviews.testing import make_rubric
from tests import funds_performance_world as perf

pytestmark = pytest.mark.django_db
YEAR = perf.YEAR
LINE_FIELDS = ("group", "kind", "key", "label", "label_en", "weight", "target", "floor", "rule", "bands", "criterion")


@pytest.fixture
def world():
    return perf.build()


def new_url(world):
    return reverse("funds:indicator_set_new", kwargs={"fund": world.fund.slug})


def edit_url(world, year=YEAR):
    return reverse("funds:indicator_set_edit", kwargs={"fund": world.fund.slug, "year": year})


def evaluation_url(world, year):
    return reverse("funds:evaluation", kwargs={"fund": world.fund.slug, "year": year})


def lines_of(year_set) -> list[tuple]:
    """The set's lines as comparable tuples, in order."""
    return list(
        year_set.indicators.order_by("position").values_list(
            "position", "group", "kind", "key", "label", "weight", "target", "floor", "rule", "bands", "criterion"
        )
    )


def line(**values) -> dict:
    """A posted line: perf.INDICATORS' shape, bands as the page's text."""
    row = dict.fromkeys(LINE_FIELDS, "")
    row["rule"] = "linear"
    row.update(values)
    return row


# The world's five lines as a manager posts them (weights 30/20/30/20, the bonus banded).
WORLD_LINES = [
    line(group="policy", kind="formula", key="leverage", label="财政资金放大倍数", weight="30", floor="1", target="4"),
    line(group="policy", kind="formula", key="reinvestment", label="返投比例", weight="20", floor="0", target="1"),
    line(group="returns", kind="formula", key="gross_tvpi", label="TVPI", weight="30", floor="1", target="2"),
    line(group="returns", kind="formula", key="gross_dpi", label="DPI", weight="20", floor="0", target="1"),
    line(
        group="policy", kind="bonus", key="milestones", label="研发里程碑", weight="5", rule="banded", bands="1 = 100%"
    ),
]


# An empty extra line as a browser posts it: the selects' first or default choice, every other field empty.
EMPTY_LINE = dict.fromkeys(LINE_FIELDS, "") | {"kind": "formula", "rule": "linear", "order": ""}


def posted(lines, *, initial=0, extra_forms=2, **header) -> dict:
    """The form's POST body: the header (name and the bases), the management form, each line, then the page's empty
    extra lines."""
    data = {
        "name": "2025年度绩效评价指标",
        "name_en": "2025 performance indicators",
        "leverage_basis": LeverageBasis.COMMITTED,
        "reinvestment_rule": ReinvestmentRule.REGISTERED,
        "landing_months": "12",
        "bonus_cap": "10",
        "benchmark": "",
        "qualitative_rubric": "",
        f"{PREFIX}-TOTAL_FORMS": str(len(lines) + extra_forms),
        f"{PREFIX}-INITIAL_FORMS": str(initial),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "60",
    }
    lines = [*lines, *[EMPTY_LINE] * extra_forms]
    for index, values in enumerate(lines):
        for name, value in values.items():
            if value is True:
                data[f"{PREFIX}-{index}-{name}"] = "on"
            elif value is not False:
                data[f"{PREFIX}-{index}-{name}"] = value
    data.update({key: value for key, value in header.items() if value is not None})
    return {key: value for key, value in data.items() if value is not None}


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def sets_state(world):
    return [(s.year, s.name, s.bonus_cap, lines_of(s)) for s in IndicatorSet.objects.filter(fund=world.fund)]


# A new year


def test_new_starts_as_a_copy_of_the_latest_set_for_the_next_free_year(client, world):
    world.indicator_set.landing_months = 18
    world.indicator_set.save()
    client.force_login(world.manager)
    response = client.get(new_url(world))
    html = html_of(response)
    year = timezone.localdate().year  # the world has only 2024
    form = response.context["form"]
    assert form["year"].value() == year
    assert form["name"].value() == f"{year}年度绩效评价指标"  # the latest set's name, moved to the new year
    assert form["landing_months"].value() == 18
    lines = response.context["lines"]
    assert lines.initial_form_count() == 5 and len(lines.forms) == 7  # the five lines and two empty ones
    assert [f["label"].value() for f in lines.forms[:5]] == [row["label"] for row in perf.INDICATORS]
    assert lines.forms[0]["weight"].value() == "30"  # 30, not 30.00
    assert "\n1 = 100%</textarea>" in html  # the bonus item's band, as the page writes it
    assert "分档计分时每行一档：门槛值 = 得分占满分的比例，例如 1.5 = 100%。" in html
    assert "data-weight-total>100<" in html  # 30 + 20 + 30 + 20; the bonus is outside the 100
    assert 'name="add_line"' in html


def test_a_fund_without_a_set_gets_an_empty_form_for_this_year(client, world):
    world.indicator_set.delete()
    client.force_login(world.manager)
    response = client.get(new_url(world))
    assert response.context["form"]["year"].value() == timezone.localdate().year
    assert len(response.context["lines"].forms) == 2
    assert "data-weight-total>0<" in html_of(response)


def test_a_valid_post_creates_the_set_with_its_lines_and_bases(client, world):
    index = BenchmarkIndex.objects.create(name="沪深300", name_en="CSI 300")
    lines = [dict(row) for row in WORLD_LINES]
    lines[0]["weight"], lines[1]["weight"] = "25", "25"
    lines[4]["bands"] = "2 = 100%\n1 → 50%"
    lines[2]["order"], lines[3]["order"] = "4", "3"  # DPI before TVPI
    body = posted(
        lines,
        year="2025",
        leverage_basis=LeverageBasis.PAID_IN,
        state_capital_is_government="on",
        reinvestment_rule=ReinvestmentRule.LANDED_WITHIN,
        landing_months="18",
        bonus_cap="8",
        benchmark=str(index.pk),
    )
    client.force_login(world.manager)
    response = client.post(new_url(world), body)
    assert response.status_code == 302 and response["Location"] == evaluation_url(world, 2025)
    created = IndicatorSet.objects.get(fund=world.fund, year=2025)
    assert (created.name, created.name_en) == ("2025年度绩效评价指标", "2025 performance indicators")
    assert created.leverage_basis == LeverageBasis.PAID_IN and created.state_capital_is_government
    assert created.reinvestment_rule == ReinvestmentRule.LANDED_WITHIN and created.landing_months == 18
    assert created.bonus_cap == Decimal(8) and created.benchmark == index
    saved = lines_of(created)
    assert [row[3] for row in saved] == ["leverage", "reinvestment", "gross_dpi", "gross_tvpi", "milestones"]
    assert [row[0] for row in saved] == [0, 1, 2, 3, 4]
    assert saved[0][5:8] == (Decimal(25), Decimal(4), Decimal(1))
    assert saved[4][8:] == ("banded", [[2, 1], [1, 0.5]], "")
    assert lines_of(world.indicator_set) == lines_of(IndicatorSet.objects.get(fund=world.fund, year=YEAR))
    follow = client.get(response["Location"])
    assert "指标体系已保存。" in html_of(follow)


def test_weights_not_adding_up_to_100_are_refused_on_the_page_and_nothing_is_saved(client, world):
    lines = [dict(row) for row in WORLD_LINES]
    lines[0]["weight"] = "25"  # 95 in all
    before = sets_state(world)
    client.force_login(world.manager)
    html = html_of(client.post(new_url(world), posted(lines, year="2025")))
    assert "计分指标的权重合计为95.00，必须恰好等于100。" in html
    assert sets_state(world) == before
    assert "data-weight-total>95<" in html  # the running total says so too


def test_the_refusal_reads_in_english_on_the_english_page(client, world):
    lines = [dict(row) for row in WORLD_LINES]
    lines[0]["weight"] = "25"
    with translation.override("en"):
        url = new_url(world)
    assert url.startswith("/en/")
    client.force_login(world.manager)
    html = html_of(client.post(url, posted(lines, year="2025")))
    assert "add up to 95.00; they must add up to exactly 100." in html
    assert "must add up to 100" in html and "Save the indicator set" in html
    assert not IndicatorSet.objects.filter(year=2025).exists()


@pytest.mark.parametrize(
    ("index", "field", "value", "language", "message"),
    [
        # the form's refusals, on the line's field
        (1, "weight", "二十", "zh-hans", "请填写数字。"),
        (4, "bands", "一 = 全部", "zh-hans", "第1档：请依次填写门槛值、“=”和得分比例，例如 1.5 = 100%。"),
        # the service's, naming the line
        (2, "target", "", "en", "TVPI: Linear scoring needs a target."),
        (4, "bands", "1 = 150%", "en", "研发里程碑: Band 1: the share of full marks must be between 0 and 1."),
    ],
)
def test_a_bad_line_is_refused_on_the_page_and_nothing_is_saved(client, world, index, field, value, language, message):
    lines = [dict(row) for row in WORLD_LINES]
    lines[index][field] = value
    before = sets_state(world)
    client.force_login(world.manager)
    with translation.override(language):
        url = edit_url(world)
    response = client.post(url, posted(lines, initial=5))
    html = html_of(response)
    assert message in html
    if language == "zh-hans":
        assert response.context["lines"].forms[index].errors[field] == [message]
        assert 'class="indicator-line indicator-line--error"' in html
    assert sets_state(world) == before


def test_a_new_year_that_already_has_a_set_is_refused(client, world):
    before = sets_state(world)
    client.force_login(world.manager)
    html = html_of(client.post(new_url(world), posted(WORLD_LINES, year=str(YEAR))))
    assert "2024年已有指标体系，请在该年度的指标页面修改。" in html
    assert sets_state(world) == before


def test_the_service_creates_only_when_asked_so_a_concurrent_new_year_is_refused(world):
    """The page asks the service to create (``new=True``): a set made for the year since the form was checked (another
    manager) is refused, not replaced."""
    before = sets_state(world)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.set_indicators(
            actor=world.manager, fund=world.fund, year=YEAR, name="另一套", indicators=perf.INDICATORS, new=True
        )
    with translation.override("en"):
        assert "already has an indicator set for 2024" in refused.value.message_dict["year"][0]
    assert sets_state(world) == before


# Editing a year


def test_editing_a_draft_year_replaces_its_lines(client, world):
    old_pks = set(world.indicator_set.indicators.values_list("pk", flat=True))
    lines = [dict(row) for row in WORLD_LINES]
    lines[1]["DELETE"] = True  # 返投 dropped: its 20 points go to leverage
    lines[0]["weight"] = "50"
    lines.append(line(group="policy", kind="formula", key="landing", label="落地坪山企业数", weight="0", rule="shown"))
    client.force_login(world.manager)
    response = client.get(edit_url(world))
    assert response.context["lines"].initial_form_count() == 5
    assert response.context["form"]["name"].value() == "2024年度绩效评价指标"
    response = client.post(edit_url(world), posted(lines, initial=5, name="2024年度指标（修订）"))
    assert response.status_code == 302 and response["Location"] == evaluation_url(world, YEAR)
    world.indicator_set.refresh_from_db()
    assert world.indicator_set.name == "2024年度指标（修订）"
    saved = lines_of(world.indicator_set)
    assert [row[3] for row in saved] == ["leverage", "gross_tvpi", "gross_dpi", "milestones", "landing"]
    assert saved[0][5] == Decimal(50) and saved[4][8] == "shown"
    assert not old_pks & set(world.indicator_set.indicators.values_list("pk", flat=True))
    assert IndicatorSet.objects.filter(fund=world.fund).count() == 1


def approved(world):
    evaluation = services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    evaluation = services.compute_evaluation(actor=world.manager, evaluation=evaluation)
    evaluation = services.write_recommendations(actor=world.manager, evaluation=evaluation, recommendations="保持")
    return services.approve_evaluation(actor=world.ic_chair, evaluation=evaluation)


def test_an_approved_year_keeps_its_set(client, world):
    evaluation = approved(world)
    before = sets_state(world)
    lines = [dict(row) for row in WORLD_LINES]
    lines[0]["weight"], lines[1]["weight"] = "10", "40"
    client.force_login(world.manager)
    for response in (client.get(edit_url(world)), client.post(edit_url(world), posted(lines, initial=5))):
        assert response.status_code == 302 and response["Location"] == evaluation_url(world, YEAR)
    html = html_of(client.get(evaluation_url(world, YEAR)))
    assert "本年度评价已批准，其指标体系不能再修改。" in html
    assert edit_url(world) not in html  # no "Edit indicators" once approved
    assert sets_state(world) == before
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.APPROVED


def test_the_pages_link_to_the_form_for_managers_only(client, world):
    client.force_login(world.manager)
    dashboard = html_of(client.get(reverse("funds:performance", kwargs={"fund": world.fund.slug})))
    assert f'href="{new_url(world)}"' in dashboard
    assert f'href="{edit_url(world)}"' in html_of(client.get(evaluation_url(world, YEAR)))
    client.force_login(world.ic_member)
    dashboard = html_of(client.get(reverse("funds:performance", kwargs={"fund": world.fund.slug})))
    assert new_url(world) not in dashboard
    assert edit_url(world) not in html_of(client.get(evaluation_url(world, YEAR)))


def test_anyone_but_the_managers_gets_404_and_changes_nothing(client, world):
    before = sets_state(world)
    lines = [dict(row) for row in WORLD_LINES]
    lines[0]["weight"], lines[1]["weight"] = "10", "40"
    for user in (world.ic_member, world.outsider, world.other_manager):
        client.force_login(user)
        assert client.get(new_url(world)).status_code == 404
        assert client.post(new_url(world), posted(lines, year="2025")).status_code == 404
        assert client.post(edit_url(world), posted(lines, initial=5)).status_code == 404
    client.force_login(world.manager)
    assert client.get(edit_url(world, 2030)).status_code == 404  # no set that year
    assert sets_state(world) == before


# Bands and "add a line"


def test_bands_are_read_as_thresholds_and_shares():
    field = BandsField(required=False)
    assert field.clean("1.5 = 100%\n1.2 → 80%\n\n1: 0.5\n0.8 -> 0") == [[1.5, 1], [1.2, 0.8], [1, 0.5], [0.8, 0]]
    assert field.clean("") == []
    assert field.prepare_value([[1.8, 1], [1.5, 0.8], [1, 0.3]]) == "1.8 = 100%\n1.5 = 80%\n1 = 30%"
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            field.clean("1.5 = 100%\nhigh = 50%")
        assert refused.value.messages == ["Band 2: write the threshold, “=”, then the share, e.g. 1.5 = 100%."]


def test_add_a_line_renders_one_more_and_saves_nothing(client, world):
    lines = [dict(row) for row in WORLD_LINES]
    lines[0]["weight"] = "35"  # being typed: no error shown yet
    lines[3]["DELETE"] = True
    before = sets_state(world)
    client.force_login(world.manager)
    response = client.post(edit_url(world), {**posted(lines, initial=5, extra_forms=2), "add_line": "1"})
    html = html_of(response)
    forms = response.context["lines"].forms
    assert len(forms) == 5  # four lines kept (one deleted), one more empty
    assert [f["label"].value() for f in forms[:4]] == ["财政资金放大倍数", "返投比例", "TVPI", "研发里程碑"]
    assert forms[0]["weight"].value() == "35" and forms[4]["label"].value() in (None, "")
    assert "\n1 = 100%</textarea>" in html  # the bonus item's band, as it was typed
    assert 'role="alert"' not in html
    assert "data-weight-total>85<" in html
    assert sets_state(world) == before


# Queries


def test_the_edit_page_of_fifteen_lines_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    lines = (
        [{**perf.INDICATORS[0], "label": f"指标{n}", "weight": "0", "rule": "shown"} for n in range(12)]
        + perf.INDICATORS[:2]
        + [perf.INDICATORS[2] | {"weight": "50"}]
    )
    services.set_indicators(actor=world.manager, fund=world.fund, year=YEAR, name="十五项", indicators=lines)
    rubric = make_rubric()  # its criteria are offered to the panel items: one query, not one per line
    IndicatorSet.objects.filter(pk=world.indicator_set.pk).update(qualitative_rubric=rubric)
    assert world.indicator_set.indicators.count() == 15
    client.force_login(world.manager)
    client.get(edit_url(world))  # warm the per-process caches (site, translations)
    with django_assert_max_num_queries(14):
        response = client.get(edit_url(world))
    assert len(response.context["lines"].forms) == 17
    criterion = rubric.criteria.first()
    assert f'<option value="{criterion.name_zh}">' in response.content.decode()
    assert PerformanceEvaluation.objects.count() == 0
    assert Indicator.objects.filter(indicator_set__fund=world.fund).count() == 15


def test_a_save_from_a_form_opened_before_a_colleagues_save_is_refused(client, world):
    client.force_login(world.manager)
    loaded = client.get(edit_url(world)).context["form"]["loaded"].value()
    lines = [dict(row) for row in WORLD_LINES]
    first = posted(lines, initial=5, name="甲修订的指标", loaded=loaded)
    assert client.post(edit_url(world), first).status_code == 302
    response = client.post(edit_url(world), posted(lines, initial=5, name="乙修订的指标", loaded=loaded))
    assert response.status_code == 200 and "另一个窗口" in html_of(response)
    world.indicator_set.refresh_from_db()
    assert world.indicator_set.name == "甲修订的指标"
