"""Backup and restore of the database and the attachments (zhongshu.core.backup and its two commands)."""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from zhongshu import cli
from zhongshu.core import backup
from zhongshu.org.choices import UnitKind
from zhongshu.org.models import Unit
from zhongshu.org.tests.factories import PersonFactory, UnitFactory

from .test_commands import clean_env

ON_SQLITE = connection.vendor == "sqlite"
ON_POSTGRES = connection.vendor == "postgresql"
sqlite_only = pytest.mark.skipif(not ON_SQLITE, reason="SQLite online backup (this run uses PostgreSQL)")

MEDIA = {
    "documents/2027/发文-001.docx": b"PK\x03\x04 fake docx " + bytes(range(256)) * 40,
    "documents/2027/附件 二.pdf": b"%PDF-1.7 fake pdf",
    "avatar.png": b"\x89PNG fake",
}


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    """Commands run from the command line close the connections at the end; the test's must stay open."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    for name, content in MEDIA.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    settings.MEDIA_ROOT = root
    return root


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        cli.main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files_under(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def units_in_django() -> list[tuple[str, str]]:
    return list(Unit.objects.order_by("pk").values_list("code", "full_name"))


def members_of(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def rewrite(archive: Path, target: Path, *, manifest=None, replace=None, drop=()) -> Path:
    """A copy of `archive` with members replaced or dropped and, optionally, the manifest edited."""
    members = members_of(archive)
    if manifest is not None:
        data = json.loads(members["manifest.json"])
        manifest(data)
        members["manifest.json"] = json.dumps(data).encode()
    members.update(replace or {})
    with tarfile.open(target, "w:gz") as tar:
        for name, content in members.items():
            if name in drop:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return target


# Backup ----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_writes_database_media_and_a_verified_manifest(tmp_path, media_root, capsys):
    UnitFactory(code="jiaowei", full_name="示范区教育委员会")
    archive = tmp_path / "nightly.tar.gz"

    with time_machine.travel("2027-01-10T10:00:00+08:00", tick=False):
        code, out, err = run_cli(capsys, "backup", str(archive))

    assert (code, err) == (0, "")
    assert out.startswith(f"已备份到 {archive}（")
    assert "附件 3 个" in out
    manifest = backup.read_manifest(archive)
    engine = connection.vendor
    assert manifest["format"] == "zhongshu-backup"
    assert manifest["format_version"] == 1
    assert manifest["engine"] == engine
    assert manifest["created_at"] == "2027-01-10T10:00:00+08:00"
    assert manifest["zhongshu_version"] == backup.zhongshu_version()
    assert "0001_initial" in manifest["migrations"]["org"]
    assert manifest["counts"]["media_files"] == 3
    assert manifest["counts"]["media_bytes"] == sum(len(content) for content in MEDIA.values())
    assert sorted(manifest["members"]) == sorted(
        [backup.DATABASE_MEMBERS[engine]] + [f"media/{name}" for name in MEDIA]
    )
    assert list(members_of(archive))[-1] == "manifest.json"
    assert list(tmp_path.glob(".*")) == []  # no partial file or scratch directory left behind


@pytest.mark.django_db
def test_backup_into_a_directory_names_the_archive_by_time(tmp_path, media_root):
    with time_machine.travel("2027-01-10T10:00:00+08:00", tick=False):
        result = backup.create_backup(tmp_path)

    assert result.path == tmp_path / "zhongshu-20270110-100000.tar.gz"
    assert result.path.is_file()


@pytest.mark.django_db
def test_backup_refuses_to_overwrite_an_existing_file(tmp_path, media_root, capsys):
    existing = tmp_path / "old.tar.gz"
    existing.write_bytes(b"keep me")

    code, _out, err = run_cli(capsys, "backup", str(existing))

    assert code == 1
    assert err == f"备份文件已存在：{existing}（不会覆盖已有文件，请换一个文件名）。\n"
    assert existing.read_bytes() == b"keep me"


@pytest.mark.django_db
def test_backup_refuses_a_destination_inside_the_attachments(media_root, capsys):
    code, _out, err = run_cli(capsys, "backup", str(media_root / "documents"))

    assert code == 1
    assert err.startswith(f"备份文件不能放在附件目录 {media_root.resolve()} 中")
    assert files_under(media_root) == MEDIA


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_while_another_thread_writes_is_a_consistent_snapshot(tmp_path, media_root):
    from django.db import connections

    UnitFactory.create_batch(5)
    stop = threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            while not stop.is_set():
                number = len(written)
                unit = Unit.objects.create(
                    code=f"w{number}",
                    full_name=f"写入单位{number}",
                    short_name=f"写{number}",
                    kind=UnitKind.TOWN,
                )
                written.append(unit.pk)
        except BaseException as exc:  # noqa: BLE001 — reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            stop.wait(0.01)
        result = backup.create_backup(tmp_path / "busy.tar.gz")
        rows_when_done = len(written)
    finally:
        stop.set()
        thread.join()

    assert failures == []
    snapshot = tmp_path / "snapshot.sqlite3"
    snapshot.write_bytes(members_of(result.path)["database/zhongshu.sqlite3"])
    with sqlite3.connect(snapshot) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        units = copy.execute("SELECT id FROM org_unit ORDER BY id").fetchall()
    assert 5 + 20 <= len(units) <= 5 + rows_when_done + 1
    ids = [row[0] for row in units]
    assert ids == sorted(Unit.objects.values_list("pk", flat=True))[: len(ids)]  # a prefix: no gaps


# Restore ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_freshly_migrated_database_counts_as_empty():
    assert backup.nonempty_tables() == []


@pytest.fixture
def district(db):
    office = UnitFactory(code="zfb", full_name="示范区人民政府办公室")
    UnitFactory(code="jiaowei", full_name="示范区教育委员会")
    PersonFactory(username="wenmi", name="李文", unit=office)
    return office


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_data_dir_brings_back_rows_and_attachments(tmp_path, media_root, district):
    archive = backup.create_backup(tmp_path / "b.tar.gz").path
    target = tmp_path / "restored"

    result = subprocess.run(  # noqa: S603 — the test's own interpreter
        [sys.executable, "-m", "zhongshu.cli", "restore", str(archive)],
        env=clean_env(target),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (result.returncode, result.stderr) == (0, "")
    assert "附件 3 个；结构已是最新。" in result.stdout
    with sqlite3.connect(target / "zhongshu.sqlite3") as restored:
        assert restored.execute("SELECT code, full_name FROM org_unit ORDER BY id").fetchall() == units_in_django()
        assert restored.execute("SELECT username, name FROM org_person").fetchall() == [("wenmi", "李文")]
    assert files_under(target / "media") == MEDIA


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_database_without_force(tmp_path, media_root, district, capsys):
    archive = backup.create_backup(tmp_path / "b.tar.gz").path
    UnitFactory(code="later", full_name="备份之后新建的单位")
    (media_root / "later.txt").write_bytes(b"later")

    code, out, err = run_cli(capsys, "restore", str(archive))

    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("目标数据库不是空的（")
    assert "org_unit" in err
    assert err.endswith("确认覆盖请加 --force 重新运行。\n")
    assert Unit.objects.filter(code="later").exists()
    assert (media_root / "later.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_with_force_overwrites_the_database_and_the_attachments(tmp_path, media_root, district, capsys):
    archive = backup.create_backup(tmp_path / "b.tar.gz").path
    expected_units = units_in_django()
    Unit.objects.filter(code="jiaowei").update(full_name="改过的名称")
    UnitFactory(code="later")
    (media_root / "later.txt").write_bytes(b"later")
    (media_root / "avatar.png").write_bytes(b"changed")

    code, out, err = run_cli(capsys, "restore", str(archive), "--force")

    assert (code, err) == (0, "")
    assert out.startswith("已恢复 ")
    assert units_in_django() == expected_units
    assert files_under(media_root) == MEDIA


@pytest.mark.parametrize("option", ["--force", "--check"])
@pytest.mark.parametrize(
    "damage",
    ["truncated", "not_an_archive", "tampered_member", "missing_manifest", "missing_member", "extra_member"],
)
@pytest.mark.django_db
def test_restore_refuses_a_corrupted_archive_with_exit_2_and_changes_nothing(
    tmp_path, media_root, capsys, damage, option
):
    good = backup.create_backup(tmp_path / "good.tar.gz").path
    bad = tmp_path / "bad.tar.gz"
    if damage == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "not_an_archive":
        bad.write_bytes(b"this is not a backup")
    elif damage == "tampered_member":
        rewrite(good, bad, replace={"media/avatar.png": b"\x89PNG evil"})
    elif damage == "missing_manifest":
        rewrite(good, bad, drop={"manifest.json"})
    elif damage == "missing_member":
        rewrite(good, bad, drop={"media/avatar.png"})
    else:
        rewrite(good, bad, replace={"media/smuggled.txt": b"x"})
    before = files_under(media_root)

    code, out, err = run_cli(capsys, "restore", str(bad), option)

    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("备份文件已损坏或不完整，未作任何改动：")
    assert files_under(media_root) == before


@pytest.mark.django_db
def test_restore_check_verifies_a_good_archive_and_changes_nothing(tmp_path, media_root, capsys):
    with time_machine.travel("2027-01-10T10:00:00+08:00", tick=False):
        archive = backup.create_backup(tmp_path / "good.tar.gz").path
    (media_root / "avatar.png").unlink()

    code, out, err = run_cli(capsys, "restore", str(archive), "--check")

    engine = backup.ENGINE_NAMES[connection.vendor]
    assert (code, err) == (0, "")
    assert out == (
        f"备份文件完好：2027-01-10T10:00:00+08:00 由中枢 {backup.zhongshu_version()} 生成，"
        f"{engine} 数据库 1 个、附件 3 个，共 4 个文件校验通过。\n"
    )
    assert not (media_root / "avatar.png").exists()


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_engine(tmp_path, media_root, capsys):
    other = "postgresql" if ON_SQLITE else "sqlite"
    good = backup.create_backup(tmp_path / "good.tar.gz").path
    foreign = rewrite(good, tmp_path / "foreign.tar.gz", manifest=lambda m: m.update(engine=other))

    code, _out, err = run_cli(capsys, "restore", str(foreign), "--force")

    ours, theirs = backup.ENGINE_NAMES[connection.vendor], backup.ENGINE_NAMES[other]
    assert code == 1
    assert err == (
        f"该备份来自 {theirs} 数据库，当前安装使用 {ours}：不能跨数据库类型恢复。请在使用 {theirs} 的安装上恢复。\n"
    )


@pytest.mark.django_db
def test_restore_refuses_a_backup_from_a_newer_version(tmp_path, media_root, capsys):
    good = backup.create_backup(tmp_path / "good.tar.gz").path

    def newer(manifest):
        manifest["migrations"]["org"].append("9999_from_the_future")
        manifest["zhongshu_version"] = "9.0.0"

    future = rewrite(good, tmp_path / "future.tar.gz", manifest=newer)

    code, _out, err = run_cli(capsys, "restore", str(future), "--force")

    assert code == 1
    assert err.startswith("该备份来自较新版本的中枢（版本 9.0.0，含本版本没有的迁移 org.9999_from_the_future）")


@pytest.mark.django_db
def test_restore_of_a_missing_file_exits_2(tmp_path, capsys):
    code, _out, err = run_cli(capsys, "restore", str(tmp_path / "nowhere.tar.gz"))

    assert (code, err) == (2, f"备份文件不存在：{tmp_path / 'nowhere.tar.gz'}。\n")


def test_corrupted_gzip_stream_is_reported_as_corrupted(tmp_path):
    archive = tmp_path / "flipped.tar.gz"
    payload = bytearray(gzip.compress(b"\0" * 4096))
    payload[-6] ^= 0xFF  # the CRC
    archive.write_bytes(bytes(payload))

    with pytest.raises(backup.BackupError) as refused:
        backup.read_manifest(archive)

    assert refused.value.exit_code == 2


# PostgreSQL ------------------------------------------------------------------------------------------


@pytest.fixture
def scratch_database():
    """An empty PostgreSQL database next to the test database, dropped afterwards: the restore target."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    config = connection.settings_dict
    name = f"zhongshu_restore_{uuid.uuid4().hex[:12]}"
    params = {key: str(config[setting]) for key, setting in PG_PARAMS.items() if config.get(setting)}

    def connect(database: str, **options):
        return psycopg.connect(make_conninfo(dbname=database, **params), **options)

    with connect("postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = params.get("user", "") + (f":{params['password']}" if "password" in params else "")
    url = f"postgres://{auth}@{params.get('host', '')}:{params.get('port', '5432')}/{name}"
    try:
        yield url, lambda: connect(name)
    finally:
        with connect("postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


PG_PARAMS = {"host": "HOST", "port": "PORT", "user": "USER", "password": "PASSWORD"}


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip_into_a_scratch_database(tmp_path, media_root, district, scratch_database):
    url, connect = scratch_database
    archive = backup.create_backup(tmp_path / "pg.tar.gz").path
    target = tmp_path / "restored"

    result = subprocess.run(  # noqa: S603 — the test's own interpreter
        [sys.executable, "-m", "zhongshu.cli", "restore", str(archive)],
        env=clean_env(target, DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (result.returncode, result.stderr) == (0, "")
    with connect() as scratch:
        assert scratch.execute("SELECT code, full_name FROM org_unit ORDER BY id").fetchall() == units_in_django()
        assert scratch.execute("SELECT username FROM org_person").fetchall() == [("wenmi",)]
        assert scratch.execute("SELECT count(*) FROM django_migrations").fetchone()[0] == sum(
            len(names) for names in backup.read_manifest(archive)["migrations"].values()
        )
    assert files_under(target / "media") == MEDIA
