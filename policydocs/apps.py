from django.apps import AppConfig


class PolicydocsConfig(AppConfig):
    name = "policydocs"
    verbose_name = "Policy documents and reports"

    def ready(self):
        # A removed allegation (a malicious one, at its removal date) takes its report files with it.
        from django.db.models.signals import post_delete

        from incidents.models import Allegation

        post_delete.connect(
            _remove_record_reports, sender=Allegation, dispatch_uid="policydocs.record_reports"
        )


def _remove_record_reports(sender, instance, **kwargs):
    from .reports.files import delete_for_record

    delete_for_record(instance.pk)
