"""XLSX import and export of units and people: the template, all-or-nothing imports with per-row errors in
Chinese, dry runs, upload checks and exports that re-import without changes."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from zhongshu.audit.models import Event
from zhongshu.core.exceptions import ApplicationError
from zhongshu.org import importing, selectors, services
from zhongshu.org.choices import Role
from zhongshu.org.importing import RowError
from zhongshu.org.models import Person, RoleGrant, Unit, UnitName
from zhongshu.org.tests.factories import PersonFactory
from zhongshu.org.tests.support import signs_in, written

pytestmark = pytest.mark.django_db


def workbook(units=(), people=()) -> bytes:
    """The downloadable template with the given data rows appended (from row 3)."""
    book = load_workbook(io.BytesIO(importing.template_workbook()))
    for row in units:
        book["单位"].append(list(row))
    for row in people:
        book["人员"].append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


KINDS = "区领导、区政府办公室、办公室内设科室、区政府部门、镇、街道、四大家办公室、上级机关、其他单位"
ROLES = "系统管理员、区领导、办公室主任、督查员、文秘、信息员、值班员、会务、考核员、部门联络员"


def run(actor, data, **kwargs):
    return importing.import_workbook(actor=actor, data=data, filename="导入.xlsx", **kwargs)


GOOD_UNITS = [
    ("kewei", "示范区科学技术委员会", "区科委", "区政府部门", "", 300, "是"),
    ("kewei-bgs", "示范区科学技术委员会办公室", "区科委办公室", "其他单位", "kewei", 301, ""),
]
GOOD_PEOPLE = [
    ("ll-kewei", "周联络", "办公室主任", "kewei", "6912 0001", "部门联络员", "Kewei-Liaison-2026"),
    ("kewei-01", "吴主任", "主任", "kewei", "", "", ""),
    ("wenmi-2", "郑文秘", "科员", "mishu-ke", "", "文秘、信息员", ""),
]


def test_template_has_two_sheets_with_note_headers_and_drop_downs():
    book = load_workbook(io.BytesIO(importing.template_workbook()))
    assert book.sheetnames == ["单位", "人员"]
    units, people = book["单位"], book["人员"]
    assert units["A1"].value.startswith("填写说明")
    assert [cell.value for cell in units[2]] == list(importing.UNIT_COLUMNS)
    assert [cell.value for cell in people[2]] == list(importing.PERSON_COLUMNS)
    lists = {str(v.sqref): v.formula1 for v in units.data_validations.dataValidation}
    assert lists["D3:D2000"].startswith('"区领导,区政府办公室')
    assert lists["G3:G2000"] == '"是,否"'


def test_import_creates_units_and_people_with_roles_in_one_go(district, client):
    # when
    result = run(district.admin, workbook(GOOD_UNITS, GOOD_PEOPLE))
    # then
    assert result.errors == []
    assert (result.units_created, result.units_updated, result.people_created, result.people_updated) == (
        2,
        0,
        3,
        0,
    )
    assert result.roles_granted == 3
    office = Unit.objects.get(code="kewei-bgs")
    assert (office.parent_id, office.kind, office.display_order) == (
        Unit.objects.get(code="kewei").pk,
        "other",
        301,
    )
    liaison = Person.objects.get(username="ll-kewei")
    assert (liaison.name, liaison.title, liaison.unit.code, liaison.phone) == (
        "周联络",
        "办公室主任",
        "kewei",
        "6912 0001",
    )
    assert list(liaison.grants.values_list("role", "unit__code")) == [("liaison", "kewei")]
    assert sorted(Person.objects.get(username="wenmi-2").grants.values_list("role", flat=True)) == [
        "info_officer",
        "secretary",
    ]
    assert signs_in(client, "ll-kewei", "Kewei-Liaison-2026")
    assert Person.objects.get(username="kewei-01").has_usable_password() is False
    # one audit event per change, made by the importing administrator
    assert sorted(Event.objects.values_list("verb", flat=True)) == sorted(
        ["org.unit.created"] * 2 + ["org.person.created"] * 3 + ["org.role.granted"] * 3
    )
    assert set(Event.objects.values_list("actor_id", flat=True)) == {district.admin.pk}


def test_importing_the_same_file_again_changes_nothing(district):
    data = workbook(GOOD_UNITS, GOOD_PEOPLE)
    run(district.admin, data)
    before = written()
    result = run(district.admin, data)
    assert (result.units_created, result.units_updated, result.people_created, result.people_updated) == (
        0,
        0,
        0,
        0,
    )
    assert (result.roles_granted, result.passwords_ignored) == (0, 1)
    assert written() == before


def test_import_updates_units_by_code_and_keeps_former_name(district):
    data = workbook([("jiaowei", "示范区教育局", "区教育局", "区政府部门", "", 7, "是")])
    result = run(district.admin, data)
    assert (result.units_created, result.units_updated) == (0, 1)
    unit = Unit.objects.get(code="jiaowei")
    assert (unit.full_name, unit.display_order) == ("示范区教育局", 7)
    assert UnitName.objects.get(unit=unit).full_name == "示范区教育委员会"
    assert sorted(Event.objects.values_list("verb", flat=True)) == ["org.unit.renamed", "org.unit.updated"]


def test_import_moves_people_and_stops_the_emptied_unit(district):
    data = workbook(
        [("jiaowei", "示范区教育委员会", "区教委", "区政府部门", "", 3, "否")],
        [
            ("ll-jiaowei", "赵联络", "科员", "zhujian", "", "", ""),
            ("nobody", "孙无角色", "科员", "zhujian", "", "", ""),
        ],
    )
    result = run(district.admin, data)
    assert result.errors == []
    assert Unit.objects.get(code="jiaowei").active is False
    assert set(Person.objects.filter(unit__code="zhujian").values_list("username", flat=True)) == {
        "ll-jiaowei",
        "ll-zhujian",
        "nobody",
    }


def test_every_bad_row_is_reported_and_nothing_is_written(district):
    data = workbook(
        [
            ("kewei", "", "区科委", "部委", "", "第一", "可能"),  # row 3
            ("", "", "", "", "", "", ""),  # blank: skipped
            ("E F", "戊单位", "戊", "区政府部门", "", "", ""),  # row 5
        ],
        [
            ("Zhang San", "张三", "", "kewei", "", "", ""),  # row 3
            ("li-si", "", "", "jiaowei", "", "局长", ""),  # row 4
            ("li-wu", "李五", "", "jiaowei", "电话", "", ""),  # row 5
            ("wang-wu", "王五", "", "", "", "联络员", ""),  # row 6
        ],
    )
    before = written()
    result = run(district.admin, data)
    assert [str(error) for error in result.errors] == [
        "“单位”表第 3 行“全称”列：必填，不能为空。",
        "“单位”表第 3 行“类别”列：未知类别“部委”，可选：" + KINDS + "。",
        "“单位”表第 3 行“排序号”列：“第一”不是不小于 0 的整数。",
        "“单位”表第 3 行“启用”列：应填“是”或“否”，不是“可能”。",
        f"“单位”表第 5 行“代码”列：{services.CODE_RULE}",
        f"“人员”表第 3 行“账号”列：“Zhang San”不符合规则：{services.USERNAME_RULE}",
        "“人员”表第 4 行“姓名”列：必填，不能为空。",
        "“人员”表第 4 行“角色”列：未知角色“局长”，可选：" + ROLES + "。",
        "“人员”表第 5 行“电话”列：只能包含数字、空格和“-+（）转”等符号。",
        "“人员”表第 6 行“单位代码”列：必填，不能为空。",
        "“人员”表第 6 行“角色”列：未知角色“联络员”，可选：" + ROLES + "。",
    ]
    assert written() == before


def test_file_level_checks_report_duplicates_unknown_codes_cycles_and_names(district):
    data = workbook(
        [
            ("kewei", "示范区科学技术委员会", "区科委", "区政府部门", "", "", ""),  # row 3
            ("kewei", "示范区科学技术委员会", "区科委", "区政府部门", "", "", ""),  # row 4
            ("a", "甲单位", "甲", "区政府部门", "b", "", ""),  # row 5
            ("b", "乙单位", "乙", "区政府部门", "a", "", ""),  # row 6
            ("c", "丙单位", "丙", "区政府部门", "nowhere", "", ""),  # row 7
            ("d", "示范区教育委员会", "丁", "区政府部门", "", "", ""),  # row 8
            ("e", "戊单位", "戊", "区政府部门", "e", "", ""),  # row 9
        ],
        [
            ("li-si", "李四", "", "nowhere", "", "", ""),  # row 3
            ("li-si", "李四", "", "jiaowei", "", "", "123"),  # row 4
        ],
    )
    before = written()
    result = run(district.admin, data)
    assert result.errors == [
        RowError("单位", 4, "代码", "与第 3 行的代码重复。"),
        RowError("单位", 5, "上级单位代码", "上级单位关系形成循环：a → b → a。"),
        RowError("单位", 6, "上级单位代码", "上级单位关系形成循环：b → a → b。"),
        RowError("单位", 7, "上级单位代码", "找不到单位代码“nowhere”（系统和本表中都没有）。"),
        RowError("单位", 8, "全称", "全称“示范区教育委员会”已被系统中的单位（代码 jiaowei）使用。"),
        RowError("单位", 9, "上级单位代码", "上级单位不能是本单位。"),
        RowError("人员", 3, "单位代码", "找不到单位代码“nowhere”（系统和“单位”表中都没有）。"),
        RowError("人员", 4, "账号", "与第 3 行的账号重复。"),
        RowError(
            "人员",
            4,
            "初始密码",
            "密码太短：至少需要 10 个字符。 这个密码太常见了。 密码只包含数字。",
        ),
    ]
    assert written() == before


def test_a_refusal_while_writing_rolls_back_the_whole_import(district):
    # given an existing account that was closed: granting it a role is refused by the service
    PersonFactory.create(username="closed", name="停用者", unit=district.jiaowei, is_active=False)
    data = workbook(GOOD_UNITS, [("closed", "停用者", "", "jiaowei", "", "文秘", "")])
    before = written()
    # when
    result = run(district.admin, data)
    # then
    assert result.errors == [RowError("人员", 3, "账号", "停用者的账号已停用，不能授予角色。")]
    assert written() == before
    assert not Unit.objects.filter(code="kewei").exists()


def test_dry_run_reports_what_would_happen_and_writes_nothing(district):
    before = written()
    result = run(district.admin, workbook(GOOD_UNITS, GOOD_PEOPLE), dry_run=True)
    assert (result.ok, result.dry_run, result.units_created, result.people_created, result.roles_granted) == (
        True,
        True,
        2,
        3,
        3,
    )
    assert written() == before


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"code,name\nkewei,x\n", "units.csv", "文件格式不正确"),
        (b"PK\x03\x04 not really a zip", "units.xlsx", "无法读取该文件"),
        (b"PK\x03\x04" + b"0" * (5 * 1024 * 1024), "units.xlsx", "文件过大（5.0 MB）：导入文件不能超过 5 MB。"),
    ],
)
def test_upload_checks_refuse_bad_files(district, data, filename, message):
    with pytest.raises(ApplicationError) as caught:
        importing.import_workbook(actor=district.admin, data=data, filename=filename)
    assert message in caught.value.message
    assert caught.value.field == "file"


def test_workbook_without_the_template_sheets_is_refused(district):
    book = Workbook()
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ApplicationError, match="文件中没有“单位”或“人员”工作表"):
        run(district.admin, out.getvalue())


def test_export_in_display_order_reimports_without_changes(district):
    # given
    services.role_grant(actor=district.admin, person_id=district.nobody.pk, role=Role.ASSESSOR)
    unit_rows = selectors.unit_tree(district.admin)
    people = selectors.person_list(district.admin)
    # when
    data = importing.export_workbook(unit_rows=unit_rows, people=people)
    # then
    book = load_workbook(io.BytesIO(data))
    codes = [row[0] for row in book["单位"].iter_rows(min_row=3, values_only=True)]
    assert codes == [row.unit.code for row in unit_rows]
    assert codes.index("mishu-ke") == codes.index("zfb") + 1
    nobody = next(row for row in book["人员"].iter_rows(min_row=3, values_only=True) if row[0] == "nobody")
    assert nobody[3:6] == ("jiaowei", None, "考核员")
    before = written()
    result = run(district.admin, data)
    assert result.errors == []
    assert written() == before
    assert RoleGrant.objects.count() == 6
