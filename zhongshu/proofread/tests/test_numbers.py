"""Numbers (GB/T 15835) and dates: NUM-02…06, NUM-09…11, NUM-15…17, DATE-01, DATE-02."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhongshu.proofread import Severity, check

NUMBER_RULES = [
    "NUM-02",
    "NUM-03",
    "NUM-04",
    "NUM-05",
    "NUM-06",
    "NUM-09",
    "NUM-10",
    "NUM-11",
    "NUM-15",
    "NUM-16",
    "NUM-17",
    "DATE-01",
    "DATE-02",
]
WEEKDAYS = "一二三四五六日"


def hits(text: str, rule: str) -> list[tuple[int, int, str | None]]:
    return [(f.start, f.end, f.suggestion) for f in check(text) if f.rule == rule]


def number_findings(text: str) -> list[tuple[str, str]]:
    return [(f.rule, text[f.start : f.end]) for f in check(text) if f.rule in NUMBER_RULES]


def span(text: str, wrong: str) -> tuple[int, int]:
    """Offsets of `wrong` in `text`; "context|wrong" picks the occurrence that follows the context."""
    context, _, wrong = wrong.rpartition("|")
    start = text.index(context + wrong) + len(context)
    return start, start + len(wrong)


# (rule, text, the wrong span as text, suggestion)
HITS = [
    # DATE-01
    ("DATE-01", "请于2月30日前报送。", "2月30日", None),
    ("DATE-01", "2023年2月29日召开会议。", "2023年2月29日", None),
    ("DATE-01", "本通知自2026年13月起施行。", "2026年13月", None),
    ("DATE-01", "材料于4月31日前报区政府办公室。", "4月31日", None),
    ("DATE-01", "定于二〇二六年二月三十日召开。", "二〇二六年二月三十日", None),
    ("DATE-01", "2100年2月29日", "2100年2月29日", None),
    ("DATE-01", "6月0日前完成", "6月0日", None),
    ("DATE-01", "请于2月30号前完成问卷调查。", "2月30号", None),
    ("DATE-01", "须于十一月三十一日前报送。", "十一月三十一日", None),
    ("DATE-01", "２０２６年２月３０日", "２０２６年２月３０日", None),
    # DATE-02
    ("DATE-02", "定于2026年11月30日（星期二）召开全区安全生产工作会议。", "星期二", "星期一"),
    ("DATE-02", "定于2026年11月30日(周三)上午9:00召开。", "周三", "周一"),
    ("DATE-02", "2026年12月6日星期六下午", "星期六", "星期日"),
    ("DATE-02", "2024年2月29日（礼拜五）", "礼拜五", "礼拜四"),
    ("DATE-02", "二〇二六年十一月三十日（星期日）", "星期日", "星期一"),
    # NUM-02
    ("NUM-02", "全区各单位1律按期报送。", "1律", "一律"),
    ("NUM-02", "进1步压实防汛责任。", "进1步", "进一步"),
    ("NUM-02", "第1时间赶赴现场。", "第1时间", "第一时间"),
    ("NUM-02", "每周星期5下午集中学习。", "星期5", "星期五"),
    ("NUM-02", "持续了10几天。", "10几", "十几"),
    ("NUM-02", "涉及几100家企业。", "几100", "几百"),
    ("NUM-02", "推进1网通办改革。", "1网通办", "一网通办"),
    # NUM-03
    ("NUM-03", "二〇二六年8月8日印发", "二〇二六年8月8日", "2026年8月8日"),
    ("NUM-03", "2026年十一月三十日", "2026年十一月三十日", "2026年11月30日"),
    ("NUM-03", "2026年十月份", "2026年十月", "2026年10月"),
    # NUM-04
    ("NUM-04", "总投资4千万元。", "4千", "4000"),
    ("NUM-04", "安排资金3百万元。", "3百", "300"),
    ("NUM-04", "全年1.5千人次", "1.5千", "1500"),
    ("NUM-04", "共一百08户", "一百08", None),
    # NUM-05
    ("NUM-05", "同比增长15～30%。", "15～30%", "15%～30%"),
    ("NUM-05", "总投资9～16亿元。", "9～16亿元", "9亿元～16亿元"),
    ("NUM-05", "每户补助13~17万元。", "13~17万元", "13万元～17万元"),
    ("NUM-05", "带动1至3万人就业", "1至3万", "1万至3万"),
    # NUM-06
    ("NUM-06", "26年3月起实施", "26年", None),
    ("NUM-06", "截至2026.3.15，全区", "2026.3.15", "2026年3月15日"),
    ("NUM-06", "截至2026/3/15，全区", "2026/3/15", "2026年3月15日"),
    ("NUM-06", "时间：2026-3-5", "2026-3-5", "2026-03-05"),
    # NUM-09
    ("NUM-09", "二零二六年一月一日", "二零二六", "二〇二六"),
    ("NUM-09", "二○二六年", "二○二六", "二〇二六"),
    ("NUM-09", "一九九零年", "一九九零", "一九九〇"),
    # NUM-10
    ("NUM-10", "全区ＧＤＰ增长８％。", "８", "8"),
    ("NUM-10", "共２０２６户", "２０２６", "2026"),
    # NUM-11
    ("NUM-11", "比上年提高.46个百分点", ".46", "0.46"),
    ("NUM-11", "同比增长3。5%", "3。5", "3.5"),
    ("NUM-11", "增长3·5%", "3·5", "3.5"),
    # NUM-15
    ("NUM-15", "事故起数降低了2倍。", "降低了2倍", None),
    ("NUM-15", "能耗下降一倍多", "下降一倍", None),
    # NUM-16
    ("NUM-16", "覆盖率由15%提高到18%，提高了3%。", "3%", "3个百分点"),
    ("NUM-16", "下降2.5%，失业率从7.5%降至5%", "2.5%", "2.5个百分点"),
    ("NUM-16", "浓度由32.5%上升为35%，上升了2.5%。", "上升了|2.5%", "2.5个百分点"),
    # NUM-17
    ("NUM-17", "参加群众约3000人左右。", "约3000人左右", None),
    ("NUM-17", "新增市场主体超过100家以上。", "超过100家以上", None),
    ("NUM-17", "大约两千名群众上下", "大约两千名群众上下", None),
    ("NUM-17", "转移近万人以上", "近万人以上", None),
    ("NUM-17", "参加培训的约有300人左右。", "约有300人左右", None),
]


@pytest.mark.parametrize(("rule", "text", "wrong", "suggestion"), HITS)
def test_each_error_is_found_with_its_exact_span_and_fix(rule, text, wrong, suggestion):
    start, end = span(text, wrong)

    assert hits(text, rule) == [(start, end, suggestion)]


# Look-alikes that no number or date rule may flag.
CLEAN = [
    "2024年2月29日（星期四）是闰日。",
    "2026年11月30日（星期一）召开会议，12月2日（周三）报送材料。",
    "2026年12月28日印发，请于1月4日（周一）前报送。",
    "会议于3月1日至3月5日（周一至周五）举行。",
    "11月30日（星期一）",
    "2月29日前报送。",
    "工作满13个月的人员，享受第13月工资。",
    "二〇二六年十一月三十日",
    "2026年11月30日",
    "农历八月十五",
    "统一部署、统一调度，一律按期完成，进一步加强，唯一渠道。",
    "第一书记、一把手、一岗双责、三重一大、五位一体。",
    "每周1次，每月2次，共1起事故，1个项目。",
    "十几天、几十个、三四个月、七八十种。",
    "茶几1张，办公桌2张。",
    "3.5万元、10亿元、5千米、20千克、100千瓦、35千伏、3百分点以内。",
    "全区2026十大民生实事。",
    "三千零五十二人，一百零八户。",
    "增长15%～30%，投资9亿～16亿元，13万元～17万元，1～3月，2023—2024年。",
    "GB/T 9704-2012，GB/T 15835-2011，电话0571-88881234。",
    "工作20年，近10年来，90年代，2026年。",
    "网址http://www.example.gov.cn/2026/3/15/art_1.html，版本v2026.3.15。",
    "2026-03-05，2026年3月5日，15:40，3.5，0.46，192.168.1.1。",
    "二〇二六年，一九九〇年。",
    "“3·15”消费者权益日，“7·20”特大暴雨，“5·12”汶川地震。",
    "文件编号为12。3月份开始实施。",
    "增长了2倍，提高到3倍，是上年的1.5倍。",
    "由15%提高到18%，提高了3个百分点。",
    "由15%提高到18%，相对增长20%。",
    "节约100万元以上，签约30个项目以上，近一年来新增企业500家以上。",
    "约3000人，3000人左右，100家以上，接近尾声。",
    "示范府办发〔2026〕17号，2026年第3号。",
    "第11届，11号楼，3月5号文件。",
]


@pytest.mark.parametrize("text", CLEAN)
def test_look_alikes_are_not_flagged(text):
    assert number_findings(text) == []


def test_weekday_of_a_date_without_year_is_checked_against_the_year_above():
    text = "定于2026年11月30日召开，12月3日（星期五）前报送。"

    findings = [f for f in check(text) if f.rule == "DATE-02"]

    assert [(text[f.start : f.end], f.suggestion) for f in findings] == [("星期五", None)]
    assert findings[0].evidence == "年份取自上文的2026年"
    assert "12月3日是星期四" in findings[0].message


def test_an_impossible_date_in_mixed_forms_gets_no_suggested_rewrite():
    text = "二〇二六年2月30日"

    findings = {f.rule: (f.start, f.end, f.suggestion) for f in check(text) if f.rule in NUMBER_RULES}

    # Both rules claim the same span: the engine keeps the error (DATE-01) and notes the other one.
    assert findings == {"DATE-01": (0, 10, None)}
    assert [f.extra.get("merged") for f in check(text) if f.rule == "DATE-01"] == [["NUM-03"]]


def test_dates_and_full_width_digits_are_errors_and_the_rest_warnings():
    text = "2026年2月30日，２，4千"

    severities = {f.rule: f.severity for f in check(text) if f.rule in NUMBER_RULES}

    assert severities == {"DATE-01": Severity.ERROR, "NUM-10": Severity.ERROR, "NUM-04": Severity.WARNING}


def test_messages_cite_the_standard_in_chinese():
    findings = [f for f in check("总投资4千万元，增长15～30%") if f.rule in NUMBER_RULES]

    assert [f.rule for f in findings] == ["NUM-04", "NUM-05"]
    assert all(f.message.startswith("GB/T 15835：") for f in findings)


dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=dates, form=st.sampled_from(["（星期{}）", "(周{})", "星期{}", "周{}", "（礼拜{}）"]))
def test_a_valid_date_with_its_true_weekday_is_never_flagged(day, form):
    text = f"定于{day.year}年{day.month}月{day.day}日{form.format(WEEKDAYS[day.weekday()])}召开会议。"

    assert number_findings(text) == []


def chinese(number: int) -> str:
    """十一, 三十, 二十一: a month or day in Chinese numerals."""
    tens, units = divmod(number, 10)
    return (
        ("" if tens < 2 else "〇一二三四五六七八九"[tens])
        + ("十" if tens else "")
        + ("〇一二三四五六七八九"[units] if units else "")
    )


@settings(max_examples=200, deadline=None)
@given(day=dates)
def test_a_valid_date_in_chinese_numerals_with_its_true_weekday_is_never_flagged(day):
    year = "".join("〇一二三四五六七八九"[int(d)] for d in str(day.year))
    weekday = WEEKDAYS[day.weekday()]
    text = f"{year}年{chinese(day.month)}月{chinese(day.day)}日（星期{weekday}）"

    assert number_findings(text) == []


@settings(max_examples=200, deadline=None)
@given(day=dates, shift=st.integers(min_value=1, max_value=6))
def test_a_wrong_weekday_is_always_flagged_with_the_true_one(day, shift):
    wrong = WEEKDAYS[(day.weekday() + shift) % 7]
    text = f"{day.year}年{day.month}月{day.day}日（星期{wrong}）"

    findings = [f for f in check(text) if f.rule == "DATE-02"]

    assert [(text[f.start : f.end], f.suggestion) for f in findings] == [
        (f"星期{wrong}", f"星期{WEEKDAYS[day.weekday()]}")
    ]


@settings(max_examples=200, deadline=None)
@given(year=st.integers(min_value=1900, max_value=2100), month=st.integers(1, 12), day=st.integers(1, 31))
def test_impossible_dates_are_flagged_exactly_when_the_calendar_has_no_such_day(year, month, day):
    text = f"{year}年{month}月{day}日"
    try:
        datetime.date(year, month, day)
        exists = True
    except ValueError:
        exists = False

    assert bool(hits(text, "DATE-01")) is not exists


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="全区安全生产民生工程防汛年月日号万亿元倍约以上左右，。、；：“”（）《》 ", max_size=60))
def test_text_without_digits_or_numerals_is_never_flagged(text):
    assert number_findings(text) == []
