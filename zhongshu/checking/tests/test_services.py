"""Dictionary services: add, edit, disable, enable, import and export; refusals, audit events, version."""

from __future__ import annotations

import pytest

from zhongshu.audit.models import Event
from zhongshu.checking import dictionaries as dicts
from zhongshu.checking import selectors, services
from zhongshu.checking.models import DictionaryEntry
from zhongshu.core.exceptions import ApplicationError, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

W1_ROW = {"wrong": "督办单位办", "correct": "督办单办", "note": "测试", "exceptions": ""}


def w1(**values):
    return {**W1_ROW, **values}


def test_an_added_entry_is_audited_and_bumps_the_version(district):
    before = selectors.profile_version()

    entry = services.entry_save(actor=district.admin, dictionary="w1", values=w1())

    assert entry.fields == W1_ROW
    assert entry.active
    assert not entry.shipped
    assert entry.label == "督办单位办 → 督办单办"
    assert selectors.profile_version()[0] == before[0] + 1
    event = Event.objects.get(verb="checking.dictionary.added")
    assert event.target_id == str(entry.pk)
    assert event.data["dictionary"] == "w1"
    assert event.changes["correct"] == [None, "督办单办"]


def test_edit_records_only_what_changed(district):
    entry = services.entry_save(actor=district.admin, dictionary="w1", values=w1())

    services.entry_save(actor=district.admin, dictionary="w1", values=w1(note="新说明"), entry_id=entry.pk)

    entry.refresh_from_db()
    assert entry.fields["note"] == "新说明"
    event = Event.objects.get(verb="checking.dictionary.updated")
    assert event.changes == {"note": ["测试", "新说明"]}


def test_an_unchanged_edit_writes_nothing(district):
    entry = services.entry_save(actor=district.admin, dictionary="w1", values=w1())
    version = selectors.profile_version()

    services.entry_save(actor=district.admin, dictionary="w1", values=w1(), entry_id=entry.pk)

    assert selectors.profile_version() == version
    assert Event.objects.filter(verb="checking.dictionary.updated").count() == 0


def test_bad_rows_are_refused_per_field_in_chinese(district):
    with pytest.raises(ValidationFailed) as caught:
        services.entry_save(actor=district.admin, dictionary="w1", values=w1(correct="督办单位办", exceptions="其他"))
    assert caught.value.errors["correct"] == ["正确写法不能与错误写法相同。"]
    assert caught.value.errors["exceptions"] == ["例外词语“其他”应包含错误写法“督办单位办”。"]

    with pytest.raises(ValidationFailed) as caught:
        services.entry_save(
            actor=district.admin,
            dictionary="w2",
            values={"word": "截止", "alternative": "截至", "before": "(", "message": "说明"},
        )
    assert caught.value.errors["before"][0].startswith("正则表达式有误")

    with pytest.raises(ValidationFailed) as caught:
        services.entry_save(
            actor=district.admin,
            dictionary="w4",
            values={"standard": "示范表述", "effective_from": "2026-13-01", "severity": "严重"},
        )
    assert caught.value.errors["effective_from"] == ["生效日期应为日期，格式为 YYYY-MM-DD。"]
    assert "严重程度" in caught.value.errors["severity"][0]
    assert DictionaryEntry.objects.count() == 0


def test_a_duplicate_key_is_refused(district):
    services.entry_save(actor=district.admin, dictionary="w1", values=w1())

    with pytest.raises(ValidationFailed) as caught:
        services.entry_save(actor=district.admin, dictionary="w1", values=w1(correct="别的"))

    assert caught.value.errors["wrong"] == ["词典中已有此词条，请修改原词条。"]


def test_non_admins_are_refused(district):
    for person in (district.ducha, district.liaison, district.nobody):
        with pytest.raises(PermissionDenied):
            services.entry_save(actor=person, dictionary="w1", values=w1())
        with pytest.raises(PermissionDenied):
            services.export_csv(actor=person, dictionary="w1")
        with pytest.raises(PermissionDenied):
            services.import_csv(actor=person, dictionary="w1", data=b"wrong,correct\n")
    assert DictionaryEntry.objects.count() == 0


def test_disable_and_enable_an_own_entry(district):
    entry = services.entry_save(actor=district.admin, dictionary="w1", values=w1())

    services.entry_set_active(actor=district.admin, entry_id=entry.pk, active=False)
    with pytest.raises(ApplicationError, match="该词条已停用"):
        services.entry_set_active(actor=district.admin, entry_id=entry.pk, active=False)
    assert "督办单位办" not in [row["wrong"] for row in selectors.effective_rows("w1")]

    services.entry_set_active(actor=district.admin, entry_id=entry.pk, active=True)
    assert "督办单位办" in [row["wrong"] for row in selectors.effective_rows("w1")]
    assert list(Event.objects.filter(target_id=str(entry.pk)).order_by("seq").values_list("verb", flat=True)) == [
        "checking.dictionary.added",
        "checking.dictionary.disabled",
        "checking.dictionary.enabled",
    ]


def test_a_shipped_entry_can_be_disabled_and_overridden(district):
    shipped = dicts.shipped_rows("w1")[0]  # 布署 → 部署
    key = dicts.W1.key_of(shipped)

    entry = services.shipped_override(actor=district.admin, dictionary="w1", key=key, active=False)

    assert entry.shipped
    assert not entry.active
    assert shipped["wrong"] not in [row["wrong"] for row in selectors.effective_rows("w1")]
    services.entry_set_active(actor=district.admin, entry_id=entry.pk, active=True)
    services.entry_save(
        actor=district.admin, dictionary="w1", values={**shipped, "note": "本单位说明"}, entry_id=entry.pk
    )
    row = next(row for row in selectors.effective_rows("w1") if row["wrong"] == shipped["wrong"])
    assert row["note"] == "本单位说明"
    assert len(selectors.effective_rows("w1")) == len(dicts.shipped_rows("w1"))
    with pytest.raises(ValidationFailed, match="标识列不能修改"):
        services.entry_save(
            actor=district.admin,
            dictionary="w1",
            values={**shipped, "wrong": "布署署", "exceptions": ""},
            entry_id=entry.pk,
        )


def test_adding_an_identical_shipped_entry_is_refused(district):
    shipped = dicts.shipped_rows("w1")[0]

    with pytest.raises(ValidationFailed, match="完全相同"):
        services.entry_save(actor=district.admin, dictionary="w1", values=dict(shipped))


def test_import_adds_updates_and_reenables_all_or_nothing(district):
    old = services.entry_save(actor=district.admin, dictionary="w1", values=w1())
    services.entry_set_active(actor=district.admin, entry_id=old.pk, active=False)
    data = "wrong,correct,note,exceptions\n督办单位办,督办单办,改过的说明,\n交辨,交办,形近,\n".encode()

    result = services.import_csv(actor=district.admin, dictionary="w1", data=data)

    assert result.ok
    assert (result.added, result.updated, result.unchanged) == (1, 1, 0)
    old.refresh_from_db()
    assert old.active
    assert old.fields["note"] == "改过的说明"
    assert DictionaryEntry.objects.get(label="交辨 → 交办").fields["correct"] == "交办"


def test_import_with_one_bad_row_writes_nothing_and_says_where(district):
    data = "错误写法,正确写法,说明\n交辨,交办,形近\n交辨,交办,重复\n,缺错误写法,\n".encode()

    result = services.import_csv(actor=district.admin, dictionary="w1", data=data)

    assert not result.ok
    assert [str(error) for error in result.errors] == [
        "第 3 行“wrong”列：与第 2 行是同一词条。",
        "第 4 行“wrong”列：错误写法不能为空。",
    ]
    assert DictionaryEntry.objects.count() == 0
    assert Event.objects.filter(verb__startswith="checking.").count() == 0


def test_import_refuses_unknown_and_missing_columns(district):
    result = services.import_csv(actor=district.admin, dictionary="w2", data="word,颜色\n截止,红\n".encode())

    assert [str(error) for error in result.errors] == [
        "第 1 行“颜色”列：不是“易混词语”词典的列，可用的列：word、alternative、before、after、message、severity。",
        "第 1 行“alternative”列：缺少此列（必填）。",
        "第 1 行“message”列：缺少此列（必填）。",
    ]


def test_dry_run_checks_and_rolls_back(district):
    data = "name,note\n清河镇,地名\n张明华,人名\n".encode("gb18030")  # a CSV saved by Excel on Chinese Windows

    result = services.import_csv(actor=district.admin, dictionary="whitelist", data=data, dry_run=True)

    assert result.ok
    assert result.dry_run
    assert result.added == 2
    assert DictionaryEntry.objects.count() == 0


def test_importing_shipped_rows_unchanged_writes_nothing(district):
    data = services.export_csv(actor=district.admin, dictionary="w4")

    result = services.import_csv(actor=district.admin, dictionary="w4", data=data)

    assert result.ok
    assert result.added == result.updated == 0
    assert result.unchanged == len(dicts.shipped_rows("w4"))
    assert DictionaryEntry.objects.count() == 0


def test_export_has_the_shipped_columns_and_the_entries_in_force(district):
    services.entry_save(actor=district.admin, dictionary="w1", values=w1())
    first = dicts.shipped_rows("w1")[0]
    services.shipped_override(actor=district.admin, dictionary="w1", key=dicts.W1.key_of(first), active=False)

    lines = services.export_csv(actor=district.admin, dictionary="w1").decode("utf-8").splitlines()

    assert lines[0] == "wrong,correct,note,exceptions"
    assert "督办单位办,督办单办,测试," in lines
    assert not any(line.startswith(first["wrong"] + ",") for line in lines)
    assert len(lines) == 1 + len(dicts.shipped_rows("w1"))  # one disabled, one added


def test_w2_rules_with_commas_and_quotes_survive_export_and_import(district):
    row = {
        "word": "权力",
        "alternative": "权利",
        "before": '享有[^，。,"]{0,6}',
        "after": "",
        "message": "“享有……权利”，不是“权力”",
        "severity": "warning",
    }
    services.entry_save(actor=district.admin, dictionary="w2", values=row)
    exported = services.export_csv(actor=district.admin, dictionary="w2")
    DictionaryEntry.objects.all().delete()

    result = services.import_csv(actor=district.admin, dictionary="w2", data=exported)

    assert result.ok
    assert result.added == 1
    assert DictionaryEntry.objects.get().fields == row
