"""On PostgreSQL, the database itself refuses to change or delete a dossier event.

The model refuses it too (``DossierEvent.save``/``delete``), but a trigger also stops raw SQL,
a bulk ``update()`` or a careless migration. SQLite (the embedded demo) relies on the model.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION workflow_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'dossier events are append-only: % refused on event %', TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workflow_event_append_only
    BEFORE UPDATE OR DELETE ON workflow_dossierevent
    FOR EACH ROW EXECUTE FUNCTION workflow_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS workflow_event_append_only ON workflow_dossierevent;
DROP FUNCTION IF EXISTS workflow_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
