"""Matching the resource libraries (talent/matching.py): the relevant entry ranks first for a demand written in
Chinese, in English and in both, and the explanation names the words and themes both sides share."""

import pytest

from talent.matching import MINIMUM_SCORE, Entry, Matcher, terms


def entry(kind, number, text, *tags):
    return Entry((kind, number), kind, text, frozenset(tags))


LIBRARY = [
    entry("project", 1, "CAR-T细胞治疗慢病毒载体GMP生产平台，可提供工艺开发服务", "biomed"),
    entry("project", 2, "新能源汽车电池管理系统与固态电池热管理方案", "nev"),
    entry("project", 3, "AI医学影像辅助诊断，肺结节自动检测", "biomed", "ngit"),
    entry("project", 4, "Solid-state batteries with high energy density for electric vehicles", "nev"),
    entry("patent", 5, "一种慢病毒载体纯化方法及其应用", "biomed"),
    entry("project", 6, "ADC antibody drug conjugate platform targeting HER2 and PD-1", "biomed"),
    entry("expert", 7, "Professor of semiconductor packaging, wafer-level chiplet integration", "ic"),
    entry("demand", 8, "寻求车规级芯片封装测试合作伙伴", "ic"),
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(LIBRARY)


def keys(suggestions):
    return [suggestion.entry.key for suggestion in suggestions]


def test_a_chinese_demand_ranks_the_relevant_project_first_and_says_why(matcher):
    demand = Entry(
        ("demand", 1), "demand", "需要GMP级别慢病毒载体生产能力，开展CAR-T细胞治疗工艺开发", frozenset({"biomed"})
    )
    first, second, *_ = matcher.suggest(demand)
    assert first.entry.key == ("project", 1) and second.entry.key == ("patent", 5)
    assert {"gmp", "工艺"} <= set(first.shared_terms) and len(first.shared_terms) == 5
    assert first.shared_tags == ("biomed",) and set(second.shared_terms) == {"载体", "病毒"}
    assert first.score > second.score > 0


def test_an_english_demand_matches_words_in_any_form_and_shows_them_as_written(matcher):
    demand = Entry(
        ("demand", 2), "demand", "We need a supplier of solid-state battery packs for electric buses", frozenset()
    )
    first = matcher.suggest(demand)[0]
    assert first.entry.key == ("project", 4)
    # battery ~ batteries, electric: the explanation shows the words, not their stems (batteri, electr)
    assert {"battery", "electric", "solid", "state"} <= set(first.shared_terms)
    assert not any(term.endswith("ri") for term in first.shared_terms)


def test_a_mixed_demand_matches_on_the_english_words_it_shares(matcher):
    demand = Entry(("demand", 3), "demand", "寻找PD-1抗体偶联药物（ADC）的合作伙伴", frozenset({"biomed"}))
    first = matcher.suggest(demand)[0]
    assert first.entry.key == ("project", 6)
    assert {"pd", "adc"} <= set(first.shared_terms)


def test_kinds_limit_the_suggestions_and_an_entry_is_never_its_own_match(matcher):
    demand = LIBRARY[7]  # the chip packaging demand, itself in the library
    suggestions = matcher.suggest(demand, kinds={"expert", "project"})
    assert ("demand", 8) not in keys(suggestions)
    assert keys(suggestions)[0] == ("expert", 7)
    assert {suggestion.entry.kind for suggestion in suggestions} <= {"expert", "project"}
    project = LIBRARY[0]
    assert keys(matcher.suggest(project, kinds={"demand"})) == []  # nothing about cell therapy is asked


def test_shared_themes_alone_are_a_weak_but_explained_match(matcher):
    demand = Entry(("demand", 9), "demand", "完全无关的描述文字", frozenset({"nev"}))
    suggestions = matcher.suggest(demand)
    assert set(keys(suggestions)) == {("project", 2), ("project", 4)}
    assert all(s.similarity == 0 and s.shared_tags == ("nev",) and s.shared_terms == () for s in suggestions)
    assert all(s.score >= MINIMUM_SCORE for s in suggestions)


def test_the_ranking_is_the_same_on_every_run_and_limited(matcher):
    demand = Entry(("demand", 10), "demand", "biomed", frozenset({"biomed"}))
    first = keys(matcher.suggest(demand, limit=2))
    assert len(first) == 2 and first == keys(Matcher(LIBRARY).suggest(demand, limit=2))
    assert first == [("project", 1), ("patent", 5)]  # equal scores (the theme alone): library order


def test_function_words_and_numbers_do_not_count():
    assert terms("我们寻求合作的项目 2024 and the of") == []
    assert terms("Antibodies 抗体") == ["antibodi", "抗体"]


def test_an_empty_library_or_a_library_without_words_suggests_nothing():
    query = Entry(("demand", 1), "demand", "抗体", frozenset({"biomed"}))
    assert Matcher([]).suggest(query) == []
    silent = Matcher([Entry(("project", 1), "project", "2024", frozenset())])
    assert silent.suggest(query) == []
