"""Indexes for the standard statistics report read straight from the dossiers (reports/raw_report.py).

The report for a period reads the dossiers received in it, per competent agency, and those
carried over into it; on PostgreSQL both indexes carry the columns the report needs
(INCLUDE), so it never visits the table. Dossiers carried over from far back are found in the
small partial index of long-running ones: still open, or ended more than 62 days after their
reception (``reports.models.history.LONG_RUNNING_DAYS``). Created CONCURRENTLY on PostgreSQL so
that an installation with millions of dossiers keeps working while they are built.

They are database-only (no model state): the dossiers' model does not change.
"""

from django.db import migrations

COLUMNS = "procedure_version_id, channel, resolved_at, ended_at, legal_due_at, verdict, state"
POSTGRESQL = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS dossier_report_reception ON dossiers_dossier "
    f"(competent_agency_id, received_at) INCLUDE ({COLUMNS}) WHERE received_at IS NOT NULL",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS dossier_report_long_running ON dossiers_dossier "
    f"(competent_agency_id, received_at) INCLUDE ({COLUMNS}) WHERE received_at IS NOT NULL AND "
    "(COALESCE(resolved_at, ended_at) IS NULL OR COALESCE(resolved_at, ended_at) - received_at > interval '62 days')",
)
SQLITE = (
    "CREATE INDEX IF NOT EXISTS dossier_report_reception ON dossiers_dossier "
    "(competent_agency_id, received_at) WHERE received_at IS NOT NULL",
)
NAMES = ("dossier_report_reception", "dossier_report_long_running")


def create(apps, schema_editor):
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name in NAMES:
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("dossiers", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
