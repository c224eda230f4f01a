"""Indexes for the LADO referrals log (a page of the period in the order received), the low-level review
flags (the window's low-level concerns) and the dashboard's open actions (overdue, nearest due date)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0005_allegation_awaiting_due_idx'),
        ('people', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='allegation',
            index=models.Index(fields=['received_at', 'id'], name='allegation_received_idx'),
        ),
        migrations.AddIndex(
            model_name='allegation',
            index=models.Index(condition=models.Q(('is_low_level', True)), fields=['received_at'], name='allegation_low_received_idx'),
        ),
        migrations.AddIndex(
            model_name='incidentaction',
            index=models.Index(fields=['status', 'due_on'], name='incaction_status_due_idx'),
        ),
    ]
