"""Back up the database (and, with --media, the uploaded files) while renda runs.

Output for operators in plain Chinese, as the refusals of restore are. Safe to run from a timer:
every run writes files of its own, named by time and engine; nothing is deleted.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renda.accounts import audit
from renda.core import backup

FIELD_KEY_NOTICE = (
    "字段密钥 RENDA_FIELD_KEY 不在备份中（有意如此）：请把它与备份分开保管；"
    "恢复后的数据库要用同一把密钥才能读出身份证号和手机号。"
)


class Command(BaseCommand):
    help = "Back up the database (SQLite backup API or pg_dump -Fc) with a manifest; --media adds MEDIA_ROOT as tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="directory for the backup (default: RENDA_VAR_DIR/backups)")
        parser.add_argument("--media", action="store_true", help="also pack MEDIA_ROOT into a tar.gz beside the dump")

    def handle(self, *args, output: Path | None, media: bool, **options):
        try:
            files = backup.create_backup(output_dir=output or settings.VAR_DIR / "backups", include_media=media)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = files.inventory
        audit.record(
            "system.backup.create",
            actor=None,
            data={
                "file": str(files.database),
                "bytes": files.size,
                "engine": manifest["engine"],
                "cases": manifest["cases"]["rows"],
                "checksum": manifest["cases"]["sha256"],
                "media": manifest["media"],
            },
        )
        tables = manifest["tables"]
        self.stdout.write(f"备份文件：{files.database}（{files.size:,} 字节）")
        self.stdout.write(f"清单：{files.manifest}")
        self.stdout.write(f"  {len(tables)} 张表，共 {sum(tables.values()):,} 行")
        for name, rows in tables.items():
            if rows:
                self.stdout.write(f"  {name}: {rows}")
        self.stdout.write(f"  建议意见 {manifest['cases']['rows']} 件，校验和 sha256 {manifest['cases']['sha256']}")
        if files.media:
            self.stdout.write(
                f"上传文件：{files.media}（{manifest['media']['files']} 个文件，{manifest['media']['bytes']:,} 字节）"
            )
        else:
            self.stdout.write(
                f"上传文件（{settings.MEDIA_ROOT}）不在这份备份中：加 --media 一并打包，或另行备份该目录。"
            )
        self.stdout.write(FIELD_KEY_NOTICE)
