"""Import and export of units and people as XLSX, in the form offices already keep their lists.

The template has two sheets, 单位 and 人员, each with a note row (row 1), the column headers (row 2) and
the data from row 3. An import is all-or-nothing: every row is checked first (row number, column and
reason in Chinese) and nothing is written if any row is wrong; otherwise units are created or updated by
their code and people by their account, through the org services (one audit event per change), in one
transaction. A dry run does the same and rolls back, so the preview shows exactly what would happen.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhongshu.core import authz
from zhongshu.core.exceptions import ApplicationError, ValidationFailed

from . import permissions as perms
from . import services
from .choices import Role, UnitKind
from .models import Person, RoleGrant, Unit
from .selectors import UnitRow

MAX_BYTES = 5 * 1024 * 1024
UNIT_SHEET = "单位"
PERSON_SHEET = "人员"
UNIT_COLUMNS = ("代码", "全称", "简称", "类别", "上级单位代码", "排序号", "启用")
PERSON_COLUMNS = ("账号", "姓名", "职务", "单位代码", "电话", "角色", "初始密码")
UNIT_REQUIRED = ("代码", "全称", "简称", "类别")
PERSON_REQUIRED = ("账号", "姓名", "单位代码")
FIRST_DATA_ROW = 3
ROLE_SEPARATORS = re.compile(r"[、,,;;\s]+")
YES = {"是", "启用", "y", "yes", "true", "1", "√"}
NO = {"否", "停用", "n", "no", "false", "0", "×"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

UNIT_NOTE = (
    "填写说明（本行不导入）：代码、全称、简称、类别必填。代码由小写字母、数字、“-”和“_”组成（如 jiaowei），"
    "已有代码的单位按本表更新，新代码新建单位。类别从下拉列表选择。上级单位代码填上级单位的代码，顶层单位留空。"
    "排序号为整数，小的在前，留空则排在最后。启用填“是”或“否”，留空为“是”。"
    "导入时先校验全部行，任何一行有错都不会写入。"
)
PERSON_NOTE = (
    "填写说明（本行不导入）：账号、姓名、单位代码必填。账号由小写字母、数字、“-”和“_”组成，3–40 个字符，"
    "已有账号按本表更新姓名、职务、单位和电话。单位代码须是系统中或“单位”表中的单位。"
    "角色可填多个，用“、”或“，”分隔，可选：" + "、".join(Role.labels) + "；导入只增加角色，不撤销已有角色。"
    "初始密码可留空（之后由管理员设置），只用于新建账号，至少 10 个字符。"
)

_FIELD_COLUMNS = {
    "code": "代码",
    "full_name": "全称",
    "short_name": "简称",
    "kind": "类别",
    "parent_id": "上级单位代码",
    "display_order": "排序号",
    "username": "账号",
    "name": "姓名",
    "title": "职务",
    "unit_id": "单位代码",
    "phone": "电话",
    "role": "角色",
    "password": "初始密码",
}


@dataclass(frozen=True)
class RowError:
    """One problem in the file: the sheet, the Excel row number, the column and the reason."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"“{self.sheet}”表第 {self.row} 行" if self.row else f"“{self.sheet}”表"
        return f"{where}“{self.column}”列：{self.message}" if self.column else f"{where}:{self.message}"


@dataclass
class UnitLine:
    row: int
    code: str
    full_name: str
    short_name: str
    kind: str
    parent_code: str
    display_order: int | None
    active: bool


@dataclass
class PersonLine:
    row: int
    username: str
    name: str
    title: str
    unit_code: str
    phone: str
    roles: list[str]
    password: str


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do); `errors` non-empty means nothing was written."""

    dry_run: bool = False
    units_created: int = 0
    units_updated: int = 0
    people_created: int = 0
    people_updated: int = 0
    roles_granted: int = 0
    passwords_ignored: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _RowFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(str(errors[0]))
        self.errors = errors


# Reading ---------------------------------------------------------------------------------------------


def check_upload(data: bytes, filename: str) -> None:
    """Refuse files that are not XLSX or are larger than 5 MB, with a message for the form's file field."""
    if len(data) > MAX_BYTES:
        size = len(data) / 1024 / 1024
        raise ApplicationError(f"文件过大（{size:.1f} MB）：导入文件不能超过 5 MB。", field="file")
    if not filename.lower().endswith(".xlsx") or not data.startswith(b"PK\x03\x04"):
        raise ApplicationError(
            "文件格式不正确：请上传 Excel 的 .xlsx 文件（可先下载导入模板），不支持 .xls、.csv 等格式。",
            field="file",
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_key(value: Any) -> str:
    return _cell(value).replace("*", "").replace("（必填）", "").replace("（必填）", "").strip()


def _rows(
    sheet: Any, sheet_name: str, columns: Sequence[str], required: Sequence[str], errors: list[RowError]
) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a sheet as {column: text}, located by the header row (the first row that has the
    first required column), blank rows skipped."""
    header: dict[str, int] | None = None
    header_row = 0
    found: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if header is None:
            keys = [_header_key(v) for v in values]
            if required[0] in keys:
                header = {key: index for index, key in enumerate(keys) if key in columns}
                header_row = number
                for column in required:
                    if column not in header:
                        errors.append(RowError(sheet_name, number, column, "缺少此列，请使用导入模板。"))
            elif number >= 5:
                break
            continue
        texts = {column: _cell(values[index]) if index < len(values) else "" for column, index in header.items()}
        if any(texts.values()):
            found.append((number, texts))
    if header is None:
        errors.append(RowError(sheet_name, 0, "", f"找不到表头（应有“{required[0]}”等列），请使用导入模板。"))
    elif header_row and not found:
        return []
    return found


def read_workbook(data: bytes) -> tuple[list[UnitLine], list[PersonLine], list[RowError]]:
    """Parse the two sheets; errors here are about the shape of each cell."""
    errors: list[RowError] = []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ApplicationError(
            "无法读取该文件：它不是有效的 .xlsx 文件或已损坏，请用 Excel 或 WPS 另存为 .xlsx 后再试。",
            field="file",
        ) from exc
    try:
        if UNIT_SHEET not in book.sheetnames and PERSON_SHEET not in book.sheetnames:
            raise ApplicationError(f"文件中没有“{UNIT_SHEET}”或“{PERSON_SHEET}”工作表，请使用导入模板。", field="file")
        units: list[UnitLine] = []
        people: list[PersonLine] = []
        if UNIT_SHEET in book.sheetnames:
            for row, texts in _rows(book[UNIT_SHEET], UNIT_SHEET, UNIT_COLUMNS, UNIT_REQUIRED, errors):
                units.append(_unit_line(row, texts, errors))
        if PERSON_SHEET in book.sheetnames:
            for row, texts in _rows(book[PERSON_SHEET], PERSON_SHEET, PERSON_COLUMNS, PERSON_REQUIRED, errors):
                people.append(_person_line(row, texts, errors))
    finally:
        book.close()
    return units, people, errors


_KIND_BY_TEXT = {**{label: value for value, label in UnitKind.choices}, **{v: v for v in UnitKind.values}}
_ROLE_BY_TEXT = {**{label: value for value, label in Role.choices}, **{v: v for v in Role.values}}


def _unit_line(row: int, texts: dict[str, str], errors: list[RowError]) -> UnitLine:
    def err(column: str, message: str) -> None:
        errors.append(RowError(UNIT_SHEET, row, column, message))

    for column in UNIT_REQUIRED:
        if not texts.get(column):
            err(column, "必填，不能为空。")
    code = texts.get("代码", "")
    if code and not services.CODE_RE.fullmatch(code):
        err("代码", services.CODE_RULE)
    if len(texts.get("全称", "")) > 100:
        err("全称", "最多 100 个字符。")
    if len(texts.get("简称", "")) > 40:
        err("简称", "最多 40 个字符。")
    kind_text = texts.get("类别", "")
    kind = _KIND_BY_TEXT.get(kind_text, "")
    if kind_text and not kind:
        err("类别", f"未知类别“{kind_text}”，可选：{'、'.join(UnitKind.labels)}。")
    order_text = texts.get("排序号", "")
    order: int | None = None
    if order_text:
        try:
            order = int(order_text)
        except ValueError:
            order = None
        if order is None or order < 0:
            err("排序号", f"“{order_text}”不是不小于 0 的整数。")
            order = None
    active_text = texts.get("启用", "").lower()
    active = True
    if active_text in NO:
        active = False
    elif active_text and active_text not in YES:
        err("启用", f"应填“是”或“否”，不是“{texts.get('启用')}”。")
    return UnitLine(
        row=row,
        code=code,
        full_name=texts.get("全称", ""),
        short_name=texts.get("简称", ""),
        kind=kind,
        parent_code=texts.get("上级单位代码", ""),
        display_order=order,
        active=active,
    )


def _person_line(row: int, texts: dict[str, str], errors: list[RowError]) -> PersonLine:
    def err(column: str, message: str) -> None:
        errors.append(RowError(PERSON_SHEET, row, column, message))

    for column in PERSON_REQUIRED:
        if not texts.get(column):
            err(column, "必填，不能为空。")
    username = texts.get("账号", "")
    if username and not services.USERNAME_RE.fullmatch(username):
        err("账号", f"“{username}”不符合规则：{services.USERNAME_RULE}")
    for column, limit in (("姓名", 40), ("职务", 60), ("电话", 40)):
        if len(texts.get(column, "")) > limit:
            err(column, f"最多 {limit} 个字符。")
    phone = texts.get("电话", "")
    if phone and not services.PHONE_RE.fullmatch(phone):
        err("电话", "只能包含数字、空格和“-+（）转”等符号。")
    roles: list[str] = []
    for part in ROLE_SEPARATORS.split(texts.get("角色", "")):
        if not part:
            continue
        role = _ROLE_BY_TEXT.get(part)
        if role is None:
            err("角色", f"未知角色“{part}”，可选：{'、'.join(Role.labels)}。")
        elif role not in roles:
            roles.append(role)
    return PersonLine(
        row=row,
        username=username,
        name=texts.get("姓名", ""),
        title=texts.get("职务", ""),
        unit_code=texts.get("单位代码", ""),
        phone=phone,
        roles=roles,
        password=texts.get("初始密码", ""),
    )


# Checking against the database ------------------------------------------------------------------------


def check_lines(units: list[UnitLine], people: list[PersonLine]) -> list[RowError]:
    """The checks that need the whole file and the database: duplicates, unknown codes, parent cycles,
    names taken, inactive units, units that would be stopped while people remain, passwords."""
    errors: list[RowError] = []
    existing = {unit.code: unit for unit in Unit.objects.all()}
    by_id = {unit.pk: unit for unit in existing.values()}

    first_row: dict[str, int] = {}
    for line in units:
        if not line.code:
            continue
        if line.code in first_row:
            errors.append(RowError(UNIT_SHEET, line.row, "代码", f"与第 {first_row[line.code]} 行的代码重复。"))
        else:
            first_row[line.code] = line.row
    in_file = {line.code: line for line in units if line.code and first_row.get(line.code) == line.row}

    # The tree after the import: the file wins over the database.
    parent_of: dict[str, str] = {
        code: by_id[unit.parent_id].code if unit.parent_id in by_id else "" for code, unit in existing.items()
    }
    active_of = {code: unit.active for code, unit in existing.items()}
    for code, line in in_file.items():
        parent_of[code] = line.parent_code
        active_of[code] = line.active
    for code, line in in_file.items():
        if not line.parent_code:
            continue
        if line.parent_code == code:
            errors.append(RowError(UNIT_SHEET, line.row, "上级单位代码", "上级单位不能是本单位。"))
            continue
        if line.parent_code not in parent_of:
            errors.append(
                RowError(
                    UNIT_SHEET,
                    line.row,
                    "上级单位代码",
                    f"找不到单位代码“{line.parent_code}”（系统和本表中都没有）。",
                )
            )
            continue
        chain, seen = [code], {code}
        current = line.parent_code
        while current and current not in seen:
            chain.append(current)
            seen.add(current)
            current = parent_of.get(current, "")
        if current == code:
            path = " → ".join([*chain, code])
            errors.append(RowError(UNIT_SHEET, line.row, "上级单位代码", f"上级单位关系形成循环：{path}。"))
        elif line.active and not active_of.get(line.parent_code, True):
            errors.append(
                RowError(UNIT_SHEET, line.row, "上级单位代码", f"上级单位“{line.parent_code}”已停用或将被停用。")
            )
        unit = existing.get(code)
        if unit is not None and unit.merged_into_id is not None and line.active and not unit.active:
            errors.append(RowError(UNIT_SHEET, line.row, "启用", "该单位已并入其他单位，不能重新启用。"))

    # Full names are unique among active units.
    name_owner: dict[str, tuple[str, int]] = {}
    for code, unit in existing.items():
        if code not in in_file and unit.active:
            name_owner[unit.full_name] = (code, 0)
    for code, line in in_file.items():
        if not line.active or not line.full_name:
            continue
        owner = name_owner.get(line.full_name)
        if owner is not None:
            where = f"第 {owner[1]} 行的单位" if owner[1] else f"系统中的单位（代码 {owner[0]}）"
            errors.append(RowError(UNIT_SHEET, line.row, "全称", f"全称“{line.full_name}”已被{where}使用。"))
        else:
            name_owner[line.full_name] = (code, line.row)

    # People.
    seen_accounts: dict[str, int] = {}
    existing_people = {
        p.username.lower(): p for p in Person.objects.filter(username__in=[pl.username for pl in people])
    }
    unit_of_person: dict[str, str] = {
        username: code for username, code in Person.objects.filter(is_active=True).values_list("username", "unit__code")
    }
    for pline in people:
        if pline.username:
            if pline.username in seen_accounts:
                errors.append(
                    RowError(
                        PERSON_SHEET,
                        pline.row,
                        "账号",
                        f"与第 {seen_accounts[pline.username]} 行的账号重复。",
                    )
                )
            else:
                seen_accounts[pline.username] = pline.row
        if pline.unit_code:
            if pline.unit_code not in active_of:
                errors.append(
                    RowError(
                        PERSON_SHEET,
                        pline.row,
                        "单位代码",
                        f"找不到单位代码“{pline.unit_code}”（系统和“单位”表中都没有）。",
                    )
                )
            elif not active_of[pline.unit_code]:
                errors.append(
                    RowError(
                        PERSON_SHEET,
                        pline.row,
                        "单位代码",
                        f"单位“{pline.unit_code}”已停用，不能接收新的人员。",
                    )
                )
        known = existing_people.get(pline.username.lower())
        if known is not None and known.is_active and pline.unit_code:
            unit_of_person[known.username] = pline.unit_code
        if known is None and pline.password:
            problems = _password_problems(pline)
            if problems:
                errors.append(RowError(PERSON_SHEET, pline.row, "初始密码", " ".join(problems)))

    # Units stopped by the file must not keep active people.
    staffed: dict[str, int] = {}
    for code in unit_of_person.values():
        staffed[code] = staffed.get(code, 0) + 1
    for code, line in in_file.items():
        if not line.active and staffed.get(code):
            errors.append(
                RowError(UNIT_SHEET, line.row, "启用", f"该单位还有 {staffed[code]} 名启用的人员，不能停用。")
            )
    return sorted(errors, key=_error_order)


def _error_order(error: RowError) -> tuple[bool, int, int]:
    """Errors read in the file's order: the unit sheet first, then by row, then by column position."""
    columns = UNIT_COLUMNS if error.sheet == UNIT_SHEET else PERSON_COLUMNS
    position = columns.index(error.column) if error.column in columns else len(columns)
    return (error.sheet != UNIT_SHEET, error.row, position)


def _password_problems(line: PersonLine) -> list[str]:
    return services.password_problems(line.password, Person(username=line.username, name=line.name))


# Writing -------------------------------------------------------------------------------------------


def import_workbook(*, actor: Person | None, data: bytes, filename: str, dry_run: bool = False) -> ImportResult:
    """Import units and people from an XLSX file, all or nothing. With `dry_run` nothing is kept: the
    result says what the import would do, or lists every problem."""
    authz.require(actor, perms.ORG_IMPORT)
    check_upload(data, filename)
    units, people, errors = read_workbook(data)
    result = ImportResult(dry_run=dry_run)
    errors = sorted({*errors, *check_lines(units, people)}, key=_error_order)
    if errors:
        result.errors = errors
        return result
    try:
        with transaction.atomic():
            _apply(actor, units, people, result)
            if dry_run:
                transaction.set_rollback(True)
    except _RowFailed as failed:
        return ImportResult(dry_run=dry_run, errors=failed.errors)
    return result


def _row_failure(sheet: str, row: int, exc: ApplicationError, default_column: str) -> _RowFailed:
    if isinstance(exc, ValidationFailed):
        return _RowFailed(
            [
                RowError(sheet, row, _FIELD_COLUMNS.get(name, default_column), message)
                for name, messages in exc.field_errors().items()
                for message in messages
            ]
        )
    column = _FIELD_COLUMNS.get(exc.field or "", default_column)
    return _RowFailed([RowError(sheet, row, column, exc.message)])


def _depth(code: str, parent_of: dict[str, str]) -> int:
    depth, seen = 0, {code}
    while (code := parent_of.get(code, "")) and code not in seen:
        seen.add(code)
        depth += 1
    return depth


def _apply(actor: Person | None, units: list[UnitLine], people: list[PersonLine], result: ImportResult) -> None:
    parent_of = {line.code: line.parent_code for line in units}
    to_stop: list[UnitLine] = []
    for line in sorted(units, key=lambda ln: (_depth(ln.code, parent_of), ln.row)):
        try:
            _apply_unit(actor, line, result, to_stop)
        except ApplicationError as exc:
            raise _row_failure(UNIT_SHEET, line.row, exc, "代码") from exc
    codes = dict(Unit.objects.values_list("code", "pk"))
    existing = {
        person.username.lower(): person
        for person in Person.objects.filter(username__in=[pline.username for pline in people]).order_by()
    }
    for pline in people:
        try:
            _apply_person(actor, pline, codes, existing.get(pline.username.lower()), result)
        except ApplicationError as exc:
            raise _row_failure(PERSON_SHEET, pline.row, exc, "账号") from exc
    for line in sorted(to_stop, key=lambda ln: -_depth(ln.code, parent_of)):
        try:
            services.unit_deactivate(actor=actor, unit_id=Unit.objects.get(code=line.code).pk)
        except ApplicationError as exc:
            raise _row_failure(UNIT_SHEET, line.row, exc, "启用") from exc


def _apply_unit(actor: Person | None, line: UnitLine, result: ImportResult, to_stop: list[UnitLine]) -> None:
    unit = Unit.objects.filter(code=line.code).first()
    parent_id = Unit.objects.get(code=line.parent_code).pk if line.parent_code else None
    if unit is None:
        unit = services.unit_create(
            actor=actor,
            code=line.code,
            full_name=line.full_name,
            short_name=line.short_name,
            kind=line.kind,
            parent_id=parent_id,
            display_order=line.display_order,
        )
        result.units_created += 1
        if not line.active:
            to_stop.append(line)
        return
    changed = False
    if not unit.active and line.active:
        services.unit_activate(actor=actor, unit_id=unit.pk)
        changed = True
    before = (unit.full_name, unit.short_name, unit.kind, unit.parent_id, unit.display_order)
    after = (
        line.full_name,
        line.short_name,
        line.kind,
        parent_id,
        unit.display_order if line.display_order is None else line.display_order,
    )
    if before != after:
        services.unit_update(
            actor=actor,
            unit_id=unit.pk,
            full_name=line.full_name,
            short_name=line.short_name,
            kind=line.kind,
            parent_id=parent_id,
            display_order=line.display_order,
        )
        changed = True
    if unit.active and not line.active:
        to_stop.append(line)
        changed = True
    if changed:
        result.units_updated += 1


def _apply_person(
    actor: Person | None, line: PersonLine, codes: dict[str, int], person: Person | None, result: ImportResult
) -> None:
    unit_id = codes[line.unit_code]
    held: set[str] = set()
    if person is None:
        person = services.person_create(
            actor=actor,
            username=line.username,
            name=line.name,
            unit_id=unit_id,
            title=line.title,
            phone=line.phone,
            display_order=line.row,
            password=line.password or None,
        )
        result.people_created += 1
    else:
        if line.password:
            result.passwords_ignored += 1
        if (person.name, person.title, person.unit_id, person.phone) != (
            line.name,
            line.title,
            unit_id,
            line.phone,
        ):
            person = services.person_update(
                actor=actor,
                person_id=person.pk,
                name=line.name,
                title=line.title,
                unit_id=unit_id,
                phone=line.phone,
            )
            result.people_updated += 1
        held = set(RoleGrant.objects.filter(person=person, unit_id=person.unit_id).values_list("role", flat=True))
    for role in line.roles:
        if role not in held:
            services.role_grant(actor=actor, person_id=person.pk, role=role)
            result.roles_granted += 1


# Template and export ---------------------------------------------------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_NOTE_FILL = PatternFill("solid", fgColor="FFF6DD")
_UNIT_WIDTHS = (16, 36, 18, 16, 16, 10, 8)
_PERSON_WIDTHS = (16, 12, 20, 16, 18, 28, 16)


def _sheet(book: Workbook, title: str, note: str, columns: Sequence[str], widths: Sequence[int]) -> Any:
    sheet = book.create_sheet(title)
    sheet.append([note])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    note_cell = sheet.cell(row=1, column=1)
    note_cell.alignment = Alignment(wrap_text=True, vertical="top")
    note_cell.fill = _NOTE_FILL
    note_cell.font = Font(size=10, color="6B4E00")
    sheet.row_dimensions[1].height = 78
    sheet.append(list(columns))
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    return sheet


def _list_validation(sheet: Any, column: int, options: Iterable[str], *, strict: bool = True) -> None:
    letter = get_column_letter(column)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(options) + '"',
        allow_blank=True,
        showErrorMessage=strict,
        errorTitle="取值无效",
        error="请从下拉列表中选择。",
    )
    validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}2000")
    sheet.add_data_validation(validation)


def _workbook() -> tuple[Workbook, Any, Any]:
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    units = _sheet(book, UNIT_SHEET, UNIT_NOTE, UNIT_COLUMNS, _UNIT_WIDTHS)
    people = _sheet(book, PERSON_SHEET, PERSON_NOTE, PERSON_COLUMNS, _PERSON_WIDTHS)
    _list_validation(units, UNIT_COLUMNS.index("类别") + 1, UnitKind.labels)
    _list_validation(units, UNIT_COLUMNS.index("启用") + 1, ["是", "否"])
    for sheet, columns in ((units, UNIT_COLUMNS), (people, PERSON_COLUMNS)):
        for index in range(1, len(columns) + 1):  # codes, accounts and phones stay text
            sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    return book, units, people


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_workbook() -> bytes:
    """The empty import template (two sheets with notes, headers and drop-down lists)."""
    book, _, _ = _workbook()
    return _bytes(book)


def export_workbook(*, unit_rows: Iterable[UnitRow] = (), people: Iterable[Person] = ()) -> bytes:
    """Units and people in display order, in the template's layout (so an export can be re-imported).
    The caller passes what the list selectors return for the actor, so exports show what the lists show."""
    book, unit_sheet, person_sheet = _workbook()
    for row in unit_rows:
        unit = row.unit
        unit_sheet.append(
            [
                unit.code,
                unit.full_name,
                unit.short_name,
                unit.get_kind_display(),
                unit.parent.code if unit.parent_id and unit.parent else "",
                unit.display_order,
                "是" if unit.active else "否",
            ]
        )
    for person in people:
        roles = "、".join(dict.fromkeys(grant.get_role_display() for grant in person.grants.all()))
        person_sheet.append([person.username, person.name, person.title, person.unit.code, person.phone, roles, ""])
    return _bytes(book)
