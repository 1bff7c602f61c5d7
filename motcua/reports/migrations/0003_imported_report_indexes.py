"""Covering indexes for the standard report read straight from the imported dossiers (reports/raw_report.py).

The receptions of a period per agency, and the long-running dossiers (still open, or ended more
than 62 days after reception) for those carried over from far back. PostgreSQL keeps the
report's columns in the index (INCLUDE) so it never visits the table; SQLite, which has no
INCLUDE, gets the plain indexes. Database-only: the model's state does not change.
"""

from django.db import migrations

COLUMNS = "procedure_id, sector_id, channel, resolved_at, due_at, status, verdict"
KEYS = "agency_id, received_at"
NAMES = ("imported_agency_received", "imported_long_running")


def create(apps, schema_editor):
    include = f" INCLUDE ({COLUMNS})" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS imported_agency_received ON reports_importeddossier ({KEYS}){include}"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS imported_long_running ON reports_importeddossier ({KEYS}){include} "
        "WHERE is_long_running"
    )


def drop(apps, schema_editor):
    for name in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_default_index_rules")]

    operations = [migrations.RunPython(create, drop)]
