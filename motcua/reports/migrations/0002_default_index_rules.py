"""The Decision 766/QĐ-TTg indicators as DOMAIN.md §8 reconstructs them, valid from the decision's date.

Administrators change maxima, thresholds and validity in the admin; a later change of method is a
new row with a later ``valid_from`` (and the old one given a ``valid_to``).
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

DECISION_766 = dt.date(2022, 6, 23)
SOURCE = "Decision 766/QĐ-TTg; national portal scoring as reconstructed in DOMAIN.md §8"
RULES = (
    # (code, group, name, maximum, threshold)
    ("transparency_published_on_time", "transparency", "Procedures published on time", 6, 1),
    ("transparency_public_database", "transparency", "Procedures made public on the national database on time", 4, 1),
    ("transparency_complete_components", "transparency", "Procedures published with all their components", 2, 1),
    ("transparency_realtime_sync", "transparency", "Dossiers synchronised in real time", 6, 1),
    ("progress_on_time", "progress", "Dossiers ended early or on time, in progress within the deadline included", 20, 1),
    ("online_full_share", "online_services", "Full-online dossiers among dossiers of procedures offered fully online", 12, Decimal("0.5")),
    ("digitisation_electronic_results", "digitisation", "Dossiers returned with an electronic result", 6, 1),
    ("digitisation_digitised_components", "digitisation", "Dossiers with digitised components", 4, 1),
    ("digitisation_certified_copies", "digitisation", "Communes offering electronically certified copies", 2, 1),
    ("digitisation_data_reuse", "digitisation", "Reuse of digitised data", 2, Decimal("0.8")),
    ("digitisation_citizen_data_store", "digitisation", "Results linked to the citizen's data store", 4, 1),
    ("digitisation_population_data", "digitisation", "Dossiers using data of the population database", 2, 1),
    ("digitisation_population_connected", "digitisation", "Procedures connected to the population database", 2, 1),
    ("satisfaction_feedback_on_time", "satisfaction", "Feedback and complaints handled on time", 6, 1),
    ("satisfaction_feedback_handling", "satisfaction", "Satisfaction with the handling of feedback", 6, 1),
    ("satisfaction_dossiers", "satisfaction", "Dossiers without an unsatisfied rating, a complaint or a delay", 6, Decimal("0.9")),
    ("payment_procedures_offering", "online_payment", "Procedures with fees offered for online payment", 2, 1),
    ("payment_procedures_used", "online_payment", "Procedures with at least one online payment", 2, 1),
    ("payment_dossiers_paid_online", "online_payment", "Dossiers paid online among dossiers with fees", 6, 1),
)
BANDS = (("excellent", 90), ("medium", 50), ("weak", 0))


def add_rules(apps, schema_editor):
    IndexRule = apps.get_model("reports", "IndexRule")
    IndexBand = apps.get_model("reports", "IndexBand")
    for position, (code, group, name, maximum, threshold) in enumerate(RULES, start=1):
        IndexRule.objects.get_or_create(
            code=code,
            valid_from=DECISION_766,
            defaults={
                "group": group,
                "position": position,
                "name": name,
                "maximum": Decimal(maximum),
                "threshold": Decimal(threshold),
                "source": SOURCE,
            },
        )
    for name, lower_bound in BANDS:
        IndexBand.objects.get_or_create(lower_bound=Decimal(lower_bound), valid_from=DECISION_766, defaults={"band": name})


def remove_rules(apps, schema_editor):
    apps.get_model("reports", "IndexRule").objects.filter(valid_from=DECISION_766).delete()
    apps.get_model("reports", "IndexBand").objects.filter(valid_from=DECISION_766).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
