"""Restore a backup made by `manage.py backup` into an EMPTY database and check it against its manifest.

Output for operators in plain Chinese. Stop renda (web server and worker) first: a restore replaces
the database under it. The audit entry is written into the restored database, after the check.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from renda.accounts import audit
from renda.core import backup

from .backup import FIELD_KEY_NOTICE


class Command(BaseCommand):
    help = "Restore a backup into an empty database (--force to replace a non-empty one) and verify it."

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="the .sqlite3 or .dump file; its .json manifest must lie beside it")
        parser.add_argument(
            "--media", action="store_true", help="also unpack the -media.tar.gz beside it into MEDIA_ROOT"
        )
        parser.add_argument("--force", action="store_true", help="replace a database (and MEDIA_ROOT) that holds data")

    def handle(self, *args, dump: Path, media: bool, force: bool, **options):
        # Django's own connection must not hold the old database open (or cache its schema) meanwhile.
        connections.close_all()
        try:
            restored = backup.restore_backup(dump=dump, force=force, include_media=media)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已从 {dump} 恢复（备份时间 {restored.manifest['created_at']}）。核对清单：")
        width = max(len(check.label) for check in restored.checks)
        for check in restored.checks:
            mark = "一致" if check.ok else "不一致"
            self.stdout.write(f"  {check.label:<{width}}  备份 {check.expected}  恢复后 {check.actual}  {mark}")
        if restored.media_files is not None:
            self.stdout.write(f"上传文件：解开 {restored.media_files} 个")
        mismatches = [check.label for check in restored.checks if not check.ok]
        audit.record(
            "system.backup.restore",
            actor=None,
            outcome=audit.SUCCESS if not mismatches else audit.FAILURE,
            data={"file": str(dump), "checksum": restored.manifest["cases"]["sha256"], "mismatches": mismatches},
        )
        self.stdout.write(FIELD_KEY_NOTICE)
        if mismatches:
            raise CommandError(f"恢复结果与清单不一致：{', '.join(mismatches)}")
        self.stdout.write("恢复结果与清单一致。")
