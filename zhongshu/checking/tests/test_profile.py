"""The installation's profile: org names, the administrators' dictionaries, the statistics, the cache."""

from __future__ import annotations

import pytest

from zhongshu.checking import dictionaries as dicts
from zhongshu.checking import selectors, services
from zhongshu.org.tests.factories import UnitFactory
from zhongshu.proofread import check

pytestmark = pytest.mark.django_db

SLIP = "请认真阻止实施办公室的意见。"  # 阻止 reads as a slip for 组织 … unless it is a unit's name


def rules(text, profile=None):
    return [(f.rule, text[f.start : f.end], f.suggestion) for f in check(text, profile=profile)]


def test_a_unit_name_is_never_flagged_as_a_slip(district):
    assert ("W3", "阻止", "组织") in rules(SLIP, selectors.profile())

    UnitFactory(code="zhuanban", full_name="阻止实施办公室", short_name="阻实办")

    assert rules(SLIP, selectors.profile()) == []


def test_the_profile_carries_units_people_and_whitelist(district):
    services.entry_save(actor=district.admin, dictionary="whitelist", values={"name": "清河镇"})

    profile = selectors.profile()

    assert {"示范区教育委员会", "区教委", "示范区住房和城乡建设委员会"} <= set(profile.unit_names)
    assert {"赵联络", "清河镇"} <= set(profile.local_names)


def test_a_misspelt_unit_name_is_flagged_through_the_api(district, client, proofread):
    client.force_login(district.liaison)

    response = proofread({"text": "请示范区教育委员汇研究。"})

    assert response.status_code == 200
    found = [(f["rule"], f["text"], f["suggestion"]) for f in response.json()["findings"]]
    assert found == [("ORG-01", "示范区教育委员汇", "示范区教育委员会")]


def test_own_w1_entries_are_used_and_disabled_shipped_ones_are_not(district):
    text = "请认真布署督办单位办的工作。"
    assert ("W1", "布署", "部署") in rules(text, selectors.profile())

    services.entry_save(
        actor=district.admin,
        dictionary="w1",
        values={"wrong": "督办单位办", "correct": "督办单办", "note": "本单位用语"},
    )
    shipped = next(row for row in dicts.shipped_rows("w1") if row["wrong"] == "布署")
    services.shipped_override(actor=district.admin, dictionary="w1", key=dicts.W1.key_of(shipped), active=False)

    found = rules(text, selectors.profile())
    assert ("W1", "督办单位办", "督办单办") in found
    assert not any(rule == "W1" and span == "布署" for rule, span, _ in found)


def test_own_w2_and_w4_entries_are_used(district):
    services.entry_save(
        actor=district.admin,
        dictionary="w2",
        values={"word": "督察", "alternative": "督查", "after": "(?:室|科)", "message": "本办机构名称为督查室"},
    )
    services.entry_save(
        actor=district.admin,
        dictionary="w4",
        values={"standard": "“接诉即办”改革", "variants": "接诉即办改革", "source": "本区文件"},
    )

    found = rules("督察室推进接诉即办改革。", selectors.profile())

    assert ("W2", "督察", "督查") in found
    assert ("W4", "接诉即办改革", "“接诉即办”改革") in found


def test_the_cached_profile_is_kept_until_something_changes(district, django_assert_num_queries):
    first = selectors.profile()
    with django_assert_num_queries(4):  # the version row and the org signature (units, people, former names)
        assert selectors.profile() is first

    services.entry_save(actor=district.admin, dictionary="whitelist", values={"name": "清河镇"})
    second = selectors.profile()
    assert second is not first
    assert "清河镇" in second.local_names

    UnitFactory(code="xinju", full_name="示范区新设局", short_name="新设局")
    assert "新设局" in selectors.profile().unit_names


def test_the_profile_file_setting_selects_rules_and_severities(district, settings, tmp_path):
    path = tmp_path / "office.toml"
    path.write_text('name = "本区"\ndisable = ["W1"]\n[severity]\n"W2" = "error"\n', encoding="utf-8")
    settings.ZHONGSHU_PROOFREAD_PROFILE = str(path)

    profile = selectors.profile()

    found = [(f.rule, f.severity) for f in check("请认真布署，务必截止今年底完成。", profile=profile)]
    assert found == [("W2", "error")]
    assert profile.name == "本区（本单位）"
