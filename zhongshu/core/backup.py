"""Backups of an installation: the database and the attachments, in one archive, taken while it runs.

An archive is a tar.gz holding the database (`database/zhongshu.sqlite3`, a copy made with SQLite's online
backup API, or `database/zhongshu.pgdump`, a `pg_dump --format=custom` dump), the attachments under
`media/`, and last `manifest.json`: format version, engine, creation time, Zhongshu version, migration
state, file counts and the size and SHA-256 of every member. Restoring verifies the manifest and every
checksum before it touches anything, refuses another engine and a non-empty database (unless forced), and
migrates afterwards so that an older backup comes up in a newer version.

`zhongshu backup` and `zhongshu restore` are thin shells over `create_backup` and `restore_backup`.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from zhongshu.core import clock
from zhongshu.core.management.base import pending_migrations

FORMAT = "zhongshu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database/zhongshu.sqlite3", "postgresql": "database/zhongshu.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows that `zhongshu init` writes by itself into any new database; they do not make it "non-empty".
# (A data migration that seeds rows adds its table here; a test checks that a new database counts as empty.)
BOOKKEEPING_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "audit_chainhead",  # the head of the empty event chain
    }
)
CHUNK = 1024 * 1024

CORRUPTED = 2
"""Exit code of a refused archive (unreadable, tampered with, incomplete)."""


class BackupError(Exception):
    """A backup or restore that cannot be done; `message` is shown to the operator (Chinese)."""

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    migrations_applied: int


def zhongshu_version() -> str:
    """The installed Zhongshu version (pyproject's), or "unknown" when running from a bare checkout."""
    try:
        return importlib.metadata.version("zhongshu")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def engine_of(connection: BaseDatabaseWrapper) -> str:
    """The engine's short name, sqlite or postgresql; Zhongshu backs up no other database."""
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"不支持备份此类数据库：{connection.vendor}（仅支持 SQLite 和 PostgreSQL）。")
    return str(connection.vendor)


def nonempty_tables(using: str = "default") -> list[str]:
    """The tables that hold rows, apart from the bookkeeping that every migrated database has."""
    connection = connections[using]
    with connection.cursor() as cursor:
        names = sorted(set(connection.introspection.table_names(cursor)) - BOOKKEEPING_TABLES)
        found = []
        for name in names:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")  # noqa: S608 — quoted name
            if cursor.fetchone() is not None:
                found.append(name)
    return found


# Backup ------------------------------------------------------------------------------------------------


def create_backup(destination: Path, *, using: str = "default") -> BackupResult:
    """Write a consistent archive of the database and the attachments to `destination` (a file path, or
    an existing directory to create a dated file in). The archive appears only once complete."""
    connection = connections[using]
    engine = engine_of(connection)
    created_at = clock.localnow()
    path = destination
    if destination.is_dir():
        path = destination / f"zhongshu-{created_at:%Y%m%d-%H%M%S}.tar.gz"
    if path.exists():
        raise BackupError(f"备份文件已存在：{path}（不会覆盖已有文件，请换一个文件名）。")
    if not path.parent.is_dir():
        raise BackupError(f"备份目录不存在：{path.parent}。")
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if path.parent.resolve().is_relative_to(media_root):
        raise BackupError(f"备份文件不能放在附件目录 {media_root} 中：请换一个目录，最好在另一块磁盘上。")
    migrations = _applied_migrations(connection)
    if not migrations:
        raise BackupError("数据库尚未初始化，没有可备份的数据：请先运行 zhongshu init。")

    database_member = DATABASE_MEMBERS[engine]
    partial = path.with_name(f".{path.name}.partial")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".zhongshu-backup-") as tmp:
        snapshot = Path(tmp) / "database"
        # The database first: every attachment it refers to was written before its row was committed.
        if engine == "sqlite":
            _sqlite_snapshot(str(connection.settings_dict["NAME"]), snapshot)
        else:
            _pg_dump(connection.settings_dict, snapshot)
        members: dict[str, dict[str, Any]] = {}
        media_files = media_bytes = 0
        try:
            with tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT) as tar:
                members[database_member] = _add_file(tar, snapshot, database_member)
                for file, name in _media_files(media_root):
                    members[name] = _add_file(tar, file, name)
                    media_files += 1
                    media_bytes += members[name]["size"]
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "engine": engine,
                    "created_at": created_at.isoformat(),
                    "zhongshu_version": zhongshu_version(),
                    "django_version": django.get_version(),
                    "database": database_member,
                    "migrations": migrations,
                    "counts": {
                        "database_files": 1,
                        "media_files": media_files,
                        "media_bytes": media_bytes,
                        "migrations": sum(len(names) for names in migrations.values()),
                    },
                    "members": members,
                }
                text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
                _add_bytes(tar, MANIFEST, text)
            partial.replace(path)
        except OSError as exc:
            raise BackupError(f"写入备份文件失败：{exc}") from exc
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(path=path, manifest=manifest)


def _applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    state: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


def _sqlite_snapshot(db_path: str, target: Path) -> None:
    """Copy a live SQLite database with the online backup API: a consistent state even while others write
    (WAL readers never block writers), as one self-contained file."""
    if not Path(db_path).is_file():
        raise BackupError(f"数据库文件不存在：{db_path}。")
    source = sqlite3.connect(db_path, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise BackupError(f"复制 SQLite 数据库失败：{exc}") from exc
    finally:
        copy.close()
        source.close()


def _add_file(tar: tarfile.TarFile, file: Path, name: str) -> dict[str, Any]:
    with file.open("rb") as raw:
        size = os.fstat(raw.fileno()).st_size
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o644
        info.mtime = int(os.fstat(raw.fileno()).st_mtime)
        reader = _HashingReader(raw)
        try:
            tar.addfile(info, reader)
        except OSError as exc:
            if "unexpected end of data" not in str(exc):
                raise
            raise BackupError(f"文件在备份过程中被截短：{file}。请重新备份。") from exc
    return {"size": size, "sha256": reader.sha256.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = int(clock.now().timestamp())
    tar.addfile(info, _BytesReader(data))


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under MEDIA_ROOT with its archive name, in a stable order."""
    if not root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            file = Path(directory) / filename
            if file.is_file() and not file.is_symlink():
                yield file, MEDIA_PREFIX + file.relative_to(root).as_posix()


class _HashingReader:
    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


# Restore -----------------------------------------------------------------------------------------------


def restore_backup(archive: Path, *, force: bool = False, using: str = "default") -> RestoreResult:
    """Replace the database and the attachments with the archive's, then migrate. Refuses a corrupted
    archive (exit code 2), another engine, a newer version's backup and, without `force`, a non-empty
    database. Nothing is changed before every check has passed."""
    connection = connections[using]
    engine = engine_of(connection)
    if not archive.is_file():
        raise BackupError(f"备份文件不存在：{archive}。", exit_code=CORRUPTED)
    if not force:
        _refuse_nonempty(using)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".zhongshu-restore-"))
    try:
        manifest = _extract_verified(archive, staging)
        if manifest["engine"] != engine:
            theirs = ENGINE_NAMES.get(manifest["engine"], str(manifest["engine"]))
            raise BackupError(
                f"该备份来自 {theirs} 数据库，当前安装使用 {ENGINE_NAMES[engine]}：不能跨数据库类型恢复。"
                f"请在使用 {theirs} 的安装上恢复。"
            )
        _refuse_unknown_migrations(manifest)
        snapshot = staging / manifest["database"]
        if engine == "sqlite":
            connection.close()
            _sqlite_restore(snapshot, str(connection.settings_dict["NAME"]))
        else:
            _pg_restore(snapshot, connection)
        _replace_media(staging / "media", media_root, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    connection.close()
    pending = pending_migrations(using)
    call_command("migrate", database=using, interactive=False, verbosity=0)
    return RestoreResult(manifest=manifest, migrations_applied=len(pending))


def read_manifest(archive: Path) -> dict[str, Any]:
    """The manifest of an archive, every member verified against it (raises BackupError, exit code 2)."""
    if not archive.is_file():
        raise BackupError(f"备份文件不存在：{archive}。", exit_code=CORRUPTED)
    with tempfile.TemporaryDirectory(prefix="zhongshu-verify-") as tmp:
        return _extract_verified(archive, Path(tmp))


def _refuse_nonempty(using: str) -> None:
    occupied = nonempty_tables(using)
    if occupied:
        shown = "、".join(occupied[:5]) + (f" 等 {len(occupied)} 张表" if len(occupied) > 5 else "")
        raise BackupError(
            f"目标数据库不是空的（{shown} 中已有数据），恢复会覆盖这些数据。确认覆盖请加 --force 重新运行。"
        )


def _corrupted(detail: str) -> BackupError:
    return BackupError(f"备份文件已损坏或不完整，未作任何改动：{detail}。", exit_code=CORRUPTED)


def _extract_verified(archive: Path, staging: Path) -> dict[str, Any]:
    """Unpack every member into `staging` while hashing it; return the manifest once all match."""
    found: dict[str, dict[str, Any]] = {}
    manifest_data: bytes | None = None
    try:
        with tarfile.open(archive, "r|gz") as tar:
            for member in tar:
                if member.name == MANIFEST and member.isfile():
                    handle = tar.extractfile(member)
                    manifest_data = handle.read() if handle else b""
                    continue
                relative = _safe_member_name(member)
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                handle = tar.extractfile(member)
                if handle is None:
                    raise _corrupted(f"无法读取 {member.name}")
                found[member.name] = _copy_hashed(handle, target)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise _corrupted(f"无法解压（{exc}）") from exc
    except OSError as exc:
        raise BackupError(f"解压备份文件失败：{exc}") from exc
    if manifest_data is None:
        raise _corrupted("缺少清单 manifest.json")
    try:
        manifest = json.loads(manifest_data)
    except ValueError as exc:
        raise _corrupted("清单 manifest.json 不是有效的 JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _corrupted("这不是中枢的备份文件")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本 {version} 比本程序支持的版本 {FORMAT_VERSION} 新：请先升级中枢再恢复。",
            exit_code=CORRUPTED,
        )
    expected = manifest.get("members")
    if not isinstance(expected, dict) or manifest.get("database") not in expected:
        raise _corrupted("清单中没有数据库文件")
    for name in sorted(set(expected) - set(found)):
        raise _corrupted(f"缺少文件 {name}")
    for name in sorted(set(found) - set(expected)):
        raise _corrupted(f"含有清单之外的文件 {name}")
    for name, facts in sorted(found.items()):
        if expected[name] != facts:
            raise _corrupted(f"文件 {name} 的校验和与清单不符")
    return manifest


def _safe_member_name(member: tarfile.TarInfo) -> PurePosixPath:
    path = PurePosixPath(member.name)
    if (
        not member.isfile()
        or path.is_absolute()
        or ".." in path.parts
        or not (member.name.startswith(MEDIA_PREFIX) or member.name in DATABASE_MEMBERS.values())
    ):
        raise _corrupted(f"含有不允许的条目 {member.name}")
    return path


def _copy_hashed(source: IO[bytes], target: Path) -> dict[str, Any]:
    sha256 = hashlib.sha256()
    size = 0
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            sha256.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"size": size, "sha256": sha256.hexdigest()}


def _refuse_unknown_migrations(manifest: dict[str, Any]) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    for app, names in sorted(manifest.get("migrations", {}).items()):
        for name in names:
            if (app, name) not in known:
                raise BackupError(
                    f"该备份来自较新版本的中枢（版本 {manifest.get('zhongshu_version')}，含本版本没有的迁移 "
                    f"{app}.{name}）：请先把中枢升级到该版本或更新版本，再恢复。"
                )


def _sqlite_restore(snapshot: Path, db_path: str) -> None:
    """Write the snapshot into the live database file with the backup API, in one write transaction: the
    WAL and shared-memory files stay coherent (replacing the file would corrupt them)."""
    source = sqlite3.connect(snapshot)
    try:
        status = source.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        source.close()
        raise _corrupted(f"数据库文件无法打开（{exc}）") from exc
    if status != "ok":
        source.close()
        raise _corrupted(f"数据库文件完整性检查未通过（{status}）")
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(db_path, timeout=60)
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        raise BackupError(f"写入 SQLite 数据库失败：{exc}（请先停止所有中枢服务和后台任务进程）。") from exc
    finally:
        target.close()
        source.close()


def _replace_media(restored: Path, media_root: Path, staging: Path) -> None:
    """Put the restored attachments in place of the current ones (a rename on the same file system)."""
    restored.mkdir(parents=True, exist_ok=True)
    if not media_root.exists():
        restored.rename(media_root)
        return
    try:
        media_root.rename(staging / "media.replaced")
        restored.rename(media_root)
    except OSError:
        # MEDIA_ROOT is a mount point: empty it and move the files in.
        for child in list(media_root.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for child in list(restored.iterdir()):
            shutil.move(str(child), str(media_root / child.name))


# PostgreSQL --------------------------------------------------------------------------------------------

_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


def pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment for pg_dump, pg_restore and psql: the connection of `settings_dict`, the password
    in PGPASSWORD (never on the command line)."""
    env = dict(os.environ)
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
    }
    for option, variable in _PG_OPTIONS.items():
        values[variable] = (settings_dict.get("OPTIONS") or {}).get(option)
    for variable, value in values.items():
        if value not in (None, ""):
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    return env


def _pg_binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 {name}：请安装与数据库服务器版本一致的 PostgreSQL 客户端（postgresql-client）。")
    return path


def _pg_dump(settings_dict: dict[str, Any], target: Path) -> None:
    command = [_pg_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
    result = subprocess.run(  # noqa: S603 — fixed arguments, no shell
        command, env=pg_environment(settings_dict), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump 失败：{_last_line(result.stderr)}")


def _pg_restore(dump: Path, connection: BaseDatabaseWrapper) -> None:
    """Drop every table of the schema and load the dump, all in one transaction: a failed restore leaves
    the database as it was. (pg_restore --clean alone would keep tables the dump does not know, which
    breaks the migration of an older backup into a newer version.)"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
    connection.close()
    env = pg_environment(connection.settings_dict)
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c client_min_messages=warning").strip()
    drops = "".join(f"DROP TABLE IF EXISTS {connection.ops.quote_name(name)} CASCADE;\n" for name in tables)
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        restore = subprocess.Popen(  # noqa: S603 — fixed arguments, no shell
            [
                _pg_binary("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--file=-",
                str(dump),
            ],
            stdout=subprocess.PIPE,
            stderr=restore_err,
            env=env,
        )
        psql = subprocess.Popen(  # noqa: S603 — fixed arguments, no shell
            [
                _pg_binary("psql"),
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                "--file=-",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
            env=env,
        )
        script, sink = restore.stdout, psql.stdin
        if script is None or sink is None:
            raise BackupError("无法启动 pg_restore 与 psql 之间的管道。")
        feeder = threading.Thread(target=_feed, args=(drops.encode(), script, sink), daemon=True)
        feeder.start()
        restore_code = restore.wait()
        feeder.join()
        if psql.poll() is None and restore_code != 0:
            # psql must not see the end of its input, or it would commit half a restore.
            psql.kill()
            psql.wait()
            restore_err.seek(0)
            raise BackupError(f"pg_restore 失败，数据库未改动：{_last_line(restore_err.read().decode())}")
        with contextlib.suppress(BrokenPipeError):
            sink.close()
        if psql.wait() != 0:
            psql_err.seek(0)
            detail = _last_line(psql_err.read().decode())
            raise BackupError(f"恢复 PostgreSQL 数据库失败，数据库未改动：{detail}")


def _feed(head: bytes, source: IO[bytes], sink: IO[bytes]) -> None:
    """Copy the drops and then pg_restore's script into psql; leave closing psql's input to the caller."""
    # A broken pipe means psql stopped on an error; closing our end then stops pg_restore too.
    with contextlib.suppress(BrokenPipeError):
        sink.write(head)
        shutil.copyfileobj(source, sink, CHUNK)
        sink.flush()
    source.close()


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "未知错误"
