"""Document conventions: C-01…C-12 and the 行文规则 warnings TL-02, TL-04, TL-05."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhongshu.proofread import Profile, Severity, check, registry
from zhongshu.proofread.document import Document
from zhongshu.proofread.rules.conventions import cn_to_int, detect_doc_type, int_to_cn

CONVENTION_RULES = {"C-01", "C-02", "C-03", "C-05", "C-06", "C-10", "C-11", "C-12", "TL-02", "TL-04", "TL-05"}
# PUN-11 (a mark at the end of the title) uses this family's title finder, so its title cases live here too.
TITLE_RULES = {*CONVENTION_RULES, "PUN-11"}


def conventions_only() -> Profile:
    """A profile running only this family (the other families are tested on their own)."""
    return Profile(disabled=frozenset(set(registry.rules()) - TITLE_RULES))


def hits(text: str, rule: str, **kwargs) -> list[tuple[int, int, str, str | None]]:
    """(start, end, text of the span, suggestion) of every finding of one rule."""
    findings = check(text, profile=conventions_only(), **kwargs)
    return [(f.start, f.end, text[f.start : f.end], f.suggestion) for f in findings if f.rule == rule]


def severities(text: str, rule: str, **kwargs) -> list[Severity]:
    return [f.severity for f in check(text, profile=conventions_only(), **kwargs) if f.rule == rule]


def test_every_rule_of_the_family_is_registered():
    assert set(registry.rules()) >= CONVENTION_RULES


def at(text: str, fragment: str, occurrence: int = 0) -> int:
    """Offset of the n-th occurrence of `fragment` in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(fragment, start + 1)
    return start


# --- numerals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"), [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("三十五", 35)]
)
def test_chinese_numerals_are_read(text, value):
    assert cn_to_int(text) == value
    assert int_to_cn(value) == text


@pytest.mark.parametrize("text", ["", "二二", "十十", "百", "二十三十"])
def test_non_numerals_are_not_read(text):
    assert cn_to_int(text) is None


# --- document type -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        ("关于申请防汛资金的请示\n区人民政府：\n正文。", "请示"),
        ("示范区人民政府办公室文件\n示范府办发〔2026〕17号\n关于做好防汛工作的通知\n各街道：", "通知"),
        ("关于转发市应急局关于做好防汛工作的通知的通知\n各街道：", "通知"),
        ("关于2026年上半年工作情况的请示报告\n区人民政府：", "报告"),
        ("区长办公会议纪要\n2026年9月5日，区长主持召开会议。", "纪要"),
        ("示范区人民政府令\n第3号", "命令"),
    ],
)
def test_doc_type_is_taken_from_the_title(text, doc_type):
    assert detect_doc_type(Document(text)) == doc_type


@pytest.mark.parametrize(
    "text",
    [
        "区政府印发了通知。",  # a sentence, not a title
        "关于防汛工作的部署要求已经下达。",
        "各街道要加强防汛值守，确保安全度汛。",
        "",
    ],
)
def test_no_doc_type_without_a_title(text):
    assert detect_doc_type(Document(text)) is None


def test_given_doc_type_wins_over_the_title():
    assert detect_doc_type(Document("关于做好防汛工作的通知\n正文。", doc_type="报告")) == "报告"


# --- C-01 发文字号 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "suggestion"),
    [
        ("示范府办发[2026]17号", "[2026]17号", "〔2026〕17号"),
        ("示范府办发(2026)17号", "(2026)17号", "〔2026〕17号"),
        ("示范府办发（2026）17号", "（2026）17号", "〔2026〕17号"),
        ("示范府办发【2026】17号", "【2026】17号", "〔2026〕17号"),
        ("示范府办发［2026］17号", "［2026］17号", "〔2026〕17号"),
        ("示范府办发﹝2026﹞17号", "﹝2026﹞17号", "〔2026〕17号"),
        ("示范府办发〔2026〕第17号", "〔2026〕第17号", "〔2026〕17号"),
        ("示范府办发〔2026〕017号", "〔2026〕017号", "〔2026〕17号"),
        ("示范府办发[2026]第017号", "[2026]第017号", "〔2026〕17号"),
        ("示范府办发〔26〕17号", "〔26〕17号", None),
    ],
)
def test_doc_number_with_wrong_brackets_di_or_padding_is_an_error(text, span, suggestion):
    assert hits(text, "C-01") == [(at(text, span), len(text), span, suggestion)]
    assert severities(text, "C-01") == [Severity.ERROR]


def test_doc_number_is_checked_inside_a_sentence():
    text = "根据国办发(2025)12号文件精神，结合我区实际，制定本方案。"

    assert hits(text, "C-01") == [(at(text, "("), at(text, "号") + 1, "(2025)12号", "〔2025〕12号")]


def test_doc_number_year_differing_from_the_signing_date_is_a_warning():
    text = "示范府办发〔2025〕17号\n关于做好防汛工作的通知\n各街道：\n正文。\n"
    text += "示范区人民政府办公室\n2026年9月5日"

    assert hits(text, "C-01") == [(6, 10, "2025", None)]
    assert severities(text, "C-01") == [Severity.WARNING]


def test_cited_doc_numbers_of_other_years_are_fine():
    text = "示范府办发〔2026〕17号\n关于做好防汛工作的通知\n各街道：\n根据示范府发〔2025〕3号文件要求。\n"
    text += "示范区人民政府办公室\n2026年9月5日"

    assert hits(text, "C-01") == []


@pytest.mark.parametrize(
    "text",
    [
        "示范府办发〔2026〕17号",
        "根据国办发〔2025〕12号文件精神，制定本方案。",
        "（2024）京0105民初12345号判决已生效。",  # a court case number starts with the bracket
        "京(2024)朝阳区不动产权第0001234号",  # a property certificate: no number right after the year
        "示范区人民政府令第3号",  # 令 numbers take 第 and have no year
        "2026年第3号",
        "《示范区“十四五”规划（2021—2025年）》",
        "会议时间为2026年(星期六)。",
        "详见附表(2026)。",
    ],
)
def test_correct_doc_numbers_and_look_alikes_are_not_flagged(text):
    assert hits(text, "C-01") == []


# --- C-02 成文日期 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ("2026年09月05日", "2026年9月5日"),
        ("2026年9月05日", "2026年9月5日"),
        ("2026年10月01日", "2026年10月1日"),
        ("二〇二六年九月五日", "2026年9月5日"),
        ("二零二六年十月二十一日", "2026年10月21日"),
        ("2026.9.5", "2026年9月5日"),
        ("2026/09/05", "2026年9月5日"),
        ("2026-09-05", "2026年9月5日"),
        ("26年9月5日", None),
        ("2026年2月30日", None),
    ],
)
def test_wrong_signing_date_lines_are_errors(line, suggestion):
    text = f"示范区人民政府办公室\n　　　　{line}\n"

    assert hits(text, "C-02") == [(at(text, line), at(text, line) + len(line), line, suggestion)]


@pytest.mark.parametrize(
    "text",
    [
        "示范区人民政府办公室\n2026年9月5日",
        "示范区人民政府办公室\n2026年10月15日",
        "2024年2月29日",
        "会议定于2026年09月05日召开。",  # inside a sentence: not a 成文日期 line (the numbers rules see it)
        "统计时点\n2026-09-05",  # an ISO date not under a 署名 (e.g. a table cell)
        "附件：工作进度表\n2026年09月05日",
        "截至2026.9.5，已完成投资3.5亿元。",
        "版本 2026.9",
    ],
)
def test_right_dates_and_dates_inside_sentences_are_not_c02(text):
    assert hits(text, "C-02") == []


def test_issue_date_in_the_colophon_is_checked_too():
    text = "抄送：区委办公室。\n示范区人民政府办公室　　2026年09月05日印发"

    assert hits(text, "C-02") == [(at(text, "2026"), at(text, "印发"), "2026年09月05日", "2026年9月5日")]


# --- C-03 标题 -------------------------------------------------------------------------------------------


def test_full_stop_at_the_end_of_a_title_is_an_error():
    text = "关于做好2026年汛期安全生产工作的通知。\n各街道办事处："

    assert hits(text, "PUN-11") == [(at(text, "。"), at(text, "。") + 1, "。", "")]
    assert severities(text, "PUN-11") == [Severity.ERROR]
    assert hits(text, "C-03") == []


def test_title_after_the_header_lines_is_found():
    text = "示范区人民政府办公室文件\n示范府办发〔2026〕17号\n\n关于做好防汛工作的通知；\n各街道："

    assert hits(text, "PUN-11") == [(at(text, "；"), at(text, "；") + 1, "；", "")]


@pytest.mark.parametrize(
    ("title", "span"),
    [
        ("关于2026年上半年工作情况的请示报告", "请示报告"),
        ("关于加强防汛工作的意见的通知", "意见的通知"),
    ],
)
def test_doubled_doc_type_is_a_warning(title, span):
    text = f"{title}\n区人民政府："

    assert hits(text, "C-03") == [(at(text, span), len(title), span, None)]
    assert severities(text, "C-03") == [Severity.WARNING]


@pytest.mark.parametrize(
    ("title", "span", "suggestion"),
    [
        ("关于做好防汛工作的实施方案", "方案", None),
        ("关于2026年上半年安全生产工作总结", "总结", None),
        ("关于进一步加强安全生产工作\n各街道：", "关于进一步加强安全生产工作", None),
        ("关于做好防汛工作通知", "通知", "的通知"),
        ("示范区人民政府办公室防汛工作通知", "示范区人民政府办公室防汛工作通知", None),
    ],
)
def test_title_without_a_statutory_doc_type_or_guanyu_de_is_a_warning(title, span, suggestion):
    text = title if "\n" in title else f"{title}\n各街道："

    assert hits(text, "C-03") == [(at(text, span), at(text, span) + len(span), span, suggestion)]


@pytest.mark.parametrize(
    "text",
    [
        "关于做好2026年汛期安全生产工作的通知\n各街道办事处：",
        "关于转发市应急局关于做好防汛工作的通知的通知\n各街道：",
        "关于印发《示范区防汛应急预案》的通知\n各街道：",
        "关于印发示范区优化营商环境实施方案的通知\n各街道：",
        "示范区人民政府关于表彰2025年度安全生产先进单位的决定\n各街道：",
        "区长办公会议纪要\n2026年9月5日，区长主持召开会议。",
        "示范区人民政府公告\n根据有关规定，现将有关事项公告如下。",
        "关于进一步加强\n安全生产工作的通知\n各街道：",  # a title wrapped onto two lines
        "区政府印发了通知。",
        "关于防汛工作的部署要求已经下达。",
        "关于民生工程，区政府作出部署，各街道要抓好落实。",
    ],
)
def test_good_titles_and_sentences_are_not_flagged(text):
    assert hits(text, "C-03") == []


# --- C-05 heading hierarchy -----------------------------------------------------------------------------

TITLE = "关于做好防汛工作的通知\n各街道：\n"


def test_a_skipped_number_is_an_error_with_the_right_number():
    text = TITLE + "一、提高认识\n二、压实责任\n四、加强督查\n"

    assert hits(text, "C-05") == [(at(text, "四、"), at(text, "四、") + 2, "四、", "三、")]
    assert severities(text, "C-05") == [Severity.ERROR]


def test_numbering_restarts_under_a_new_parent():
    text = TITLE + "一、总体要求\n（一）压实责任\n（二）加强值守\n二、工作措施\n（二）排查隐患\n"

    assert hits(text, "C-05") == [(at(text, "（二）", 1), at(text, "（二）", 1) + 3, "（二）", "（一）")]


def test_a_second_list_starting_at_one_is_not_flagged():
    text = TITLE + "（一）压实责任\n1.明确分工\n2.加强值守\n各街道要抓好落实。\n1.排查隐患\n2.整改落实\n"

    assert hits(text, "C-05") == []


def test_requests_separated_by_semicolons_are_counted():
    text = REQUEST + "一是恳请区政府批准拨付资金；二是恳请区政府审批泵站项目。\n妥否，请批示。"

    span = "恳请区政府审批"
    assert hits(text, "TL-02") == [(at(text, span), at(text, span) + len(span), span, None)]


def test_headings_after_a_missing_number_are_all_renumbered():
    text = TITLE + "一、提高认识\n二、压实责任\n四、加强督查\n五、强化保障\n"

    assert hits(text, "C-05") == [
        (at(text, "四、"), at(text, "四、") + 2, "四、", "三、"),
        (at(text, "五、"), at(text, "五、") + 2, "五、", "四、"),
    ]


def test_a_single_wrong_number_is_flagged_alone():
    text = TITLE + "一、提高认识\n三、压实责任\n三、加强督查\n四、强化保障\n"

    assert hits(text, "C-05") == [(at(text, "三、"), at(text, "三、") + 2, "三、", "二、")]


def test_a_repeated_number_is_flagged():
    text = TITLE + "1.明确分工\n2.加强值守\n2.强化保障\n"

    assert hits(text, "C-05") == [(at(text, "2.", 1), at(text, "2.", 1) + 2, "2.", "3.")]


def test_a_skipped_level_is_a_warning():
    text = TITLE + "一、总体要求\n（一）压实责任\n1.明确分工\n二、工作措施\n1.排查隐患\n"

    assert hits(text, "C-05") == [(at(text, "1.", 1), at(text, "1.", 1) + 2, "1.", None)]
    assert severities(text, "C-05") == [Severity.WARNING]


def test_parenthesised_arabic_numbers_are_the_fourth_level():
    text = TITLE + "一、措施\n（一）排查\n1.范围\n（1）河道\n（3）水库\n"

    assert hits(text, "C-05") == [(at(text, "（3）"), at(text, "（3）") + 3, "（3）", "（2）")]


def test_the_first_heading_of_a_whole_document_must_be_one():
    text = TITLE + "二、压实责任\n三、加强督查\n"

    assert hits(text, "C-05") == [
        (at(text, "二、"), at(text, "二、") + 2, "二、", "一、"),
        (at(text, "三、"), at(text, "三、") + 2, "三、", "二、"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        TITLE + "一、总体要求\n（一）压实责任\n1.明确分工\n（1）河道\n（2）水库\n2.加强值守\n（二）排查\n二、要求",
        TITLE + "一、总体要求\n1.明确分工\n2.加强值守\n二、工作措施\n1.排查隐患\n",  # two levels only
        TITLE + "（一）压实责任\n（二）加强值守\n",  # a short text may start at (一)
        TITLE + "(一)压实责任\n(二)加强值守\n",
        TITLE + "一、二季度经济运行平稳。\n三、四月份降雨偏多。\n",  # 一、二 is not a heading
        TITLE + "1.5万名群众参加演练。\n3.2公里堤防完成加固。\n",
        "（三）强化督查问责。\n（四）加强宣传引导。",  # an excerpt may start anywhere
        "二、工作措施\n（一）排查隐患\n（二）整改落实\n三、保障措施",
        TITLE + "一、措施\n附件：1.值班表\n2.联系人名单\n",  # 附件说明 items are not headings
        TITLE + "一、措施\n二、要求\n附件1\n值班表\n一、值班安排\n二、值班纪律\n",  # attachment restarts
    ],
)
def test_orderly_headings_and_look_alikes_are_not_flagged(text):
    assert hits(text, "C-05") == []


# --- C-06 附件说明 ---------------------------------------------------------------------------------------


def test_half_width_colon_after_attachment_is_an_error():
    text = "附件:防汛值班表"

    assert hits(text, "C-06") == [(2, 3, ":", "：")]


def test_missing_colon_after_attachment_is_an_error():
    text = "附件　防汛值班表"

    assert hits(text, "C-06") == [(2, 3, "　", "：")]


def test_punctuation_after_attachment_names_and_broken_numbering():
    text = "附件：1.防汛值班表；\n　　　2.应急联系人名单。\n　　　4.物资清单"

    assert hits(text, "C-06") == [
        (at(text, "；"), at(text, "；") + 1, "；", ""),
        (at(text, "。"), at(text, "。") + 1, "。", ""),
        (at(text, "4"), at(text, "4") + 1, "4", "3"),
    ]


def test_attachment_note_is_compared_with_the_attachments_given():
    text = "附件：1.防汛值班表\n2.物资清单"

    found = hits(text, "C-06", attachments=["防汛值班表", "物资储备清单"])

    assert found == [(at(text, "物资清单"), len(text), "物资清单", "物资储备清单")]


def test_attachment_count_differing_from_the_attachments_given():
    text = "附件：1.防汛值班表\n2.物资清单"

    found = hits(text, "C-06", attachments=["防汛值班表", "物资清单", "联系人名单"])

    assert found == [(at(text, "1"), len(text), "1.防汛值班表\n2.物资清单", None)]


def test_attachments_given_without_an_attachment_note():
    text = "请认真贯彻执行。\n示范区人民政府办公室\n2026年9月5日"

    found = hits(text, "C-06", attachments=["防汛值班表"])

    assert found == [(at(text, "2026"), len(text), "2026年9月5日", None)]


def test_attachment_page_title_differing_from_the_note():
    text = "附件：防汛值班表\n示范区人民政府办公室\n2026年9月5日\n附件\n防汛值班安排表\n"

    assert hits(text, "C-06") == [(at(text, "防汛值班安排表"), len(text) - 1, "防汛值班安排表", None)]


@pytest.mark.parametrize(
    ("text", "attachments"),
    [
        (
            "附件：1.防汛值班表\n　　　2.应急联系人名单\n　　　3.物资储备清单",
            ["防汛值班表", "应急联系人名单", "物资储备清单"],
        ),
        ("附件：防汛值班表", ["防汛值班表"]),
        ("附件：示范区防汛应急预案（试行）", []),
        ("附件：1.防汛值班表\n2.应急联系人名单\n示范区人民政府办公室\n2026年9月5日\n附件1\n防汛值班表\n", []),
        ("附件材料请于9月10日前报送。", []),
        ("请各单位按附件要求填报。", []),
        ("附件1\n防汛值班表", []),
    ],
)
def test_right_attachment_notes_and_look_alikes_are_not_flagged(text, attachments):
    assert hits(text, "C-06", attachments=attachments) == []


# --- C-10 抄送 ------------------------------------------------------------------------------------------


def test_copy_line_without_full_stop():
    text = "抄送：区委办公室，区人大常委会办公室"

    assert hits(text, "C-10") == [(len(text) - 1, len(text), "室", "室。")]
    assert severities(text, "C-10") == [Severity.ERROR]


def test_copy_line_ending_with_other_punctuation():
    text = "抄送：区委办公室，区人大常委会办公室；"

    assert hits(text, "C-10") == [(len(text) - 1, len(text), "；", "。")]


def test_copy_line_with_enumeration_commas_and_half_width_colon():
    text = "抄送:区委办公室、区人大常委会办公室 区政协办公室。"

    assert hits(text, "C-10") == [
        (2, 3, ":", "："),
        (at(text, "、"), at(text, "、") + 1, "、", "，"),
        (at(text, " "), at(text, " ") + 1, " ", "，"),
    ]
    assert severities(text, "C-10") == [Severity.ERROR, Severity.WARNING, Severity.WARNING]


@pytest.mark.parametrize(
    "text",
    [
        "抄送：区委办公室，区人大常委会办公室，区政协办公室。",
        "抄送：区委各部门，区人大常委会办公室。",
        "　抄送：市应急管理局。",
        "抄送件请妥善保管。",
        "文件已抄送相关部门，请按要求办理。",
        "抄送：",
    ],
)
def test_right_copy_lines_and_look_alikes_are_not_flagged(text):
    assert hits(text, "C-10") == []


# --- C-11 印发 ------------------------------------------------------------------------------------------


def test_punctuation_after_issue_is_an_error():
    text = "抄送：区委办公室。\n示范区人民政府办公室　　　　2026年9月5日印发。"

    assert hits(text, "C-11") == [(len(text) - 1, len(text), "。", "")]


def test_missing_issue_word_after_the_date():
    text = "抄送：区委办公室。\n示范区人民政府办公室　　　　2026年9月5日"

    assert hits(text, "C-11") == [(at(text, "2026"), len(text), "2026年9月5日", "2026年9月5日印发")]
    assert severities(text, "C-11") == [Severity.WARNING]


def test_issue_date_before_signing_date_is_a_warning():
    text = "示范区人民政府办公室\n2026年9月5日\n抄送：区委办公室。\n示范区人民政府办公室  2026年9月3日印发"

    assert hits(text, "C-11") == [(at(text, "2026年9月3日"), len(text) - 2, "2026年9月3日", None)]


@pytest.mark.parametrize(
    "text",
    [
        "抄送：区委办公室。\n示范区人民政府办公室　　　　2026年9月5日印发",
        "示范区人民政府办公室\n2026年9月5日\n抄送：区委办公室。\n示范区人民政府办公室  2026年9月7日印发",
        "该方案已于2026年9月5日印发。",  # a sentence about issuing, not the 版记 line
        "示范区人民政府办公室\n2026年9月5日",  # 署名 and 成文日期, not a 印发 line
        "示范区人民政府办公室　2026年9月5日",  # no 抄送 before: may be a 署名 line
    ],
)
def test_right_issue_lines_and_look_alikes_are_not_flagged(text):
    assert hits(text, "C-11") == []


# --- C-12 citation order --------------------------------------------------------------------------------


def test_doc_number_before_the_title_is_a_warning():
    text = "根据示范府发〔2026〕3号《关于加强防汛工作的意见》，现通知如下。"

    span = "示范府发〔2026〕3号《关于加强防汛工作的意见》"
    assert hits(text, "C-12") == [
        (
            at(text, span),
            at(text, span) + len(span),
            span,
            "《关于加强防汛工作的意见》（示范府发〔2026〕3号）",
        )
    ]
    assert severities(text, "C-12") == [Severity.WARNING]


def test_doc_number_at_the_start_of_a_clause():
    text = "按要求，国办发〔2025〕12号文件《关于优化营商环境的意见》已传达。"

    span = "国办发〔2025〕12号文件《关于优化营商环境的意见》"
    assert hits(text, "C-12") == [
        (at(text, span), at(text, span) + len(span), span, "《关于优化营商环境的意见》（国办发〔2025〕12号）")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "根据《关于加强防汛工作的意见》（示范府发〔2026〕3号），现通知如下。",
        "示范府发〔2026〕3号文件已印发。",
        "认真学习《中华人民共和国安全生产法》。",
        "按照示范府发〔2026〕3号文件要求，学习《安全生产法》。",
    ],
)
def test_title_first_citations_and_look_alikes_are_not_flagged(text):
    assert hits(text, "C-12") == []


# --- TL-02 请示一文一事 ---------------------------------------------------------------------------------

REQUEST = "关于申请防汛资金的请示\n区人民政府：\n"


def test_second_request_in_a_request_document_is_a_warning():
    text = REQUEST + "一、恳请区政府批准拨付防汛资金50万元。\n二、恳请区政府审批新建泵站项目。\n妥否，请批示。"

    assert hits(text, "TL-02") == [(at(text, "恳请区政府审批"), at(text, "审批") + 2, "恳请区政府审批", None)]
    assert severities(text, "TL-02") == [Severity.WARNING]


def test_doc_type_given_by_the_caller_is_used():
    text = "请区政府批准拨付资金。请区财政局审批追加预算。"

    span = "请区财政局审批"
    assert hits(text, "TL-02", doc_type="请示") == [(at(text, span), at(text, span) + len(span), span, None)]
    assert hits(text, "TL-02") == []
    assert hits(text, "TL-02", doc_type="通知") == []


@pytest.mark.parametrize(
    "body",
    [
        "恳请区政府批准拨付防汛资金50万元。\n妥否，请批示。",
        "恳请区政府批准拨付防汛资金50万元。\n以上请示当否，请批复。",
        "恳请区政府批准拨付防汛资金50万元。\n请予批准。",
        "此前经请示区政府批准，已启动前期工作。恳请区政府批准拨付资金。",
        "特此请示。",
        "为此，恳请区政府批准拨付防汛资金。\n综上，恳请区政府批准拨付防汛资金。",
    ],
)
def test_one_request_with_its_closing_formula_is_not_flagged(body):
    assert hits(REQUEST + body, "TL-02") == []


# --- TL-04 主送 a leader ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("关于申请防汛资金的请示\n张区长：\n正文。", "张区长"),
        ("关于上半年工作情况的报告\n区政府领导：\n正文。", "区政府领导"),
        ("关于申请防汛资金的请示\n王主任：\n正文。", "王主任"),
    ],
)
def test_request_or_report_addressed_to_a_leader_is_a_warning(text, name):
    assert hits(text, "TL-04") == [(at(text, name), at(text, name) + len(name), name, None)]


def test_addressee_check_uses_the_given_doc_type():
    text = "张区长：\n现将有关情况报告如下。"

    assert hits(text, "TL-04", doc_type="报告") == [(0, 3, "张区长", None)]


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        ("关于申请防汛资金的请示\n区人民政府：\n正文。", None),
        ("关于申请防汛资金的请示\n区应急管理局：\n正文。", None),
        ("关于做好防汛工作的通知\n各街道主任：\n正文。", None),  # a 通知 is not concerned
        ("关于申请防汛资金的请示\n\n区人民政府：\n现将张区长：批示精神报告如下。", None),
        ("张区长：\n您好。", None),  # no doc type known
    ],
)
def test_requests_addressed_to_organisations_are_not_flagged(text, doc_type):
    assert hits(text, "TL-04", doc_type=doc_type) == []


# --- TL-05 request inside a report -----------------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["妥否，请批示", "请批示", "请审批", "请批准", "请予批准", "当否，请批复", "妥否"])
def test_request_inside_a_report_is_a_warning(phrase):
    text = f"关于上半年防汛工作情况的报告\n区人民政府：\n下一步拟启动二期工程，{phrase}。"

    assert hits(text, "TL-05") == [(at(text, phrase), at(text, phrase) + len(phrase), phrase, None)]
    assert severities(text, "TL-05") == [Severity.WARNING]


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        ("关于上半年防汛工作情况的报告\n区人民政府：\n特此报告。", None),
        ("关于上半年防汛工作情况的报告\n区人民政府：\n该项目已报请区政府批准。", None),
        ("关于上半年防汛工作情况的报告\n区人民政府：\n该项目已按程序报请批准，资金已申请批复。", None),
        ("关于申请防汛资金的请示\n区人民政府：\n妥否，请批示。", None),  # a 请示 asks
        ("下一步拟启动二期工程，妥否，请批示。", None),  # type unknown
        ("下一步拟启动二期工程，妥否，请批示。", "请示"),
    ],
)
def test_reports_without_requests_and_requests_are_not_flagged(text, doc_type):
    assert hits(text, "TL-05", doc_type=doc_type) == []


# --- properties --------------------------------------------------------------------------------------------

plain_sentences = st.text(
    alphabet=st.sampled_from(list("区政府各街道部门要加强防汛安全生产工作落实责任确保群众生命财产")),
    max_size=60,
).map(lambda body: body + "。")


@settings(max_examples=200, deadline=None)
@given(st.lists(plain_sentences, max_size=8))
def test_plain_body_sentences_never_trigger_a_convention_rule(sentences):
    text = "".join(sentences)

    assert check(text, profile=conventions_only()) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("区政府办发〔〕[]()（）号第0123456789文件年")), max_size=40))
def test_doc_number_findings_always_cover_a_number_ending_in_hao(text):
    for finding in check(text, profile=conventions_only()):
        if finding.rule == "C-01":
            assert text[finding.end - 1] == "号"
            assert text[finding.start] in "〔[(（【［﹝〖"
            if finding.suggestion is not None:
                assert finding.suggestion.startswith("〔")
                assert finding.suggestion.endswith("号")


# A document outline: each heading has 0–3 children, down to the fourth level.
Outline = list["Outline"]
outlines: st.SearchStrategy[Outline] = st.recursive(
    st.just([]),
    lambda children: st.lists(children, min_size=1, max_size=3),
    max_leaves=12,
)


def render(outline: Outline, level: int = 1) -> list[str]:
    lines = []
    for number, children in enumerate(outline, start=1):
        chinese = int_to_cn(number)
        marker = {1: f"{chinese}、", 2: f"（{chinese}）", 3: f"{number}.", 4: f"（{number}）"}
        lines.append(marker[level] + "加强防汛工作")
        if level < 4:
            lines.extend(render(children, level + 1))
    return lines


@settings(max_examples=150, deadline=None)
@given(outlines)
def test_any_well_numbered_outline_is_in_order(outline):
    text = TITLE + "\n".join(render(outline))

    assert hits(text, "C-05") == []


@settings(max_examples=150, deadline=None)
@given(outlines.filter(lambda outline: len(outline) >= 2), st.data())
def test_a_wrong_top_level_number_is_found_exactly_once(outline, data):
    lines = render(outline)
    tops = [index for index, line in enumerate(lines) if "、" in line[:3]]
    index = data.draw(st.sampled_from(tops[1:]))
    position = tops.index(index) + 1
    lines[index] = f"{int_to_cn(position + 1)}、" + lines[index].split("、", 1)[1]
    text = TITLE + "\n".join(lines)

    found = hits(text, "C-05")

    assert [(span, suggestion) for _, _, span, suggestion in found] == [
        (f"{int_to_cn(position + 1)}、", f"{int_to_cn(position)}、")
    ]
