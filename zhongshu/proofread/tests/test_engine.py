from __future__ import annotations

from pathlib import Path

import pytest

from zhongshu.proofread import Category, Hit, Profile, Severity, check, registry
from zhongshu.proofread.document import Document


@pytest.fixture
def only_rule(monkeypatch):
    """Run the engine with a single test rule that flags every "错" character."""
    table: dict[str, registry.Rule] = {}

    def flag(document, context):
        return [Hit(i, i + 1, "测试", suggestion="对") for i, ch in enumerate(document.text) if ch == "错"]

    table["T-01"] = registry.Rule("T-01", Category.CHARACTER, Severity.ERROR, "测试", flag)
    monkeypatch.setattr(registry, "rules", lambda: dict(table))
    monkeypatch.setattr("zhongshu.proofread.engine.rules", lambda: dict(table))
    return table


def test_findings_carry_paragraph_positions(only_rule):
    findings = check("第一段\n第二段有错\n错")

    assert [(f.start, f.paragraph, f.paragraph_offset) for f in findings] == [(8, 1, 4), (10, 2, 0)]
    assert findings[0].suggestion == "对"
    assert findings[0].category == Category.CHARACTER


def test_profile_can_disable_a_rule_or_change_its_severity(only_rule):
    assert check("错", profile=Profile(disabled=frozenset({"T-01"}))) == []
    softened = check("错", profile=Profile(severity={"T-01": Severity.INFO}))
    assert [f.severity for f in softened] == [Severity.INFO]


def test_profile_loads_from_toml(tmp_path: Path):
    path = tmp_path / "office.toml"
    path.write_text('name = "示范区"\ndisable = ["PUN-07"]\n[severity]\n"TL-02" = "info"\n', encoding="utf-8")

    profile = Profile.load(path)

    assert profile.name == "示范区"
    assert not profile.runs("PUN-07", True)
    assert profile.severity == {"TL-02": Severity.INFO}


def test_profile_with_a_bad_severity_is_refused_in_chinese(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text('[severity]\n"TL-02" = "fatal"\n', encoding="utf-8")

    with pytest.raises(ValueError, match="严重程度无效"):
        Profile.load(path)


def test_line_and_column_are_one_based():
    document = Document("甲\n乙丙")

    assert document.line_column(0) == (1, 1)
    assert document.line_column(3) == (2, 2)
