"""W4 规范表述: the dictionary engine (entries, generated variants, Aho-Corasick, near misses, dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhongshu.proofread import Profile, Severity, check, standard
from zhongshu.proofread.standard import AhoCorasick, Entry, StandardDictionary


def found(text: str, **kwargs) -> list[tuple[str, str | None]]:
    return [(text[f.start : f.end], f.suggestion) for f in check(text, **kwargs) if f.rule == "W4"]


# Aho-Corasick ---------------------------------------------------------------------------------------


def test_automaton_finds_every_occurrence_including_overlaps():
    automaton: AhoCorasick[str] = AhoCorasick()
    for word in ["营商", "营商环境", "环境", "商环"]:
        automaton.add(word, word)
    automaton.build()

    hits = sorted((start, end, word) for start, end, word in automaton.iter("优化营商环境"))

    assert hits == [(2, 4, "营商"), (2, 6, "营商环境"), (3, 5, "商环"), (4, 6, "环境")]


@given(
    st.lists(st.text(alphabet="甲乙丙丁", min_size=1, max_size=4), min_size=1, max_size=8),
    st.text(alphabet="甲乙丙丁戊", max_size=40),
)
def test_automaton_agrees_with_a_naive_search(patterns, text):
    automaton: AhoCorasick[str] = AhoCorasick()
    for pattern in set(patterns):
        automaton.add(pattern, pattern)
    naive = sorted((i, i + len(p), p) for p in set(patterns) for i in range(len(text)) if text.startswith(p, i))

    assert sorted(automaton.iter(text)) == naive


@pytest.mark.parametrize(
    ("a", "b", "bound", "distance"),
    [
        ("营商环境", "营商环境", 1, 0),
        ("营商环境", "营商环节", 1, 1),
        ("营商环境", "营环境", 1, 1),
        ("营商环境", "环境", 1, 2),
    ],
)
def test_bounded_distance(a, b, bound, distance):
    assert standard.bounded_distance(a, b, bound) == distance


def test_generated_variants_drop_quotes_reorder_enumerations_and_swap_neighbours():
    variants = standard.generated_variants("“双随机、一公开”")

    assert "双随机、一公开" in variants
    assert "一公开、双随机" in variants
    assert "营环商境" in standard.generated_variants("营商环境")
    assert "营商环境" not in standard.generated_variants("营商环境")


# The rule -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "run", "suggestion"),
    [
        ("持续优化营商氛围。", "营商氛围", "营商环境"),
        ("深化放管服改革。", "放管服改革", "“放管服”改革"),
        ("深化最多跑一次改革。", "最多跑一次改革", "“最多跑一次”改革"),
        ("推行双随机一公开监管。", "双随机一公开", "“双随机、一公开”"),
        ("推行一公开、双随机监管。", "一公开、双随机", "“双随机、一公开”"),
        ("持续优化营环商境。", "营环商境", "营商环境"),
        ("持续优化营商环竟。", "营商环竟", "营商环境"),
        ("坚持新时期中国特色社会主义。", "新时期中国特色社会主义", "新时代中国特色社会主义"),
        ("坚持新时代中国特社会主义。", "新时代中国特社会主义", "新时代中国特色社会主义"),
    ],
)
def test_w4_warns_and_suggests_the_standard_form(text, run, suggestion):
    assert found(text) == [(run, suggestion)]


def test_w4_finding_is_a_warning_in_the_standard_wording_category_citing_its_source():
    [finding] = [f for f in check("优化营商氛围") if f.rule == "W4"]

    assert finding.severity == Severity.WARNING
    assert str(finding.category) == "规范表述"
    assert "规范表述为：营商环境" in finding.message
    assert "依据" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "持续优化营商环境,深化“放管服”改革。",
        "推行“双随机、一公开”监管。",
        "改善生态环境和人居环境。",
        "推进一网通办和一网统管。",
        "营商。环境",
        "坚持新时代中国特色社会主义思想。",
        "国家行政学院",  # retired only once a date is known
    ],
)
def test_w4_is_silent_on_standard_forms_and_unrelated_text(text):
    assert found(text) == []


def test_w4_flags_a_retired_form_after_its_end_date_only():
    before = Profile(options={"today": "2018-03-01"})
    after = Profile(options={"today": dt.date(2026, 11, 29)})

    assert found("国家行政学院", profile=before) == []
    [finding] = [f for f in check("国家行政学院", profile=after) if f.rule == "W4"]
    assert finding.suggestion is None
    assert "2018-03-21后已不再使用" in finding.message


def test_w4_entry_not_yet_in_force_is_ignored():
    entries = [
        Entry(
            standard="示范区政务服务中心",
            variants=("示范区行政服务中心",),
            effective_from=dt.date(2027, 1, 1),
        )
    ]
    profile_before = Profile(dictionaries={"standard": entries}, options={"today": "2026-12-31"})
    profile_after = Profile(dictionaries={"standard": entries}, options={"today": "2027-01-01"})

    assert found("示范区行政服务中心", profile=profile_before) == []
    assert found("示范区行政服务中心", profile=profile_after) == [("示范区行政服务中心", "示范区政务服务中心")]


def test_profile_dictionary_path_replaces_the_example(tmp_path: Path):
    path = tmp_path / "dict.csv"
    path.write_text(
        "id,standard,variants,category,effective_from,effective_until,source,severity,near_miss,note\n"
        "L-1,示范区人民政府,示范区政府|示范区区政府,机构名称,,,区编办2026年名录,error,yes,\n",
        encoding="utf-8",
    )
    profile = Profile(dictionaries={"standard": str(path)})

    findings = [f for f in check("示范区区政府印发;优化营商氛围", profile=profile) if f.rule == "W4"]

    assert [(f.start, f.end, f.suggestion, f.severity) for f in findings] == [(0, 6, "示范区人民政府", Severity.ERROR)]


def test_profile_dictionary_may_be_a_list_of_dicts_and_is_compiled_once():
    rows = [{"standard": "防汛抗旱指挥部", "variants": "防汛抗旱指挥部门"}]

    first = standard.dictionary_for(rows)

    assert standard.dictionary_for(rows) is first
    assert found("区防汛抗旱指挥部门", profile=Profile(dictionaries={"standard": rows})) == [
        ("防汛抗旱指挥部门", "防汛抗旱指挥部")
    ]


def test_example_dictionary_is_loaded_once_per_process():
    assert standard.dictionary_for(None) is standard.dictionary_for(None)


def test_a_dictionary_of_unknown_type_is_refused_in_chinese():
    with pytest.raises(TypeError, match="规范表述词典"):
        standard.dictionary_for(42)


def test_near_miss_can_be_turned_off_per_entry():
    dictionary = StandardDictionary([Entry(standard="一网通办", near_miss=False)])

    assert dictionary.matches("推进一网通管") == []


def test_a_toml_profile_names_the_dictionary_file(tmp_path: Path):
    (tmp_path / "dict.csv").write_text("standard,variants\n示范区应急管理局,示范区应急局\n", encoding="utf-8")
    (tmp_path / "office.toml").write_text('[dictionaries]\nstandard = "dict.csv"\n', encoding="utf-8")

    profile = Profile.load(tmp_path / "office.toml")

    assert found("示范区应急局牵头", profile=profile) == [("示范区应急局", "示范区应急管理局")]
