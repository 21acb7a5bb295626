"""W1 non-words, W2 context-dependent pairs and W-DUP duplicates: hits with exact spans, and look-alikes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhongshu.proofread import Profile, Severity, check
from zhongshu.proofread.rules import wording


def found(text: str, rule: str, **kwargs) -> list[tuple[int, int, str | None]]:
    return [(f.start, f.end, f.suggestion) for f in check(text, **kwargs) if f.rule == rule]


# W1 -------------------------------------------------------------------------------------------------


def test_w1_table_has_at_least_150_distinct_pairs_and_no_wrong_form_inside_a_correct_one():
    entries = wording.read_nonwords(wording.DATA / "w1_nonwords.csv")
    wrongs = [entry.wrong for entry in entries]
    corrects = {entry.correct for entry in entries}

    assert len(set(wrongs)) == len(wrongs) >= 150
    assert [(w, c) for w in wrongs for c in corrects if w in c] == []
    assert all(entry.wrong != entry.correct for entry in entries)
    assert all(entry.wrong in word for entry in entries for word in entry.exceptions)


@pytest.mark.parametrize(
    ("text", "span", "suggestion"),
    [
        ("要按装消防设施。", (1, 3), "安装"),
        ("各单位要再接再励,确保完成任务。", (4, 8), "再接再厉"),
        ("群众迫不急待地希望改善条件。", (2, 6), "迫不及待"),
        ("面对困难不能一愁莫展。", (6, 10), "一筹莫展"),
        ("既使遇到困难,也要按期完成。", (0, 2), "即使"),
        ("认真布署防汛工作。", (2, 4), "部署"),
        ("尽快完成峻工验收。", (4, 6), "竣工"),
        ("各地要惯彻落实会议精神。", (3, 5), "贯彻"),
        ("做好汛期防讯准备。", (4, 6), "防汛"),
        ("数据来源于自已掌握的情况。", (5, 7), "自己"),
    ],
)
def test_w1_flags_a_non_word_with_its_correct_form(text, span, suggestion):
    assert found(text, "W1") == [(*span, suggestion)]


def test_w1_hit_is_an_error_that_says_why():
    [finding] = [f for f in check("再接再励", profile=None) if f.rule == "W1"]

    assert finding.severity == Severity.ERROR
    assert "“再接再励”不是规范词语，应为“再接再厉”" in finding.message


def test_w1_variant_forms_are_only_warnings():
    [finding] = [f for f in check("请核对帐户信息。") if f.rule == "W1"]

    assert (finding.start, finding.end, finding.suggestion, finding.severity) == (
        3,
        5,
        "账户",
        Severity.WARNING,
    )


@pytest.mark.parametrize(
    "text",
    [
        "坚持以经济建设为中心。",  # 以经 is not in the table: 以经济 is valid
        "既使用财政资金,又引导社会资本投入。",  # 既……又……: 既使用
        "各单位按装修标准执行。",  # 按 + 装修
        "数据来自已建成的监测站点。",  # 来自 + 已建成
        "各自已完成自查。",
        "严格考核办事绩效。",  # 办事 + 绩效
        "省发改委缩减审批事项。",  # 发改委 + 缩减
        "批复盖章后生效。",  # 批复 + 盖章
        "记录象征意义的物品。",
        "已经部署安装再接再厉迫不及待一筹莫展即使竣工贯彻防汛自己。",
        "通知已下发,知己知彼。",
    ],
)
def test_w1_does_not_flag_valid_words_or_phrases_across_a_word_boundary(text):
    assert found(text, "W1") == []


def test_w1_profile_can_add_an_installation_table(tmp_path: Path):
    path = tmp_path / "w1.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["wrong", "correct", "note"], ["示范去", "示范区", "本地地名"]])

    profile = Profile(dictionaries={"w1": str(path)})

    assert found("示范去人民政府", "W1", profile=profile) == [(0, 3, "示范区")]
    assert found("示范去人民政府", "W1") == []


CORRECT_WORDS = sorted({entry.correct for entry in wording.nonword_table().entries.values()})


@given(st.lists(st.sampled_from(CORRECT_WORDS), max_size=12), st.sampled_from(["", ",", "。", "和"]))
def test_w1_never_flags_text_made_of_correct_forms(words, joiner):
    assert found(joiner.join(words), "W1") == []


# W2 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "suggestion"),
    [
        ("截止2026年10月底,全区共完成投资5亿元。", (0, 2), "截至"),
        ("截止目前,已整改隐患120处。", (0, 2), "截至"),
        ("申报截至日期为6月30日。", (2, 4), "截止"),
        ("公民依法享有的各项权力受法律保护。", (9, 11), "权利"),
        ("要晒出权利清单。", (3, 5), "权力"),
        ("及时反应群众诉求。", (2, 4), "反映"),
        ("有问题可以向有关部门反应。", (10, 12), "反映"),
        ("新印章自即日起用印章。", None, None),  # 自即日起 + 用印章
        ("新办公平台正式起用新系统。", (7, 9), "启用"),
        ("防汛物资是必须品。", (5, 7), "必需"),
        ("各单位必需严格执行。", (3, 5), "必须"),
        ("这一问题急待解决。", (4, 6), "亟待"),
        ("组织实地考查。", (4, 6), "考察"),
        ("安全检察组进驻企业。", (2, 4), "检查"),
        ("帮助企业度过难关。", (4, 6), "渡过"),
        ("当前防汛形式严峻。", (4, 6), "形势"),
        ("要象这样抓好落实。", (1, 2), "像"),
        ("春节其间加强值班。", (2, 4), "期间"),
        ("各单位务需高度重视。", (4, 5), "须"),
    ],
)
def test_w2_warns_when_a_collocation_trigger_is_present(text, span, suggestion):
    expected = [] if span is None else [(*span, suggestion)]
    assert found(text, "W2") == expected


def test_w2_is_a_warning_with_the_reason_and_the_trigger_as_evidence():
    [finding] = [f for f in check("截止2026年底完成。") if f.rule == "W2"]

    assert finding.severity == Severity.WARNING
    assert "“截至”表示到某一时间为止" in finding.message
    assert finding.evidence == "截止2"


@pytest.mark.parametrize(
    "text",
    [
        "报名于5月1日截止。",
        "截止日期为6月30日。",
        "截止到2026年底。",
        "截至2026年底,全区完成投资5亿元。",
        "公民的合法权利受法律保护。",
        "依法行使权力,自觉接受监督。",
        "疫苗不良反应问题要及时处置。",
        "面向公众的快速反应机制。",
        "起用一批年轻干部。",
        "启用新印章。",
        "生活必需品供应充足。",
        "必须严格执行。",
        "服务需求不断增长。",
        "业务需要及时办理。",
        "亟待解决的问题。",
        "人民检察院依法开展检察工作。",
        "开展安全检查。",
        "度过了难忘的一年。",
        "形势依然严峻。",
        "创新工作形式。",
        "这一现象这样下去不行。",
        "会议期间,其间休息十分钟。",
    ],
)
def test_w2_is_silent_on_correct_usage_and_without_a_trigger(text):
    assert found(text, "W2") == []


def test_w2_info_pairs_are_info():
    findings = [f for f in check("其它事项另行通知。") if f.rule == "W2"]

    assert [(f.start, f.end, f.suggestion, f.severity) for f in findings] == [(0, 2, "其他", Severity.INFO)]


def test_w2_table_covers_the_digest_pairs():
    words = {(pair.word, pair.alternative) for pair in wording.context_pairs()}

    assert len(wording.context_pairs()) >= 20
    assert {("截止", "截至"), ("权力", "权利"), ("反应", "反映"), ("起用", "启用"), ("必需", "必须")} <= words


# W-DUP -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "suggestion"),
    [
        ("这是我们的的工作。", (4, 6), "的"),
        ("会议开了了三个小时。", (3, 5), "了"),
        ("要在在全区推广。", (1, 3), "在"),
        ("加强对对企业的监管。", (2, 4), "对"),
        ("要进一步进一步加强管理。", (1, 7), "进一步"),
        ("全面落实安全生产责任制安全生产责任制。", (4, 18), "安全生产责任制"),
    ],
)
def test_dup_flags_doubled_function_characters_and_words_as_errors(text, span, suggestion):
    findings = [f for f in check(text) if f.rule == "W-DUP"]

    assert [(f.start, f.end, f.suggestion) for f in findings] == [(*span, suggestion)]
    assert findings[0].severity == Severity.ERROR


def test_dup_doubled_two_character_word_is_a_warning():
    findings = [f for f in check("要加强加强管理。") if f.rule == "W-DUP"]

    assert [(f.start, f.end, f.suggestion, f.severity) for f in findings] == [(1, 5, "加强", Severity.WARNING)]


@pytest.mark.parametrize(
    "text",
    [
        "常常、天天、看看、人人、谢谢、仅仅、渐渐、刚刚、明明、往往、统统、稍稍、纷纷、年年、层层、步步、一一。",
        "大家研究研究,再讨论讨论。",
        "家家户户都受益。",
        "为了了解情况,要实实在在地抓。",
        "针对对象不同,分类施策。",
        "这件事不了了之。",
        "是是非非要分清,的的确确如此。",
        "现在在建项目12个。",
        "市场饱和和竞争加剧。",
        "一个一个地落实,一步一步推进。",
        "坚持和和平发展。",
        "为了达到目的的手段。",
        "关于转发市应急管理局关于做好防汛工作的通知的通知",
        "他走着走着，就到了学校。",  # V着V着
        "你可以想一想一下午要做什么。",  # V一V
        "恭喜恭喜！",
    ],
)
def test_dup_ignores_valid_reduplications_and_words_across_boundaries(text):
    assert found(text, "W-DUP") == []


def test_reduplication_whitelist_holds_the_common_words():
    assert {"常常", "研究研究", "讨论讨论", "家家户户", "谢谢"} <= wording.reduplications()
