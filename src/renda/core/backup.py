"""Backups of the database and of the uploaded files, and their restore into an empty database.

A backup is one database file — SQLite: a copy made by SQLite's online backup API, consistent while
renda runs in WAL mode; PostgreSQL: ``pg_dump -Fc`` — with a manifest beside it (``<name>.json``:
row counts per table and a checksum of the cases) and, on request, a tar.gz of MEDIA_ROOT. The
manifest describes exactly what the file holds: SQLite's is counted in the copy, PostgreSQL's in the
snapshot pg_dump is told to use. Restore refuses a database that already has tables unless forced,
then counts again and compares with the manifest.

The field key (RENDA_FIELD_KEY) is never part of a backup: a stolen backup must not carry the key to
its own personal information (README, security).

Everything here works on a DATABASES entry through DB-API connections of its own rather than on
Django's connection, so that a restore can target a database Django is not connected to (the tests
restore into a second one) and a PostgreSQL backup can hold one snapshot open while pg_dump reads it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
ENGINES = {"django.db.backends.sqlite3": SQLITE, "django.db.backends.postgresql": POSTGRESQL}
SUFFIXES = {SQLITE: ".sqlite3", POSTGRESQL: ".dump"}
MEDIA_SUFFIX = "-media.tar.gz"
MANIFEST_VERSION = 1
# The cases' checksum covers what changes when a case moves: its identity, state and version.
CASE_FIELDS = ("id", "uuid", "reference", "state", "version", "updated_at")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator, in Chinese."""


@dataclass(frozen=True)
class BackupFiles:
    database: Path
    manifest: Path
    media: Path | None
    inventory: dict[str, Any]

    @property
    def size(self) -> int:
        return self.database.stat().st_size


@dataclass(frozen=True)
class Check:
    label: str
    expected: Any
    actual: Any

    @property
    def ok(self) -> bool:
        return bool(self.expected == self.actual)


def engine_of(database: Mapping[str, Any]) -> str:
    try:
        return ENGINES[database["ENGINE"]]
    except KeyError as exc:
        raise BackupError(f"不支持的数据库引擎：{database.get('ENGINE')}（只支持 SQLite 和 PostgreSQL）") from exc


def manifest_path(dump: Path) -> Path:
    return dump.with_suffix(".json")


def media_path(dump: Path) -> Path:
    return dump.with_name(dump.stem + MEDIA_SUFFIX)


# ---------------------------------------------------------------- inventory (the manifest's figures)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _reading(table: str, columns: str) -> str:
    """A SELECT of ``columns`` from ``table``: names read from the database's own catalogue and the
    models, quoted as identifiers — never input (S22: no SQL is formatted from what a user sends)."""
    return "SELECT " + columns + " FROM " + _quote(table)


def _canonical(value: Any) -> str:
    # The same case must hash alike whatever type the driver hands back for it.
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, uuid.UUID):
        return value.hex
    return "" if value is None else str(value)


def _table_names(cursor: Any, engine: str) -> list[str]:
    if engine == SQLITE:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def inventory(connection: Any, engine: str) -> dict[str, Any]:
    """Row counts per table and a sha256 over the cases' CASE_FIELDS, ordered by id."""
    cursor = connection.cursor()
    tables = dict.fromkeys(_table_names(cursor, engine), 0)
    for name in tables:
        cursor.execute(_reading(name, "COUNT(*)"))
        tables[name] = cursor.fetchone()[0]
    case_model = apps.get_model("casework", "Case")  # by name: core imports no domain app
    digest = hashlib.sha256()
    if case_model._meta.db_table in tables:
        columns = ", ".join(_quote(case_model._meta.get_field(name).column) for name in CASE_FIELDS)
        cursor.execute(_reading(case_model._meta.db_table, columns) + " ORDER BY id")
        for row in cursor.fetchall():
            digest.update(json.dumps([_canonical(value) for value in row]).encode() + b"\n")
    return {
        "tables": tables,
        "cases": {
            "rows": tables.get(case_model._meta.db_table, 0),
            "fields": list(CASE_FIELDS),
            "sha256": digest.hexdigest(),
        },
    }


def compare(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[Check]:
    """One check per table of either side, then the cases' checksum."""
    checks = [
        Check(name, expected["tables"].get(name), actual["tables"].get(name))
        for name in sorted(set(expected["tables"]) | set(actual["tables"]))
    ]
    checks.append(Check("cases sha256", expected["cases"]["sha256"], actual["cases"]["sha256"]))
    return checks


# ---------------------------------------------------------------- connections


def _libpq_environment(database: Mapping[str, Any]) -> dict[str, str]:
    """The connection settings for pg_dump/pg_restore: in the environment, so that the password never
    shows on a command line (ps) or in a log."""
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        env.pop(variable, None)
        if database.get(key):
            env[variable] = str(database[key])
    env["PGDATABASE"] = str(database["NAME"])
    if (database.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(database["OPTIONS"]["sslmode"])
    return env


def _postgresql_connection(database: Mapping[str, Any]) -> Any:
    import psycopg

    params = {
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "dbname": database["NAME"],
        "sslmode": (database.get("OPTIONS") or {}).get("sslmode"),
    }
    return psycopg.connect(**{key: value for key, value in params.items() if value is not None})


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"找不到 {name}：请安装与服务器同一主版本或更新的 PostgreSQL 客户端（Debian：postgresql-client）"
        )
    return path


def _run(command: list[str], database: Mapping[str, Any]) -> None:
    result = subprocess.run(command, env=_libpq_environment(database), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} 失败（退出码 {result.returncode}）：{result.stderr.strip()}")


def _client_major(binary: str) -> int:
    output = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match is None:
        raise BackupError(f"读不出 {binary} 的版本：{output.strip()}")
    return int(match.group(1))


def _check_client_version(binary: str, connection: Any) -> None:
    # pg_dump refuses a newer server, and pg_restore an archive from a newer pg_dump, half-way through;
    # say so before starting.
    server_major = connection.info.server_version // 10000
    client_major = _client_major(binary)
    if client_major < server_major:
        raise BackupError(
            f"{Path(binary).name} 是 {client_major} 版，数据库服务器是 {server_major} 版："
            f"客户端的主版本不能低于服务器，请安装 postgresql-client-{server_major} 或更新版本"
        )


# ---------------------------------------------------------------- backup


def _target_names(output_dir: Path, engine: str, now: datetime) -> Path:
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    return output_dir / f"renda-{stamp}-{engine}{SUFFIXES[engine]}"


def _backup_sqlite(database: Mapping[str, Any], target: Path) -> dict[str, Any]:
    source_path = Path(database["NAME"])
    if not source_path.exists():
        raise BackupError(f"SQLite 数据库文件不存在：{source_path}")
    with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        # A single self-contained file: the copy leaves WAL mode (renda sets it again on restore).
        copy.execute("PRAGMA journal_mode=DELETE")
        return inventory(copy, SQLITE)


def _backup_postgresql(database: Mapping[str, Any], target: Path) -> dict[str, Any]:
    import psycopg

    pg_dump = _binary("pg_dump")
    with closing(_postgresql_connection(database)) as connection:
        _check_client_version(pg_dump, connection)
        # Count in the very snapshot pg_dump reads, so the manifest matches the file under load too.
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        figures = inventory(connection, POSTGRESQL)
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], database)
        connection.rollback()
    return figures


def _tar_media(media_root: Path, target: Path) -> dict[str, int]:
    files = size = 0
    with tarfile.open(target, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    files += 1
                    size += path.stat().st_size
    return {"files": files, "bytes": size}


@contextmanager
def _written_atomically(path: Path) -> Iterator[Path]:
    """Write to a .partial name and rename at the end, so a half-written backup never looks complete.
    Readable by the owner only: a backup holds every account's password hash and the audit log."""
    partial = path.with_name(path.name + ".partial")
    try:
        yield partial
        partial.chmod(0o600)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def create_backup(
    *,
    output_dir: Path,
    include_media: bool,
    database: Mapping[str, Any] | None = None,
    media_root: Path | None = None,
    now: datetime | None = None,
) -> BackupFiles:
    """Back up ``database`` (default: DATABASES["default"]) into ``output_dir``, created if missing.

    Writes the dump, its manifest and, with ``include_media``, a tar.gz of ``media_root`` (default
    MEDIA_ROOT). Raises BackupError when the engine is unsupported, the client tools are missing or
    too old, or pg_dump fails. Writes no audit entry: the caller does, once the files exist.
    """
    database = database or settings.DATABASES["default"]
    engine = engine_of(database)
    now = now or timezone.now()
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    dump = _target_names(output_dir, engine, now)
    if dump.exists():
        raise BackupError(f"备份文件已存在：{dump}")
    with _written_atomically(dump) as partial:
        figures = _backup_sqlite(database, partial) if engine == SQLITE else _backup_postgresql(database, partial)
    manifest: dict[str, Any] = {
        "format": MANIFEST_VERSION,
        "engine": engine,
        "created_at": now.isoformat(),
        "database_file": dump.name,
        "database_sha256": _file_sha256(dump),
        **figures,
        "media": None,
        "field_key_included": False,
    }
    media = None
    if include_media:
        media = media_path(dump)
        with _written_atomically(media) as partial:
            manifest["media"] = {"file": media.name, **_tar_media(Path(media_root or settings.MEDIA_ROOT), partial)}
    manifest_file = manifest_path(dump)
    with _written_atomically(manifest_file) as partial:
        partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return BackupFiles(database=dump, manifest=manifest_file, media=media, inventory=manifest)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- restore


def read_manifest(dump: Path) -> dict[str, Any]:
    path = manifest_path(dump)
    if not dump.is_file():
        raise BackupError(f"备份文件不存在：{dump}")
    if not path.is_file():
        raise BackupError(f"备份旁边没有清单文件 {path.name}：无法核对恢复结果")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != MANIFEST_VERSION:
        raise BackupError(f"清单 {path.name} 的格式不认识（format={manifest.get('format')}）")
    if _file_sha256(dump) != manifest["database_sha256"]:
        raise BackupError(f"备份文件 {dump.name} 与清单记录的校验和不符：文件已损坏或被改动")
    return manifest


def _existing_tables(database: Mapping[str, Any], engine: str) -> dict[str, int]:
    if engine == SQLITE:
        path = Path(database["NAME"])
        if not path.exists():
            return {}
        with closing(sqlite3.connect(path)) as connection:
            return dict(inventory(connection, SQLITE)["tables"])
    with closing(_postgresql_connection(database)) as connection:
        return dict(inventory(connection, POSTGRESQL)["tables"])


def _refuse_unless_empty(database: Mapping[str, Any], engine: str, *, force: bool) -> None:
    tables = _existing_tables(database, engine)
    if tables and not force:
        with_rows = sum(1 for rows in tables.values() if rows)
        raise BackupError(
            f"目标数据库 {database['NAME']} 不是空的：已有 {len(tables)} 张表，其中 {with_rows} 张有数据。"
            "恢复只写入空数据库（新建一个，不要先运行 migrate）；确认要用备份覆盖其中的全部数据，请加 --force。"
        )


def _restore_sqlite(dump: Path, database: Mapping[str, Any]) -> dict[str, Any]:
    target = Path(database["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    # The backup API replaces the whole target, pages and schema, under SQLite's own locks.
    with (
        closing(sqlite3.connect(f"file:{dump}?mode=ro", uri=True)) as source,
        closing(sqlite3.connect(target)) as restored,
    ):
        source.backup(restored)
        restored.execute("PRAGMA journal_mode=WAL")
        return inventory(restored, SQLITE)


def _restore_postgresql(dump: Path, database: Mapping[str, Any], *, force: bool) -> dict[str, Any]:
    pg_restore = _binary("pg_restore")
    with closing(_postgresql_connection(database)) as connection:
        _check_client_version(pg_restore, connection)
    # One transaction: a restore that fails leaves the target as it was. --dbname="" makes pg_restore
    # connect to PGDATABASE rather than print SQL; the owner of the restored objects is the user
    # restoring, whatever it was at the source.
    command = [pg_restore, "--dbname=", "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"]
    if force:
        command += ["--clean", "--if-exists"]
    _run([*command, str(dump)], database)
    with closing(_postgresql_connection(database)) as connection:
        return inventory(connection, POSTGRESQL)


def _restore_media(archive_path: Path, media_root: Path) -> int:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        members = archive.getmembers()
        # The "data" filter refuses absolute paths, links out of the directory and device files.
        archive.extractall(media_root, filter="data")
    return len(members)


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    checks: list[Check]
    media_files: int | None

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def restore_backup(
    *,
    dump: Path,
    force: bool,
    include_media: bool,
    database: Mapping[str, Any] | None = None,
    media_root: Path | None = None,
) -> Restored:
    """Restore ``dump`` into ``database`` (default: DATABASES["default"]) and compare with its manifest.

    Preconditions: the manifest lies beside the dump and matches it; the target is of the dump's
    engine and has no tables, unless ``force`` (then its content is replaced). With ``include_media``
    the tar.gz beside the dump is unpacked into ``media_root`` (default MEDIA_ROOT), which must be
    empty unless ``force``. Raises BackupError for any precondition or a failing pg_restore; a
    mismatch after the restore is not raised but reported in ``checks``.
    """
    database = database or settings.DATABASES["default"]
    engine = engine_of(database)
    manifest = read_manifest(dump)
    if manifest["engine"] != engine:
        raise BackupError(f"这份备份来自 {manifest['engine']}，目标数据库是 {engine}：只能恢复到同一种数据库")
    archive = media_path(dump)
    if include_media and not archive.is_file():
        raise BackupError(f"备份旁边没有上传文件包 {archive.name}（备份时没有加 --media？）")
    _refuse_unless_empty(database, engine, force=force)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if include_media and not force and media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"上传文件目录 {media_root} 不是空的；确认要用备份中的文件覆盖同名文件，请加 --force。")
    actual = _restore_sqlite(dump, database) if engine == SQLITE else _restore_postgresql(dump, database, force=force)
    media_files = _restore_media(archive, media_root) if include_media else None
    return Restored(manifest=manifest, checks=compare(manifest, actual), media_files=media_files)
