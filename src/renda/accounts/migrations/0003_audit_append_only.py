"""Append-only audit log at the database level (S17).

UPDATE is always refused. DELETE (and TRUNCATE on PostgreSQL) is refused unless the one-row
control table allows it, which only ``audit.privileged_purge()`` does, inside its transaction.
The control table is not a Django model, so a test database flush leaves it in place.
"""

from django.db import migrations

TABLE = "accounts_auditentry"
CONTROL = "renda_audit_purge_control"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {CONTROL} (id integer PRIMARY KEY, allow_delete integer NOT NULL DEFAULT 0)")
        cursor.execute(f"INSERT INTO {CONTROL} (id, allow_delete) VALUES (1, 0)")
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
                "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
            )
            cursor.execute(
                f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} "
                f"WHEN (SELECT allow_delete FROM {CONTROL} WHERE id = 1) IS NOT 1 "
                "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION renda_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN "
                f"IF TG_OP <> 'UPDATE' AND (SELECT allow_delete FROM {CONTROL} WHERE id = 1) = 1 THEN "
                "  IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF; RETURN NULL; "
                "END IF; "
                "RAISE EXCEPTION 'audit entries are append-only'; "
                "END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION renda_audit_append_only()"
            )
            cursor.execute(
                f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
                "FOR EACH STATEMENT EXECUTE FUNCTION renda_audit_append_only()"
            )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE}")
            cursor.execute(f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}")
            cursor.execute("DROP FUNCTION IF EXISTS renda_audit_append_only()")
        cursor.execute(f"DROP TABLE IF EXISTS {CONTROL}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_security_fields")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
