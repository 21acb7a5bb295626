"""Punctuation (GB/T 15834): PUN-01 … PUN-11 and PUN-13, hits and the look-alikes that must not be hit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhongshu.proofread import Profile, Severity, check

PUNCTUATION_RULES = [f"PUN-{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13)]


def hits(text: str, rule: str, profile: Profile | None = None) -> list[tuple[int, int, str | None]]:
    return [(f.start, f.end, f.suggestion) for f in check(text, profile=profile) if f.rule == rule]


def span(text: str, wrong: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(wrong, start + 1)
    return start, start + len(wrong)


# (rule, text, the wrong text, which occurrence of it, suggestion)
HITS: list[tuple[str, str, str, int, str | None]] = [
    # PUN-01 half-width marks in Chinese text
    ("PUN-01", "我们要进一步加强管理,确保安全。", ",", 0, "，"),
    ("PUN-01", "会议时间:2026年3月5日。", ":", 0, "："),
    ("PUN-01", "请各单位认真落实;确保按时完成。", ";", 0, "；"),
    ("PUN-01", "是否已经报送?请回复。", "?", 0, "？"),
    ("PUN-01", "全区防汛工作取得实效!", "!", 0, "！"),
    ("PUN-01", "下一步工作安排如下.各单位要抓好落实。", ".", 0, "。"),
    ("PUN-01", "一、总体要求.", ".", 0, "。"),
    ("PUN-01", "印发《实施办法(试行)》的通知", "(", 0, "（"),
    ("PUN-01", "印发《实施办法(试行)》的通知", ")", 0, "）"),
    ("PUN-01", "(1)加强组织领导。", "(", 0, "（"),
    ("PUN-01", '他强调"安全第一"。', '"', 0, "“"),
    ("PUN-01", '他强调"安全第一"。', '"', 1, "”"),
    ("PUN-01", "详见https://www.gov.cn/zhengce/a.htm,请查阅。", ",", 0, "，"),
    ("PUN-01", "联系邮箱:office@example.gov.cn。", ":", 0, "："),
    ("PUN-01", "按照GB/T 9704-2012,统一版式。", ",", 0, "，"),
    ("PUN-01", "整改率达到93.7%.", ".", 1, "。"),
    ("PUN-01", "所谓'放管服'改革。", "'", 0, "‘"),
    ("PUN-01", "所谓'放管服'改革。", "'", 1, "’"),
    ("PUN-01", "共发现隐患127处,其中重大隐患3.", ".", 0, "。"),
    # PUN-02 quotes
    ("PUN-02", "他说“安全生产无小事“。", "“", 1, None),
    ("PUN-02", "会议强调“要守住底线。", "“", 0, None),
    ("PUN-02", "通报指出“个别单位存在“重部署、轻落实”问题。", "“", 0, None),
    ("PUN-02", "会议强调要守住底线”。", "”", 0, None),
    ("PUN-02", "所谓「放管服」改革。", "「", 0, "“"),
    ("PUN-02", "他说“要坚持‘两个毫不动摇”’。", "”", 0, None),
    ("PUN-02", "他说“要坚持“两个毫不动摇”的方针”。", "“", 1, None),
    # PUN-03 书名号 and brackets
    ("PUN-03", "转发《关于印发《防汛应急预案》的通知》。", "《防汛应急预案》", 0, "〈防汛应急预案〉"),
    ("PUN-03", "根据《安全生产法规定，制定本办法。", "《", 0, None),
    ("PUN-03", "根据安全生产法》规定执行。", "》", 0, None),
    ("PUN-03", "各乡镇（街道要按时报送。", "（", 0, None),
    ("PUN-03", "各乡镇（街道】要按时报送。", "】", 0, "）"),
    # PUN-04
    ("PUN-04", "认真学习《条例》、《办法》。", "、", 0, ""),
    ("PUN-04", "坚持“稳中求进”、“以进促稳”。", "、", 0, ""),
    # PUN-05 序次语
    ("PUN-05", "一.总体要求", ".", 0, "、"),
    ("PUN-05", "二，工作任务", "，", 0, "、"),
    ("PUN-05", "1、加强组织领导。", "、", 0, "."),
    ("PUN-05", "（一）、压实责任。", "、", 0, ""),
    ("PUN-05", "（2）．强化督查。", "．", 0, ""),
    ("PUN-05", "二、存在问题\n（一）、隐患整改不彻底。", "、", 1, ""),
    ("PUN-05", "第一、坚持问题导向。", "、", 0, "，"),
    ("PUN-05", "首先、要提高认识。", "、", 0, "，"),
    # PUN-06 approximations
    ("PUN-06", "预计需要三、五天完成。", "、", 0, ""),
    ("PUN-06", "参训人员约七、八十人。", "、", 0, ""),
    ("PUN-06", "工作人员年龄四十五、六岁。", "、", 0, ""),
    ("PUN-06", "每隔两、三天巡查一次。", "、", 0, ""),
    # PUN-07 ranges
    ("PUN-07", "全年1-3月完成投资5亿元。", "-", 0, None),
    ("PUN-07", "2023-2024年度先进集体。", "-", 0, None),
    ("PUN-07", "预计1~3月完成。", "~", 0, "～"),
    ("PUN-07", "预计1一3月完成。", "一", 0, None),
    ("PUN-07", "预计1－3月完成。", "－", 0, None),
    # PUN-08 ellipsis
    ("PUN-08", "学校、医院、商场...都要排查。", "...", 0, "……"),
    ("PUN-08", "学校、医院、商场。。。都要排查。", "。。。", 0, "……"),
    ("PUN-08", "学校、医院、商场…都要排查。", "…", 0, "……"),
    ("PUN-08", "学校、医院、商场………都要排查。", "………", 0, "……"),
    ("PUN-08", "学校、医院、商场……等场所都要排查。", "……等", 0, None),
    ("PUN-08", "学校、医院、商场……。", "。", 0, None),
    # PUN-09 dashes
    ("PUN-09", "这次会议的主题--安全生产。", "--", 0, "——"),
    ("PUN-09", "这次会议的主题－－安全生产。", "－－", 0, "——"),
    ("PUN-09", "这次会议的主题———安全生产。", "———", 0, "——"),
    ("PUN-09", "这次全区会议的中心议题—安全生产责任制落实。", "—", 0, None),
    # PUN-10 doubled marks
    ("PUN-10", "会议指出，，要加强领导。", "，，", 0, "，"),
    ("PUN-10", "各单位要认真落实；。", "；。", 0, None),
    ("PUN-10", "主要内容：，一是加强领导。", "：，", 0, None),
    ("PUN-10", "请抓好落实。。", "。。", 0, "。"),
    ("PUN-10", "各部门、、各单位", "、、", 0, "、"),
    ("PUN-10", "加强领导，,压实责任。", "，,", 0, "，"),
    ("PUN-10", "加强领导,,压实责任。", ",,", 0, "，"),
    # PUN-11 title
    ("PUN-11", "关于做好2026年防汛工作的通知。\n各镇人民政府：", "。", 0, ""),
    (
        "PUN-11",
        "示范区人民政府办公室文件\n示范府办发〔2026〕17号\n\n关于优化营商环境的意见。\n各部门：",
        "。",
        0,
        "",
    ),
    ("PUN-11", "示范区应急管理局关于安全生产检查情况的报告；\n区政府：", "；", 0, ""),
    # PUN-13 items that contain 句号
    ("PUN-13", "（一）加强领导。成立领导小组；\n（二）压实责任。", "；", 0, "。"),
    ("PUN-13", "一是加强领导。成立领导小组；二是压实责任。明确分工。", "；", 0, "。"),
]

# (rule, text): look-alikes that must not be hit
NON_HITS: list[tuple[str, str]] = [
    # PUN-01
    ("PUN-01", "全区共3.5万人，覆盖1,200户。"),
    ("PUN-01", "会议于15:40开始。"),
    ("PUN-01", "详见https://www.gov.cn/zhengce/2026-03/15/content.htm?id=1&a=b。"),
    ("PUN-01", "联系邮箱：office@example.gov.cn。"),
    ("PUN-01", "按照GB/T 9704-2012《党政机关公文格式》执行。"),
    ("PUN-01", "采用Python 3.11版本，示例为Hello, world! 两个词。"),
    ("PUN-01", "1.加强组织领导。"),
    ("PUN-01", "详见附件1.docx。"),
    ("PUN-01", "网站为www.gov.cn。"),
    ("PUN-01", "I don't know是英文。"),
    ("PUN-01", "see New York Times (2026) for details。"),
    ("PUN-01", "学校、医院、商场...都要排查。"),
    ("PUN-01", "示范府办发(2026)17号"),
    ("PUN-01", "比例为3:2。"),
    ("PUN-01", "一.总体要求"),
    ("PUN-01", "政策原文见[全文](https://www.gov.cn/a.htm)。"),
    ("PUN-01", "Xi'an即西安。"),
    ("PUN-01", "要切实加强&nbsp;安全生产管理&#160;工作。"),
    ("PUN-01", "附件：1.老旧小区综合整治项目清单\n2.责任分工表"),
    ("PUN-01", "按照示范府办发(2025)第9号文件部署。"),
    ("PUN-01", "版本为Python 3.11."),
    # PUN-02
    ("PUN-02", "他说“我们要坚持‘稳中求进’的总基调”。"),
    ("PUN-02", "“第一段引文。\n“第二段引文。”"),
    ("PUN-02", "I don’t know是英文。"),
    ("PUN-02", "坚持“稳中求进”，推进“放管服”改革。"),
    # PUN-03
    ("PUN-03", "转发《关于印发〈防汛应急预案〉的通知》。"),
    ("PUN-03", "1）加强领导；2）压实责任。"),
    ("PUN-03", "示范府办发〔2026〕17号【特急】（试行）［注］"),
    ("PUN-03", "印发《实施办法(试行)》的通知"),
    ("PUN-03", "参见文献[1]。"),
    ("PUN-03", "详见https://example.gov.cn/a(1).htm。"),
    # PUN-04
    ("PUN-04", "认真学习《条例》《办法》。"),
    ("PUN-04", "《条例》（2012年版）、《办法》（试行）"),
    ("PUN-04", "坚持“稳中求进”“以进促稳”。"),
    # PUN-05
    ("PUN-05", "一、总体要求"),
    ("PUN-05", "（一）压实责任。"),
    ("PUN-05", "1.加强组织领导。"),
    ("PUN-05", "第一，坚持问题导向。"),
    ("PUN-05", "一是加强领导，二是压实责任。"),
    ("PUN-05", "1、2月份全区完成投资。"),
    ("PUN-05", "2025、2026年连续两年获评先进。"),
    ("PUN-05", "十分重要，必须抓好。"),
    # PUN-06
    ("PUN-06", "一、二年级学生参加。"),
    ("PUN-06", "第一、二季度完成。"),
    ("PUN-06", "一、三个月为考核期。"),
    ("PUN-06", "三、四月份是防汛准备期。"),
    ("PUN-06", "一、二十个部门参加会议。"),
    ("PUN-06", "预计需要三五天完成。"),
    # PUN-07
    ("PUN-07", "电话0571-88886666。"),
    ("PUN-07", "XY-200型设备。"),
    ("PUN-07", "日期2026-03-15。"),
    ("PUN-07", "按照GB/T 9704-2012年版执行。"),
    ("PUN-07", "2026年3月1日—3月15日，北京—上海。"),
    ("PUN-07", "1～3月完成投资。"),
    ("PUN-07", "2023—2024年度先进集体。"),
    ("PUN-07", "日期2026－03－15。"),
    # PUN-08
    ("PUN-08", "学校、医院、商场……都要排查。"),
    ("PUN-08", "学校、医院、商场等场所都要排查。"),
    ("PUN-08", "…………"),
    ("PUN-08", "see the list... below"),
    ("PUN-08", "详见https://example.gov.cn/a...b。"),
    # PUN-09
    ("PUN-09", "这次会议的主题——安全生产。"),
    ("PUN-09", "北京—上海高铁。"),
    ("PUN-09", "2026年3月1日—15日。"),
    ("PUN-09", "示范区—市区公交线路开通。"),
    ("PUN-09", "a--b是代码。"),
    # PUN-10
    ("PUN-10", "真的吗？！太好了！！！"),
    ("PUN-10", "他说：“好。”"),
    ("PUN-10", "学校、医院、商场……。"),
    ("PUN-10", "学校、医院、商场。。。都要排查。"),
    ("PUN-10", "a,;b"),
    ("PUN-10", "see a,, b"),
    # PUN-11
    ("PUN-11", "关于做好2026年防汛工作的通知\n各镇人民政府："),
    ("PUN-11", "各镇人民政府：\n为做好防汛工作，现通知如下：\n一、总体要求。"),
    ("PUN-11", "关于做好防汛工作，现通知如下："),
    ("PUN-11", "一、关于安全生产的意见。"),
    ("PUN-11", "会议听取了工作报告。"),
    ("PUN-11", "特此通知。\n示范区人民政府办公室"),
    # PUN-13
    ("PUN-13", "（一）加强领导；\n（二）压实责任。"),
    ("PUN-13", "一是加强领导；二是压实责任；三是强化督查。"),
    ("PUN-13", "会议要求。各单位要落实；"),
    ("PUN-13", "（一）加强领导。成立领导小组。\n（二）压实责任。"),
]


@pytest.mark.parametrize(("rule", "text", "wrong", "nth", "suggestion"), HITS)
def test_rule_finds_the_wrong_span_with_its_fix(
    rule: str, text: str, wrong: str, nth: int, suggestion: str | None
) -> None:
    start, end = span(text, wrong, nth)

    assert (start, end, suggestion) in hits(text, rule)


@pytest.mark.parametrize(("rule", "text"), NON_HITS)
def test_look_alike_is_not_hit(rule: str, text: str) -> None:
    assert hits(text, rule) == []


def test_every_hit_explains_itself_in_chinese_citing_the_standard() -> None:
    for rule, text, *_ in HITS:
        findings = [f for f in check(text) if f.rule == rule]
        assert findings
        assert all("GB/T" in f.message for f in findings)


def test_a_single_error_gives_a_single_finding() -> None:
    text = "他说“安全生产无小事“。各单位要认真落实,确保安全。"

    found = [(f.rule, text[f.start : f.end]) for f in check(text) if f.rule in PUNCTUATION_RULES]

    assert found == [("PUN-02", "“"), ("PUN-01", ",")]


def test_a_short_quoted_term_inside_an_open_quote_blames_the_outer_quote() -> None:
    text = "通报指出“个别单位存在“重部署、轻落实”问题。"

    assert [(s, e) for s, e, _ in hits(text, "PUN-02")] == [(4, 5)]


def test_straight_quotes_without_a_partner_get_no_suggestion() -> None:
    text = '他强调"安全第一。'

    assert hits(text, "PUN-01") == [(3, 4, None)]


def test_ime_digit_one_between_digits_is_an_error_and_a_tilde_only_a_warning() -> None:
    text = "1一3月和1~3月"

    severities = {text[f.start : f.end]: f.severity for f in check(text) if f.rule == "PUN-07"}

    assert severities == {"一": Severity.ERROR, "~": Severity.WARNING}


def test_range_mark_option_picks_one_form_for_the_installation() -> None:
    text = "1—3月完成，4～6月验收，7-9月评估。"
    tilde = Profile(options={"range_mark": "～"})

    assert hits(text, "PUN-07") == [(text.index("-"), text.index("-") + 1, None)]
    assert hits(text, "PUN-07", tilde) == [
        (1, 2, "～"),
        (text.index("-"), text.index("-") + 1, "～"),
    ]


def test_doubled_ascii_commas_are_one_finding() -> None:
    text = "加强领导,,压实责任。"

    found = [(f.rule, f.start, f.end) for f in check(text) if f.rule in PUNCTUATION_RULES]

    assert found == [("PUN-10", 4, 6)]


def test_range_mark_dash_flags_tildes_between_digits() -> None:
    text = "1～3月完成，2月3日—10日验收。"

    assert hits(text, "PUN-07", Profile(options={"range_mark": "—"})) == [(1, 2, "—")]


def test_title_is_looked_for_only_before_the_body() -> None:
    text = "各镇人民政府：\n关于防汛工作的通知。"

    assert hits(text, "PUN-11") == []


def test_quotes_are_checked_paragraph_by_paragraph() -> None:
    text = "他说“好。\n会议强调”要落实。"

    assert [(s, e) for s, e, _ in hits(text, "PUN-02")] == [(2, 3), (10, 11)]


CHINESE_TEXT = st.text(
    alphabet=st.sampled_from(
        list("安全生产民生工程防汛营商环境要求通知报告的了和在是，。、；：？！“”《》（）0123456789\n ")
    ),
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(CHINESE_TEXT)
def test_text_without_ascii_punctuation_never_triggers_pun_01(text: str) -> None:
    assert hits(text, "PUN-01") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_every_finding_lies_inside_the_text(text: str) -> None:
    for finding in check(text):
        if finding.rule in PUNCTUATION_RULES:
            assert 0 <= finding.start < finding.end <= len(text)


@settings(max_examples=100, deadline=None)
@given(CHINESE_TEXT)
def test_applying_a_pun_01_suggestion_removes_that_finding(text: str) -> None:
    broken = text.replace("，", ",", 1)
    for finding in check(broken):
        if finding.rule == "PUN-01" and finding.suggestion is not None:
            fixed = broken[: finding.start] + finding.suggestion + broken[finding.end :]
            assert (finding.start, finding.end) not in [(s, e) for s, e, _ in hits(fixed, "PUN-01")]
