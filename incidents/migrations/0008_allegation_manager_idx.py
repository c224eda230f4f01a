"""The case manager's list of allegations (the Executive Head's, or the chair of governors') counts its cases
from an index."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0007_action_school'),
        ('people', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='allegation',
            index=models.Index(fields=['case_manager', 'school', 'subject'], name='allegation_manager_idx'),
        ),
    ]
