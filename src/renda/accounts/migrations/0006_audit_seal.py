"""Audit entries are written unsealed and sealed into the chain right after commit (S17).

``seq`` is an entry's place in the chain. Entries written before this migration already form a
chain in id order, so their id becomes their position and their hashes stay as they are; anchors
of earlier purges named an id, which is therefore the same position. (Entries left unsealed by
a return to 0004 and back are sealed by the next seal.)

The UPDATE trigger of migration 0003 is replaced: it lets through exactly the sealing update — an
unsealed entry (no position, no hashes) receives its position and hashes, every other column
unchanged — and refuses every other UPDATE. DELETE and TRUNCATE are untouched.
"""

from django.db import migrations, models

TABLE = "accounts_auditentry"
CONTROL = "renda_audit_purge_control"
SEAL_COLUMNS = ("seq", "prev_hash", "entry_hash")
# SQLite cannot compare whole rows, so its trigger names the columns sealing must leave alone;
# tests/security/test_audit_log.py fails when the model gains a column this list lacks.
CONTENT_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "actor_role",
    "ip_address",
    "request_id",
    "event",
    "outcome",
    "target_type",
    "target_id",
    "target_label",
    "county_id",
    "township_id",
    "data",
)
REFUSE = "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"


def _sqlite_sealing_only() -> str:
    unchanged = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in CONTENT_COLUMNS)
    return (
        f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
        "WHEN NOT (OLD.seq IS NULL AND NEW.seq IS NOT NULL AND OLD.prev_hash = '' AND OLD.entry_hash = '' "
        f"AND NEW.entry_hash <> '' AND {unchanged}) {REFUSE}"
    )


def _postgresql_function(allow_sealing: bool) -> str:
    sealing = (
        "IF TG_OP = 'UPDATE' THEN "
        "  IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND OLD.prev_hash = '' AND OLD.entry_hash = '' "
        "     AND NEW.entry_hash <> '' "
        f"     AND to_jsonb(NEW) - ARRAY{list(SEAL_COLUMNS)} = to_jsonb(OLD) - ARRAY{list(SEAL_COLUMNS)} THEN "
        "    RETURN NEW; "
        "  END IF; "
        "END IF; "
        if allow_sealing
        else ""
    )
    return (
        "CREATE OR REPLACE FUNCTION renda_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"{sealing}"
        f"IF TG_OP <> 'UPDATE' AND (SELECT allow_delete FROM {CONTROL} WHERE id = 1) = 1 THEN "
        "  IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF; RETURN NULL; "
        "END IF; "
        "RAISE EXCEPTION 'audit entries are append-only'; "
        "END $$"
    )


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute(f"UPDATE {TABLE} SET seq = id WHERE entry_hash <> ''")
            cursor.execute(_sqlite_sealing_only())
        elif connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_no_update_delete")
            cursor.execute(f"UPDATE {TABLE} SET seq = id WHERE entry_hash <> ''")
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_no_update_delete")
            cursor.execute(_postgresql_function(allow_sealing=True))


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute(f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} {REFUSE}")
        elif connection.vendor == "postgresql":
            cursor.execute(_postgresql_function(allow_sealing=False))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_export_approval_filter_and_refusal")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(blank=True, editable=False, null=True, verbose_name="chain position"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(condition=models.Q(seq__isnull=True), fields=["id"], name="audit_unsealed"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(seq__isnull=False), fields=("seq",), name="audit_seq_unique"
            ),
        ),
        migrations.RenameField(model_name="auditanchor", old_name="purged_through_id", new_name="purged_through_seq"),
        migrations.AlterModelOptions(
            name="auditanchor",
            options={
                "ordering": ["-purged_through_seq"],
                "verbose_name": "audit chain anchor",
                "verbose_name_plural": "audit chain anchors",
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
