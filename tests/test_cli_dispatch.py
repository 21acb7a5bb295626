from __future__ import annotations

from pathlib import Path

import pytest

from zhongshu.cli import is_proofread_call


@pytest.mark.parametrize(
    "args",
    [
        ["check", "-"],
        ["check", "--json", "draft.txt"],
        ["check", "missing.docx"],
        ["check", "--profile=office.toml", "a.md"],
    ],
)
def test_check_with_files_runs_the_text_checker(args):
    assert is_proofread_call(args)


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--deploy"],
        ["check", "--deploy", "--fail-level", "WARNING"],
        ["check", "--tag", "security"],
        ["check", "org", "audit"],
        ["migrate"],
        [],
    ],
)
def test_system_check_and_other_commands_stay_with_django(args):
    assert not is_proofread_call(args)


def test_an_existing_file_without_a_known_suffix_counts_as_a_file(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "草稿").write_text("内容", encoding="utf-8")

    assert is_proofread_call(["check", "草稿"])
