"""The LADO referrals list reads its first page (cases awaiting referral first, by deadline) from an index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0004_notes_files_for_every_case"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="allegation",
            index=models.Index(
                models.Case(
                    models.When(status="recorded", then=models.Value(0)),
                    default=models.Value(1),
                    output_field=models.IntegerField(),
                ),
                models.F("referral_due_at"),
                models.F("id"),
                name="allegation_awaiting_due_idx",
            ),
        ),
    ]
