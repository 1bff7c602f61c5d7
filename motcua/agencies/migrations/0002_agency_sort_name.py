"""Agencies get their names' Vietnamese collation key (``Agency.sort_name``), filled in for those already there."""

from typing import Any

from django.db import migrations, models

from motcua.core.vietnamese import collation_key


def fill_sort_names(apps: Any, schema_editor: Any) -> None:
    agency_model = apps.get_model("agencies", "Agency")
    agencies = list(agency_model.objects.only("pk", "name"))
    for agency in agencies:
        agency.sort_name = collation_key(agency.name)
    agency_model.objects.bulk_update(agencies, ["sort_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="sort_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=240, verbose_name="sort key"),
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop),
    ]
