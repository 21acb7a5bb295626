"""W3 input-method slips, the installation's statistics, local names, ORG-01 and merged findings."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from zhongshu.proofread import Profile, Severity, check, slips
from zhongshu.proofread.engine import merge_overlaps
from zhongshu.proofread.finding import Category, Finding
from zhongshu.proofread.rules.slips import LiteralIndex

ROOT = Path(__file__).resolve().parents[3]


def found(text: str, rule: str, profile: Profile | None = None) -> list[tuple[str, str | None]]:
    return [(text[f.start : f.end], f.suggestion) for f in check(text, profile=profile) if f.rule == rule]


# W3 ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("各单位要认真阻止实施，确保各项任务落到实处。", "阻止", "组织"),
        ("拟录用人员名单已在区政府门户网站予以公式。", "公式", "公示"),
        ("区政府办公室现将有关事项同志如下。", "同志", "通知"),
        ("健全突发事件应急处置机智。", "机智", "机制"),
        ("设立转向资金，用于老旧小区改造。", "转向", "专项"),
        ("行政机关应当依法形式职权。", "形式", "行使"),
        ("本办法自印发之日起实行。", "实行", "施行"),
    ],
)
def test_w3_finds_a_real_word_typed_for_its_homophone(text, wrong, right):
    assert found(text, "W3") == [(wrong, right)]


def test_w3_is_a_warning_that_names_the_neighbours_and_carries_the_counts():
    [finding] = [f for f in check("各单位要认真阻止实施。") if f.rule == "W3"]

    assert finding.severity == Severity.WARNING
    assert finding.category == Category.CHARACTER
    assert finding.message == (
        "“阻止”疑为同音词“组织”之误（输入法误选）：在统计语料中，与相邻的“实施”搭配的是“组织”，未见或极少见“阻止”"
    )
    assert finding.evidence is not None
    assert "组织实施 251 次，阻止实施 0 次" in finding.evidence


@pytest.mark.parametrize(
    "text",
    [
        "投资回报率逐年提高。",
        "今年以来，全区财政收入大幅增长。",
        "企业已全面恢复生产。",
        "评选表彰一批先进人物。",
        "加强体育锻炼，增强学生体质。",
        "丰富群众文体活动。",
        "专业人员按照公式计算补偿金额。",
        "坚持诚实守信原则。",
        "山区道路要防范落石风险。",
        "依法维护当事人的合法权利。",
        "国家权力机关依法行使职权。",
        "材料统一使用A4纸打印。",
        "报名于5月1日截止，逾期不再受理。",
        "“12·4”国家宪法日暨全国法制宣传日活动。",
    ],
)
def test_w3_is_silent_on_correct_usage(text):
    assert found(text, "W3") == []


def test_meaning_pairs_are_left_to_w2():
    # 行使权利 and 行使权力 are both right: the statistics do not decide between them.
    assert found("行政机关要依法行使权力。", "W3") == []


# Local names ----------------------------------------------------------------------------------------


def test_a_registered_name_is_never_flagged_as_a_slip():
    text = "着力提升诚实管理水平。"
    assert found(text, "W3") == [("诚实", "城市")]

    profile = Profile(local_names=("诚实管理",))  # say, a firm of that name

    assert found(text, "W3", profile) == []


def test_no_wording_rule_flags_inside_a_registered_name():
    text = "布署村村委会。"
    assert found(text, "W1") == [("布署", "部署")]

    assert found(text, "W1", Profile(local_names=("布署村",))) == []


def test_profile_file_carries_names_and_statistics(tmp_path):
    stats = slips.build_stats(["清河镇人民政府。"] * 4, lexicon={"清河": "qing he", "青禾": "qing he"})
    slips.save(stats, tmp_path / "slips.json.gz")
    (tmp_path / "units.txt").write_text("# 单位\n示范区教育委员会\n", encoding="utf-8")
    (tmp_path / "p.toml").write_text(
        'local_names = ["张明华"]\nunit_names = ["区教委"]\n'
        '[dictionaries]\nslips_stats = "slips.json.gz"\nunit_names = "units.txt"\n',
        encoding="utf-8",
    )

    profile = Profile.load(tmp_path / "p.toml")

    assert profile.local_names == ("张明华",)
    assert found("青禾镇人民政府。示范区教育委员汇。", "W3", profile) == [("青禾", "清河")]
    assert found("青禾镇人民政府。示范区教育委员汇。", "ORG-01", profile) == [("示范区教育委员汇", "示范区教育委员会")]


# ORG-01 ---------------------------------------------------------------------------------------------

UNITS = Profile(unit_names=("示范区教育委员会", "区教委", "示范区住房和城乡建设委员会"))


def test_org01_flags_a_unit_name_one_character_off():
    [finding] = [f for f in check("请示范区教育委员汇牵头落实。", profile=UNITS) if f.rule == "ORG-01"]

    assert (finding.start, finding.end, finding.suggestion) == (1, 9, "示范区教育委员会")
    assert finding.severity == Severity.WARNING
    assert "“汇”应为“会”" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "请示范区教育委员会牵头落实。",  # the registered name itself
        "市教育委员会和示范区教育委员会联合发文。",  # another level is another unit
        "区教会组织活动。",  # short names are not searched (too many ordinary words are one character off)
        "没有登记的单位名称。",
    ],
)
def test_org01_is_silent_on_registered_names_and_other_units(text):
    assert found(text, "ORG-01", UNITS) == []


def test_org01_picks_the_registered_name_that_is_one_character_off():
    profile = Profile(unit_names=("示范区教育委员会", "示范区卫生健康委员会", "示范区财政局", "示范区审计局"))

    text = "示范区卫生健康委员汇、示范区财政居和示范区审计局。"

    assert found(text, "ORG-01", profile) == [
        ("示范区卫生健康委员汇", "示范区卫生健康委员会"),
        ("示范区财政居", "示范区财政局"),
    ]


def test_literal_index_finds_overlapping_and_nested_names():
    index = LiteralIndex(["示范区", "示范区教委", "区教委"])

    assert sorted(index.occurrences("示范区教委")) == [(0, 3, "示范区"), (0, 5, "示范区教委"), (2, 5, "区教委")]


def test_org01_needs_a_registry():
    assert found("示范区教育委员汇牵头。", "ORG-01") == []


# Statistics -------------------------------------------------------------------------------------------


def test_build_stats_counts_words_and_their_neighbours():
    lexicon = {"组织": "zu zhi", "阻止": "zu zhi"}

    stats = slips.build_stats(["认真组织实施", "组织实施，阻止违法"], lexicon=lexicon, source="测试")

    assert stats.counts == {"组织": 2, "阻止": 1}
    assert dict(stats.left["组织"]) == {"认真": 1}
    assert dict(stats.right["组织"]) == {"实施": 2}
    assert dict(stats.right["阻止"]) == {"违法": 1}
    assert (stats.documents, stats.characters, stats.source) == (2, 15, "测试")


@pytest.mark.parametrize("name", ["s.json", "s.json.gz"])
def test_stats_round_trip_through_the_file_format(tmp_path, name):
    stats = slips.build_stats(["认真组织实施"], lexicon={"组织": "zu zhi", "阻止": "zu zhi"})

    slips.save(stats, tmp_path / name)
    again = slips.load(tmp_path / name)

    assert again.to_json() == stats.to_json()
    if name.endswith(".json"):
        data = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        assert data["format"] == slips.FORMAT
        assert data["right"] == {"组织": "实施1"}


def test_loading_a_file_of_another_format_is_refused():
    with pytest.raises(ValueError, match="格式不符"):
        slips.loads(b'{"format": "other"}')


def test_merge_adds_counts():
    lexicon = {"组织": "zu zhi", "阻止": "zu zhi"}
    one = slips.build_stats(["组织实施"], lexicon=lexicon)
    two = slips.build_stats(["组织实施", "组织开展"], lexicon=lexicon)

    merged = slips.merge(one, two)

    assert merged.counts == {"组织": 3}
    assert dict(merged.right["组织"]) == {"实施": 2, "开展": 1}
    assert merged.documents == 3


def test_installation_statistics_teach_its_own_words():
    text = "青禾镇人民政府。"
    assert found(text, "W3") == []
    own = slips.build_stats(["清河镇人民政府召开会议。"] * 5, extra_words=["清河", "青禾"])

    assert found(text, "W3", Profile(extra_stats=own)) == [("青禾", "清河")]


def test_the_base_table_is_loaded_lazily_and_once():
    code = (
        "from zhongshu.proofread import check, slips\n"
        "before = slips.base_stats.cache_info().currsize\n"
        "check('认真阻止实施'); check('予以公式')\n"
        "print(before, slips.base_stats.cache_info().misses)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)  # noqa: S603

    assert result.stdout.split() == ["0", "1"]


# Overlapping findings -----------------------------------------------------------------------------------


def test_a_range_finding_absorbs_the_mark_finding_inside_it():
    findings = [f for f in check("增长15~30%。") if f.rule in {"NUM-05", "PUN-07"}]

    assert [(f.rule, f.start, f.end, f.suggestion) for f in findings] == [("NUM-05", 2, 8, "15%～30%")]
    assert findings[0].extra["merged"] == ["PUN-07"]


def _finding(rule: str, start: int, end: int, suggestion: str | None, severity: Severity) -> Finding:
    return Finding(start, end, rule, Category.PUNCTUATION, severity, "说明", suggestion, extra={"original": "x"})


def test_same_span_same_suggestion_keeps_the_more_specific_rule():
    statistical = _finding("W3", 0, 2, "截至", Severity.WARNING)
    collocation = _finding("W2", 0, 2, "截至", Severity.INFO)

    [kept] = merge_overlaps([statistical, collocation])

    assert (kept.rule, kept.severity) == ("W2", Severity.INFO)
    assert kept.extra["merged"] == ["W3"]
    assert "original" not in kept.extra


def test_same_span_different_suggestions_keeps_the_more_severe():
    warning = _finding("NUM-03", 0, 10, "2026年2月30日", Severity.WARNING)
    error = _finding("DATE-01", 0, 10, None, Severity.ERROR)

    [kept] = merge_overlaps([warning, error])

    assert kept.rule == "DATE-01"
    assert kept.extra["merged"] == ["NUM-03"]


def test_findings_in_different_places_are_all_kept():
    one = _finding("PUN-01", 0, 1, "，", Severity.ERROR)
    two = replace(_finding("PUN-01", 5, 6, "，", Severity.ERROR), extra={"original": ","})

    assert [f.start for f in merge_overlaps([two, one])] == [0, 5]


def test_no_two_findings_share_a_span_on_the_evaluation_texts():
    for path in sorted((ROOT / "bench" / "proofread" / "cases").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            spans = [(f.start, f.end) for f in check(case["text"], doc_type=case.get("doc_type"))]
            assert len(spans) == len(set(spans)), case["text"]
