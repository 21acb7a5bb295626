"""JUNK-01: residue of web pages and other programs, and the words, numbers, codes and URLs it must spare."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhongshu.proofread import Severity, check


def found(text: str) -> list[tuple[str, str | None]]:
    return [(text[f.start : f.end], f.suggestion) for f in check(text) if f.rule == "JUNK-01"]


@pytest.mark.parametrize(
    ("text", "run", "suggestion"),
    [
        ("加强&nbsp;管理", "&nbsp;", ""),
        ("安全生产ï»¿工作", "ï»¿", ""),
        ("落实}{责任", "}{", None),
        ("落实}责任", "}", None),
        ("排查隐患xx%$#处", "xx%$#", None),
        ("营商环境&amp;民生工程", "&amp;", ""),
        ("防汛<br/>抢险", "<br/>", ""),
        ("民生â€œå·¥ç¨‹", "â€œå·¥ç¨‹", None),
        ("安全\u200b生产", "\u200b", ""),
        ("首页|通知公告", "|", None),
        ("落实\\n责任", "\\n", None),
        ("防汛{{name}}工作", "{{name}}", None),
        ("85%&nbsp;以上", "&nbsp;", ""),
        ("请于<p>10月20日前", "<p>", ""),
        ('提高<div class="x">满意度', '<div class="x">', ""),
        ("全区&nbsp;&nbsp;ï»¿各街道", "&nbsp;&nbsp;ï»¿", ""),
        ("落实,}{责任", "}{", None),
        ("不断提高&&服务质量", "&&", None),
        ("加强Â 统筹", "Â", None),
    ],
)
def test_junk_flags_the_whole_run_as_an_error(text, run, suggestion):
    findings = [f for f in check(text) if f.rule == "JUNK-01"]

    assert [(text[f.start : f.end], f.suggestion) for f in findings] == [(run, suggestion)]
    assert findings[0].severity == Severity.ERROR
    assert "残留" in findings[0].message


def test_junk_span_is_exact():
    [finding] = [f for f in check("加强&nbsp;管理") if f.rule == "JUNK-01"]

    assert (finding.start, finding.end) == (2, 8)


@pytest.mark.parametrize(
    "text",
    [
        "详见http://www.example.gov.cn/zwgk/index.html?id=12&type=3#top。",
        "请发送至office@example.gov.cn。",
        "按照GB/T 9704-2012执行。",
        "推进5G基站建设。",
        "PM2.5浓度下降。",
        "做好COVID-19防控。",
        "2026年完成。",
        "增长3.5%。",
        "排名No.1。",
        "通过ISO 9001认证。",
        "使用A4纸。",
        "配发iPhone手机。",
        "GDP增长5.2%。",
        "拨打12345热线。",
        "示范府办发〔2026〕17号",
        "时间为15:40。",
        "推进“互联网+政务服务”,实施1+N政策体系。",
        "3#楼、5#楼已封顶。",
        "研发R&D投入增长。",
        "姓名:________ 电话:________",
        "## 一、总体要求",
        "**重点任务**",
        "| 项目 | 金额 |",
        "温度37.5°C,面积20m²。",
        "总投资1,234万元,占比≥60%。",
        "张三·李四,Müller先生。",
        "PM2.5<35微克/立方米。",
        "第1-3季度,110kV变电站,C919,H7N9。",
        "加强,管理;落实!",
        "(1)(2)(3)",
        "- **[?]** 未核实的条目",
        "文种 ∈ {请示, 报告} 时须标注签发人",
        "页脚为“— {PAGE} —”。",
        "用 `{% timeline obj %}` 渲染,或在代码块中:\n```\nx = {}; y || z\n```\n说明",
        "电话号码可含“-+()”等符号。",
        "目录 core/* 和 tests/**。",
        "|---|---|",
    ],
)
def test_junk_spares_words_numbers_codes_and_addresses(text):
    assert found(text) == []


WORD_CHARS = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "),
)


@given(st.text(alphabet=WORD_CHARS, max_size=60))
def test_letters_and_digits_alone_are_never_junk(text):
    assert found(text) == []


@given(st.from_regex(r"[A-Za-z]{0,5}[0-9]{0,4}(?:[.\-/:][0-9]{1,4}){0,2}[%+#]?", fullmatch=True))
def test_codes_and_numbers_between_chinese_words_are_never_junk(token):
    assert found(f"加强{token}管理") == []
