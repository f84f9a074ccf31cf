from django.db import migrations

# Refuse UPDATE on audit entries in the database itself. Someone who can drop the trigger can
# still edit rows; the keyed hash chain is what detects that (verify_audit_chain).
SQLITE_UP = ["""
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
"""]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_entry_no_update"]
POSTGRES_UP = [
    "CREATE OR REPLACE FUNCTION audit_entry_no_update() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_no_update()",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_no_update()",
]


def up(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_UP if postgres else SQLITE_UP:
        schema_editor.execute(statement)


def down(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_DOWN if postgres else SQLITE_DOWN:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
