"""Each follow-up action keeps its case's school, so that a school's open actions are read from one index
(the dashboard's My open actions) instead of through both kinds of case."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_schools(apps, schema_editor):
    IncidentAction = apps.get_model("incidents", "IncidentAction")
    PupilIncident = apps.get_model("incidents", "PupilIncident")
    CyberbullyingReport = apps.get_model("incidents", "CyberbullyingReport")
    IncidentAction.objects.filter(incident__isnull=False).update(
        school_id=Subquery(PupilIncident.objects.filter(pk=OuterRef("incident_id")).values("school_id")[:1])
    )
    IncidentAction.objects.filter(report__isnull=False).update(
        school_id=Subquery(
            CyberbullyingReport.objects.filter(pk=OuterRef("report_id")).values("school_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0006_dashboard_and_log_indexes"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="incidentaction",
            name="school",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="people.school"
            ),
        ),
        migrations.RunPython(fill_schools, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="incidentaction",
            name="school",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="people.school"
            ),
        ),
        migrations.AddIndex(
            model_name="incidentaction",
            index=models.Index(fields=["school", "status", "due_on"], name="incaction_school_due_idx"),
        ),
    ]
