"""The four dictionaries the administrators maintain, described once: their CSV columns (the same as the
shipped files in zhongshu/proofread/data/), which columns identify an entry, how a row is checked, and the
shipped rows they start from. Pure Python: services, the import, the export and the profile all use it."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from zhongshu.proofread.finding import Severity
from zhongshu.proofread.rules.wording import DATA, context_pair_from_row
from zhongshu.proofread.standard import EXAMPLE, entry_from_row

SEVERITIES = {"error": "错误", "warning": "警告", "info": "提示"}
YES_NO = {"yes", "no", "true", "false", "1", "0", "是", "否", ""}


@dataclass(frozen=True)
class Spec:
    code: str
    label: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    key_columns: tuple[str, ...]
    labels: dict[str, str]
    shipped: Path | None
    limits: dict[str, int]
    help: str

    def key_of(self, row: dict[str, str]) -> str:
        joined = "\x1f".join(row.get(column, "") for column in self.key_columns)
        return hashlib.sha1(joined.encode("utf-8")).hexdigest()  # noqa: S324 — an identifier, not a secret

    def label_of(self, row: dict[str, str]) -> str:
        first = self.key_columns[0]
        text = row.get(first, "")
        if self.code == "w1" or self.code == "w2":
            text = f"{row.get(first, '')} → {row.get('correct') or row.get('alternative', '')}"
        return text[:200]


W1 = Spec(
    code="w1",
    label="错别字（非词）",
    columns=("wrong", "correct", "note", "exceptions"),
    required=("wrong", "correct"),
    key_columns=("wrong",),
    labels={"wrong": "错误写法", "correct": "正确写法", "note": "说明", "exceptions": "例外词语"},
    shipped=DATA / "w1_nonwords.csv",
    limits={"wrong": 20, "correct": 20, "note": 100, "exceptions": 500},
    help="错误写法从来不是词语（如“布署”），检查时一律提示并建议正确写法；例外词语用“|”分隔（如“公布署”）。",
)
W2 = Spec(
    code="w2",
    label="易混词语",
    columns=("word", "alternative", "before", "after", "message", "severity"),
    required=("word", "alternative", "message"),
    key_columns=("word", "alternative", "before", "after"),
    labels={
        "word": "词语",
        "alternative": "宜用词语",
        "before": "前文（正则）",
        "after": "后文（正则）",
        "message": "说明",
        "severity": "严重程度",
    },
    shipped=DATA / "w2_context.csv",
    limits={"word": 20, "alternative": 20, "before": 300, "after": 300, "message": 300, "severity": 10},
    help="词语本身是词，但在前文、后文（正则表达式）所写的搭配中宜用另一个词（如“截止”后接时间点宜作“截至”）。",
)
W4 = Spec(
    code="w4",
    label="规范表述",
    columns=(
        "id",
        "standard",
        "variants",
        "category",
        "effective_from",
        "effective_until",
        "source",
        "severity",
        "near_miss",
        "note",
    ),
    required=("standard",),
    key_columns=("standard",),
    labels={
        "id": "编号",
        "standard": "规范表述",
        "variants": "不规范写法",
        "category": "类别",
        "effective_from": "生效日期",
        "effective_until": "停用日期",
        "source": "依据",
        "severity": "严重程度",
        "near_miss": "近似查找",
        "note": "备注",
    },
    shipped=EXAMPLE,
    limits={
        "id": 40,
        "standard": 100,
        "variants": 1000,
        "category": 40,
        "effective_from": 10,
        "effective_until": 10,
        "source": 200,
        "severity": 10,
        "near_miss": 5,
        "note": 200,
    },
    help="规范表述及其不规范写法（用“|”分隔）；按生效、停用日期判断是否适用；命中时只提示，不自动替换。",
)
WHITELIST = Spec(
    code="whitelist",
    label="本地名称白名单",
    columns=("name", "note"),
    required=("name",),
    key_columns=("name",),
    labels={"name": "名称", "note": "说明"},
    shipped=None,
    limits={"name": 40, "note": 100},
    help="本地的人名、地名、单位名称和专有词语，不会被当作同音误字提示（单位和人员名称已自动从组织机构读取）。",
)

SPECS: dict[str, Spec] = {spec.code: spec for spec in (W1, W2, W4, WHITELIST)}


def spec(code: str) -> Spec:
    try:
        return SPECS[code]
    except KeyError:
        raise KeyError(f"unknown dictionary {code!r}") from None


def clean_row(spec: Spec, values: Mapping[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    """The row with every column stripped, and the problems per column (Chinese; empty when fine)."""
    row = {column: str(values.get(column) or "").strip() for column in spec.columns}
    errors: dict[str, str] = {}
    for column in spec.columns:
        label = spec.labels[column]
        if column in spec.required and not row[column]:
            errors[column] = f"{label}不能为空。"
        elif len(row[column]) > spec.limits[column]:
            errors[column] = f"{label}最多 {spec.limits[column]} 个字符（现有 {len(row[column])} 个）。"
    if errors:
        return row, errors
    checker = _CHECKS.get(spec.code)
    if checker is not None:
        checker(row, errors)
    return row, errors


def _severity(row: dict[str, str], errors: dict[str, str]) -> None:
    value = row.get("severity", "")
    if value and value not in SEVERITIES:
        errors["severity"] = "严重程度应为 error（错误）、warning（警告）或 info（提示）。"
    elif value in SEVERITIES.values():
        row["severity"] = next(k for k, v in SEVERITIES.items() if v == value)


def _check_w1(row: dict[str, str], errors: dict[str, str]) -> None:
    if row["wrong"] == row["correct"]:
        errors["correct"] = "正确写法不能与错误写法相同。"
    exceptions = [word.strip() for word in row["exceptions"].split("|") if word.strip()]
    for word in exceptions:
        if row["wrong"] not in word:
            errors["exceptions"] = f"例外词语“{word}”应包含错误写法“{row['wrong']}”。"
            break
    row["exceptions"] = "|".join(exceptions)


def _check_w2(row: dict[str, str], errors: dict[str, str]) -> None:
    if row["word"] == row["alternative"]:
        errors["alternative"] = "宜用词语不能与原词语相同。"
    for column in ("before", "after"):
        try:
            re.compile(row[column])
        except re.error as exc:
            errors[column] = f"正则表达式有误：{exc}。"
    _severity(row, errors)
    if not errors:
        try:
            context_pair_from_row(row)
        except (re.error, ValueError) as exc:
            errors["before"] = f"无法组成搭配规则：{exc}。"


def _check_w4(row: dict[str, str], errors: dict[str, str]) -> None:
    dates: dict[str, dt.date] = {}
    for column in ("effective_from", "effective_until"):
        if row[column]:
            try:
                dates[column] = dt.date.fromisoformat(row[column])
            except ValueError:
                errors[column] = f"{W4.labels[column]}应为日期，格式为 YYYY-MM-DD。"
    if len(dates) == 2 and dates["effective_until"] < dates["effective_from"]:
        errors["effective_until"] = "停用日期不能早于生效日期。"
    if row["near_miss"].lower() not in YES_NO:
        errors["near_miss"] = "近似查找应填 yes 或 no（“是”或“否”）。"
    elif row["near_miss"] in ("是", "否"):
        row["near_miss"] = "yes" if row["near_miss"] == "是" else "no"
    variants = [variant.strip() for variant in row["variants"].split("|") if variant.strip()]
    if row["standard"] in variants:
        errors["variants"] = "不规范写法中不能含规范表述本身。"
    row["variants"] = "|".join(variants)
    _severity(row, errors)
    if not errors:
        try:
            entry_from_row(row)
        except (ValueError, KeyError) as exc:
            errors["standard"] = f"词条无法使用：{exc}。"


def _check_whitelist(row: dict[str, str], errors: dict[str, str]) -> None:
    if re.search(r"\s", row["name"]):
        errors["name"] = "名称中不能有空格。"


_CHECKS = {"w1": _check_w1, "w2": _check_w2, "w4": _check_w4, "whitelist": _check_whitelist}


@cache
def shipped_rows(code: str) -> tuple[dict[str, str], ...]:
    """The rows of the shipped file of a dictionary (in its columns), read once per process."""
    path = spec(code).shipped
    if path is None:
        return ()
    columns = spec(code).columns
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            {column: (row.get(column) or "").strip() for column in columns}
            for row in csv.DictReader(handle)
            if (row.get(spec(code).required[0]) or "").strip()
        )


@cache
def shipped_by_key(code: str) -> dict[str, dict[str, str]]:
    the_spec = spec(code)
    return {the_spec.key_of(row): row for row in shipped_rows(code)}


def severity_label(value: str) -> str:
    return SEVERITIES.get(value, value or "")


__all__ = ["SPECS", "Severity", "Spec", "clean_row", "shipped_by_key", "shipped_rows", "spec"]
