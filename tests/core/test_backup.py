"""Backups: what `manage.py backup` writes restores into a fresh database with the same rows and the
same cases, uploaded files included; restore refuses a database that holds data; both commands leave
an audit entry and say that the field key is not in the backup.

The data must be committed for the backup's own connection to see it, hence transactional tests. On
PostgreSQL the fresh database is created by the test beside the test database and dropped after."""

import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.casework import services as cases
from renda.casework.models import Case, CaseAttachment, CaseSource, CaseState
from renda.core import backup

pytestmark = pytest.mark.django_db(transaction=True)


def _file(world, title: str) -> Case:
    return cases.file_case(
        world.staff_a,
        township=world.township_a,
        source=CaseSource.RECESS_SUGGESTION,
        title=title,
        content=f"{title}，请尽快处理。",
        signers=[world.mandate_a],
    )


@pytest.fixture
def records(world) -> set[str]:
    """The personas' world and cases in several states, one with a photo in MEDIA_ROOT; returns the
    states."""
    _file(world, "村道坑洼建议")
    cases.accept(_file(world, "路灯维修建议"), world.staff_a)
    accepted = cases.accept(_file(world, "河道清淤建议"), world.staff_a)
    assigned = cases.assign(accepted, world.staff_a, lead=world.agency_a)
    photo = CaseAttachment(
        case=assigned, name="河道现场照片.png", content_type="image/png", size=8, uploaded_at=timezone.now()
    )
    photo.file.save("photo", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    photo.save()
    return set(Case.objects.values_list("state", flat=True))


@pytest.fixture
def fresh_database(tmp_path):
    """A DATABASES entry for an empty database of the test database's engine."""
    settings_dict = dict(connection.settings_dict)
    if backup.engine_of(settings_dict) == backup.SQLITE:
        yield {**settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed (Debian: postgresql-client)")
    import psycopg
    from psycopg import sql

    name = f"{settings_dict['NAME']}_restore"
    server = {**settings_dict, "NAME": "postgres"}
    with psycopg.connect(**_libpq(server), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield {**settings_dict, "NAME": name}
    with psycopg.connect(**_libpq(server), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _libpq(settings_dict) -> dict:
    keys = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password", "NAME": "dbname"}
    return {param: settings_dict[key] for key, param in keys.items() if settings_dict.get(key)}


def _files_under(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_cases(
    records, fresh_database, tmp_path, settings
):
    assert {CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.ASSIGNED} <= records
    made = backup.create_backup(output_dir=tmp_path / "backups", include_media=True)
    manifest = made.inventory
    assert made.database.name.endswith(f"-{manifest['engine']}{backup.SUFFIXES[manifest['engine']]}")
    assert manifest["cases"]["rows"] == Case.objects.count()
    assert manifest["tables"][AuditEntry._meta.db_table] == AuditEntry.objects.count()
    assert manifest["media"]["files"] > 0, "the photo is in MEDIA_ROOT"
    assert "RENDA_FIELD_KEY" not in made.manifest.read_text(encoding="utf-8")

    media_root = tmp_path / "restored-media"
    restored = backup.restore_backup(
        dump=made.database, force=False, include_media=True, database=fresh_database, media_root=media_root
    )

    assert [check for check in restored.checks if not check.ok] == []
    labels = {check.label for check in restored.checks}
    assert {Case._meta.db_table, AuditEntry._meta.db_table, "cases sha256"} <= labels
    assert _files_under(media_root) == _files_under(Path(settings.MEDIA_ROOT))


def test_a_changed_case_changes_the_checksum(records, tmp_path):
    before = backup.create_backup(output_dir=tmp_path / "before", include_media=False).inventory
    Case.objects.filter(state=CaseState.ASSIGNED).update(state=CaseState.IN_PROGRESS)
    after = backup.create_backup(output_dir=tmp_path / "after", include_media=False).inventory

    assert after["cases"]["rows"] == before["cases"]["rows"]
    assert after["cases"]["sha256"] != before["cases"]["sha256"]


def test_restore_refuses_a_database_that_holds_data_in_chinese(records, tmp_path):
    made = backup.create_backup(output_dir=tmp_path, include_media=False)

    with pytest.raises(backup.BackupError, match="不是空的.*--force"):
        backup.restore_backup(dump=made.database, force=False, include_media=False)
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(made.database))


def test_restore_refuses_a_backup_that_does_not_match_its_manifest(records, tmp_path, fresh_database):
    made = backup.create_backup(output_dir=tmp_path, include_media=False)
    with made.database.open("ab") as dump:
        dump.write(b"\0")

    with pytest.raises(backup.BackupError, match="校验和不符"):
        backup.restore_backup(dump=made.database, force=False, include_media=False, database=fresh_database)


def test_the_commands_report_the_backup_and_audit_backup_and_restore(records, tmp_path, capsys):
    call_command("backup", "--output", str(tmp_path))
    printed = capsys.readouterr().out
    [dump] = [path for path in tmp_path.iterdir() if path.suffix in {".sqlite3", ".dump"}]
    assert str(dump) in printed
    assert f"{dump.stat().st_size:,} 字节" in printed
    assert backup.read_manifest(dump)["cases"]["sha256"] in printed
    assert "RENDA_FIELD_KEY 不在备份中" in printed
    assert "--media" in printed, "says the uploaded files are not in this backup"
    assert AuditEntry.objects.filter(event="system.backup.create").exists()

    # Restoring over the live database (forced) gives back the same database, then the audit entry.
    call_command("restore", str(dump), "--force")
    printed = capsys.readouterr().out
    assert "恢复结果与清单一致" in printed
    assert "RENDA_FIELD_KEY 不在备份中" in printed
    assert AuditEntry.objects.filter(event="system.backup.restore", outcome="success").exists()
